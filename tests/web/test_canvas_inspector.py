"""The diagram and the inspectors: opens ready, and every number shown is the API's."""

from __future__ import annotations

import pytest

# Pixels of the two sign colours (blue #2c7bb6, orange #e66101, at any opacity on paper).
COUNT_SIGN_PIXELS_JS = """() => {
  const c = document.getElementById("network-canvas");
  const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
  let orange = 0, blue = 0;
  for (let i = 0; i < d.length; i += 4) {
    const [r, g, b] = [d[i], d[i + 1], d[i + 2]];
    if (r > 200 && r - b > 60 && g < r - 40) orange++;
    else if (b > 150 && b - r > 50) blue++;
  }
  return { orange, blue };
}"""


def test_opens_ready_with_coloured_edges(page, open_page, shot):
    open_page()
    # No click: the demo network is already pushed forward and back, edges coloured.
    assert page.locator("#network-select option").count() >= 2
    assert float(page.get_attribute("#cost-value", "data-cost")) > 0
    pixels = page.evaluate(COUNT_SIGN_PIXELS_JS)
    assert pixels["orange"] > 100 and pixels["blue"] > 100, pixels
    legend = page.inner_text("#legend")
    assert "∂C/∂w" in legend and "log" in legend
    # The notation strip always says how w^l_jk is indexed, and which cost is in use.
    convention = page.get_attribute("#notation [data-convention]", "data-convention")
    assert "from neuron k of layer l-1 to neuron j of layer l" in convention
    assert page.get_attribute("#notation [data-cost]", "data-cost") == "quadratic"
    shot("opens-ready")


def test_weight_inspector_equals_api(page, open_page, click_edge, api, inputs, shot):
    open_page()
    click_edge(2, 0, 1)
    panel = page.locator("#panel-inspector[data-kind=weight]")
    panel.wait_for()
    assert (
        panel.get_attribute("data-layer"),
        panel.get_attribute("data-j"),
        panel.get_attribute("data-k"),
    ) == ("2", "0", "1")
    value = lambda q: float(panel.locator(f"[data-q={q}]").get_attribute("data-value"))  # noqa: E731

    answer = api("backprop", inputs())
    assert value("grad") == answer["layers"][2]["grad_w"][0][1]
    assert value("a_in") == answer["layers"][1]["a"][1]
    assert value("delta_out") == answer["layers"][2]["delta"][0]
    # BP4 written out: dC/dw = a_in * delta_out, with these numbers.
    assert value("a_in") * value("delta_out") == pytest.approx(value("grad"), rel=1e-12)
    assert panel.locator(".eq[data-bp='4']").is_visible()
    shot("weight")

    # The bias of the output neuron, BP3: dC/db = delta.
    page.mouse.click(
        *page.evaluate(
            "(() => { const p = window.__explorer.neuronPoint(2, 0); return [p.x, p.y]; })()"
        )
    )
    # The button names b^2_0 typeset (KaTeX), not as "b^2_0" source.
    page.locator("#panel-inspector button:has-text('Select the bias')").click()
    bias = page.locator("#panel-inspector[data-kind=bias]")
    bias.wait_for()
    grad = float(bias.locator("[data-q=grad]").get_attribute("data-value"))
    assert grad == answer["layers"][2]["grad_b"][0] == answer["layers"][2]["delta"][0]
    assert bias.locator(".eq[data-bp='3']").is_visible()
    shot("bias")


def test_inspector_updates_in_place_with_the_new_numbers(
    page, open_page, click_edge, api, inputs, settled
):
    """A new x re-renders the inspector by changing what differs: the KaTeX nodes stay
    (so a frame while training plays lays out a few text nodes, not ~1,300 new ones),
    and every number shown is the new answer's."""
    open_page()
    click_edge(2, 0, 1)
    panel = page.locator("#panel-inspector[data-kind=weight]")
    panel.wait_for()
    before = float(panel.locator("[data-q=grad]").get_attribute("data-value"))
    # A property, not an attribute: morphing brings attributes in line with the new render.
    page.evaluate("window.__kept = document.querySelector('#panel-inspector .katex')")
    page.evaluate("window.__explorer.setInput([0.9, -0.4], [1, 0])")
    settled()
    answer = api("backprop", inputs())
    grad = answer["layers"][2]["grad_w"][0][1]
    assert grad != before
    panel.locator(f"[data-q=grad][data-value='{grad!r}']").wait_for()
    assert page.evaluate("document.getElementById('panel-inspector').contains(window.__kept)")
    bp4 = panel.locator(".eq[data-bp='4']").inner_text()
    assert f"{grad:.4g}".replace("-", "−") in bp4, bp4


def test_neuron_inspector_bp1_and_bp2(page, open_page, click_neuron, api, inputs, shot):
    open_page()
    click_neuron(2, 1)
    insp = page.locator("#panel-inspector[data-kind=neuron][data-layer='2']")
    insp.wait_for()
    answer = api("backprop", inputs())
    out = answer["layers"][2]
    for q, key in (
        ("z", "z"),
        ("a", "a"),
        ("sigma_prime", "sigma_prime"),
        ("dC_da", "dC_da"),
        ("delta", "delta"),
    ):
        assert float(insp.locator(f"[data-q={q}]").get_attribute("data-value")) == out[key][1]
    assert insp.locator(".eq[data-bp='1']").is_visible()
    # BP1 with this neuron's numbers: delta = dC/da * sigma'(z).
    bp1 = insp.locator(".eq[data-bp='1']").inner_text()
    assert f"{out['delta'][1]:.4g}".replace("-", "−") in bp1 or f"{out['delta'][1]:.4g}" in bp1
    shot("output-neuron")

    click_neuron(1, 0)
    hidden = page.locator("#panel-inspector[data-kind=neuron][data-layer='1']")
    hidden.wait_for()
    assert hidden.locator(".eq[data-bp='2']").is_visible()
    assert (
        float(hidden.locator("[data-q=delta]").get_attribute("data-value"))
        == answer["layers"][1]["delta"][0]
    )
    # Hovering another neuron previews it; leaving returns to the pinned one.
    pt = page.evaluate("window.__explorer.neuronPoint(0, 1)")
    page.mouse.move(pt["x"], pt["y"])
    page.locator("#panel-inspector[data-preview=true][data-layer='0']").wait_for()
    page.mouse.move(5, 5)
    page.locator("#panel-inspector[data-preview=false][data-layer='1']").wait_for()
    shot("hidden-neuron")


def test_saturated_neuron_is_marked(page, open_page, click_neuron, settled, api, inputs, shot):
    open_page()
    # Far-out inputs drive every hidden sigmoid to its flat tails.
    page.evaluate("window.__explorer.setInput([40, -40], [1, 0])")
    settled()
    click_neuron(1, 0)
    badge = page.locator("#panel-inspector [data-saturated=true]")
    badge.wait_for()
    assert "learns slowly" in badge.inner_text().lower()
    assert api("backprop", inputs())["layers"][1]["sigma_prime"][0] < 0.025
    shot("saturated")


def test_edge_colour_switch_and_url(page, open_page, shot):
    open_page()
    page.get_by_text("weight w", exact=True).click()
    page.wait_for_function("() => location.search.includes('edge=weight')")
    page.locator("#legend [data-edge-kind=weight]").wait_for()
    shot("weight-mode")
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    assert page.is_checked("input[name=edge-mode][value=weight]")


def test_table_view_has_every_number(page, open_page, api, inputs, shot):
    open_page("?net=2")
    page.click("#view-toggle")
    rows = page.locator("#neuron-table tbody tr")
    rows.first.wait_for()
    assert rows.count() == 64 + 16 + 10
    answer = api("backprop", inputs())
    cell = page.locator("#neuron-table tr[data-layer='2'][data-j='3'] td.num").nth(4)  # delta
    assert float(cell.get_attribute("data-value")) == answer["layers"][2]["delta"][3]
    weights = page.locator("#weight-table tbody tr")
    assert weights.count() == 100  # first page of 1024
    first = page.locator("#weight-table tbody tr").first.locator("td.num").nth(3)
    assert float(first.get_attribute("data-value")) == answer["layers"][1]["grad_w"][0][0]
    shot("table")


def test_canvas_is_sharp_on_high_dpi_and_follows_resizes(browser, web_server):
    context = browser.new_context(
        base_url=web_server, viewport={"width": 1280, "height": 800}, device_scale_factor=2
    )
    page = context.new_page()
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.goto("/")
    page.wait_for_selector("body[data-ready=true]")
    size_js = """(() => { const c = document.getElementById('network-canvas');
        return [c.width, c.height, c.clientWidth, c.clientHeight]; })()"""

    def size():
        return page.evaluate(size_js)

    w, h, cw, ch = size()
    assert (w, h) == (2 * cw, 2 * ch)
    page.set_viewport_size({"width": 1600, "height": 1000})
    page.wait_for_function(f"() => document.getElementById('network-canvas').clientWidth > {cw}")
    w2, _, cw2, _ = size()
    assert w2 == 2 * cw2 and cw2 > cw
    context.close()
    assert not errors


# 2-8-8-8-8-2 relu: deep enough that edges cross within a pixel of each other.
DEEP = {
    "sizes": [2, 8, 8, 8, 8, 2],
    "activations": ["relu", "relu", "relu", "relu", "sigmoid"],
    "cost": "quadratic",
    "init": {"scheme": "he", "seed": 2},
}


def test_every_edge_of_a_deep_net_is_clickable(page, open_page, saved_network, click_edge):
    # The point the tests click must be one whole client pixel that hit-tests to that
    # edge, as a real mouse does.
    open_page(f"?net={saved_network(DEEP, 'deep', 'circles')}")
    missed = []
    for l in (2, 3):
        for j in range(8):
            for k in range(8):
                click_edge(l, j, k)
                got = page.evaluate("window.__explorer.state.get('sel')")
                if got != {"kind": "weight", "layer": l, "j": j, "k": k}:
                    missed.append(((l, j, k), got))
    assert missed == []
