# ruff: noqa: E402  (the imports after set_blas_threads(): it must run before NumPy loads)
"""`python -m app`: serve the whole product with the embedded store.

With `--workers N` (N > 1) uvicorn runs N processes, each building the app from the
factory `app.main:create_app`; they learn the settings from the environment, so the
options given here are passed on as EXPLORER_* variables.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from app.blas import set_blas_threads

set_blas_threads()  # before NumPy loads (app/blas.py)

import uvicorn

from app.config import Settings, store_target
from app.main import create_app
from app.server import is_loopback, server_config
from app.store import StoreStartupError
from app.store.base import is_postgres_url, redact
from app.store.db import SCHEMA_VERSION, check_before_open

WILDCARDS = ("0.0.0.0", "::", "[::]")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m app", description="Serve Backprop Explorer (API, docs and web page)."
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)"
    )
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    parser.add_argument(
        "--db",
        type=store_target,
        default=None,
        help="SQLite file or postgresql://user@host/db URL "
        "(default $EXPLORER_DB or ./var/explorer.sqlite3); a file's folder must exist",
    )
    parser.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="also answer requests for this host name or address (repeatable; "
        "localhost, 127.0.0.1 and [::1] always; also $EXPLORER_ALLOWED_HOSTS, comma-separated)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="worker processes sharing the port and the store (default 1)",
    )
    parser.add_argument(
        "--shared",
        action="store_true",
        help="a hosted server for many learners: each client owns its networks "
        "(an owner key in a cookie), demos are shared read-only (or set EXPLORER_SHARED=1)",
    )
    args = parser.parse_args(argv)
    if args.workers < 1:
        parser.error("--workers must be at least 1")
    overrides: dict = {"db_path": args.db, "create_db_folder": False} if args.db else {}
    if args.shared:
        overrides["shared"] = True
    settings = Settings.from_env(**overrides)
    extra = [h.strip().lower() for h in args.allow_host if h.strip()]
    if args.host not in WILDCARDS and not is_loopback(args.host):
        extra.append(f"[{args.host}]" if ":" in args.host else args.host.lower())
    if extra:
        settings = Settings.from_env(**overrides, allowed_hosts=(*settings.allowed_hosts, *extra))
    if not is_loopback(args.host):
        print(
            f"WARNING: --host {args.host} makes the server reachable from other machines, and "
            "its write API has no authentication: anyone who can reach it can change or "
            "delete every saved network. Put it behind a reverse proxy for anything public.",
            file=sys.stderr,
        )
        if args.host in WILDCARDS and not args.allow_host:
            print(
                "Only requests for localhost are answered; add --allow-host with the name "
                "or address others will use.",
                file=sys.stderr,
            )
    # The same checks run again when the app starts; here they give a one-line error. A
    # postgresql:// URL has no file or folder to check: its server is asked at start-up.
    if not is_postgres_url(settings.db_path):
        try:
            check_before_open(Path(settings.db_path), SCHEMA_VERSION, settings.create_db_folder)
        except StoreStartupError as e:
            sys.exit(f"Backprop Explorer did not start: {e}")
    where = redact(settings.db_path)
    workers = f", {args.workers} workers" if args.workers > 1 else ""
    mode = ", shared: networks per owner key" if settings.shared else ""
    if args.workers == 1:
        app = create_app(settings)
        print(f"Backprop Explorer on http://{args.host}:{args.port}/  (store: {where}{mode})")
        uvicorn.Server(server_config(app, settings, host=args.host, port=args.port)).run()
        return
    # Each worker builds its app from the environment: pass on what was decided here.
    os.environ["EXPLORER_DB"] = str(settings.db_path)
    os.environ["EXPLORER_SHARED"] = "1" if settings.shared else "0"
    added = settings.allowed_hosts[len(Settings.allowed_hosts) :]
    if added:
        os.environ["EXPLORER_ALLOWED_HOSTS"] = ",".join(added)
    else:
        os.environ.pop("EXPLORER_ALLOWED_HOSTS", None)
    print(f"Backprop Explorer on http://{args.host}:{args.port}/  (store: {where}{workers}{mode})")
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        workers=args.workers,
        host=args.host,
        port=args.port,
        # The class itself (a per-settings subclass cannot reach the worker processes):
        # its default head timeout is Settings' default.
        http="app.server:HeadTimeoutProtocol",
        timeout_keep_alive=5,
        log_level="info",
    )


if __name__ == "__main__":
    main()
