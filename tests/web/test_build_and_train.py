"""Issue 5's whole story in one page: build 2-4-4-2 in the editor, train circles until the
loss falls, pause, inspect a weight, reload and find the same state; and two tabs training
one network, where the stale one is told and overwrites nothing."""

from __future__ import annotations

import pytest
from train_helpers import idle

READY = "body[data-ready=true]"
CHART_FELL = """() => {
  const c = document.getElementById("loss-chart").dataset;
  return c.first && +c.points > 30 && +c.last < 0.7 * +c.first;
}"""


# A 2-3-2 sigmoid network on circles: the starting point the editor reshapes.
START = {
    "sizes": [2, 3, 2],
    "activations": ["sigmoid", "sigmoid"],
    "cost": "quadratic",
    "init": {"scheme": "xavier", "seed": 2},
}


def saved_net(page, web_server, nid: int) -> dict:
    r = page.request.get(f"{web_server}/api/networks/{nid}")
    assert r.ok, r.text()
    return r.json()


def test_build_in_the_editor_train_pause_inspect_reload(
    page, web_server, saved_network, click_edge, api, inputs, settled, shot
):
    nid = saved_network(START, "to build", "circles")
    page.goto(f"/?net={nid}&panel=build")
    page.wait_for_selector(READY, timeout=20_000)

    # Build 2-4-4-2 with the editor's own controls: tanh hidden layers, softmax output and
    # the log-likelihood cost (a pairing that learns circles in a few hundred steps).
    page.click("#editor-add-layer")
    page.get_by_role("button", name="More neurons in layer 1").click()
    page.get_by_label("Neurons in layer 2 (hidden)").fill("4")
    page.get_by_label("Activation of layer 1").select_option("tanh")
    page.get_by_label("Activation of layer 2").select_option("tanh")
    page.get_by_label("Activation of layer 3").select_option("softmax")
    page.select_option("#editor-cost", "log_likelihood")
    page.get_by_role("button", name="Save as version 2").click()
    page.wait_for_selector("#editor-message:has-text('Saved as version 2.')")
    built = saved_net(page, web_server, nid)["network"]
    assert built["sizes"] == [2, 4, 4, 2]
    assert built["activations"] == ["tanh", "tanh", "softmax"]
    assert built["cost"] == "log_likelihood"

    # Train until the loss chart shows a clear fall, then pause.
    page.fill("#train-lr", "0.5")
    page.click("#train-play")
    page.wait_for_selector("#train-dock[data-playing=true]")
    page.wait_for_function(CHART_FELL, timeout=60_000)
    page.click("#train-play")
    idle(page)
    version = int(page.get_attribute("#train-dock", "data-version"))
    assert version > 2
    assert saved_net(page, web_server, nid)["version"] == version
    shot("built-trained")

    # Inspect a weight of the trained network: the API's numbers for that version.
    settled()
    click_edge(3, 1, 2)
    panel = page.locator("#panel-inspector[data-kind=weight][data-layer='3']")
    panel.wait_for()
    grad = float(panel.locator("[data-q=grad]").get_attribute("data-value"))
    w = float(panel.locator("[data-q=w]").get_attribute("data-value"))
    assert grad == api("backprop", inputs())["layers"][3]["grad_w"][1][2]
    assert w == saved_net(page, web_server, nid)["network"]["weights"][2][1][2]
    loss = page.get_attribute("#loss-chart", "data-last")

    # Reload: the same network, version, selection, panel, learning rate and curve.
    url = page.url
    page.reload()
    page.wait_for_selector(READY, timeout=20_000)
    page.locator("#panel-inspector[data-kind=weight][data-j='1'][data-k='2']").wait_for()
    assert page.url == url
    assert page.get_attribute("#train-dock", "data-version") == str(version)
    assert page.input_value("#train-lr") == "0.5"
    assert page.get_attribute("#tab-build", "aria-selected") == "true"
    assert page.get_attribute("#loss-chart", "data-last") == loss
    assert float(page.locator("#panel-inspector [data-q=grad]").get_attribute("data-value")) == grad
    shot("built-trained-reloaded")


@pytest.mark.parametrize("expect_errors", [[r"changed elsewhere", r"status of 412"]])
def test_two_tabs_training_one_network_see_the_conflict(page, web_server, saved_network, shot):
    nid = saved_network(START, "two tabs", "circles")
    other = page.context.new_page()
    # The fixture watches `page`; the second tab's errors are checked here.
    seen: list[str] = []
    other.on("console", lambda m: m.type == "error" and seen.append(m.text))
    other.on("pageerror", lambda e: seen.append(str(e)))
    for p in (page, other):
        p.goto(f"/?net={nid}")
        p.wait_for_selector(READY, timeout=20_000)

    # The first tab trains one step: version 2 on the server.
    page.click("#train-step")
    page.wait_for_function("() => document.getElementById('train-dock').dataset.steps === '1'")
    idle(page)
    trained = saved_net(page, web_server, nid)
    assert trained["version"] == 2

    # The second tab still holds version 1: its step is refused and shown, nothing saved.
    other.click("#train-step")
    other.wait_for_selector(".train-note.conflict", timeout=15_000)
    idle(other)
    assert "version 2" in other.inner_text(".train-note.conflict")
    assert "changed elsewhere" in other.inner_text("#error-banner")
    assert saved_net(page, web_server, nid) == trained
    shot("training-conflict")

    # Loading the newer version lets it go on from there.
    other.click("#train-reload")
    other.wait_for_function("() => document.getElementById('train-dock').dataset.version === '2'")
    other.click("#train-step")
    other.wait_for_function("() => document.getElementById('train-dock').dataset.version === '3'")
    idle(other)
    assert saved_net(page, web_server, nid)["version"] == 3
    other.close()
    # The refused request is the only error the second tab logged.
    assert len(seen) == 1 and "412" in seen[0], seen
