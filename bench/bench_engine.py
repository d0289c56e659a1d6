"""Engine benchmark: our NumPy backprop vs PyTorch autograd (CPU) vs a naive loop, in one run.

Prints a markdown table and the machine it ran on. Nothing here asserts on time: a missed
target is printed as "missed", never raised. PyTorch is optional (`pip install torch==2.13.0`);
without it that column reads "n/a".

    .venv/bin/python bench/bench_engine.py [--threads N] [--quick]

Timing: every implementation of a row is run round-robin (A, B, C, A, B, C, ...) so that load
from other processes hits all of them alike; each round times `number` back-to-back calls with
time.perf_counter, and the cells give the median over rounds (p90 in brackets) of the per-call
time. Warm-up calls run first and are not counted. On a machine shared with other work,
`--threads 1 --cpu-clock` (time.process_time: CPU time of this process) is far steadier.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time


def parse_args() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 1, help="BLAS/torch threads")
    ap.add_argument("--quick", action="store_true", help="fewer rounds (a smoke run)")
    ap.add_argument("--cpu-clock", action="store_true", help="process_time (use --threads 1)")
    return ap.parse_args()


ARGS = parse_args()
# Thread counts must be fixed before NumPy's BLAS or torch is loaded.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = str(ARGS.threads)
# Torch's OpenMP workers otherwise spin after each op, on the cores OpenBLAS needs next.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np  # noqa: E402

from app.nn.network import Network  # noqa: E402
from app.nn.paths import PathFactors, Target  # noqa: E402

try:
    import torch
except ImportError:  # the torch column becomes "n/a"
    torch = None
else:
    torch.set_num_threads(ARGS.threads)

SCALE = 0.2 if ARGS.quick else 1.0
CLOCK = time.process_time if ARGS.cpu_clock else time.perf_counter


# --- timing ---------------------------------------------------------------------------------
def measure(fns: dict, rounds: int, number: int, warmup: int = 3) -> dict:
    """{name: per-call seconds, one per round}, the implementations interleaved round by round."""
    rounds = max(5, int(rounds * SCALE))
    for fn in fns.values():
        for _ in range(warmup):
            fn()
    times: dict = {name: [] for name in fns}
    for _ in range(rounds):
        for name, fn in fns.items():
            t0 = CLOCK()
            for _ in range(number):
                fn()
            times[name].append((CLOCK() - t0) / number)
    return {name: np.array(t) for name, t in times.items()}


def fmt(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:.1f} µs"
    if seconds < 1.0:
        return f"{seconds * 1e3:.2f} ms"
    if seconds < 3600:
        return f"{seconds:.2f} s"
    if seconds < 3 * 86400:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} days"


def cell(t, note: str = "") -> str:
    if t is None:
        return "n/a"
    return f"{fmt(np.median(t))} (p90 {fmt(np.percentile(t, 90))}){note}"


def paired_ratio(other, ours) -> float | None:
    """Median over rounds of other/ours timed in the same round: steadier than a ratio of
    medians when the load from other processes changes during the run."""
    return None if other is None else float(np.median(other / ours))


# --- reference implementations --------------------------------------------------------------
def data(sizes: list[int], n: int, seed: int = 1) -> tuple:
    rng = np.random.default_rng(seed)
    X = rng.random((n, sizes[0]))
    Y = np.zeros((n, sizes[-1]))
    Y[np.arange(n), rng.integers(0, sizes[-1], n)] = 1.0
    return X, Y


def nielsen_backprop(weights: list, biases: list, x, y) -> tuple:
    """Textbook column-vector backprop (Nielsen, network.py) for sigmoid + quadratic cost."""

    def sigmoid(z):
        return 1.0 / (1.0 + np.exp(-z))

    activation, activations, zs = x, [x], []
    for w, b in zip(weights, biases, strict=True):
        z = np.dot(w, activation) + b
        zs.append(z)
        activation = sigmoid(z)
        activations.append(activation)
    sp = sigmoid(zs[-1]) * (1 - sigmoid(zs[-1]))
    delta = (activations[-1] - y) * sp
    nabla_b, nabla_w = [delta], [np.dot(delta, activations[-2].T)]
    for l in range(2, len(weights) + 1):
        s = sigmoid(zs[-l])
        delta = np.dot(weights[-l + 1].T, delta) * s * (1 - s)
        nabla_b.insert(0, delta)
        nabla_w.insert(0, np.dot(delta, activations[-l - 1].T))
    return nabla_w, nabla_b


def per_sample_loop(net: Network, X, Y) -> tuple:
    """1000 one-sample calls of our engine, gradients averaged: the naive batch."""
    gw = [np.zeros_like(w) for w in net.weights[1:]]
    gb = [np.zeros_like(b) for b in net.biases[1:]]
    for i in range(X.shape[0]):
        p = net.backprop(X[i : i + 1], Y[i : i + 1])
        for l in range(net.L):
            gw[l] += p.nabla_w[l + 1]
            gb[l] += p.nabla_b[l + 1]
    return [g / X.shape[0] for g in gw], [g / X.shape[0] for g in gb]


def torch_mlp(net: Network):
    """A plain float64 torch MLP with our weights: Linear + sigmoid layers."""
    layers = []
    for w, b in zip(net.weights[1:], net.biases[1:], strict=True):
        lin = torch.nn.Linear(w.shape[1], w.shape[0], dtype=torch.float64)
        with torch.no_grad():
            lin.weight.copy_(torch.from_numpy(w))
            lin.bias.copy_(torch.from_numpy(b))
        layers += [lin, torch.nn.Sigmoid()]
    model = torch.nn.Sequential(*layers)
    linears = layers[::2]

    def step(Xt, Yt):
        model.zero_grad(set_to_none=True)
        a = model(Xt)
        cost = 0.5 * ((a - Yt) ** 2).sum() / Xt.shape[0]
        cost.backward()
        return linears

    return step


def max_diff(ours_w, ours_b, other_w, other_b) -> float:
    pairs = list(zip(ours_w, other_w, strict=True)) + list(zip(ours_b, other_b, strict=True))
    return max(float(np.max(np.abs(np.reshape(a, np.shape(b)) - b))) for a, b in pairs)


# --- the benchmarks --------------------------------------------------------------------------
def bench_backprop(rows, checks, title, sizes, n, make_naive, note, goal, rounds, number) -> None:
    """One row: our backprop vs torch vs `make_naive(net, X, Y)()`, gradients cross-checked."""
    net = Network.initialised(sizes, ["sigmoid"] * (len(sizes) - 1), "quadratic", "xavier", 0)
    X, Y = data(sizes, n)
    p = net.backprop(X, Y)
    naive = make_naive(net, X, Y)
    fns = {"ours": lambda: net.backprop(X, Y), "naive": naive}
    checks.append(f"{title}, ours vs naive: {max_diff(p.nabla_w[1:], p.nabla_b[1:], *naive()):.1e}")
    if torch is not None:
        step, Xt, Yt = torch_mlp(net), torch.from_numpy(X), torch.from_numpy(Y)
        fns["torch"] = lambda: step(Xt, Yt)
        lins = step(Xt, Yt)
        tw, tb = [m.weight.grad.numpy() for m in lins], [m.bias.grad.numpy() for m in lins]
        diff = max_diff(p.nabla_w[1:], p.nabla_b[1:], tw, tb)
        checks.append(f"{title}, ours vs torch: {diff:.1e}")
    r = measure(fns, rounds=rounds, number=number)
    rows.append((title, r["ours"], r.get("torch"), r["naive"], note, goal))


def nielsen_naive(net: Network, X, Y):
    wts, bs, x, y = net.weights[1:], [b[:, None] for b in net.biases[1:]], X.T.copy(), Y.T.copy()
    return lambda: nielsen_backprop(wts, bs, x, y)


def loop_naive(net: Network, X, Y):
    return lambda: per_sample_loop(net, X, Y)


def brute_force_top(pf: PathFactors, limit: int, chunk: int = 1 << 16):
    """Every path's |product| in chunks, keeping the best `limit` (order: largest first)."""
    best_v, best_n = (
        np.empty(0),
        np.empty((0, pf.output_layer - pf.start_layer + 1), dtype=np.int64),
    )
    for start in range(0, pf.count(), chunk):
        neurons = pf.decode(np.arange(start, min(start + chunk, pf.count())))
        v = np.abs(pf.factors(neurons).prod(axis=-1).mean(axis=0))
        best_v, best_n = np.concatenate([best_v, v]), np.concatenate([best_n, neurons])
        keep = np.argsort(-best_v, kind="stable")[:limit]
        best_v, best_n = best_v[keep], best_n[keep]
    return best_n


def bench_paths(rows: list, checks: list) -> None:
    limit, target = 50, Target("activation", 0, 100)
    # Correctness first, on a net small enough to enumerate: 64 * 64 * 10 paths.
    small = Network.initialised([784, 64, 64, 10], ["sigmoid"] * 3, "quadratic", "xavier", 0)
    X, Y = data(small.sizes, 1)
    pf = PathFactors(small, small.backprop(X, Y), target)
    same = np.array_equal(pf.top(limit, 10_000), brute_force_top(pf, limit))
    checks.append(
        f"top {limit} on 784-64-64-10 vs enumerating all {pf.count():,} paths: "
        + ("identical" if same else "DIFFERENT")
    )

    sizes = [784] + [64] * 6 + [10]
    net = Network.initialised(sizes, ["sigmoid"] * 7, "quadratic", "xavier", 0)
    X, Y = data(sizes, 1)
    p = net.backprop(X, Y)
    count = PathFactors(net, p, target).count()
    # Naive: enumerate paths in chunks (decode, factors, product, keep the best), timed on a
    # sample of random chunks and extrapolated to all `count` paths.
    chunk, rng = 1 << 16, np.random.default_rng(2)

    def enumerate_chunk():
        pf = PathFactors(net, p, target)
        neurons = pf.decode(rng.integers(0, count, chunk))
        v = np.abs(pf.factors(neurons).prod(axis=-1).mean(axis=0))
        return neurons[np.argpartition(-v, limit)[:limit]]

    r = measure(
        {
            "query": lambda: PathFactors(net, p, target).top(limit, 10_000),
            "with_bp": lambda: PathFactors(net, net.backprop(X, Y), target).top(limit, 10_000),
            "chunk": enumerate_chunk,
        },
        rounds=30,
        number=1,
    )
    naive = r["chunk"] * count / chunk
    note = f" (extrapolated: {count:,} paths)"
    arch, goal = "1 sample, 784-64x6-10", ("", 0.02, "< 20 ms")
    rows.append((f"top {limit} paths from a^0, {arch}, query", r["query"], None, naive, note, goal))
    rows.append(("same, including its backprop", r["with_bp"], None, naive, note, goal))


GOAL_1 = ("torch", 4.0, "≥ 4x faster than torch")
GOAL_BATCH = ("torch", 1 / 1.1, "within 1.1x of torch")


# --- report ----------------------------------------------------------------------------------
def verdict(ours, other, goal: tuple) -> str:
    vs, bound, text = goal
    if vs == "":
        met = np.median(ours) < bound
    elif other is None:
        return f"{text}: n/a"
    else:
        met = paired_ratio(other, ours) >= bound
    return f"{text}: {'met' if met else '**missed**'}"


def machine_line() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name"))
    except (OSError, StopIteration):
        pass
    blas = "unknown BLAS"
    try:
        deps = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        blas = f"{deps['name']} {deps.get('version', '')}".strip()
    except Exception:  # show_config's layout varies between NumPy versions
        pass
    tv = f"torch {torch.__version__} ({torch.get_num_threads()} threads)" if torch else "torch n/a"
    load = os.getloadavg()[0]
    return (
        f"Machine: {cpu}, {os.cpu_count()} cores, load avg {load:.2f} at start; "
        f"Python {platform.python_version()}, NumPy {np.__version__} ({blas}, "
        f"{ARGS.threads} threads), {tv}, OMP_WAIT_POLICY={os.environ['OMP_WAIT_POLICY']}; "
        f"float64; clock {CLOCK.__name__}."
    )


def main() -> None:
    print(machine_line(), flush=True)
    rows: list = []
    checks: list = []
    one = ("backprop, 1 sample, 784-30-10", [784, 30, 10], 1, nielsen_naive)
    bench_backprop(rows, checks, *one, " (textbook column-vector)", GOAL_1, 40, 100)
    batch = ("backprop, batch 1000, 784-100-10", [784, 100, 10], 1000, loop_naive)
    bench_backprop(rows, checks, *batch, " (1000 one-sample calls)", GOAL_BATCH, 15, 1)
    bench_paths(rows, checks)
    print()
    print("| benchmark | ours | PyTorch autograd | naive | torch / ours | naive / ours | target |")
    print("|---|---|---|---|---|---|---|")
    for name, ours, tch, naive, note, goal in rows:
        r_t, r_n = paired_ratio(tch, ours), paired_ratio(naive, ours)
        ratio = [
            "n/a" if r is None else f"{r:.2f}x" if r < 1e3 else f"{r:.1e}x" for r in (r_t, r_n)
        ]
        print(
            f"| {name} | {cell(ours)} | {cell(tch)} | {cell(naive, note)} "
            f"| {ratio[0]} | {ratio[1]} | {verdict(ours, tch, goal)} |"
        )
    print("\nCells: median time per call over interleaved rounds (p90 in brackets); ratios are")
    print("medians of the per-round ratios (both timed in the same round).")
    print("\nCross-checks (max |difference| of every gradient entry):")
    for line in checks:
        print(f"- {line}")
    print(f"\nLoad avg at the end: {os.getloadavg()[0]:.2f} (above ~0.5 the numbers are noisy).")


if __name__ == "__main__":
    sys.exit(main())
