"""`include` measured: a 1,000-sample backprop of 784-30-10 through a live uvicorn, the full
answer against `include: ["cost", "grad_w", "grad_b"]` (the gradient a notebook's SGD needs).

    .venv/bin/python bench/bench_include.py [--rounds 5]

Each round posts the same body both ways, interleaved; the table gives the answer's size and
the median per request of wall time (client send to last byte) and of CPU time (the whole
process: server thread and client, which only sends prepared bytes), the fairer figure on a
shared machine. Speed is printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

import httpx
import numpy as np

from app.config import Settings
from app.testing import serve

GRADIENT_ONLY = ["cost", "grad_w", "grad_b"]


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
    times: dict[str, list[float]] = {k: [] for k in bodies}
    cpu: dict[str, list[float]] = {k: [] for k in bodies}
    sizes: dict[str, int] = {}
    with (
        tempfile.TemporaryDirectory() as tmp,
        serve(Settings(db_path=Path(tmp) / "bench.sqlite3")) as url,
        httpx.Client(base_url=url, timeout=120) as client,
    ):
        headers = {"content-type": "application/json"}
        for _ in range(args.rounds + 1):  # the first round warms up and is dropped
            for name, body in bodies.items():
                t0, c0 = time.perf_counter(), time.process_time()
                r = client.post("/api/backprop", content=body, headers=headers)
                times[name].append(time.perf_counter() - t0)
                cpu[name].append(time.process_time() - c0)
                r.raise_for_status()
                sizes[name] = len(r.content)
    request_mb = len(bodies["full"]) / 1e6
    print(f"POST /api/backprop, 784-30-10, {args.samples} samples ({request_mb:.1f} MB request)")
    print(f"median of {args.rounds} rounds after a warm-up round\n")
    print("| answer | size | wall time | CPU time |")
    print("|---|---:|---:|---:|")
    med = {k: statistics.median(v[1:]) for k, v in times.items()}
    med_cpu = {k: statistics.median(v[1:]) for k, v in cpu.items()}
    for name in bodies:
        print(
            f"| {name} | {sizes[name] / 1e6:.2f} MB | {med[name] * 1000:.0f} ms "
            f"| {med_cpu[name] * 1000:.0f} ms |"
        )
    small = "gradient only"
    print(
        f"\ngradient only: {sizes['full'] / sizes[small]:.1f}x smaller, "
        f"{med['full'] / med[small]:.1f}x faster in wall time, "
        f"{med_cpu['full'] / med_cpu[small]:.1f}x in CPU time"
    )


if __name__ == "__main__":
    main()
