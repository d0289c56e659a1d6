"""`python -m app`: serve the whole product with the embedded store."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import uvicorn

from app.config import Settings
from app.main import create_app
from app.server import is_loopback, server_config
from app.store import StoreStartupError
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
        type=Path,
        default=None,
        help="SQLite file (default $EXPLORER_DB or ./var/explorer.sqlite3); its folder must exist",
    )
    parser.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="also answer requests for this host name or address (repeatable; "
        "localhost, 127.0.0.1 and [::1] always; also $EXPLORER_ALLOWED_HOSTS, comma-separated)",
    )
    args = parser.parse_args(argv)
    overrides: dict = {"db_path": args.db, "create_db_folder": False} if args.db else {}
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
    try:  # the same checks run again when the app starts; here they give a one-line error
        check_before_open(settings.db_path, SCHEMA_VERSION, settings.create_db_folder)
    except StoreStartupError as e:
        sys.exit(f"Backprop Explorer did not start: {e}")
    app = create_app(settings)
    print(f"Backprop Explorer on http://{args.host}:{args.port}/  (store: {settings.db_path})")
    uvicorn.Server(server_config(app, settings, host=args.host, port=args.port)).run()


if __name__ == "__main__":
    main()
