"""Requests per second of the API under wrk, against a hello-world FastAPI app served by
the same uvicorn configuration (app.server.server_config) as the ceiling.

    .venv/bin/python bench/load_wrk.py [--seconds 10] [--connections 32] [--rounds 5]

Needs wrk (Debian: `apt-get install wrk`); `make test` does not install it. Each server is
its own process with one worker on a loopback port; wrk runs one thread beside it. The
servers are measured back to back, round by round (ceiling, backprop, networks, ceiling,
...), so a change in the machine's load hits all of them alike; a row's share of the
ceiling is the median of its per-round shares. Beside req/s, the server's own CPU time per
request (from /proc, user + system) is printed: on a shared machine it moves less than
req/s, and its ratio to the ceiling's is the share a quiet machine would show. Numbers
only, never pass or fail.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.testing import MAZUR, MAZUR_X, MAZUR_Y, free_port  # noqa: E402

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

# FastAPI's own first example, under the same uvicorn configuration: the ceiling. Beside
# it, the same hello world taking the backprop request's body into a Pydantic model: what
# reading a POST body costs FastAPI and uvicorn before any work (a like-for-like ceiling).
SERVE_HELLO = """
import sys
import uvicorn
from fastapi import FastAPI
from pydantic import BaseModel
from app.config import Settings
from app.server import server_config
app = FastAPI()

@app.get("/")
async def root():
    return {"message": "Hello World"}

class Body(BaseModel):
    network: dict
    x: list
    y: list

@app.post("/")
async def post_root(body: Body):
    return {"message": "Hello World"}

config = server_config(app, Settings(), port=int(sys.argv[2]), log_level="warning",
                       access_log=False)
uvicorn.Server(config).run()
"""

BACKPROP = {"network": MAZUR, "x": MAZUR_X, "y": MAZUR_Y}
SHORT = ("GET hello", "POST hello", "backprop", "networks")


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


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


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
    count = int(re.search(r"(\d+) requests in", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": rps,
        "p50": p50,
        "p99": p99,
        "count": count,
        "non2xx": int(errors.group(1)) if errors else 0,
    }


def measure(server: Server, path: str, body: dict | None, args, work: Path) -> dict:
    wrk(server.url + path, 1, args.connections, body, work)  # warm-up
    before = cpu_seconds(server.proc.pid)
    r = wrk(server.url + path, args.seconds, args.connections, body, work)
    r["cpu"] = (cpu_seconds(server.proc.pid) - before) / max(r["count"], 1)
    return r


def load_line() -> str:
    load = os.getloadavg()
    return f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is not installed (Debian: apt-get install wrk); nothing measured")
        return 0
    cases = [
        ("GET / (hello world, the ceiling)", "hello", "/", None),
        ("POST / (hello world taking the backprop body)", "hello", "/", BACKPROP),
        ("POST /api/backprop (2-2-2, one sample)", "ours", "/api/backprop", BACKPROP),
        ("GET /api/networks (the 2 demos)", "ours", "/api/networks", None),
    ]
    results: dict[str, list[dict]] = {name: [] for name, *_ in cases}
    print(f"before: {load_line()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="load-") as tmp:
        work = Path(tmp)
        servers = {
            "hello": Server(SERVE_HELLO, work / "unused.sqlite3"),
            "ours": Server(SERVE_OURS, work / "explorer.sqlite3"),
        }
        try:
            for _ in range(args.rounds):
                for name, server, path, body in cases:
                    results[name].append(measure(servers[server], path, body, args, work))
        finally:
            for server in servers.values():
                server.stop()
    ceiling, post_ceiling = results[cases[0][0]], results[cases[1][0]]
    print(
        f"wrk -t1 -c{args.connections} -d{args.seconds}s, {args.rounds} rounds; "
        f"{os.cpu_count()} cores; after: {load_line()}\n"
    )
    print(
        "| request | req/s | of the ceiling | of POST hello | server CPU per request "
        "| of the ceiling (CPU) | p50 | p99 | non-2xx |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")

    def share(rows: list[dict], base: list[dict], key: str) -> float:
        """Median over rounds of this row against the base measured in the same round."""
        pairs = zip(rows, base, strict=True)
        if key == "rps":
            return statistics.median(r["rps"] / b["rps"] for r, b in pairs)
        return statistics.median(b["cpu"] / r["cpu"] for r, b in pairs)

    for name, *_ in cases:
        rows = results[name]
        rps = statistics.median(r["rps"] for r in rows)
        cpu = statistics.median(r["cpu"] for r in rows)
        last = rows[-1]
        print(
            f"| {name} | {rps:,.0f} | {100 * share(rows, ceiling, 'rps'):.0f}% "
            f"| {100 * share(rows, post_ceiling, 'rps'):.0f}% | {cpu * 1e6:.0f} µs "
            f"| {100 * share(rows, ceiling, 'cpu'):.0f}% | {last['p50']} | {last['p99']} "
            f"| {sum(r['non2xx'] for r in rows)} |"
        )
    per_round = ", ".join(
        "/".join(f"{results[name][i]['rps']:,.0f}" for name, *_ in cases)
        for i in range(args.rounds)
    )
    print(f"\nreq/s per round ({'/'.join(short for short in SHORT)}): {per_round}")
    # The spread says how far one run's share can be trusted on this machine.
    for short, (name, *_) in zip(SHORT[2:], cases[2:], strict=True):
        rows = results[name]
        of = {
            "the ceiling": [r["rps"] / c["rps"] for r, c in zip(rows, ceiling, strict=True)],
            "POST hello": [r["rps"] / c["rps"] for r, c in zip(rows, post_ceiling, strict=True)],
        }
        print(
            f"{short} per round: "
            + "; ".join(
                f"of {k} {', '.join(f'{100 * v:.0f}%' for v in vs)}" for k, vs in of.items()
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
