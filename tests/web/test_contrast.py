"""Contrast and colour vision, computed from what the page really uses: the computed styles
of every visible piece of text, the renderer's own colours for the diagram's text and
edge bands, the legend's strokes and the chart lines; and the per-layer gradient-norm
chart's colours stay apart under simulated deuteranopia, protanopia and tritanopia."""

from __future__ import annotations

import itertools

import pytest
from axe_helpers import DEEP_NET, XOR_NET, scan
from colour_helpers import (
    DEUTERANOPIA,
    PROTANOPIA,
    TRITANOPIA,
    contrast,
    delta_e,
    over,
    parse,
    simulate,
)

# Every element with text of its own that a sighted reader sees: its colour, font and the
# background colours of it and its ancestors, innermost first (composited in Python).
TEXT_JS = """() => {
  const out = [];
  for (const el of document.querySelectorAll("body *")) {
    if (el.closest("canvas, svg, script, style, noscript, .sr-only, [hidden], :disabled")) continue;
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own) continue;
    const r = el.getBoundingClientRect();
    const cs = getComputedStyle(el);
    if (r.width < 2 || r.height < 2 || cs.visibility !== "visible") continue;
    let opaque = true;
    for (let a = el; a; a = a.parentElement) if (+getComputedStyle(a).opacity < 1) opaque = false;
    const bgs = [];
    for (let a = el; a; a = a.parentElement) bgs.push(getComputedStyle(a).backgroundColor);
    out.push({
      text: el.textContent.trim().slice(0, 40),
      cls: el.className && typeof el.className === "string" ? el.className : el.tagName,
      color: cs.color, size: parseFloat(cs.fontSize), weight: +cs.fontWeight, bgs, opaque,
    });
  }
  return out;
}"""


def background(bgs: list[str]) -> tuple:
    """The colour behind an element: its ancestors' backgrounds composited, outermost first."""
    colour = (255.0, 255.0, 255.0)
    for css in reversed(bgs):
        rgb, alpha = parse(css)
        if alpha > 0:
            colour = over(rgb, alpha, colour)
    return colour


def needed(item: dict) -> float:
    large = item["size"] >= 24 or (item["size"] >= 18.66 and item["weight"] >= 700)
    return 3.0 if large else 4.5


def text_failures(page) -> tuple[list[str], list[dict]]:
    items = page.evaluate(TEXT_JS)
    bad = []
    for it in items:
        if not it["opaque"]:
            continue
        fg, alpha = parse(it["color"])
        bg = background(it["bgs"])
        ratio = contrast(over(fg, alpha, bg), bg)
        it["ratio"] = ratio
        if ratio < needed(it):
            bad.append(f"{it['text']!r} ({it['cls']}): {it['color']} {ratio:.2f}:1")
    return bad, items


@pytest.fixture
def xor_net(saved_network):
    return saved_network(XOR_NET, "contrast xor", "xor")


def test_every_visible_text_has_4_5_to_1(page, open_page, xor_net, click_edge, shot):
    open_page(f"?net={xor_net}&view=table")
    page.locator("#weight-table").wait_for()
    bad, items = text_failures(page)
    assert bad == [], "\n".join(bad)
    assert len(items) > 150, len(items)
    # The signed numbers are there, in both colours, each comfortably above 4.5:1.
    signs = {
        sign: [it["ratio"] for it in items if f"num {sign}" in it["cls"]] for sign in ("pos", "neg")
    }
    assert len(signs["pos"]) >= 5 and len(signs["neg"]) >= 5, signs
    assert min(signs["pos"]) >= 4.5 and min(signs["neg"]) >= 4.5, signs
    # The same over the inspector, the paths and the step-by-step view.
    page.click("#view-toggle")
    click_edge(2, 0, 1)
    page.locator("#panel-inspector[data-kind=weight]").wait_for()
    page.click("#step-first")
    for tab, ready in [("inspector", "#panel-inspector .eq"), ("paths", "#panel-paths .sums")]:
        page.click(f"#tab-{tab}")
        page.locator(ready).first.wait_for()
        bad, _ = text_failures(page)
        assert bad == [], f"{tab}:\n" + "\n".join(bad)
    shot("paths")


def test_the_old_orange_would_be_caught(page, open_page, xor_net):
    """The checks can fail: with the bright orange back on positive numbers, both this
    file's computation and axe-core report it."""
    open_page(f"?net={xor_net}&view=table")
    page.locator("#weight-table").wait_for()
    page.add_style_tag(content=".num.pos { color: #e66101 !important; }")
    bad, _ = text_failures(page)
    assert bad and all("rgb(230, 97, 1)" in b for b in bad), bad
    ratios = {float(b.rsplit(" ", 1)[1].rstrip(":1")) for b in bad}
    assert all(3.0 < r < 3.5 for r in ratios), ratios  # 3.28:1 on paper, 3.46:1 on white
    ids = {v["id"] for v in scan(page)["violations"]}
    assert "color-contrast" in ids, ids


SCALES_JS = """async () => {
  const S = await import("/static/js/draw/scales.js");
  const levels = [];
  for (let l = 0; l < S.LEVELS; l++)
    for (const [sign, base] of [["pos", S.POS], ["neg", S.NEG]])
      levels.push({ sign, level: l, rgb: S.levelRgb(base, l), ...S.levelStyle(l, 1) });
  return { paper: S.PAPER, posText: S.POS_TEXT, negText: S.NEG_TEXT, levels };
}"""


def test_diagram_text_and_edge_bands_stand_out_from_the_paper(page, open_page, xor_net):
    open_page(f"?net={xor_net}")
    s = page.evaluate(SCALES_JS)
    paper = tuple(s["paper"])
    # The numbers written on the diagram in the sign colours: text, 4.5:1.
    assert contrast(tuple(s["posText"]), paper) >= 4.5
    assert contrast(tuple(s["negText"]), paper) >= 4.5
    # Every gradient band, as drawn at full density: a graphic, 3:1, and darker as it grows.
    ratios = {}
    for b in s["levels"]:
        drawn = over(tuple(b["rgb"]), b["alpha"], paper)
        ratios[(b["sign"], b["level"])] = contrast(drawn, paper)
    assert min(ratios.values()) >= 3.0, ratios
    for sign in ("pos", "neg"):
        seq = [ratios[(sign, level)] for level in range(len(s["levels"]) // 2)]
        assert seq == sorted(seq) and seq[-1] > seq[0] + 1, seq
    # The legend draws those same strokes: read them back from its SVG.
    strokes = page.evaluate(
        """() => [...document.querySelectorAll("#legend line[data-level]")].map((l) =>
          ({ stroke: l.getAttribute("stroke"), opacity: +l.getAttribute("stroke-opacity") }))"""
    )
    assert len(strokes) == len(s["levels"]), strokes
    for st in strokes:
        rgb, _ = parse(st["stroke"])
        assert contrast(over(rgb, st["opacity"], paper), paper) >= 3.0, st
    # The sign swatches too.
    swatches = page.evaluate(
        """() => [...document.querySelectorAll("#legend .swatch")].map((e) =>
          getComputedStyle(e).backgroundColor)"""
    )
    assert len(swatches) == 2
    for css in swatches:
        assert contrast(parse(css)[0], paper) >= 3.0, css


def test_norm_chart_is_readable_without_colour(page, open_page, saved_network, shot):
    nid = saved_network(DEEP_NET, "contrast deep", "xor")
    open_page(f"?net={nid}&charts=open&lr=1")
    keys = page.evaluate(
        """() => [...document.querySelectorAll("#norm-legend .key-line")].map((e) =>
          getComputedStyle(e).borderTopColor)"""
    )
    assert len(keys) == 5
    colours = [parse(c)[0] for c in keys]
    # Every line has 3:1 on the chart's white.
    for c in colours:
        assert contrast(c, (255, 255, 255)) >= 3.0, c
    # No two layers' colours run together, for normal vision or simulated colour blindness.
    for name, matrix in [
        ("normal", None),
        ("deuteranopia", DEUTERANOPIA),
        ("protanopia", PROTANOPIA),
        ("tritanopia", TRITANOPIA),
    ]:
        seen = [c if matrix is None else simulate(c, matrix) for c in colours]
        closest = min(delta_e(a, b) for a, b in itertools.combinations(seen, 2))
        assert closest >= 15, (name, closest)
    # And every line is labelled at its end, W¹ to W⁵, each beside its line's last point.
    page.click("#train-step")
    page.wait_for_selector("#train-dock[data-steps='1'][data-busy=false]", timeout=20_000)
    page.wait_for_function(
        "() => JSON.parse(document.getElementById('norm-chart').dataset.labels || '[]').length"
    )
    labels = page.evaluate("JSON.parse(document.getElementById('norm-chart').dataset.labels)")
    assert {lb["text"] for lb in labels} == {"W¹", "W²", "W³", "W⁴", "W⁵"}
    assert len(labels) == 5
    assert {parse(lb["color"])[0] for lb in labels} == set(colours)
    ys = sorted(lb["y"] for lb in labels)
    assert all(b - a >= 10.9 for a, b in itertools.pairwise(ys)), ys  # no label over another
    assert {lb["step"] for lb in labels} == {1}
    shot("norm-labels")
