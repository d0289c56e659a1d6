# ruff: noqa: E402  (the imports after set_blas_threads(), as in app/__main__.py)
"""What one playing page costs the server: CPU cores busy, SGD steps per second and redraws
per second while a page plays training through the live stream, with the per-learner step
budget off (the local default) and at the budgets a class might set
(EXPLORER_TRAIN_STEPS_PER_SECOND). Nothing here asserts on time.

    .venv/bin/python bench/play_cpu.py [--seconds 8] [--budgets 0,2000,500]

The server runs in this process (app.testing.serve, uvicorn in a thread); its CPU is every
thread of this process but the main one, which only drives Chromium through Playwright.
"""

from __future__ import annotations

from app.blas import set_blas_threads

set_blas_threads()  # as `python -m app` runs the server: before NumPy loads

import argparse
import os
import platform
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path

import httpx
from playwright.sync_api import sync_playwright

from app.config import Settings
from app.testing import CHROMIUM, CHROMIUM_ARGS, serve

NETS = [
    ("circles 2-4-4-2", "circles", [2, 4, 4, 2], ["tanh", "tanh", "sigmoid"], 0.03),
    ("784-30-10 MNIST", "mnist", [784, 30, 10], ["sigmoid", "sigmoid"], 3.0),
]
TICKS = os.sysconf("SC_CLK_TCK")


def server_cpu_seconds() -> float:
    """CPU time of every thread of this process except the main one (Playwright's)."""
    main = threading.main_thread().native_id
    total = 0
    for task in Path("/proc/self/task").iterdir():
        if int(task.name) == main:
            continue
        try:
            fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:  # a thread that ended meanwhile
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS


def play(browser, base: str, dataset: str, sizes, acts, lr: float, seconds: float) -> dict:
    spec = {"sizes": sizes, "activations": acts, "cost": "quadratic", "init": {"seed": 1}}
    r = httpx.post(
        f"{base}/api/networks", json={"name": "cpu", "dataset": dataset, "network": spec}
    )
    r.raise_for_status()
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.add_init_script("localStorage.setItem('backprop-explorer.welcome', 'dismissed')")
    page.goto(f"{base}/?net={r.json()['id']}&lr={lr}&bs=10")
    page.wait_for_selector("body[data-ready=true]", timeout=30_000)
    page.click("#train-play")
    page.wait_for_function("() => +document.getElementById('train-dock').dataset.frames >= 3")
    frames0 = int(page.get_attribute("#train-dock", "data-frames"))
    steps0 = page.evaluate("window.__explorer.train.loop.stats?.steps ?? 0")
    cpu0, t0 = server_cpu_seconds(), time.perf_counter()
    page.wait_for_timeout(seconds * 1000)  # a fixed window to measure over, not a wait for state
    cpu1, t1 = server_cpu_seconds(), time.perf_counter()
    frames1 = int(page.get_attribute("#train-dock", "data-frames"))
    steps1 = page.evaluate("window.__explorer.train.loop.stats?.steps ?? 0")
    page.click("#train-play")
    page.close()
    wall = t1 - t0
    return {
        "cores": (cpu1 - cpu0) / wall,
        "steps": (steps1 - steps0) / wall,
        "frames": (frames1 - frames0) / wall,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=8.0)
    ap.add_argument("--budgets", default="0,2000,500", help="steps/s per learner; 0 is off")
    args = ap.parse_args()
    budgets = [int(b) for b in args.budgets.split(",")]
    rows = {}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for budget in budgets:
            settings = replace(
                Settings(db_path=Path(tmp) / f"b{budget}.sqlite3"), train_steps_per_second=budget
            )
            with serve(settings) as base:
                for name, *net in NETS:
                    rows[(name, budget)] = play(browser, base, *net, args.seconds)
        browser.close()
    print(
        f"\n{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.1f}; {args.seconds:g} s of play per cell\n"
    )
    label = lambda b: "budget off" if b == 0 else f"budget {b:,} steps/s"  # noqa: E731
    print("| one playing page | " + " | ".join(label(b) for b in budgets) + " |")
    print("|---|" + "---:|" * len(budgets))
    for name, *_ in NETS:
        for key, unit in (
            ("cores", "server cores busy"),
            ("steps", "SGD steps/s"),
            ("frames", "frames drawn/s"),
        ):
            cells = [rows[(name, b)][key] for b in budgets]
            fmt = "{:.2f}" if key == "cores" else "{:,.0f}"
            print(f"| {name}: {unit} | " + " | ".join(fmt.format(c) for c in cells) + " |")


if __name__ == "__main__":
    main()
