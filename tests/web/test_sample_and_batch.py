"""One sample's cost C_x against the batch's mean C, the edge colouring that follows the
choice, the Inspector's two gradients, class names and the prediction, mode-following
words and the names of copies. Every number shown is checked against the API's."""

from __future__ import annotations

NET = {
    "sizes": [2, 3, 2],
    "activations": ["sigmoid", "sigmoid"],
    "cost": "quadratic",
    "init": {"scheme": "xavier", "seed": 5},
}

FRESH_JS = "() => { const m = window.__explorer.minibatch; return m.current() && m.fresh; }"


def rows(page, web_server, name, start, count):
    d = page.request.get(f"{web_server}/api/datasets/{name}?offset={start}&limit={count}").json()
    return d["x"], d["y"], d


def post(page, web_server, nid, op, body):
    r = page.request.post(f"{web_server}/api/networks/{nid}/{op}", data=body)
    assert r.ok, r.text()
    return r.json()


def test_header_shows_sample_cost_and_batch_mean(page, open_page, saved_network, web_server, shot):
    nid = saved_network(NET, "cost vs mean", "xor")
    open_page(f"?net={nid}&sample=3&bs=5")
    page.wait_for_function(FRESH_JS, timeout=15_000)
    xs, ys, _ = rows(page, web_server, "xor", 3, 5)
    one = post(page, web_server, nid, "backprop", {"x": xs[0], "y": ys[0]})
    batch = post(page, web_server, nid, "backprop", {"x": xs, "y": ys})
    assert float(page.get_attribute("#cost-value", "data-cost")) == one["cost"]
    assert float(page.get_attribute("#cost-mean", "data-cost")) == batch["cost"]
    assert one["cost"] != batch["cost"]
    # Labelled: this sample's C_x, the mean C over a batch of 5.
    assert page.inner_text("#cost-value").startswith("Cₓ =")
    assert page.inner_text("#cost-mean").startswith("C =")
    assert "batch mean (5)" in page.inner_text("#cost-mean-label")
    assert "#3–7" in page.get_attribute("#cost-mean-label", "title")
    shot("header")

    # A new batch size is a new batch: the mean follows.
    page.evaluate("window.__explorer.state.set({ bs: 2 })")
    page.wait_for_selector("#cost-mean-label:has-text('(2)')")
    two = post(page, web_server, nid, "backprop", {"x": xs[:2], "y": ys[:2]})
    assert float(page.get_attribute("#cost-mean", "data-cost")) == two["cost"]


def test_three_notation_c0_for_the_sum_of_squares(page, open_page, saved_network):
    nid = saved_network({**NET, "cost": "sse"}, "3b1b", "xor")
    open_page(f"?net={nid}")
    assert page.inner_text("#cost-value").startswith("C₀ =")
    assert "C_0" in page.locator("#notation [data-cost] annotation").text_content()


def test_edges_inspector_and_legend_follow_sample_or_batch(
    page, open_page, saved_network, web_server, click_edge, shot
):
    nid = saved_network(NET, "edges mean", "xor")
    open_page(f"?net={nid}&sample=10&bs=8")
    page.wait_for_function(FRESH_JS, timeout=15_000)
    xs, ys, _ = rows(page, web_server, "xor", 10, 8)
    one = post(page, web_server, nid, "backprop", {"x": xs[0], "y": ys[0]})
    batch = post(page, web_server, nid, "backprop", {"x": xs, "y": ys})

    # This sample, by default: the diagram is given this sample's dC_x/dw.
    drawn = page.evaluate("window.__explorer.drawn()")
    assert drawn["edgeKind"] == "grad"
    assert drawn["edges"][1] == one["layers"][2]["grad_w"]
    assert "this sample" in page.inner_text("#legend-edges")
    intro = page.locator("#panel-inspector .intro")
    assert "this sample" in intro.inner_text()

    # Mean over the batch: the gradient SGD uses, drawn and named.
    page.click("label:has(input[name=edge-mode][value=mean])")
    page.wait_for_selector("#legend [data-edge-kind=mean]")
    drawn = page.evaluate("window.__explorer.drawn()")
    assert drawn["edges"][0] == batch["layers"][1]["grad_w"]
    assert drawn["edges"][1] == batch["layers"][2]["grad_w"]
    assert "batch mean (8)" in page.inner_text("#legend-edges")
    assert "mean cost over the batch" in intro.inner_text()

    # The Inspector shows both numbers for the selected weight, and says which is drawn.
    click_edge(2, 1, 2)
    panel = page.locator("#panel-inspector[data-kind=weight]")
    panel.wait_for()
    grad = panel.locator("[data-q=grad]")
    mean = panel.locator("[data-q=grad_mean]")
    mean.wait_for()
    assert float(grad.get_attribute("data-value")) == one["layers"][2]["grad_w"][1][2]
    assert float(mean.get_attribute("data-value")) == batch["layers"][2]["grad_w"][1][2]
    assert "drawn on the edges" in mean.inner_text() and "drawn" not in grad.inner_text()
    assert "∂C/∂w" in mean.locator("annotation").text_content().replace("\\partial ", "∂")
    shot("mean-edges")

    page.click("label:has(input[name=edge-mode][value=grad])")
    page.wait_for_selector("#legend [data-edge-kind=grad]")
    assert "drawn on the edges" in grad.inner_text()
    assert "drawn" not in mean.inner_text()

    # Weights: the words follow (issue 9: "coloured by weight" when edges show weights).
    page.click("label:has(input[name=edge-mode][value=weight])")
    page.keyboard.press("Escape")
    page.evaluate("window.__explorer.state.set({ sel: null })")
    page.wait_for_selector("#panel-inspector .intro[data-edge-kind=weight]")
    assert "coloured by the weight w" in page.inner_text("#panel-inspector .intro")
    # So does the stepper's last step, which draws whatever the edges show.
    page.evaluate("window.__explorer.state.set({ step: 5 })")
    assert "edges show the weights w" in page.inner_text(".stepper-eq .step-note")
    page.click("label:has(input[name=edge-mode][value=mean])")
    page.wait_for_selector(".stepper-eq .step-note:has-text('averaged over the batch')")


def test_batch_mean_edges_are_offered_only_with_a_dataset(page, open_page, saved_network):
    nid = saved_network(NET, "no data")
    open_page(f"?net={nid}&edge=mean")
    assert page.is_disabled("input[name=edge-mode][value=mean]")
    # Nothing to average over: the diagram and the legend say it is this sample's gradient.
    assert page.evaluate("window.__explorer.drawn().edgeKind") == "grad"
    assert "this sample" in page.inner_text("#legend-edges")
    assert page.is_hidden("#cost-mean")


def test_digits_outputs_carry_their_digit_and_the_prediction(page, open_page, web_server):
    open_page("?net=2&sample=7")  # the seeded Digits 64-16-10
    page.wait_for_function(FRESH_JS, timeout=15_000)
    nid = page.evaluate("window.__explorer.model.network.id")
    x, _, d = rows(page, web_server, "digits", 7, 1)
    out = post(page, web_server, nid, "forward", {"x": x[0]})["output"]
    k = max(range(10), key=lambda i: out[i])
    assert page.evaluate("window.__explorer.drawn().classNames") == d["class_names"]
    assert d["class_names"] == [str(i) for i in range(10)]
    assert page.inner_text("#predicts") == str(k)
    assert page.get_attribute("#predicts", "data-k") == str(k)
    assert page.inner_text("#target-class") == str(d["labels"][0])


def test_copies_get_sensible_names(page, open_page, saved_network, web_server):
    nid = saved_network(NET, "Plain 2-3-2", "xor")
    open_page(f"?net={nid}&panel=saved")
    names = []
    for _ in range(2):
        before = page.evaluate("window.__explorer.model.network.id")
        page.click("#lib-duplicate")
        page.wait_for_function(f"() => window.__explorer.model.network.id !== {before}")
        copy = page.evaluate("window.__explorer.model.network.id")
        names.append(page.request.get(f"{web_server}/api/networks/{copy}").json()["name"])
    assert names == ["Plain 2-3-2 (copy)", "Plain 2-3-2 (copy 2)"]
    copies = [n["id"] for n in page.request.get(f"{web_server}/api/networks").json()]
    # A new architecture saved as a copy takes the new sizes into its name.
    page.evaluate("window.__explorer.state.set({ panel: 'build' })")
    page.goto(f"/?net={nid}&panel=build")
    page.wait_for_selector("body[data-ready=true]")
    page.click("#editor-add-layer")
    page.wait_for_function(
        "() => window.__explorer.model.network.spec.sizes.join('-') === '2-3-3-2'"
    )
    page.click("#editor-save-copy")
    page.wait_for_selector("#editor-message:has-text('new network')", timeout=15_000)
    made = page.evaluate("window.__explorer.model.network")
    assert made["name"] == "Plain 2-3-3-2"
    for cid in {*copies, made["id"]} - {1, 2, nid}:
        page.request.delete(f"{web_server}/api/networks/{cid}")
