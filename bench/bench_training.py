"""Training throughput: samples per second of mini-batch SGD, through the API and the engine.

Prints a markdown table and the machine it ran on. Nothing here asserts on time.

    .venv/bin/python bench/bench_training.py [--threads N] [--quick]

Three ways for each workload, run round-robin (API, engine, engine-lean, API, ...) so load from
other processes hits them alike; each cell is the median over rounds (p90 in brackets):

- API: `POST /api/networks/{id}/train` over real HTTP to a live uvicorn server (a thread in
  this process, 127.0.0.1, a temporary SQLite file), timed from request to parsed answer. That
  includes JSON in and out, the per-step loss/accuracy on the evaluation set (at most 512
  samples), and saving the new version. The server's `max_train_work` is raised so one request
  can hold the whole run; the caps are not what is measured.
- engine: `app.nn.train.sgd` called directly with an evaluation set of the same size as the API
  uses, so the same arithmetic minus HTTP, JSON and SQLite.
- engine, lean: `sgd` evaluating on a single sample after each step, close to bare SGD.

Samples per second = steps x batch size / seconds. "request overhead" is the median time of a
one-step train request for that workload: the fixed cost (body parsing, data, store) per call.
"""

from __future__ import annotations

import argparse
import os
import platform
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path


def parse_args() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 1, help="BLAS threads")
    ap.add_argument("--quick", action="store_true", help="fewer steps and rounds (a smoke run)")
    return ap.parse_args()


ARGS = parse_args()
# Thread counts must be fixed before NumPy's BLAS is loaded.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = str(ARGS.threads)

import httpx  # noqa: E402
import numpy as np  # noqa: E402
import uvicorn  # noqa: E402

from app.config import Settings  # noqa: E402
from app.datasets import load_dataset  # noqa: E402
from app.main import create_app  # noqa: E402
from app.nn.network import Network  # noqa: E402
from app.nn.train import sgd  # noqa: E402
from app.services.training import EVAL_SAMPLES  # noqa: E402

SCALE = 0.25 if ARGS.quick else 1.0
ROUNDS = 3 if ARGS.quick else 5


# --- workloads --------------------------------------------------------------------------------
class Workload:
    def __init__(self, label, sizes, activations, cost, lr, batch, steps, dataset=None, n=0):
        self.label, self.sizes, self.activations, self.cost = label, sizes, activations, cost
        self.lr, self.batch = lr, batch
        self.steps = max(20, int(steps * SCALE))
        self.dataset = dataset
        if dataset is not None:
            ds = load_dataset(dataset)
            self.X, self.Y = np.asarray(ds.x), np.asarray(ds.y)
            self.data = {"dataset": dataset}
        else:  # random inputs in [0, 1) (3 decimals keep the JSON body small) and classes
            rng = np.random.default_rng(0)
            self.X = np.round(rng.random((n, sizes[0])), 3)
            self.Y = np.eye(sizes[-1])[rng.integers(0, sizes[-1], n)]
            self.data = {"samples": {"x": self.X.tolist(), "y": self.Y.tolist()}}
        n = self.X.shape[0]
        self.eval_n = min(n, EVAL_SAMPLES)

    @property
    def n_samples(self) -> int:
        return self.X.shape[0]

    def network(self) -> Network:
        return Network.initialised(self.sizes, self.activations, self.cost, "xavier", 0)

    @property
    def data_label(self) -> str:
        return self.dataset or f"random, {self.n_samples} samples"


WORKLOADS = [
    Workload("xor 2-8-2", [2, 8, 2], ["sigmoid", "sigmoid"], "quadratic", 3.0, 10, 2000, "xor"),
    Workload("digits 64-32-10", [64, 32, 10], ["sigmoid"] * 2, "quadratic", 3.0, 10, 600, "digits"),
    Workload("784-30-10", [784, 30, 10], ["sigmoid"] * 2, "quadratic", 3.0, 10, 150, n=1000),
]


# --- a live server ----------------------------------------------------------------------------
class LiveServer:
    def __init__(self, settings: Settings):
        # proto IPPROTO_TCP: asyncio sets TCP_NODELAY only on such sockets; with proto 0
        # every answer would wait ~40 ms for a delayed ACK (Nagle).
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self.sock.bind(("127.0.0.1", 0))
        self.base = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.server = uvicorn.Server(uvicorn.Config(create_app(settings), log_level="warning"))
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True
        )

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the uvicorn server did not start")
            time.sleep(0.01)
        return self.base

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)
        self.sock.close()


# --- timing -----------------------------------------------------------------------------------
def median_p90(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]


def bench(w: Workload, http: httpx.Client) -> dict:
    start = w.network().to_dict()
    made = http.post("/api/networks", json={"name": w.label, "network": start})
    made.raise_for_status()
    nid = made.json()["id"]
    body = {**w.data, "learning_rate": w.lr, "batch_size": w.batch}
    eval_set = (w.X[: w.eval_n], w.Y[: w.eval_n])
    lean_eval = (w.X[:1], w.Y[:1])

    def api(steps: int = w.steps):
        # Train the same starting point every time: PUT it back first (not timed).
        http.put(f"/api/networks/{nid}", json={"name": w.label, "network": start})
        t0 = time.perf_counter()
        r = http.post(f"/api/networks/{nid}/train", json={**body, "steps": steps, "seed": 1})
        r.raise_for_status()
        r.json()
        return time.perf_counter() - t0

    def engine(ev=eval_set):
        net = w.network()
        t0 = time.perf_counter()
        sgd(net, w.X, w.Y, w.lr, w.batch, w.steps, 1, ev, classify=True)
        return time.perf_counter() - t0

    runs = {"api": api, "engine": engine, "lean": lambda: engine(lean_eval)}
    for fn in runs.values():  # warm-up, not counted
        fn()
    times: dict = {name: [] for name in runs}
    overhead = []
    for _ in range(ROUNDS):
        for name, fn in runs.items():
            times[name].append(fn())
        overhead.append(api(1))
    samples = w.steps * w.batch
    out = {name: tuple(samples / t for t in median_p90(ts)) for name, ts in times.items()}
    # p90 of time is the slow end: as a rate it is the lower figure.
    out = {name: (med, samples / median_p90(times[name])[1]) for name, (med, _) in out.items()}
    out["overhead"] = statistics.median(overhead)
    return out


def rate(cell: tuple[float, float]) -> str:
    med, slow = cell
    return f"{med:,.0f} ({slow:,.0f})"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        blas = np.__config__.CONFIG["Build Dependencies"]["blas"]
        blas = f"{blas['name']} {blas.get('version', '')}".strip()
    except (AttributeError, KeyError, TypeError):
        blas = "unknown BLAS"
    return (
        f"Machine: {cpu}, {os.cpu_count()} cores (BLAS threads {ARGS.threads}), "
        f"NumPy {np.__version__} ({blas}), Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}"
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(db_path=Path(tmp) / "bench.sqlite3", max_train_work=10**15)
        with LiveServer(settings) as base, httpx.Client(base_url=base, timeout=600) as http:
            rows = [(w, bench(w, http)) for w in WORKLOADS]
    print("Training throughput, samples per second: median (p90 of time, as a rate)")
    print()
    print(
        "| network | data | batch | steps | eval samples | API, live uvicorn | engine `sgd` "
        "| engine, lean | API / engine | request overhead |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for w, r in rows:
        print(
            f"| {w.label} ({'/'.join(w.activations)}, {w.cost}) | {w.data_label} | {w.batch} "
            f"| {w.steps} | {w.eval_n} | {rate(r['api'])} | {rate(r['engine'])} "
            f"| {rate(r['lean'])} | {r['api'][0] / r['engine'][0]:.2f} "
            f"| {r['overhead'] * 1000:.0f} ms |"
        )
    print()
    print(
        "API: POST /api/networks/{id}/train over HTTP to uvicorn in this process (127.0.0.1); "
        "engine: app.nn.train.sgd with the same evaluation-set size; lean: evaluation on one "
        "sample. Every step of both evaluates loss and accuracy, as the API reports them."
    )
    print(machine())
    sys.stdout.flush()


if __name__ == "__main__":
    main()
