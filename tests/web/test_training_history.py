"""Training you can undo, in the page: the version list's step counts and losses, opening a
kept version read-only and restoring it, New weights, the charts after a reload, held-out
accuracy, and a stall named in words. Every value shown is checked against the API's."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from train_helpers import CIRCLES

# z >= 1000 everywhere: sigma'(z) is 0 in float64 and every gradient vanishes.
VANISHED = {
    "sizes": [2, 2, 2],
    "activations": ["sigmoid", "sigmoid"],
    "cost": "quadratic",
    "weights": [[[1000, 0], [0, 1000]], [[1000, 0], [0, 1000]]],
    "biases": [[2000, 2000], [2000, 2000]],
}
SHOTS = Path("/tmp/issue9-train")


@pytest.fixture
def rest(page, web_server):
    """rest("GET", path) or rest("POST", path, body): the API's answer as JSON."""

    def call(method: str, path: str, body: dict | None = None) -> dict | list:
        url = f"{web_server}/api{path}"
        r = page.request.post(url, data=body) if method == "POST" else page.request.get(url)
        assert r.ok, r.text()
        return r.json()

    return call


def trained(rest, nid, *steps):
    for i, n in enumerate(steps):
        body = {"dataset": "circles", "learning_rate": 0.5, "steps": n, "seed": i}
        rest("POST", f"/networks/{nid}/train", body)


def load(page, query):
    page.goto(f"/{query}")
    page.wait_for_selector("body[data-ready=true]", timeout=20_000)
    page.wait_for_selector("#train-dock[data-record=loaded]", timeout=20_000)


def open_history(page):
    page.click("#lib-history summary")
    page.wait_for_selector("#lib-versions li")


def number(text: str, after: str) -> float:
    m = re.search(rf"{after}\s*([-+0-9.e×−]+)", text)
    assert m, f"no {after} in {text!r}"
    return float(m.group(1).replace("−", "-"))


def test_version_list_shows_each_versions_steps_and_loss(page, saved_network, rest, shot):
    nid = saved_network(CIRCLES, "history", "circles")
    trained(rest, nid, 12, 30)
    load(page, f"?net={nid}&panel=saved")
    open_history(page)
    api = {v["version"]: v for v in rest("GET", f"/networks/{nid}/versions")}
    items = page.locator("#lib-versions li")
    assert items.count() == 3
    for i in range(3):
        li = items.nth(i)
        v = api[int(li.get_attribute("data-version"))]
        text = li.inner_text()
        if v["steps"]:
            assert f"{v['steps']} steps" in text
            assert number(text, "loss") == pytest.approx(v["loss"], rel=1e-3)
            assert number(text, "held-out") == pytest.approx(100 * v["held_out_accuracy"], abs=0.05)
        else:
            assert "new weights" in text
    assert "12 steps" in items.nth(1).inner_text() and "42 steps" in items.nth(0).inner_text()
    page.set_viewport_size({"width": 1280, "height": 800})
    page.screenshot(path=str(SHOTS / "versions-1280.png"))


def test_open_read_only_then_restore_as_newest(page, saved_network, rest):
    nid = saved_network(CIRCLES, "restore me", "circles")
    trained(rest, nid, 10, 25)
    v2 = rest("GET", f"/networks/{nid}?version=2")
    load(page, f"?net={nid}&panel=saved")
    open_history(page)
    page.click("#lib-versions li[data-version='2'] .version-open")
    page.wait_for_selector("#lib-meta[data-readonly=true]")
    net = page.evaluate("window.__explorer.model.network")
    assert net["version"] == 2 and net["spec"] == v2["network"]
    assert "read-only" in page.inner_text("#train-message")
    page.wait_for_selector("#train-dock[data-record=loaded][data-steps='10']")
    assert page.is_disabled("#train-play")
    assert rest("GET", f"/networks/{nid}")["version"] == 3  # opening changed nothing

    page.click("#lib-restore")
    page.wait_for_selector("#lib-status:has-text('Restored version 2 as version 4')")
    head = rest("GET", f"/networks/{nid}")
    assert head["version"] == 4 and head["network"] == v2["network"]
    page.wait_for_selector("#train-dock[data-record=loaded][data-version='4']")
    record = rest("GET", f"/networks/{nid}/training")
    assert record["steps"] == 10
    assert page.get_attribute("#train-dock", "data-steps") == "10"
    assert "10 steps" in page.inner_text("#train-status")


@pytest.mark.parametrize("expect_errors", [[r"status of 412"]])
def test_restore_from_a_stale_tab_is_refused(page, saved_network, rest):
    nid = saved_network(CIRCLES, "stale", "circles")
    trained(rest, nid, 5)
    load(page, f"?net={nid}&panel=saved")
    open_history(page)
    trained(rest, nid, 5)  # another tab trains meanwhile: the head is 3, this page holds 2
    page.click("#lib-versions li[data-version='1'] .version-restore")
    page.wait_for_selector("#lib-alert:has-text('no longer at version 2')")
    assert rest("GET", f"/networks/{nid}")["version"] == 3


def test_charts_after_a_reload_are_the_stored_points(page, saved_network, rest):
    nid = saved_network(CIRCLES, "reload", "circles")
    load(page, f"?net={nid}")
    for _ in range(3):
        page.click("#train-step")
        page.wait_for_selector("#train-dock[data-busy=false]")
    trained(rest, nid, 40)
    page.reload()
    page.wait_for_selector("#train-dock[data-record=loaded][data-steps='43']", timeout=20_000)
    record = rest("GET", f"/networks/{nid}/training")
    shown = page.evaluate("window.__explorer.train.history.data")
    assert shown["step"] == record["points"]["step"] == list(range(1, 44))
    assert shown["loss"] == record["points"]["loss"]
    assert shown["held"] == record["points"]["held_out_accuracy"]
    layers = [[g[l] for g in record["points"]["grad_norms"]] for l in range(3)]
    assert shown["norms"] == layers
    page.wait_for_function("() => document.getElementById('loss-chart').dataset.steps === '43'")
    chart = page.locator("#loss-chart")
    assert float(chart.get_attribute("data-last")) == record["points"]["loss"][-1]
    assert float(chart.get_attribute("data-held")) == record["points"]["held_out_accuracy"][-1]


def test_held_out_accuracy_shown_is_the_apis(page, saved_network, rest):
    nid = saved_network(CIRCLES, "held out", "circles")
    trained(rest, nid, 60)
    load(page, f"?net={nid}")
    record = rest("GET", f"/networks/{nid}/training")
    status = page.locator("#train-status")
    assert float(status.get_attribute("data-held-out")) == record["held_out_accuracy"]
    assert number(status.inner_text(), "held-out") == round(record["held_out_accuracy"] * 1000) / 10
    # The boundary marks the held-out points: as many as the API holds out.
    info = rest("GET", "/datasets/circles?part=held_out")
    page.wait_for_selector("#boundary-held-key")
    assert f"held out: {info['n_held_out']} points" in page.inner_text("#boundary-held-key")


def test_new_weights_is_a_new_version_with_a_new_record(page, saved_network, rest):
    nid = saved_network(CIRCLES, "reset", "circles")
    trained(rest, nid, 20)
    before = rest("GET", f"/networks/{nid}")
    load(page, f"?net={nid}")
    assert page.get_attribute("#train-dock", "data-steps") == "20"
    page.click("#train-reset")
    page.wait_for_selector("#train-message[data-kind=reset]")
    after = rest("GET", f"/networks/{nid}")
    assert after["version"] == before["version"] + 1
    assert after["network"]["weights"] != before["network"]["weights"]
    assert page.evaluate("window.__explorer.model.network.spec") == after["network"]
    assert rest("GET", f"/networks/{nid}/training")["steps"] == 0
    page.wait_for_selector("#train-dock[data-steps='0']")
    seed = re.search(r"seed (\d+)", page.inner_text("#train-message")).group(1)
    assert f"version {after['version']}" in page.inner_text("#train-message")
    assert int(seed) >= 0


def test_a_stalled_network_is_named_with_a_fix(page, saved_network, rest):
    nid = saved_network(VANISHED, "stalls", "xor")
    load(page, f"?net={nid}")
    for _ in range(5):
        page.click("#train-step")
        page.wait_for_selector("#train-dock[data-busy=false]")
    page.wait_for_selector("#train-message[data-kind=stall]")
    stall = rest("GET", f"/networks/{nid}/training")["stall"]
    assert stall["kind"] == "vanishing"
    text = page.inner_text("#train-message")
    assert stall["message"] in text and stall["fix"] in text
    # A reload still says so: the verdict comes with the stored record.
    page.reload()
    page.wait_for_selector("#train-message[data-kind=stall]", timeout=20_000)
    assert stall["message"] in page.inner_text("#train-message")
