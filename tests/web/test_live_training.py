"""Training watched live (issue 14): while the stream plays, the diagram changes with every
frame, no frame piles up, the numbers shown are the stream's exact numbers, and
pause stops the server's training at once."""

from __future__ import annotations

import pytest
from train_helpers import CIRCLES, idle

# Counts animation frames in which the network canvas's pixels changed (a 64x40 sample
# of them, hashed): what a person sees move, whatever the page's own counters say.
WATCH_JS = """() => {
  const src = document.getElementById("network-canvas");
  const probe = document.createElement("canvas");
  probe.width = 64; probe.height = 40;
  const ctx = probe.getContext("2d", { willReadFrequently: true });
  const w = { changes: [], last: null, on: true };
  const tick = () => {
    if (!w.on) return;
    ctx.drawImage(src, 0, 0, 64, 40);
    const px = ctx.getImageData(0, 0, 64, 40).data;
    let hash = 0;
    for (let i = 0; i < px.length; i += 1) hash = (hash * 31 + px[i]) | 0;
    if (w.last !== null && hash !== w.last) w.changes.push(performance.now());
    w.last = hash;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  window.__watch = w;
}"""


@pytest.fixture
def circles(saved_network):
    return saved_network(CIRCLES, "live 2-4-4-2", "circles")


def test_the_diagram_follows_every_frame_and_pause_stops_the_server(
    page, open_page, circles, web_server, shot
):
    """Counted in frames, not seconds: how many frames a second arrive depends on the
    machine (bench/training_page.py measures it); that each one is drawn does not."""
    open_page(f"?net={circles}&sel=w:2:1:0&lr=0.5")
    page.evaluate(WATCH_JS)
    page.click("#train-play")
    frames = "window.__explorer.train.loop.stats.frames"
    page.wait_for_function(f"() => {frames} >= 5")
    f0, t0 = page.evaluate(f"[{frames}, performance.now()]")
    page.wait_for_function(f"() => {frames} >= {f0 + 40}", timeout=60_000)
    f1, t1 = page.evaluate(f"[{frames}, performance.now()]")
    changes = page.evaluate(f"window.__watch.changes.filter((t) => t > {t0} && t <= {t1}).length")
    shot("live-playing")
    page.click("#train-play")
    idle(page)
    stats = page.evaluate("window.__explorer.train.loop.stats")
    # Each frame is drawn before the next is sent, so the picture moves once per frame; a
    # few frames may leave the 64x40 sample unchanged, and one may straddle the window.
    assert changes >= 0.8 * (f1 - f0) - 1, f"{changes} canvas changes for {f1 - f0} frames"
    assert stats["piled"] == 0
    end = stats["end"]
    assert end["type"] == "paused" and end["stop_ms"] >= 0
    # The server trains no more: its version and weights stay where the pause left them.
    net = page.request.get(f"{web_server}/api/networks/{circles}").json()
    assert net["version"] == end["version"]
    assert page.get_attribute("#train-dock", "data-version") == str(end["version"])
    page.wait_for_timeout(300)
    again = page.request.get(f"{web_server}/api/networks/{circles}").json()
    assert again["version"] == net["version"] and again["network"] == net["network"]


def test_numbers_shown_while_playing_are_the_frames_exact_backprop(
    page, open_page, circles, web_server
):
    """Mid-play, the Inspector's dC/dw and w are exactly the REST backprop of the weights the
    page holds at that moment (the frame's float64 weights)."""
    open_page(f"?net={circles}&sel=w:2:1:0&lr=0.5")
    page.click("#train-play")
    page.wait_for_function("() => +document.getElementById('train-dock').dataset.frames >= 20")
    # One evaluate is one task: the model and the panel are read between two frames.
    held = page.evaluate(
        """() => { const m = window.__explorer.model; return {
          spec: m.network.spec, grad: m.result.layers[2].grad_w[1][0], cost: m.result.cost,
          x: window.__explorer.state.get("x"), y: window.__explorer.state.get("y"),
          shown: +document.querySelector('#panel-inspector [data-q=grad]').dataset.value,
          w: +document.querySelector('#panel-inspector [data-q=w]').dataset.value }; }"""
    )
    page.click("#train-play")
    idle(page)
    body = {"network": held["spec"], "x": held["x"], "y": held["y"]}
    r = page.request.post(f"{web_server}/api/backprop", data=body).json()
    assert held["shown"] == held["grad"] == r["layers"][2]["grad_w"][1][0]
    assert held["cost"] == r["cost"]
    assert held["w"] == held["spec"]["weights"][1][1][0]
