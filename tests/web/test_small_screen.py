"""A 1280x720 laptop with the training dock open: the numbers on the diagram stay legible
and the diagram keeps its room."""

from __future__ import annotations

import math

import pytest
from train_helpers import idle

RING = 4.5  # the delta ring's outer edge beyond a circle's radius (draw/network.js)


def box_hits_circle(box: dict, x: float, y: float, radius: float) -> bool:
    nx = min(max(x, box["left"]), box["right"])
    ny = min(max(y, box["top"]), box["bottom"])
    return math.hypot(nx - x, ny - y) < radius


def overlaps(geometry: dict) -> list[str]:
    """Number labels that run into a circle (and its delta ring) other than their own."""
    out = []
    for box in geometry["labels"]:
        for l, layer in enumerate(geometry["layers"]):
            if layer["kind"] != "column":
                continue
            pos = layer["pos"]
            for j in range(len(pos) // 2):
                if (l, j) == (box["l"], box["j"]):
                    continue
                if box_hits_circle(box, pos[2 * j], pos[2 * j + 1], layer["r"] + RING):
                    out.append(f"label of {box['l']},{box['j']} over neuron {l},{j}")
    return out


def test_neuron_numbers_clear_the_next_neuron_at_1280x720(page, open_page, settled, shot):
    page.set_viewport_size({"width": 1280, "height": 720})
    open_page("?net=1")
    settled()
    page.evaluate("window.__explorer.redraw()")
    geometry = page.evaluate("window.__explorer.geometry()")
    # a and delta under each of the 3 hidden and 2 output neurons, a under the 2 inputs.
    drawn = {(b["l"], b["j"]) for b in geometry["labels"]}
    assert drawn == {(0, 0), (0, 1), (1, 0), (1, 1), (1, 2), (2, 0), (2, 1)}
    assert len(geometry["labels"]) == 2 + 3 * 2 + 2 * 2
    assert overlaps(geometry) == []
    shot("labels")


BOX_JS = """(q) => { const b = document.querySelector(q).getBoundingClientRect();
  return { top: b.top, bottom: b.bottom, height: b.height, left: b.left }; }"""


@pytest.fixture
def wide_digits(saved_network):
    """A saved 64-32-10 sigmoid network on digits, deleted afterwards."""
    net = {
        "sizes": [64, 32, 10],
        "activations": ["sigmoid", "sigmoid"],
        "cost": "quadratic",
        "init": {"scheme": "xavier", "seed": 3},
    }
    return saved_network(net, "wide", "digits")


def test_diagram_and_legend_fit_above_the_dock_at_1280x720(page, open_page, wide_digits, shot):
    page.set_viewport_size({"width": 1280, "height": 720})
    open_page(f"?net={wide_digits}&lr=1")
    box = lambda q: page.evaluate(BOX_JS, q)  # noqa: E731
    # The centre column needs no scrolling: stepper, diagram and the whole legend show.
    scroll = page.evaluate(
        "(() => { const c = document.querySelector('.centre'); "
        "return [c.scrollHeight, c.clientHeight]; })()"
    )
    assert scroll[0] <= scroll[1], scroll
    assert box("#canvas-wrap")["height"] >= 240
    assert box("#legend")["bottom"] <= box("#train-dock")["top"]
    # Digits has no plane: the caption does not promise a 40x40 grid it does not draw.
    assert page.locator("#boundary-card .boundary-what").is_hidden()
    assert page.locator("#boundary-none").is_visible()

    # Playing, the status and the request timing stay on the bar's one row.
    page.click("#train-play")
    page.wait_for_function("() => document.getElementById('train-rate').textContent.length > 0")
    assert box("#train-charts-toggle")["top"] == box("#train-play")["top"]
    assert box("#train-charts")["height"] >= 110
    shot("playing")
    page.click("#train-play")
    idle(page)


def test_boundary_caption_on_a_plane(page, open_page):
    open_page("?net=1")
    assert page.locator("#boundary-card .boundary-what").is_visible()
    assert (
        page.locator("#boundary-card .boundary-what").inner_text().strip()
        == "a₁ − a₀ on a 40×40 grid"
    )
