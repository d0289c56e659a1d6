"""`python -m app`: serve the whole product with the embedded store.

With `--workers N` (N > 1) uvicorn runs N processes, each building the app from the
factory `app.main:create_app`; they learn the settings from the environment, so the
options given here are passed on as EXPLORER_* variables.
"""

from __future__ import annotations

import argparse
import os

import uvicorn

from app.config import Settings, store_target
from app.main import create_app
from app.store.base import redact


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
        "(default $EXPLORER_DB or ./var/explorer.sqlite3)",
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
    overrides = {"db_path": args.db} if args.db else {}
    if args.shared:
        overrides["shared"] = True
    settings = Settings.from_env(**overrides)
    where = redact(settings.db_path)
    workers = f", {args.workers} workers" if args.workers > 1 else ""
    mode = ", shared: networks per owner key" if settings.shared else ""
    print(f"Backprop Explorer on http://{args.host}:{args.port}/  (store: {where}{workers}{mode})")
    if args.workers == 1:
        uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level="info")
        return
    os.environ["EXPLORER_DB"] = str(settings.db_path)
    os.environ["EXPLORER_SHARED"] = "1" if settings.shared else "0"
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        workers=args.workers,
        host=args.host,
        port=args.port,
        log_level="info",
    )


if __name__ == "__main__":
    main()
