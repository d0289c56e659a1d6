"""Stepping the algorithm, and using the whole page without a mouse."""

from __future__ import annotations


def _stepper(page) -> dict:
    return page.evaluate(
        """(() => { const s = document.getElementById("stepper").dataset;
        return { step: s.step, phase: s.phase, bp: s.bp, layer: s.layer,
                 eq: document.querySelector(".stepper-eq").dataset.equation }; })()"""
    )


def test_step_through_the_backward_pass(page, open_page, shot):
    open_page()  # 2-3-2: L = 2
    page.click("#step-first")
    seen = [_stepper(page)]
    shot("step-0")
    while not page.is_disabled("#step-next"):
        page.click("#step-next")
        seen.append(_stepper(page))
        if seen[-1]["step"] != "done":
            shot(f"step-{seen[-1]['step']}")
    phases = [(s["phase"], s["layer"], s["bp"]) for s in seen]
    assert phases == [
        ("input", "0", ""),
        ("forward", "1", ""),
        ("forward", "2", ""),
        ("output", "2", "1"),  # BP1 at the output layer
        ("back", "1", "2"),  # BP2, from the output backwards
        ("gradient", "", "3,4"),  # BP3 and BP4
        ("done", "", ""),
    ]
    assert [s["eq"] for s in seen] == ["input", "forward", "forward", "BP1", "BP2", "BP3,4", "all"]
    # The stepper position lives in the URL, so a link opens on that step.
    page.click("#step-first")
    page.click("#step-next")
    page.wait_for_function("() => location.search.includes('step=1')")
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    assert _stepper(page)["phase"] == "forward"


def test_deltas_appear_from_the_output_backwards(page, open_page, shot):
    open_page("?net=2")  # 64-16-10
    page.click("#step-first")
    frames = []
    while not page.is_disabled("#step-next"):
        ov = page.evaluate("window.__explorer.overlay().step")
        frames.append((ov["aVisible"], ov["deltaVisible"], ov["focus"]))
        page.click("#step-next")
    assert page.evaluate("window.__explorer.overlay().step") is None  # finished: all shown
    a = [f[0] for f in frames]
    d = [f[1] for f in frames]
    # Activations fill in from the input forwards...
    assert (
        a[0] == [True, False, False] and a[1] == [True, True, False] and a[2] == [True, True, True]
    )
    # ...then the deltas from the output backwards: BP1 at layer 2, BP2 at layer 1.
    assert d[:3] == [[False, False, False]] * 3
    assert d[3] == [False, False, True]
    assert d[4] == [False, True, True]
    assert d[5] == [True, True, True]
    assert [f[2] for f in frames] == [0, 1, 2, 2, 1, None]
    page.click("#step-first")
    for _ in range(4):
        page.click("#step-next")
    shot("backpropagate-digits")


def test_keyboard_only(page, open_page, shot):
    open_page()
    # Tab from the top of the page until the diagram has focus: it is in the tab order.
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "network-canvas":
            break
    else:
        raise AssertionError("Tab never reached the network canvas")
    insp = page.locator("#panel-inspector")
    # Focus alone selects nothing; the first arrow lands on the first input neuron and the
    # next ones move between layers and neurons.
    assert page.get_attribute("#panel-inspector", "data-kind") == "none"
    page.keyboard.press("ArrowRight")
    page.locator("#panel-inspector[data-kind=neuron][data-layer='0'][data-j='0']").wait_for()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowDown")
    page.locator("#panel-inspector[data-kind=neuron][data-layer='2'][data-j='1']").wait_for()
    assert "Neuron 1 of layer 2" in page.inner_text("#live")
    shot("keyboard-neuron")
    # E walks the edges into that neuron; Down picks the next one.
    page.keyboard.press("e")
    page.locator(
        "#panel-inspector[data-kind=weight][data-layer='2'][data-j='1'][data-k='0']"
    ).wait_for()
    page.keyboard.press("ArrowDown")
    page.locator(
        "#panel-inspector[data-kind=weight][data-layer='2'][data-j='1'][data-k='1']"
    ).wait_for()
    assert insp.locator("[data-q=grad]").count() == 1
    assert "Weight w 2, 1 1" in page.inner_text("#live")
    shot("keyboard-weight")
    # Escape goes back to the neuron, B to its bias, P opens its paths.
    page.keyboard.press("Escape")
    page.locator("#panel-inspector[data-kind=neuron][data-layer='2']").wait_for()
    page.keyboard.press("b")
    page.locator("#panel-inspector[data-kind=bias][data-layer='2'][data-j='1']").wait_for()
    page.keyboard.press("p")
    page.locator("#panel-paths .sums").wait_for()
    # Tabs are reachable and switch with the arrow keys.
    page.focus("#tab-paths")
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.id") == "tab-nudge"
    page.locator("#nudge-value[data-ratio]").wait_for()
    # The stepper buttons work from the keyboard too.
    page.focus("#step-first")
    page.keyboard.press("Enter")
    assert _stepper(page)["phase"] == "input"
    page.focus("#step-next")
    page.keyboard.press("Enter")
    assert _stepper(page)["phase"] == "forward"
    shot("keyboard-end")


ACTIVE_NAME_JS = """(() => { const el = document.activeElement;
    return el.id || el.getAttribute('aria-label') || el.textContent.trim(); })()"""


def test_every_control_is_reachable_by_tab(page, open_page):
    open_page()
    reached = set()
    for _ in range(80):
        page.keyboard.press("Tab")
        reached.add(page.evaluate(ACTIVE_NAME_JS))
    for needed in (
        "network-select",
        "view-toggle",
        "network-canvas",
        "step-first",
        "step-prev",
        "tab-inspector",
        "x-0",
        "y-1",
        "sample-index",
    ):
        assert needed in reached, (needed, reached)


def test_a_wide_step_equation_scrolls_from_the_keyboard(page, open_page, saved_network):
    """On a deep network a step's equation is wider than the column: it takes focus and
    the arrow keys scroll it, so nothing is out of a keyboard user's reach."""
    net = {
        "sizes": [2, 8, 8, 8, 8, 2],
        "activations": ["relu", "relu", "relu", "relu", "sigmoid"],
        "cost": "quadratic",
        "init": {"scheme": "he", "seed": 1},
    }
    open_page(f"?net={saved_network(net, 'wide')}&step=1")
    eq = page.locator(".stepper-eq .tex.display")
    width = eq.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert width[0] > width[1], width
    eq.focus()
    assert eq.evaluate("e => e === document.activeElement")
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "() => document.querySelector('.stepper-eq .tex.display').scrollLeft > 0"
    )
