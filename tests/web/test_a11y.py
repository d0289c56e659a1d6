"""axe-core (WCAG 2.1 A and AA, and 2.2's 24 px targets) finds nothing in any state of the
page: opened, a weight selected, each tab, Build, Saved, the table view, after a training
step and with the stepper half-way. Plus what axe cannot judge by itself: the table marks
the selected row, the Nudge slider says its delta, the skip link follows the view."""

from __future__ import annotations

import pytest
from axe_helpers import AXE_VERSION, describe, scan

XOR_NET = {
    "sizes": [2, 3, 2],
    "activations": ["sigmoid", "sigmoid"],
    "cost": "quadratic",
    "init": {"scheme": "xavier", "seed": 5},
}

PANELS = [("build", "#panel-build ol.layers"), ("saved", "#panel-saved ul.lib-list")]


@pytest.fixture
def xor_net(saved_network):
    return saved_network(XOR_NET, "a11y xor", "xor")


def clean(page, state: str) -> None:
    result = scan(page)
    assert result["version"] == AXE_VERSION
    assert result["rules"] > 40, result["rules"]  # the rule set really ran
    assert result["violations"] == [], f"{state}:\n{describe(result['violations'])}"


def test_axe_finds_nothing_in_any_state(page, open_page, xor_net, click_edge, settled, shot):
    open_page(f"?net={xor_net}")
    settled()
    clean(page, "on open")

    click_edge(2, 0, 1)
    page.locator("#panel-inspector[data-kind=weight]").wait_for()
    clean(page, "a weight selected")

    for tab, ready in [
        ("paths", "#panel-paths .sums"),
        ("nudge", "#nudge-value[data-ratio]"),
        ("batch", "#panel-batch table, #panel-batch canvas"),
        ("tree", "#panel-tree .tree-wrap svg"),
        ("inspector", "#panel-inspector[data-kind=weight]"),
    ]:
        page.click(f"#tab-{tab}")
        page.locator(ready).first.wait_for()
        clean(page, f"the {tab} tab")

    for panel, ready in PANELS:
        page.click(f"#tab-{panel}")
        page.locator(ready).wait_for()
        clean(page, f"the {panel} panel")
    page.click("#tab-input")
    page.click("#lessons-button")
    page.locator(".lesson-open").first.wait_for()
    clean(page, "the list of lessons")
    page.click("#tab-input")

    page.click("#view-toggle")
    page.locator("#weight-table").wait_for()
    clean(page, "the table view")
    page.click("#view-toggle")

    page.click("#train-step")
    page.wait_for_selector("#train-dock[data-steps='1'][data-busy=false]", timeout=20_000)
    clean(page, "after a training step")

    page.click("#step-first")
    page.click("#step-next")
    page.click("#step-next")
    page.click("#step-next")
    assert page.get_attribute("#stepper", "data-phase") == "output"
    clean(page, "the stepper half-way")
    shot("stepper-half-way")


def test_table_marks_the_selected_row_and_names_its_controls(
    page, open_page, xor_net, click_edge, api, inputs
):
    open_page(f"?net={xor_net}&view=table")
    page.locator("#weight-table").wait_for()
    # The weights of layer 1 (3x2) show first; select w^1_21 from its row.
    page.locator("#weight-table tr[data-j='2'][data-k='1'] .pick").click()
    selected = page.locator("#weight-table tbody tr[aria-selected=true]")
    assert selected.count() == 1
    assert (selected.get_attribute("data-j"), selected.get_attribute("data-k")) == ("2", "1")
    assert page.locator("#weight-table tbody tr[aria-selected=false]").count() == 3 * 2 - 1
    # The selected row's gradient is the API's.
    grad = api("backprop", inputs())["layers"][1]["grad_w"][2][1]
    assert float(selected.locator("td.num").nth(3).get_attribute("data-value")) == pytest.approx(
        grad, rel=1e-12
    )
    # The pager and the select column have names a screen reader can say.
    assert page.get_attribute("#table-prev", "aria-label") == "Previous 100 weights"
    assert page.get_attribute("#table-next", "aria-label") == "Next 100 weights"
    headers = page.locator("#weight-table thead th")
    assert headers.last.inner_text().strip() == "select"
    # The skip link goes to the table while it shows, to the diagram otherwise.
    assert page.get_attribute("#skip-link", "href") == "#table-view"
    page.focus("#skip-link")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "table-view"
    page.click("#view-toggle")
    assert page.get_attribute("#skip-link", "href") == "#network-canvas"
    page.focus("#skip-link")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "network-canvas"


def test_nudge_slider_says_its_delta(page, open_page, xor_net, click_edge):
    open_page(f"?net={xor_net}&tab=nudge&dw=0.01")
    click_edge(2, 1, 0)
    slider = page.locator("#nudge-slider")
    slider.wait_for()
    assert slider.get_attribute("aria-valuetext") == "Δ = 0.01"
    slider.focus()
    page.keyboard.press("ArrowRight")  # a quarter decade up: 10^-1.75
    page.wait_for_function("() => location.search.includes('dw=0.0178')")
    assert slider.get_attribute("aria-valuetext") == "Δ = 0.0178"
    page.keyboard.press("Home")  # the far end of the scale: -1
    page.wait_for_function("() => /dw=(-|%E2%88%92)1(&|$)/.test(location.search)")
    assert slider.get_attribute("aria-valuetext") == "Δ = −1"
    # The answers for -1 (its value and, the sign having flipped, the sweep) are in before the
    # network is deleted at teardown, which would otherwise answer them 404.
    page.locator("#nudge-value[data-delta='-1']").wait_for()
    page.locator("#nudge-sweep[data-sign='-1']").wait_for()


def test_focusing_the_diagram_selects_nothing(page, open_page, xor_net):
    open_page(f"?net={xor_net}")
    page.focus("#network-canvas")
    assert page.evaluate("window.__explorer.state.get('sel')") is None
    assert page.get_attribute("#panel-inspector", "data-kind") == "none"
    # The first arrow lands on the first input neuron; the next one moves. Keys wrap round a
    # layer, also by ten in a layer of three: from 0, PageUp is 2 (mod 3), not -1.
    for key, layer, j in [
        ("ArrowDown", 0, 0),
        ("ArrowDown", 0, 1),
        ("ArrowRight", 1, 2),
        ("Home", 1, 0),
        ("PageUp", 1, 2),
        ("PageDown", 1, 0),
    ]:
        page.keyboard.press(key)
        shown = f"#panel-inspector[data-kind=neuron][data-layer='{layer}'][data-j='{j}']"
        page.locator(shown).wait_for()


def test_press_next_is_not_said_while_next_is_disabled(page, open_page, xor_net):
    open_page(f"?net={xor_net}")
    assert page.is_disabled("#step-next")
    assert "Next" not in page.inner_text(".stepper-eq .step-note")
    page.click("#step-first")
    assert not page.is_disabled("#step-next")
