# ruff: noqa: E402  (the imports after set_blas_threads(), as in app/__main__.py)
"""Training watched in the page, side by side with TensorFlow Playground, in one Chromium.

For each page: the first drawn network after navigation (ms; the median of --loads + 1 fresh
pages, the browser and server warm) and the bytes and requests it took (uncompressed and on
the wire), then Play for --seconds: redraws per second (animation
frames in which the network's pixels changed, sampled 64x40), renderer main-thread CPU per
redraw (from a Chrome trace), the longest main-thread task in CPU time, bytes per second
between page and server, and SGD steps per second. Nothing here asserts on time.

    .venv/bin/python bench/training_page.py [--seconds 5] [--width 1440 --height 900]

Ours: circles 2-4-4-2 tanh (Playground's circle problem: two hidden layers of 4 tanh, batch
10, η 0.03) and a larger network (784-30-10 on MNIST where that dataset exists, else 64-30-10
on the 8x8 digits), each saved through the API and played through the live stream.
Playground: a build from its public source in ../shared/reference/tensorflow-playground
(Apache-2.0), served from a local static server; a bench-only reference, never part of the
product. Its column is skipped where that folder is absent.
"""

from __future__ import annotations

from app.blas import set_blas_threads

set_blas_threads()  # as `python -m app` runs the server: before NumPy loads

import argparse
import base64
import functools
import json
import os
import platform
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
from playwright.sync_api import sync_playwright

from app.config import Settings
from app.testing import CHROMIUM, CHROMIUM_ARGS, serve

ROOT = Path(__file__).resolve().parents[1]
# shared/ sits beside the clone (a worktree one folder deeper has it two levels up).
PLAYGROUND = next(
    (
        p / "shared" / "reference" / "tensorflow-playground"
        for p in (ROOT.parent, ROOT.parent.parent)
        if (p / "shared" / "reference" / "tensorflow-playground").exists()
    ),
    ROOT.parent / "shared" / "reference" / "tensorflow-playground",
)
PLAYGROUND_HASH = (
    "#activation=tanh&batchSize=10&dataset=circle&regDataset=reg-plane&learningRate=0.03"
    "&regularizationRate=0&noise=0&networkShape=4,4&seed=0.59944&showTestData=false"
    "&discretize=false&percTrainData=50&x=true&y=true&xTimesY=false&xSquared=false"
    "&ySquared=false&cosX=false&sinX=false&cosY=false&sinY=false&collectStats=false"
    "&problem=classification&initZero=false&hideText=false"
)
# Animation frames in which the watched canvas's pixels changed, and when the first drawn
# network appeared (ours marks "first-draw"; Playground's first network is its first link).
WATCH_JS = """
// A returning visitor: no welcome dialog over the page.
try { localStorage.setItem("backprop-explorer.welcome", "dismissed"); } catch {}
window.__watch = { changes: [], on: false, first: null };
(() => {
  const probe = document.createElement("canvas");
  probe.width = 64; probe.height = 40;
  const ctx = probe.getContext("2d", { willReadFrequently: true });
  let last = null;
  const tick = () => {
    const w = window.__watch;
    if (w.first === null) {
      const mark = performance.getEntriesByName("first-draw")[0];
      if (mark) w.first = mark.startTime;
      else if (document.querySelector("#network path.link")) w.first = performance.now();
    }
    const src = document.querySelector(w.selector || "#network-canvas");
    if (w.on && src) {
      ctx.drawImage(src, 0, 0, 64, 40);
      const px = ctx.getImageData(0, 0, 64, 40).data;
      let hash = 0;
      for (let i = 0; i < px.length; i++) hash = (hash * 31 + px[i]) | 0;
      if (last !== null && hash !== last) w.changes.push(performance.now());
      last = hash;
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();
"""


def parse_args() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=5.0, help="of play per page")
    ap.add_argument("--loads", type=int, default=5, help="first pictures timed per page (median)")
    ap.add_argument("--width", type=int, default=1440)
    ap.add_argument("--height", type=int, default=900)
    return ap.parse_args()


def renderer_cpu_ms(trace: Path) -> tuple[float, float]:
    """Total and longest CPU time (ms) of the page's main-thread tasks in a Chrome trace."""
    events = json.loads(trace.read_text())
    events = events["traceEvents"] if isinstance(events, dict) else events
    main = {
        (e["pid"], e["tid"])
        for e in events
        if e.get("name") == "thread_name" and e["args"].get("name") == "CrRendererMain"
    }
    tasks = [
        e["tdur"] / 1000
        for e in events
        if e.get("ph") == "X"
        and e.get("name") in ("RunTask", "ThreadControllerImpl::RunTask")
        and (e["pid"], e["tid"]) in main
        and "tdur" in e
    ]
    return sum(tasks), max(tasks, default=0.0)


class Wire:
    """Bytes between page and server, from the DevTools protocol: HTTP responses on the wire
    and WebSocket frames in both directions."""

    def __init__(self, page):
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.send("Network.enable")
        self.wire = self.ws = 0
        self.cdp.on("Network.loadingFinished", self._finished)
        self.cdp.on("Network.webSocketFrameReceived", self._frame)
        self.cdp.on("Network.webSocketFrameSent", self._frame)

    def _finished(self, e):
        self.wire += e.get("encodedDataLength", 0)

    def _frame(self, e):
        r = e["response"]
        data = r.get("payloadData", "")
        self.ws += len(base64.b64decode(data)) if r.get("opcode") == 2 else len(data.encode())

    def total(self) -> int:
        return self.wire + self.ws


def first_draw(page, url: str) -> dict:
    """Open url in this fresh page: when the first network was drawn, and what had arrived by
    then (Resource Timing: the page's own view)."""
    page.goto(url)
    page.wait_for_function("() => window.__watch && window.__watch.first !== null", timeout=30_000)
    first_ms = page.evaluate("window.__watch.first")
    decoded, wire, requests = page.evaluate(
        """(first) => {
          const all = [
            performance.getEntriesByType("navigation")[0],
            ...performance.getEntriesByType("resource").filter((r) => r.responseEnd <= first),
          ];
          const sum = (key) => all.reduce((s, r) => s + r[key], 0);
          return [sum("decodedBodySize"), sum("transferSize"), all.length];
        }""",
        first_ms,
    )
    return {
        "first": first_ms,
        "first bytes": decoded,
        "first wire": wire,
        "first requests": requests,
    }


def measure(
    browser, url: str, args, *, selector: str, play: str, steps_js: str, ready: str, stop_js=None
):
    # The first picture, opened --loads times in fresh pages (an empty cache each time, the
    # server and the browser warm): the median, and the range beside it.
    loads = []
    for _ in range(args.loads):
        fresh = browser.new_page(viewport={"width": args.width, "height": args.height})
        fresh.add_init_script(WATCH_JS)
        loads.append(first_draw(fresh, url))
        fresh.close()
    page = browser.new_page(viewport={"width": args.width, "height": args.height})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.add_init_script(WATCH_JS)
    wire = Wire(page)
    loads.append(first_draw(page, url))
    firsts = sorted(r["first"] for r in loads)
    opening = {**sorted(loads, key=lambda r: r["first"])[len(loads) // 2], "firsts": firsts}
    page.wait_for_selector(ready, timeout=30_000)
    page.wait_for_timeout(500)  # the opening work is not what is measured
    page.evaluate(f"window.__watch.selector = {json.dumps(selector)}; window.__watch.on = true")
    trace = Path(tempfile.mkdtemp(prefix="training-trace-")) / "trace.json"
    page.click(play)
    page.wait_for_timeout(300)  # the stream or Playground's loop under way
    t0, steps0, bytes0 = page.evaluate("performance.now()"), page.evaluate(steps_js), wire.total()
    browser.start_tracing(page=page, path=str(trace), categories=["toplevel", "devtools.timeline"])
    page.wait_for_timeout(args.seconds * 1000)
    browser.stop_tracing()
    t1, steps1, bytes1 = page.evaluate("performance.now()"), page.evaluate(steps_js), wire.total()
    changes = page.evaluate(f"window.__watch.changes.filter((t) => t >= {t0} && t <= {t1}).length")
    page.click(play)
    stop = None
    if stop_js:  # ours: how soon the server stopped training after the pause arrived
        page.wait_for_function(f"() => ({stop_js}) != null", timeout=30_000)
        stop = page.evaluate(stop_js)
    page.close()
    if errors:
        raise SystemExit(f"page errors at {url}: {errors}")
    secs = (t1 - t0) / 1000
    cpu, longest = renderer_cpu_ms(trace)
    return {
        **opening,
        "redraws/s": changes / secs,
        "cpu/redraw": cpu / max(changes, 1),
        "cpu longest": longest,
        "bytes/s": (bytes1 - bytes0) / secs,
        "steps/s": (steps1 - steps0) / secs,
        "stop ms": stop,
    }


@functools.cache
def mnist_available(base: str) -> bool:
    return any(d["name"] == "mnist" for d in httpx.get(f"{base}/api/datasets").json())


def ours(browser, base: str, args) -> dict:
    big = (
        ("784-30-10 MNIST", "mnist", [784, 30, 10])
        if mnist_available(base)
        else ("64-30-10 digits", "digits", [64, 30, 10])
    )
    nets = [
        ("ours: circles 2-4-4-2", "circles", [2, 4, 4, 2], ["tanh", "tanh", "sigmoid"], 0.03),
        (f"ours: {big[0]}", big[1], big[2], ["sigmoid", "sigmoid"], 3.0),
    ]
    out = {}
    for name, dataset, sizes, acts, lr in nets:
        spec = {"sizes": sizes, "activations": acts, "cost": "quadratic", "init": {"seed": 1}}
        r = httpx.post(
            f"{base}/api/networks", json={"name": name, "dataset": dataset, "network": spec}
        )
        r.raise_for_status()
        url = f"{base}/?net={r.json()['id']}&sel=w:2:1:0&lr={lr}&bs=10"
        out[name] = measure(
            browser,
            url,
            args,
            selector="#network-canvas",
            play="#train-play",
            steps_js="window.__explorer.train.loop.stats?.steps ?? 0",
            ready="#panel-inspector[data-kind=weight]",
            stop_js="window.__explorer.train.loop.stats?.end?.stop_ms",
        )
    return out


@functools.cache
def playground_server() -> str:
    handler = functools.partial(_Quiet, directory=str(PLAYGROUND))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def playground(browser, args) -> dict:
    base = playground_server()
    # One count of #iter-number is one epoch: 250 training points / batch 10 = 25 steps.
    steps = "25 * +document.querySelector('#iter-number').textContent.replace(/,/g, '')"
    return {
        "Playground: circle 2-4-4-2": measure(
            browser,
            f"{base}/index.html{PLAYGROUND_HASH}",
            args,
            selector="#heatmap canvas",
            play="#play-pause-button",
            steps_js=steps,
            ready="#network path.link",
        )
    }


def main() -> None:
    args = parse_args()
    results = {}
    with (
        serve(Settings(db_path=Path(tempfile.mkdtemp(prefix="training-page-")) / "b.db")) as base,
        sync_playwright() as p,
    ):
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        version = browser.version
        results |= ours(browser, base, args)
        if (PLAYGROUND / "index.html").exists():
            results |= playground(browser, args)
        browser.close()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print("# Training watched in the page, side by side with TensorFlow Playground\n")
    print(
        f"Chromium {version} headless, --disable-gpu; viewport {args.width}x{args.height}; "
        f"{args.seconds:g} s of play per page; {platform.platform()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}; load average {load:.2f} after the run"
        + ("" if (PLAYGROUND / "index.html").exists() else "; Playground not found, skipped")
        + "\n"
    )
    names = list(results)
    print("| | " + " | ".join(names) + " |")
    print("|---|" + "---:|" * len(names))

    def row(label, fmt):
        print(f"| {label} | " + " | ".join(fmt(results[n]) for n in names) + " |")

    row(
        "first drawn network after navigation (median; range)",
        lambda r: f"{r['first']:.0f} ms ({r['firsts'][0]:.0f}-{r['firsts'][-1]:.0f})",
    )
    row(
        "bytes before it (decoded / on the wire)",
        lambda r: f"{r['first bytes'] / 1024:.0f} / {r['first wire'] / 1024:.0f} kB",
    )
    row("requests before it (the page included)", lambda r: f"{r['first requests']}")
    row("redraws per second while playing", lambda r: f"{r['redraws/s']:.0f}")
    row("renderer main-thread CPU per redraw", lambda r: f"{r['cpu/redraw']:.1f} ms")
    row("longest main-thread task (CPU)", lambda r: f"{r['cpu longest']:.0f} ms")
    row("bytes per second between page and server", lambda r: f"{r['bytes/s'] / 1024:.0f} kB/s")
    row("SGD steps per second", lambda r: f"{r['steps/s']:,.0f}")
    row(
        "pause to the server's last step",
        lambda r: "no server" if r["stop ms"] is None else f"{r['stop ms']:.1f} ms",
    )


if __name__ == "__main__":
    main()
