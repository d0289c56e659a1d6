"""Reflow: on a phone (390x844), a tablet (768x1024) and at 200% zoom (a 640x400 CSS
viewport) nothing needs horizontal scrolling and every part can be reached and used; on a
1280x800 laptop the diagram gets 420 px once the stepper and the charts are folded (one
click each) and the Inspector's main equation shows without scrolling."""

from __future__ import annotations

import pytest
from axe_helpers import DEEP_NET, XOR_NET, describe, scan

SMALL = [(390, 844), (768, 1024), (640, 400)]

# Elements that stick out past the right edge of the viewport, unless an ancestor that
# scrolls or clips horizontally (a wide equation's box, a table's scroller) holds them.
OVERFLOW_JS = """() => {
  const W = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.querySelectorAll("body *")) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= W + 0.5) continue;
    let held = false;
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const ox = getComputedStyle(a).overflowX;
      if (ox !== "visible" && a.getBoundingClientRect().right <= W + 0.5) { held = true; break; }
    }
    if (!held) out.push(`${el.tagName.toLowerCase()}#${el.id}.${el.className}: right ${r.right}`);
  }
  return out.slice(0, 10);
}"""

BOX_JS = """(q) => { const b = document.querySelector(q).getBoundingClientRect();
  return { top: b.top, bottom: b.bottom, left: b.left, right: b.right, width: b.width,
           height: b.height }; }"""

PANELS = [("build", "#panel-build ol.layers"), ("saved", "#panel-saved ul.lib-list")]


@pytest.fixture
def xor_net(saved_network):
    return saved_network(XOR_NET, "reflow xor", "xor")


def no_horizontal_scroll(page) -> None:
    width = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert page.evaluate(OVERFLOW_JS) == []
    assert width[0] <= width[1], width


@pytest.mark.parametrize("size", SMALL, ids=[f"{w}x{h}" for w, h in SMALL])
def test_small_screens_reflow(page, open_page, xor_net, settled, api, inputs, size, shot):
    w, h = size
    page.set_viewport_size({"width": w, "height": h})
    open_page(f"?net={xor_net}")
    settled()
    no_horizontal_scroll(page)
    violations = scan(page)["violations"]
    assert violations == [], describe(violations)
    # The document scrolls instead: taller than the window, and every part is in it.
    scroll_height = page.evaluate("document.documentElement.scrollHeight")
    assert scroll_height > h, scroll_height
    # The training charts start folded; the dock's bar (Play, Step) is all that shows.
    assert page.get_attribute("#train-dock", "data-charts") == "closed"
    assert page.locator("#train-charts").is_hidden()
    assert page.locator("#train-play").is_visible()

    # The diagram: scrolled to, a usable size, and a click on it selects a neuron.
    page.locator("#canvas-wrap").scroll_into_view_if_needed()
    box = page.evaluate(BOX_JS, "#canvas-wrap")
    assert box["left"] >= 0 and box["right"] <= w, box
    assert box["width"] >= min(w - 40, 460) and box["height"] >= 280, box
    point = page.evaluate("window.__explorer.neuronPoint(2, 1)")
    assert 0 <= point["y"] <= h, point  # on screen, not under the fold
    page.mouse.click(point["x"], point["y"])
    # The Inspector: reached by scrolling, showing that neuron with the API's numbers.
    insp = page.locator("#panel-inspector[data-kind=neuron][data-layer='2'][data-j='1']")
    insp.wait_for()
    insp.scroll_into_view_if_needed()
    ib = page.evaluate(BOX_JS, "#panel-inspector")
    assert ib["left"] >= 0 and ib["right"] <= w and ib["top"] < h, ib
    a = float(insp.locator("[data-q=a]").get_attribute("data-value"))
    assert a == pytest.approx(api("backprop", inputs())["layers"][2]["a"][1], rel=1e-12)
    no_horizontal_scroll(page)
    shot("inspector")

    # Build and Saved reflow too.
    for panel, ready in PANELS:
        page.click(f"#tab-{panel}")
        page.locator(ready).wait_for()
        no_horizontal_scroll(page)
    page.click("#tab-input")

    # Unfolded, the charts stack in the dock without widening the page.
    page.click("#train-charts-toggle")
    assert page.locator("#train-charts").is_visible()
    no_horizontal_scroll(page)
    chart = page.evaluate(BOX_JS, "#norm-chart")
    assert chart["width"] >= 200 and chart["height"] >= 100, chart


@pytest.mark.parametrize("size", SMALL, ids=[f"{w}x{h}" for w, h in SMALL])
def test_table_view_reaches_every_column(page, open_page, xor_net, size):
    w, h = size
    page.set_viewport_size({"width": w, "height": h})
    open_page(f"?net={xor_net}&view=table")
    page.locator("#weight-table").wait_for()
    no_horizontal_scroll(page)
    for table in ("#neuron-table", "#weight-table"):
        scroller = page.locator(table).locator("xpath=..")
        scroller.evaluate("s => { s.scrollLeft = s.scrollWidth; }")
        last = page.locator(f"{table} thead th").last.bounding_box()
        outer = scroller.bounding_box()
        assert last["x"] + last["width"] <= outer["x"] + outer["width"] + 0.5, (table, last, outer)
        assert outer["x"] + outer["width"] <= w, (table, outer)
    # The select buttons in the last column work there.
    page.locator("#weight-table tr[data-j='0'][data-k='1'] .pick").click()
    assert page.get_attribute("#weight-table tr[data-j='0'][data-k='1']", "aria-selected") == "true"


@pytest.mark.parametrize("net", ["xor", "deep"])
def test_laptop_diagram_gets_420px(page, open_page, saved_network, net, shot):
    page.set_viewport_size({"width": 1280, "height": 800})
    spec = XOR_NET if net == "xor" else DEEP_NET
    open_page(f"?net={saved_network(spec, 'laptop', 'xor')}&charts=open")
    no_horizontal_scroll(page)
    assert page.evaluate("document.documentElement.scrollHeight") <= 800
    assert page.locator(".stepper-eq").is_visible()
    assert page.locator("#train-charts").is_visible()
    before = page.evaluate(BOX_JS, "#canvas-wrap")["height"]
    if before < 420:
        # One click folds the stepper, one folds the charts.
        page.click("#stepper-box > summary")
        assert page.locator(".stepper-eq").is_hidden()
        page.click("#train-charts-toggle")
        assert page.locator("#train-charts").is_hidden()
        page.wait_for_function(
            "() => document.getElementById('canvas-wrap').getBoundingClientRect().height >= 420"
        )
    after = page.evaluate(BOX_JS, "#canvas-wrap")
    assert after["height"] >= 420, (before, after)
    assert after["bottom"] <= page.evaluate(BOX_JS, "#train-dock")["top"] + 0.5
    if before < 420:
        # Both folds are in the URL: a reload keeps the room.
        page.wait_for_function(
            "() => ['stepper=closed', 'charts=closed'].every((q) => location.search.includes(q))"
        )
        page.reload()
        page.wait_for_selector("body[data-ready=true]")
        assert page.locator(".stepper-eq").is_hidden()
        assert page.evaluate(BOX_JS, "#canvas-wrap")["height"] >= 420
    # Unfolded again with the same clicks.
    if before < 420:
        page.click("#stepper-box > summary")
        assert page.locator(".stepper-eq").is_visible()
    shot("folded")


@pytest.mark.parametrize("size", [(1280, 800), (1440, 900)], ids=["1280x800", "1440x900"])
def test_inspector_main_equation_shows_without_scrolling(
    page, open_page, xor_net, click_edge, click_neuron, size
):
    """With the stepper and the charts open: a weight's BP4 (its gradient as a product) shows
    without scrolling the details column, which runs the full height beside the dock."""
    w, h = size
    page.set_viewport_size({"width": w, "height": h})
    open_page(f"?net={xor_net}&charts=open")
    for select, eq in [
        (lambda: click_edge(2, 0, 1), '#panel-inspector .eq[data-bp="4"]'),
        (lambda: click_edge(1, 2, 0), '#panel-inspector .eq[data-bp="4"]'),
        # A neuron's main number is its error term delta, at the top of the panel.
        (lambda: click_neuron(2, 0), "#panel-inspector [data-q=delta]"),
        (lambda: click_neuron(1, 1), "#panel-inspector [data-q=delta]"),
    ]:
        select()
        page.locator(eq).wait_for()
        panel = page.locator(".panel.right")
        assert panel.evaluate("p => p.scrollTop") == 0
        box = page.evaluate(BOX_JS, eq)
        outer = page.evaluate(BOX_JS, ".panel.right")
        assert box["bottom"] <= min(outer["bottom"], h) and box["top"] >= outer["top"], (eq, box)


@pytest.mark.parametrize("size", SMALL, ids=[f"{w}x{h}" for w, h in SMALL])
def test_a_lesson_reflows(page, size):
    """A lesson widens its column on a laptop; on a small screen it stacks like the rest."""
    w, h = size
    page.set_viewport_size({"width": w, "height": h})
    page.goto("/?lesson=chain&lstep=3")
    page.wait_for_selector("body[data-ready=true]", timeout=30_000)
    page.locator(".lesson-nav").wait_for()
    no_horizontal_scroll(page)
    box = page.evaluate(BOX_JS, "#panel-lesson")
    assert box["left"] >= 0 and box["right"] <= w and box["width"] >= min(w - 40, 290), box
    violations = scan(page)["violations"]
    assert violations == [], describe(violations)
