"""CPU time per request inside the app: the ASGI app called directly (no sockets, no
uvicorn), so the figure is the app's own cost and steadier than wrk on a busy machine.

    .venv/bin/python bench/asgi_cpu.py [--requests 3000] [--profile tottime]

Compares FastAPI's hello-world app with POST /api/backprop (2-2-2) and GET /api/networks.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import pstats
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fastapi import FastAPI

from app.api.deps import open_networks
from app.config import Settings
from app.main import create_app
from app.testing import MAZUR, MAZUR_X, MAZUR_Y

BACKPROP = json.dumps({"network": MAZUR, "x": MAZUR_X, "y": MAZUR_Y}).encode()

hello = FastAPI()


@hello.get("/")
async def root():
    return {"message": "Hello World"}


async def call(app, method: str, path: str, body: bytes) -> None:
    scope = {
        "type": "http", "method": method, "path": path, "raw_path": path.encode(),
        "root_path": "", "query_string": b"", "scheme": "http", "http_version": "1.1",
        "asgi": {"version": "3.0"}, "state": {},
        "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8000),
        "headers": [(b"host", b"127.0.0.1:8000"), (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode())],
    }  # fmt: skip
    sent = False

    async def receive():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.Event().wait()  # no disconnect while the answer is written

    status = []

    async def send(message):
        if message["type"] == "http.response.start":
            status.append(message["status"])

    await app(scope, receive, send)
    assert status == [200], status


async def cpu_per_request(app, method: str, path: str, body: bytes, n: int) -> float:
    for _ in range(200):
        await call(app, method, path, body)
    start = time.process_time()
    for _ in range(n):
        await call(app, method, path, body)
    return (time.process_time() - start) / n


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--profile", metavar="SORT", help="cProfile the backprop run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(Settings(db_path=Path(tmp) / "bench.sqlite3"))
        open_networks(app)
        cases = [
            ("GET / (hello world)", hello, "GET", "/", b""),
            ("POST /api/backprop (2-2-2)", app, "POST", "/api/backprop", BACKPROP),
            ("GET /api/networks", app, "GET", "/api/networks", b""),
        ]
        print("| request | CPU per request |\n|---|---:|")
        for name, target, method, path, body in cases:
            profile = cProfile.Profile() if args.profile and "backprop" in path else None
            if profile:
                profile.enable()
            cpu = asyncio.run(cpu_per_request(target, method, path, body, args.requests))
            if profile:
                profile.disable()
            print(f"| {name} | {cpu * 1e6:.0f} µs |", flush=True)
            if profile:
                pstats.Stats(profile).sort_stats(args.profile).print_stats(30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
