"""Training in the page: steps per second while playing, and how busy the main thread gets.

For each network, the page opens on it, Play runs for --seconds, then Pause. Printed side by
side: SGD steps per second, train requests per second (each asks for several steps), all API
requests per second (train, plus the backprop for the sample in view and the decision
boundary's grid forward), the longest main-thread task and the count of tasks over 50 ms,
as Chromium's PerformanceObserver('longtask') reports them (it reports tasks of 50 ms and more,
so "none" means every task was under 50 ms). That is wall time: on a busy machine a task is
stretched by whatever else holds the core, so the same tasks are also measured in CPU time
from a Chrome trace. Nothing here asserts on time.

    .venv/bin/python bench/training_page.py [--seconds 8] [--width 1440 --height 900]

How: a live uvicorn server (app.testing.serve: a thread, a temporary SQLite file) gets each
network through `POST /api/networks` (Xavier init); Chromium runs headless with
--disable-gpu, as in the browser tests (software rasterisation, the slow case), with the
charts open and the Inspector showing a selected weight, so every view that follows
training is on screen.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
from pathlib import Path

import httpx
from playwright.sync_api import sync_playwright

from app.config import Settings
from app.testing import CHROMIUM, CHROMIUM_ARGS, serve

NETWORKS = [
    ("circles 2-4-4-2", "circles", [2, 4, 4, 2], "w:2:1:0"),
    ("digits 64-16-10", "digits", [64, 16, 10], "w:2:3:5"),
]
# Installed before the page's own scripts: every long task from the first one on.
LONGTASK_JS = """
window.__longtasks = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    window.__longtasks.push({ start: e.startTime, ms: e.duration });
  }
}).observe({ type: "longtask", buffered: true });
"""
SNAPSHOT_JS = """() => ({
  now: performance.now(),
  steps: window.__explorer.train.loop.stats.steps,
  requests: window.__explorer.train.loop.stats.requests,
  loss: window.__explorer.train.history.data.loss.at(-1) ?? null,
})"""


def parse_args() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=8.0, help="of play per network")
    ap.add_argument("--width", type=int, default=1440)
    ap.add_argument("--height", type=int, default=900)
    return ap.parse_args()


def main_thread_cpu(trace: Path) -> list[float]:
    """CPU milliseconds of every task on the page's main thread, from a Chrome trace: what
    the task itself cost, without the time the OS gave the core to someone else."""
    events = json.loads(trace.read_text())
    events = events["traceEvents"] if isinstance(events, dict) else events
    main = {
        (e["pid"], e["tid"])
        for e in events
        if e.get("name") == "thread_name" and e["args"].get("name") == "CrRendererMain"
    }
    return [
        e["tdur"] / 1000
        for e in events
        if e.get("ph") == "X"
        and e.get("name") in ("RunTask", "ThreadControllerImpl::RunTask")
        and (e["pid"], e["tid"]) in main
        and "tdur" in e
    ]


def run_one(browser, base: str, nid: int, sel: str, args) -> dict:
    page = browser.new_page(viewport={"width": args.width, "height": args.height})
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    api_calls: list[str] = []
    page.on("request", lambda r: "/api/" in r.url and api_calls.append(r.url))
    page.add_init_script(LONGTASK_JS)
    page.goto(f"{base}/?net={nid}&sel={sel}")
    page.wait_for_selector("body[data-ready=true]", timeout=30_000)
    page.wait_for_selector("#panel-inspector[data-kind=weight]", timeout=30_000)
    page.wait_for_timeout(500)  # let the opening work settle: it is not what is measured
    before = page.evaluate(SNAPSHOT_JS)
    calls0 = len(api_calls)
    trace = Path(tempfile.mkdtemp(prefix="training-trace-")) / "trace.json"
    browser.start_tracing(page=page, path=str(trace), categories=["toplevel", "devtools.timeline"])
    page.click("#train-play")
    page.wait_for_timeout(args.seconds * 1000)
    after = page.evaluate(SNAPSHOT_JS)
    calls1 = len(api_calls)
    browser.stop_tracing()
    page.click("#train-play")
    page.wait_for_selector("#train-dock[data-busy=false]", timeout=30_000)
    cpu = main_thread_cpu(trace)
    tasks = page.evaluate(
        "([t0, t1]) => window.__longtasks.filter((t) => t.start >= t0 && t.start <= t1)",
        [before["now"], after["now"]],
    )
    page.close()
    if errors:
        raise SystemExit(f"page errors: {errors}")
    secs = (after["now"] - before["now"]) / 1000
    return {
        "steps/s": (after["steps"] - before["steps"]) / secs,
        "train req/s": (after["requests"] - before["requests"]) / secs,
        "api req/s": (calls1 - calls0) / secs,
        "longest": max((t["ms"] for t in tasks), default=None),
        "over50": sum(t["ms"] > 50 for t in tasks),
        "cpu longest": max(cpu, default=0.0),
        "cpu over50": sum(ms > 50 for ms in cpu),
        "loss": (before["loss"], after["loss"]),
        "secs": secs,
    }


def main() -> None:
    args = parse_args()
    results = {}
    with (
        serve(
            Settings(db_path=Path(tempfile.mkdtemp(prefix="training-page-bench-")) / "b.db")
        ) as base,
        sync_playwright() as p,
    ):
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        version = browser.version
        for name, dataset, sizes, sel in NETWORKS:
            spec = {
                "sizes": sizes,
                "activations": ["sigmoid"] * (len(sizes) - 1),
                "cost": "quadratic",
                "init": {"scheme": "xavier", "seed": 1},
            }
            r = httpx.post(
                f"{base}/api/networks", json={"name": name, "dataset": dataset, "network": spec}
            )
            r.raise_for_status()
            results[name] = run_one(browser, base, r.json()["id"], sel, args)
        browser.close()

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print("# Training in the page: play for a few seconds, measured in Chromium\n")
    print(
        f"Chromium {version} headless, --disable-gpu; viewport {args.width}x{args.height}; "
        f"{args.seconds:g} s of play per network; {platform.platform()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}; load average {load:.2f} after the run\n"
    )
    names = list(results)
    print("| | " + " | ".join(names) + " |")
    print("|---|" + "---:|" * len(names))

    def row(label, fmt):
        print(f"| {label} | " + " | ".join(fmt(results[n]) for n in names) + " |")

    row("SGD steps per second", lambda r: f"{r['steps/s']:,.0f}")
    row("train requests per second", lambda r: f"{r['train req/s']:.1f}")
    row("all API requests per second", lambda r: f"{r['api req/s']:.1f}")
    row(
        "longest main-thread task",
        lambda r: f"{r['longest']:.0f} ms" if r["longest"] is not None else "none ≥ 50 ms",
    )
    row("tasks over 50 ms", lambda r: str(r["over50"]))
    row("longest task, CPU time (trace)", lambda r: f"{r['cpu longest']:.0f} ms")
    row("tasks over 50 ms of CPU time", lambda r: str(r["cpu over50"]))
    row("loss at the end", lambda r: f"{r['loss'][1]:.4f}")


if __name__ == "__main__":
    main()
