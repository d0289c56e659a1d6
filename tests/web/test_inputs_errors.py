"""Inputs recompute everything at once; errors are shown, never swallowed."""

from __future__ import annotations

import json
import re

import pytest


def test_editing_x_recomputes(page, open_page, settled, api, inputs, shot):
    open_page()
    before = page.get_attribute("#cost-value", "data-cost")
    page.fill("#x-0", "0.75")
    settled()
    assert inputs()["x"][0] == 0.75
    assert page.get_attribute("#cost-value", "data-cost") != before
    assert (
        float(page.get_attribute("#cost-value", "data-cost")) == api("backprop", inputs())["cost"]
    )
    # Custom inputs of small networks go into the URL, so the link reproduces the view.
    page.wait_for_function(
        "() => location.search.includes('input=custom') && location.search.includes('x=0.75')"
    )
    # One-hot buttons set the target.
    page.click(".onehot [data-class='0']")
    settled()
    assert inputs()["y"] == [1, 0]
    shot("custom-input")


def test_edits_are_debounced(page, open_page, settled):
    open_page()
    sent = []
    page.on("request", lambda r: "/backprop" in r.url and sent.append(json.loads(r.post_data)["x"]))
    # Five edits in one task (as fast as typing can go): one request, for the last value.
    page.evaluate(
        """() => { const f = document.getElementById("x-1");
        for (const v of ["0.1", "0.2", "0.3", "0.4", "0.5"]) {
          f.value = v; f.dispatchEvent(new Event("input", { bubbles: true })); } }"""
    )
    settled()
    assert [x[1] for x in sent] == [0.5]


def test_a_stale_request_is_aborted_not_drawn(page, open_page, settled, inputs):
    open_page()
    held, failed = [], []
    page.on("requestfailed", lambda r: "/backprop" in r.url and failed.append(r.failure))

    def hold_first(route):
        if not held:
            held.append(route)  # never answered: still in flight when the next edit comes
        else:
            route.continue_()

    page.route("**/backprop", hold_first)
    with page.expect_request("**/backprop"):
        page.evaluate("window.__explorer.setInput([0.1, 0.2], [0, 1])")
    for _ in range(50):  # round trips to the browser, so the route handler gets its turn
        if held:
            break
        page.evaluate("0")
    assert held, "the first request never left"
    with page.expect_event("requestfailed", lambda r: "/backprop" in r.url):
        page.evaluate("window.__explorer.setInput([0.3, 0.4], [0, 1])")
        settled()
    assert inputs()["x"] == [0.3, 0.4]
    assert failed and "ABORTED" in failed[0].upper()


def test_dataset_samples_and_drawing_grid(page, open_page, settled, inputs, shot):
    open_page("?net=2")
    label = page.inner_text("#sample-label")
    page.click("button[aria-label='Next sample']")
    page.wait_for_function(
        f"() => document.getElementById('sample-label').textContent !== {json.dumps(label)}"
    )
    settled()
    assert page.input_value("#sample-index") == "1"
    shot("sample-1")
    # Draw on the 8x8 grid: a stroke across the middle row inks those pixels.
    page.click("text=Clear")
    settled()
    assert sum(inputs()["x"]) == 0
    grid = page.locator("canvas.draw-grid")
    box = grid.bounding_box()
    cell = box["width"] / 8
    page.mouse.move(box["x"] + cell * 0.5, box["y"] + cell * 3.5)
    page.mouse.down()
    page.mouse.move(box["x"] + cell * 7.5, box["y"] + cell * 3.5, steps=12)
    page.mouse.up()
    settled()
    x = inputs()["x"]
    assert [x[24 + c] for c in range(8)] == [1] * 8
    assert sum(x) == 8
    # And by keyboard: the cursor starts at the centre (row 4); two rows up, Space inks.
    grid.focus()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Space")
    settled()
    assert sum(inputs()["x"]) == 9
    shot("drawn")


@pytest.mark.parametrize("expect_errors", [[r"422", r"x: the network takes"]])
def test_api_errors_are_shown_with_their_detail(page, open_page, expect_errors):
    open_page()
    detail = "x: the network takes 2 inputs, got 3"
    page.route(
        "**/backprop",
        lambda route: route.fulfill(
            status=422,
            content_type="application/json",
            body=json.dumps(
                {
                    "detail": detail,
                    "errors": [{"field": "x", "message": "the network takes 2 inputs, got 3"}],
                }
            ),
        ),
    )
    page.fill("#x-0", "0.3")
    banner = page.locator("#error-banner .banner-item.error")
    banner.wait_for()
    assert detail in banner.inner_text()
    assert "422" in banner.inner_text()


@pytest.mark.parametrize("expect_errors", [[r"boom from a test"]])
def test_uncaught_errors_reach_the_banner(page, open_page, expect_errors):
    open_page()
    page.evaluate("setTimeout(() => { throw new Error('boom from a test'); })")
    page.evaluate("() => { Promise.reject(new Error('boom from a test, async')); }")
    page.locator("#error-banner .banner-item.error").nth(1).wait_for()
    text = page.inner_text("#error-banner")
    assert "boom from a test" in text and "async" in text
    page.click("#error-banner .banner-close >> nth=0")
    assert page.locator("#error-banner .banner-item").count() == 1


@pytest.mark.parametrize("expect_errors", [[r"404"]])
def test_falls_back_to_built_in_networks_without_a_store(page, expect_errors, settled, shot):
    page.route(
        "**/api/networks",
        lambda route: route.fulfill(
            status=404, content_type="application/json", body='{"detail": "Not Found"}'
        ),
    )

    def without_boot(route):
        # A server without a store sends no first network with the page either.
        html = route.fetch().text()
        boot = r'(<script type="application/json" id="boot">).*?(</script>)'
        html = re.sub(boot, r"\1{}\2", html)
        route.fulfill(status=200, content_type="text/html", body=html)

    page.route(lambda url: url.split("?")[0].endswith("/"), without_boot)
    page.goto("/")
    page.wait_for_selector("body[data-ready=true]")
    settled()
    options = page.locator("#network-select option").all_inner_texts()
    assert any("built in" in o for o in options)
    assert page.evaluate("window.__explorer.model.network.id") is None
    assert float(page.get_attribute("#cost-value", "data-cost")) > 0
    assert page.evaluate("document.getElementById('network-canvas').dataset.drawMs") is not None
    shot("built-in")
