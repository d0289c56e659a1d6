"""Sum over paths equals the gradient; a nudge's actual ΔC approaches dC/dw·Δw."""

from __future__ import annotations

import pytest


def _num(locator) -> float:
    return float(locator.get_attribute("data-value"))


def test_paths_sum_equals_gradient_and_finite_difference(
    page, open_page, click_edge, api, inputs, shot
):
    open_page()
    click_edge(1, 0, 1)
    page.click("#tab-paths")
    sums = page.locator("#panel-paths .sums")
    page.locator("#panel-paths [data-q=fd][data-value]:not([data-value=''])").wait_for()
    total = _num(sums.locator("[data-q=sum]"))
    gradient = _num(sums.locator("[data-q=gradient]"))
    fd = _num(sums.locator("[data-q=fd]"))
    assert total == pytest.approx(gradient, rel=1e-9, abs=1e-15)
    assert fd == pytest.approx(gradient, rel=1e-5, abs=1e-9)
    # The same numbers as the API, and the listed products add up to the sum.
    answer = api(
        "paths",
        {
            **inputs(),
            "target": {"kind": "weight", "layer": 1, "j": 0, "k": 1},
            "mode": "top",
            "limit": 12,
        },
    )
    assert gradient == answer["gradient"] == api("backprop", inputs())["layers"][1]["grad_w"][0][1]
    assert sums.get_attribute("data-count") == str(answer["count"]) == "2"
    products = [
        float(p)
        for p in page.locator("li.path").evaluate_all("els => els.map(e => e.dataset.product)")
    ]
    assert sum(products) == pytest.approx(total, rel=1e-12)
    # Each row lists its rate factors; hovering draws that path on the canvas.
    page.hover("li.path >> nth=0")
    page.wait_for_function("() => window.__explorer.state.get('hoverPath') !== null")
    assert (
        page.evaluate("window.__explorer.state.get('hoverPath').neurons")
        == answer["paths"][0]["neurons"]
    )
    shot("paths")


def test_many_paths_list_the_top_ones_with_the_exact_rest(
    page, open_page, click_neuron, api, inputs, shot
):
    open_page("?net=2")  # 64-16-10: an input neuron reaches the cost by 16 x 10 paths
    click_neuron(0, 27)
    page.click("#tab-paths")
    rest = page.locator("#panel-paths .rest")
    rest.wait_for()
    answer = api(
        "paths",
        {
            **inputs(),
            "target": {"kind": "activation", "layer": 0, "j": 27},
            "mode": "top",
            "limit": 12,
        },
    )
    assert answer["count"] == 160
    assert rest.get_attribute("data-rest") == "148"
    assert page.locator("li.path").count() == 12
    listed = [
        float(p)
        for p in page.locator("li.path").evaluate_all("els => els.map(e => e.dataset.product)")
    ]
    assert listed == [p["product"] for p in answer["paths"]]
    assert listed == sorted(listed, key=abs, reverse=True)
    sums = page.locator("#panel-paths .sums")
    assert _num(sums.locator("[data-q=sum]")) == pytest.approx(
        _num(sums.locator("[data-q=gradient]")), rel=1e-9
    )
    shot("top-paths")


def test_astronomical_path_counts_are_exact(page, web_server, open_page, inputs):
    # 12 hidden layers of 40: 40^12 * 2 paths from an input, far beyond 2^53.
    sizes = [2, *([40] * 12), 2]
    net = {
        "sizes": sizes,
        "activations": ["tanh"] * 12 + ["sigmoid"],
        "cost": "quadratic",
        "init": {"scheme": "xavier", "seed": 5},
    }
    created = page.request.post(f"{web_server}/api/networks", data={"name": "deep", "network": net})
    assert created.ok, created.text()
    nid = created.json()["id"]
    open_page(f"?net={nid}&sel=n:0:1&tab=paths")
    sums = page.locator("#panel-paths .sums[data-count]")
    sums.wait_for()
    expected = 40**12 * 2
    assert int(sums.get_attribute("data-count")) == expected
    assert int(page.locator("#panel-paths .rest").get_attribute("data-rest")) == expected - 12
    page.request.delete(f"{web_server}/api/networks/{nid}")


def test_nudge_ratio_tends_to_one(page, open_page, click_edge, api, inputs, shot):
    open_page()
    click_edge(2, 1, 0)
    page.click("#tab-nudge")
    readout = page.locator("#nudge-value[data-ratio]")
    readout.wait_for()
    # The slider's label is w with its indices set as such, not the "w^2_10" source.
    label = page.locator("#nudge-label")
    assert label.locator("sup").inner_text() == "2"
    assert label.locator("sub").inner_text() == "10"
    assert "^" not in label.inner_text() and "_" not in label.inner_text()
    # A small nudge typed in: actual and first-order ΔC agree to about Δ.
    page.fill("#nudge-field", "0.0001")
    page.press("#nudge-field", "Enter")
    page.locator("#nudge-value[data-delta='0.0001']").wait_for()
    small = float(readout.get_attribute("data-ratio"))
    assert small == pytest.approx(1, abs=1e-3)
    actual = float(readout.get_attribute("data-actual"))
    linear = float(readout.get_attribute("data-linear"))
    gradient = api("backprop", inputs())["layers"][2]["grad_w"][1][0]
    assert linear == pytest.approx(gradient * 1e-4, rel=1e-12)
    before = _num(page.locator("#nudge-value [data-q=cost_before]"))
    after = _num(page.locator("#nudge-value [data-q=cost_after]"))
    assert actual == pytest.approx(after - before, rel=1e-9, abs=1e-15)
    # The nudge as a chain of rates: Δw -> Δz -> Δa -> ΔC (3Blue1Brown's chain of nudges).
    assert page.locator("#nudge-layers [data-chain=nudges]").is_visible()
    shot("nudge-small")

    # The slider by keyboard: End is the largest nudge, Δ = +1, further from linear.
    page.focus("#nudge-slider")
    page.keyboard.press("End")
    page.locator("#nudge-value[data-delta='1']").wait_for()
    big = float(readout.get_attribute("data-ratio"))
    assert abs(big - 1) > abs(small - 1)
    # The canvas shows the actual change of every activation: the legend says so.
    page.locator("#legend >> text=actual Δa").wait_for()
    deltas = page.evaluate("window.__explorer.state.get('sel')")
    assert deltas == {"kind": "weight", "layer": 2, "j": 1, "k": 0}
    # The sweep shows the ratio for Δ from 1e-4 to 1.
    page.locator("#nudge-sweep svg").wait_for()
    shot("nudge-large")


def test_gradcheck_of_every_parameter(page, open_page, click_edge):
    open_page()
    click_edge(1, 2, 0)
    page.click("#tab-paths")
    page.get_by_role("button", name="Check all gradients").click()
    result = page.locator("#panel-paths .gradcheck [data-max-rel]")
    result.wait_for()
    # Central differences carry ~epsilon^2 truncation and ~1e-10/epsilon rounding error.
    assert float(result.get_attribute("data-max-abs")) < 1e-7
    assert float(result.get_attribute("data-max-rel")) < 1e-3
