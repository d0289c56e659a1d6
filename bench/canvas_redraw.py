"""Canvas redraw time of the page for a 784-30-10 network (23,820 edges) in Chromium.

Prints the median and p95 over the timed redraws, for a full redraw (every edge drawn, as
after new data) and a cached one (the edge bitmap reused, as on hover or selection). Nothing
here asserts on time; the target is one frame (16 ms).

    .venv/bin/python bench/canvas_redraw.py [--redraws 50] [--width 1280 --height 800] [--dpr 1]

How: a live uvicorn server (a thread, a temporary SQLite file) gets the network through
`POST /api/networks` (Xavier init, seed 3); the page opens on it with a random 28x28 input, so
every edge has a non-zero gradient and all colour buckets are in use. Each redraw is one
`draw()` (background, 26 edge buckets, 30+10 neurons, 784 image cells, labels) timed two ways:
- "draw calls": the JavaScript time of draw() alone;
- "draw + raster": draw() then a 1-pixel getImageData, which forces Chromium to rasterise the
  canvas before returning, so the pixels are really there.
Warm-up redraws run first and are not counted. Chromium runs headless with --disable-gpu, as in
the browser tests: software rasterisation, the slow case.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
from pathlib import Path

import httpx
from playwright.sync_api import sync_playwright

from app.config import Settings
from app.testing import CHROMIUM, CHROMIUM_ARGS, serve

TIMED_REDRAWS_JS = """
async ({ n, warmup, full }) => {
  const ex = window.__explorer;
  const canvas = document.getElementById("network-canvas");
  const ctx = canvas.getContext("2d");
  const calls = [], raster = [];
  for (let i = 0; i < warmup + n; i++) {
    await new Promise((r) => requestAnimationFrame(r));  // one redraw per frame, as in use
    const t0 = performance.now();
    ex.redraw({ full });
    const t1 = performance.now();
    ctx.getImageData(0, 0, 1, 1);
    const t2 = performance.now();
    if (i >= warmup) { calls.push(t1 - t0); raster.push(t2 - t0); }
  }
  return { calls, raster, width: canvas.width, height: canvas.height };
}
"""


def parse_args() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--redraws", type=int, default=50)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--width", type=int, default=1280)
    ap.add_argument("--height", type=int, default=800)
    ap.add_argument("--dpr", type=float, default=1.0, help="devicePixelRatio to emulate")
    return ap.parse_args()


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    args = parse_args()
    tmp = tempfile.mkdtemp(prefix="canvas-bench-")
    with serve(Settings(db_path=Path(tmp) / "bench.sqlite3")) as base:
        spec = {
            "sizes": [784, 30, 10],
            "activations": ["sigmoid", "sigmoid"],
            "cost": "cross_entropy",
            "init": {"scheme": "xavier", "seed": 3},
        }
        r = httpx.post(
            f"{base}/api/networks", json={"name": "MNIST-sized 784-30-10", "network": spec}
        )
        r.raise_for_status()
        nid = r.json()["id"]
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(
                viewport={"width": args.width, "height": args.height},
                device_scale_factor=args.dpr,
            )
            errors: list[str] = []
            page.on("console", lambda m: m.type == "error" and errors.append(m.text))
            page.on("pageerror", lambda e: errors.append(str(e)))
            # Training charts folded away: the canvas gets the height it has on a laptop screen.
            page.goto(f"{base}/?net={nid}&charts=closed")
            page.wait_for_selector("body[data-ready=true]", timeout=30_000)
            # A random image (seeded) so every edge from layer 0 carries a gradient.
            page.evaluate(
                """() => {
                  let s = 7; const rnd = () => ((s = (s * 16807) % 2147483647) / 2147483647);
                  const x = Array.from({ length: 784 }, () => +rnd().toFixed(3));
                  const y = Array.from({ length: 10 }, (_, i) => (i === 3 ? 1 : 0));
                  window.__explorer.setInput(x, y);
                }"""
            )
            page.wait_for_function(
                """() => {
                  const ex = window.__explorer;
                  return ex.model.inputs && document.body.dataset.busy === "false" &&
                    JSON.stringify(ex.model.inputs.x) === JSON.stringify(ex.state.get("x"));
                }""",
                timeout=30_000,
            )
            page.wait_for_timeout(300)
            runs = {
                mode: page.evaluate(
                    TIMED_REDRAWS_JS,
                    {"n": args.redraws, "warmup": args.warmup, "full": mode == "full"},
                )
                for mode in ("full", "cached")
            }
            version = browser.version
            browser.close()
        if errors:
            raise SystemExit(f"page errors: {errors}")

    res = runs["full"]
    print("# Canvas redraw, 784-30-10 (23,820 edges + 10 to the cost)\n")
    print(
        f"Chromium {version} headless, --disable-gpu; viewport {args.width}x{args.height}, "
        f"devicePixelRatio {args.dpr}, canvas {res['width']}x{res['height']} px; "
        f"{platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}\n"
    )
    print(f"{args.redraws} redraws of each kind after {args.warmup} warm-up\n")
    print("| redraw | | median ms | p95 ms | max ms |")
    print("|---|---|---:|---:|---:|")
    for mode, what in (("full", "every edge drawn"), ("cached", "edges blitted")):
        for name in ("calls", "raster"):
            values = runs[mode][name]
            label = "draw calls" if name == "calls" else "draw + raster"
            print(
                f"| {mode} ({what}) | {label} | {statistics.median(values):.2f} "
                f"| {p95(values):.2f} | {max(values):.2f} |"
            )
    print(
        "\nfull: new data (input, weights, edge mode, size, stepper) redraws all 23,820 edges;"
        "\ncached: hover, selection, path and nudge overlays redraw on the cached edge bitmap."
    )
    for mode in ("full", "cached"):
        verdict = "within" if p95(runs[mode]["raster"]) < 16 else "over"
        print(f"Target one frame (16 ms): {mode} draw + raster p95 is {verdict} it.")


if __name__ == "__main__":
    main()
