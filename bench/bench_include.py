# ruff: noqa: E402  (the imports after set_blas_threads(), as in app/__main__.py)
"""`include` measured: a 1,000-sample backprop of 784-30-10 through a live uvicorn, the full
answer against `include: ["cost", "grad_w", "grad_b"]` (the gradient a notebook's SGD needs).

    .venv/bin/python bench/bench_include.py [--rounds 5]

Each round posts the same body both ways, interleaved, once asking for a gzip answer (as
httpx, requests and browsers do by default) and once for an uncompressed one; the table gives
the answer's size on the wire and the median per request of wall time (client send to last
byte) and of CPU time (the whole process: server threads and client, which only sends
prepared bytes), the fairer figure on a shared machine; then the wall time of the whole
call as a notebook makes it, its `r.json()` included (the full answer's 9 MB of JSON take
a quarter of a second to read back into Python). Speed is printed, never asserted.
"""

from __future__ import annotations

from app.blas import set_blas_threads

set_blas_threads()  # as `python -m app` runs the server: before NumPy loads

import argparse
import json
import os
import statistics
import tempfile
import time
import zlib
from pathlib import Path

import httpx
import numpy as np

from app.config import Settings
from app.testing import serve

GRADIENT_ONLY = ["cost", "grad_w", "grad_b"]
ENCODINGS = ("gzip", "identity")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--samples", type=int, default=1000)
    args, _ = ap.parse_known_args()
    rng = np.random.default_rng(0)
    x = rng.random((args.samples, 784)).round(3).tolist()
    y = np.eye(10)[rng.integers(0, 10, args.samples)].tolist()
    network = {
        "sizes": [784, 30, 10],
        "activations": ["sigmoid", "sigmoid"],
        "cost": "quadratic",
        "init": {"seed": 1},
    }
    bodies = {
        "full": json.dumps({"network": network, "x": x, "y": y}),
        "gradient only": json.dumps({"network": network, "x": x, "y": y, "include": GRADIENT_ONLY}),
    }
    cases = [(name, enc) for enc in ENCODINGS for name in bodies]
    times: dict[tuple, list[float]] = {k: [] for k in cases}
    decoded: dict[tuple, list[float]] = {k: [] for k in cases}
    cpu: dict[tuple, list[float]] = {k: [] for k in cases}
    sizes: dict[tuple, int] = {}
    with (
        tempfile.TemporaryDirectory() as tmp,
        serve(Settings(db_path=Path(tmp) / "bench.sqlite3")) as url,
        httpx.Client(base_url=url, timeout=120) as client,
    ):
        for _ in range(args.rounds + 1):  # the first round warms up and is dropped
            for name, enc in cases:
                headers = {"content-type": "application/json", "accept-encoding": enc}
                # A raw stream: the size is the bytes that crossed the wire, and the
                # client's gunzip is timed too (a notebook pays it).
                t0, c0 = time.perf_counter(), time.process_time()
                with client.stream(
                    "POST", "/api/backprop", content=bodies[name], headers=headers
                ) as r:
                    raw = b"".join(r.iter_raw())
                    r.raise_for_status()
                    text = raw
                    if r.headers.get("content-encoding") == "gzip":
                        text = zlib.decompress(raw, 16 + zlib.MAX_WBITS)
                wire = len(raw)
                times[(name, enc)].append(time.perf_counter() - t0)
                json.loads(text)  # what r.json() does
                decoded[(name, enc)].append(time.perf_counter() - t0)
                cpu[(name, enc)].append(time.process_time() - c0)
                sizes[(name, enc)] = wire
    request_mb = len(bodies["full"]) / 1e6
    print(f"POST /api/backprop, 784-30-10, {args.samples} samples ({request_mb:.1f} MB request)")
    print(f"median of {args.rounds} rounds after a warm-up round; {load_line()}\n")
    print("| answer | Accept-Encoding | size on the wire | wall time | CPU time | with r.json() |")
    print("|---|---|---:|---:|---:|---:|")
    med = {k: statistics.median(v[1:]) for k, v in times.items()}
    med_json = {k: statistics.median(v[1:]) for k, v in decoded.items()}
    med_cpu = {k: statistics.median(v[1:]) for k, v in cpu.items()}
    for name, enc in cases:
        k = (name, enc)
        print(
            f"| {name} | {enc} | {sizes[k] / 1e6:.2f} MB | {med[k] * 1000:.0f} ms "
            f"| {med_cpu[k] * 1000:.0f} ms | {med_json[k] * 1000:.0f} ms |"
        )
    print()
    for enc in ENCODINGS:
        full, small = ("full", enc), ("gradient only", enc)
        print(
            f"{enc}: gradient only is {sizes[full] / sizes[small]:.1f}x smaller, "
            f"{med[full] / med[small]:.1f}x faster in wall time, "
            f"{med_cpu[full] / med_cpu[small]:.1f}x in CPU time, "
            f"{med_json[full] / med_json[small]:.1f}x as a whole call with r.json()"
        )
    print(f"\n{load_line()}")


def load_line() -> str:
    load = os.getloadavg()
    return f"{os.cpu_count()} cores, load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}"


if __name__ == "__main__":
    main()
