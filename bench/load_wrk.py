"""Requests per second of the API under wrk, against a hello-world FastAPI app served by
the same uvicorn configuration (app.server.server_config) as the ceiling.

    .venv/bin/python bench/load_wrk.py [--seconds 10] [--connections 32]

Needs wrk (Debian: `apt-get install wrk`); `make test` does not install it. Each server is
its own process with one worker on a loopback port; wrk runs one thread beside it. Run on
a quiet machine: on a shared one, the load average printed with the table says how much
of the CPU the servers really had. Numbers only, never pass or fail.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.testing import free_port  # noqa: E402

SERVE_OURS = """
import sys
from pathlib import Path
import uvicorn
from app.config import Settings
from app.main import create_app
from app.server import server_config
settings = Settings(db_path=Path(sys.argv[1]))
config = server_config(create_app(settings), settings, port=int(sys.argv[2]),
                       log_level="warning", access_log=False)
uvicorn.Server(config).run()
"""

# FastAPI's own first example, under the same uvicorn configuration: the ceiling.
SERVE_HELLO = """
import sys
import uvicorn
from fastapi import FastAPI
from app.config import Settings
from app.server import server_config
app = FastAPI()

@app.get("/")
async def root():
    return {"message": "Hello World"}

config = server_config(app, Settings(), port=int(sys.argv[2]), log_level="warning",
                       access_log=False)
uvicorn.Server(config).run()
"""

NET = {
    "sizes": [2, 2, 2],
    "activations": ["sigmoid", "sigmoid"],
    "cost": "quadratic",
    "weights": [[[0.15, 0.20], [0.25, 0.30]], [[0.40, 0.45], [0.50, 0.55]]],
    "biases": [[0.35, 0.35], [0.60, 0.60]],
}
BACKPROP = {"network": NET, "x": [0.05, 0.10], "y": [0.01, 0.99]}


class Server:
    def __init__(self, script: str, db: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [sys.executable, "-c", script, str(db), str(self.port)],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                httpx.get(self.url + "/", timeout=1)
                return
            except httpx.TransportError:
                time.sleep(0.1)
        raise RuntimeError("server did not start")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=20)


def wrk(url: str, seconds: int, connections: int, body: dict | None, work: Path) -> dict:
    args = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if body is not None:
        script = work / "post.lua"
        script.write_text(
            'wrk.method = "POST"\n'
            f"wrk.body = {json.dumps(json.dumps(body))}\n"
            'wrk.headers["Content-Type"] = "application/json"\n'
        )
        args += ["-s", str(script)]
    out = subprocess.run([*args, url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = re.search(r"50%\s+([\d.]+\w+)", out).group(1)
    p99 = re.search(r"99%\s+([\d.]+\w+)", out).group(1)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p50": p50, "p99": p99, "non2xx": int(errors.group(1)) if errors else 0}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is not installed (Debian: apt-get install wrk); nothing measured")
        return 0
    with tempfile.TemporaryDirectory(prefix="load-") as tmp:
        work = Path(tmp)
        rows = []
        hello = Server(SERVE_HELLO, work / "unused.sqlite3")
        try:
            wrk(hello.url + "/", 2, args.connections, None, work)  # warm-up
            ceiling = wrk(hello.url + "/", args.seconds, args.connections, None, work)
        finally:
            hello.stop()
        rows.append(("GET / (hello world, the ceiling)", ceiling))
        ours = Server(SERVE_OURS, work / "explorer.sqlite3")
        try:
            cases = [
                ("POST /api/backprop (2-2-2, one sample)", "/api/backprop", BACKPROP),
                ("GET /api/networks (the 2 demos)", "/api/networks", None),
            ]
            for name, path, body in cases:
                wrk(ours.url + path, 2, args.connections, body, work)  # warm-up
                rows.append(
                    (name, wrk(ours.url + path, args.seconds, args.connections, body, work))
                )
        finally:
            ours.stop()
    load = os.getloadavg()
    print(
        f"wrk -t1 -c{args.connections} -d{args.seconds}s; {os.cpu_count()} cores; "
        f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}\n"
    )
    print("| request | req/s | of the ceiling | p50 | p99 | non-2xx |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, r in rows:
        share = f"{100 * r['rps'] / ceiling['rps']:.0f}%"
        print(f"| {name} | {r['rps']:,.0f} | {share} | {r['p50']} | {r['p99']} | {r['non2xx']} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
