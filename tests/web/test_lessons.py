"""Lessons in the browser: every step of every lesson, walked with Next and opened by URL,
renders without errors or failed requests, fills every placeholder, and shows the numbers
the API gives for that step's network and sample (computed here through the API)."""

from __future__ import annotations

import json
import math
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lesson_expect import expected, target_of, timed

LESSONS = ["chain", "tree", "indices", "four-equations", "big-picture", "slowdown", "vanishing"]

READY_JS = """([id, step]) => {
  const el = document.getElementById('panel-lesson');
  return el.dataset.ready === 'true' && el.dataset.lesson === id && el.dataset.step === String(step)
    && !el.querySelector('.lv.pending');
}"""


@pytest.fixture
def bad_requests(page):
    """HTTP errors and requests that failed for any reason but the page's own aborts."""
    seen: list[str] = []
    page.on("response", lambda r: r.status >= 400 and seen.append(f"{r.status} {r.url}"))
    page.on(
        "requestfailed",
        lambda r: "ERR_ABORTED" not in (r.failure or "") and seen.append(f"{r.failure} {r.url}"),
    )
    return seen


@pytest.fixture
def post(page, web_server):
    def call(path: str, body: dict) -> dict:
        r = page.request.post(f"{web_server}{path}", data=body)
        assert r.ok, r.text()
        return r.json()

    return call


def shown_values(page) -> dict:
    """name -> (exact value, text) of every live value in the panel's text and equation."""
    out = page.evaluate(
        """() => {
      const out = {};
      for (const s of document.querySelectorAll('#panel-lesson .lv'))
        out[s.dataset.key] = [s.dataset.value, s.textContent];
      for (const eq of document.querySelectorAll('#panel-lesson [data-lesson-equation]'))
        for (const [k, v] of Object.entries(JSON.parse(eq.dataset.values)))
          out[k] ??= [String(v), eq.textContent];
      return out;
    }"""
    )
    return {k: (None if v == "null" else float(v), text) for k, (v, text) in out.items()}


def check_step(page, post, lesson: dict, index: int) -> None:
    step = lesson["steps"][index]
    page.wait_for_function(READY_JS, arg=[lesson["id"], index + 1], timeout=30_000)
    panel = page.locator("#panel-lesson")
    assert panel.locator(".lesson-title").inner_text() == step["title"]
    text = panel.locator(".lesson-text").inner_text()
    # No placeholder is left unfilled in the prose.
    for name in step["values"]:
        assert f"{{{name}}}" not in text, (lesson["id"], index, name)
    want = expected(post, lesson, index, dw=page.evaluate("window.__explorer.state.get('dw')"))
    got = shown_values(page)
    assert set(got) == set(step["values"]), (lesson["id"], index)
    for name, path in step["values"].items():
        value, shown = got[name]
        if timed(path):
            assert value is not None and value > 0
            continue
        assert value is not None and want["values"][name] is not None
        assert math.isclose(value, want["values"][name], rel_tol=1e-9, abs_tol=1e-300), (
            lesson["id"],
            index,
            name,
            value,
            want["values"][name],
        )
        assert re.search(r"\d", shown)
    if step.get("figure") == "curves":
        series = json.loads(panel.locator(".lesson-figure").get_attribute("data-series"))
        for name, first, last in series:
            run = want["ctx"]["train"][name]
            assert (first, last) == (run["loss"][0], run["loss"][-1])
    elif step.get("figure") == "bars":
        bars = json.loads(panel.locator(".lesson-figure").get_attribute("data-bars"))
        if (step.get("action") or {}).get("kind") == "train":
            run = want["ctx"]["train"][step["action"]["networks"][0]]
            assert bars == [run["grad_norms"][0], run["grad_norms"][-1]]
        else:
            for a, b in zip(bars[0], want["ctx"]["norms"][1:], strict=True):
                assert math.isclose(a, b, rel_tol=1e-12)
    # The page shows what the step asks for: its selection and tab.
    state = page.evaluate(
        "(() => { const s = window.__explorer.state; return [s.get('tab'), location.search]; })()"
    )
    assert state[0] == step["tab"]
    # The step-by-step bar stands where the step puts it (finished when it names none).
    at = page.locator("#stepper").get_attribute("data-step")
    assert at == ("done" if step.get("stepper") is None else str(step["stepper"]))
    if step.get("select"):
        sel = page.evaluate("window.__explorer.state.values.sel")
        kind = {"w": "weight", "b": "bias", "n": "neuron"}[step["select"][0]]
        assert sel["kind"] == kind and [sel["layer"], sel["j"]] == [
            int(v) for v in step["select"].split(":")[1:3]
        ]
    if step["tab"] == "tree":
        check_tree_tab(page, want["ctx"].get("tree") or tree_answer(post, lesson, index))


def tree_answer(post, lesson, index):
    step = lesson["steps"][index]
    sample = lesson["samples"][step["sample"]]
    return post(
        "/api/tree",
        {
            "network": lesson["networks"][step["network"]],
            "x": sample["x"],
            "y": sample["y"],
            "target": target_of(step["select"]),
            "max_branches": 4,
        },
    )


def check_tree_tab(page, answer: dict) -> None:
    """The Tree tab's boxes and edges carry the API's values and local derivatives."""
    page.wait_for_function(
        "n => document.querySelectorAll('#panel-tree .tree-node').length === n",
        arg=len(answer["nodes"]),
        timeout=15_000,
    )
    nodes = page.evaluate(
        "[...document.querySelectorAll('#panel-tree .tree-node')]"
        ".map(g => [g.dataset.id, +g.dataset.value, +g.dataset.grad])"
    )
    assert nodes == [[n["id"], n["value"], n["grad"]] for n in answer["nodes"]]
    edges = page.evaluate(
        "[...document.querySelectorAll('#panel-tree .tree-edge')]"
        ".map(g => [g.dataset.from, g.dataset.to, +g.dataset.local])"
    )
    assert edges == [[e["source"], e["target"], e["local"]] for e in answer["edges"]]


@pytest.mark.parametrize("lesson_id", LESSONS)
def test_every_step_by_next_and_by_url(page, open_page, post, web_server, bad_requests, lesson_id):
    lesson = page.request.get(f"{web_server}/api/lessons/{lesson_id}").json()
    n = len(lesson["steps"])
    open_page(f"?lesson={lesson_id}&lstep=1")
    assert page.locator("#tab-lesson").get_attribute("aria-selected") == "true"
    for i in range(n):
        check_step(page, post, lesson, i)
        assert f"lstep={i + 1}" in page.url
        if i < n - 1:
            page.click("#lesson-next")
    assert page.locator("#lesson-next").is_disabled()
    for i in reversed(range(n)):
        open_page(f"?lesson={lesson_id}&lstep={i + 1}")
        check_step(page, post, lesson, i)
    assert not bad_requests


def test_keys_leave_and_explore(page, open_page, bad_requests, shot):
    open_page("?lesson=chain&lstep=2")
    page.wait_for_function(READY_JS, arg=["chain", 2])
    page.locator("#lesson-step-title").click()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(READY_JS, arg=["chain", 3])
    page.keyboard.press("ArrowLeft")
    page.wait_for_function(READY_JS, arg=["chain", 2])
    # The notation strip speaks 3Blue1Brown's dialect during the lesson, the page's after it.
    assert page.locator("#notation").get_attribute("data-style") == "3b1b"
    shot("chain-2")
    page.click("#lesson-leave")
    page.wait_for_function("() => !location.search.includes('lesson=')")
    assert page.locator("#notation").get_attribute("data-style") == "nielsen"
    # The lesson's network stays on screen, to explore: changing the input recomputes it.
    assert page.evaluate("window.__explorer.model.network.key") == "lesson:chain:main"
    page.click("#tab-input")
    page.fill("#inputs input >> nth=0", "0.1")
    page.wait_for_function("() => window.__explorer.model.inputs.x[0] === 0.1")
    page.locator("#panel-lesson .lesson-list").wait_for(state="attached")
    assert not bad_requests


def test_first_visit_welcome_then_never_again(browser, web_server):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, base_url=web_server)
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.goto("/")
        dialog = page.locator("dialog#welcome")
        dialog.wait_for(state="visible", timeout=20_000)
        assert dialog.locator(".lesson-open").count() == len(LESSONS)
        dialog.locator("#welcome-dismiss").click()
        assert not dialog.is_visible()
        page.reload()
        page.wait_for_selector("body[data-ready=true]")
        assert page.locator("dialog#welcome").count() == 0
        # The lessons are one click away in the top bar.
        page.click("#lessons-button")
        page.locator("#panel-lesson .lesson-open[data-lesson=slowdown]").click()
        page.wait_for_function(READY_JS, arg=["slowdown", 1])
        assert not errors
    finally:
        context.close()


def test_tree_tab_outside_lessons(page, open_page, click_edge, api, inputs):
    open_page()
    click_edge(1, 0, 1)
    page.click("#tab-tree")
    answer = api(
        "tree",
        {**inputs(), "target": {"kind": "weight", "layer": 1, "j": 0, "k": 1}, "max_branches": 4},
    )
    check_tree_tab(page, answer)
    shown = float(page.locator("#panel-tree .sums").get_attribute("data-gradient"))
    assert shown == answer["gradient"] == api("backprop", inputs())["layers"][1]["grad_w"][0][1]


def test_a_bad_link_says_so_and_a_step_out_of_range_is_clamped(page, open_page, expect_errors):
    expect_errors += [r"no lesson 'nope'", r"404"]
    open_page("?lesson=nope&lstep=2")
    page.wait_for_function("() => !location.search.includes('lesson=')")
    banner = page.locator("#error-banner").inner_text()
    assert "no lesson 'nope'" in banner and "chain" in banner
    page.locator("#panel-lesson .lesson-open[data-lesson=chain]").wait_for()
    open_page("?lesson=chain&lstep=99")
    page.wait_for_function(READY_JS, arg=["chain", 8])
    assert "lstep=8" in page.url
