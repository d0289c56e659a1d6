"""Image inputs in the page: MNIST's 28x28 digits in the sample browser and the diagram, and a
first-layer neuron's weights and their gradient drawn as an input-sized image whose pixels are
the API's numbers (3Blue1Brown's "what is this neuron looking for")."""

from __future__ import annotations

import math

import pytest

PAPER, NEG, POS = (250, 249, 246), (44, 123, 182), (230, 97, 1)

PIXELS_JS = """(kind) => {
  const c = document.querySelector(`#panel-inspector canvas.receptive-img[data-kind=${kind}]`);
  return { side: c.width, max: +c.dataset.max,
           data: Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data) };
}"""


def diverging(v: float, top: float) -> tuple[int, int, int]:
    """static/js/draw/scales.js divergingRgb: paper at 0, full blue or orange at |v| = max."""
    t = math.sqrt(min(1.0, abs(v) / top))
    far = NEG if v < 0 else POS
    return tuple(math.floor(p + (f - p) * t + 0.5) for p, f in zip(PAPER, far, strict=True))


def assert_image_is(page, kind: str, values: list[float]) -> None:
    got = page.evaluate(PIXELS_JS, kind)
    side = round(math.sqrt(len(values)))
    assert got["side"] == side and len(got["data"]) == 4 * side * side
    top = max(abs(v) for v in values)
    assert got["max"] == pytest.approx(top, rel=1e-15)
    worst = 0
    for k, v in enumerate(values):
        want = diverging(v, top)
        have = got["data"][4 * k : 4 * k + 3]
        worst = max(worst, *(abs(a - b) for a, b in zip(have, want, strict=True)))
        assert got["data"][4 * k + 3] == 255
    assert worst <= 1, f"{kind}: a pixel is {worst} levels off the API's value"


def demo_id(page, web_server, name: str) -> int:
    nets = page.request.get(f"{web_server}/api/networks").json()
    return next(n["id"] for n in nets if n["name"] == name)


@pytest.mark.parametrize(("demo", "j"), [("MNIST 784-30-10 (Nielsen)", 7), ("Digits 64-16-10", 3)])
def test_first_layer_neuron_shows_its_weights_and_gradient_as_images(
    page, web_server, open_page, click_neuron, settled, api, inputs, shot, demo, j
):
    nid = demo_id(page, web_server, demo)
    open_page(f"?net={nid}")
    settled()
    click_neuron(1, j)
    insp = page.locator(f"#panel-inspector[data-kind=neuron][data-layer='1'][data-j='{j}']")
    insp.wait_for()
    insp.locator("canvas.receptive-img[data-kind=gradient]").wait_for()
    weights = page.request.get(f"{web_server}/api/networks/{nid}").json()["network"]["weights"]
    assert_image_is(page, "weights", weights[0][j])
    grad = api("backprop", inputs())["layers"][1]["grad_w"][j]
    assert_image_is(page, "gradient", grad)
    # BP4: the gradient is a^0_k delta^1_j, so blank input pixels have no gradient.
    x = inputs()["x"]
    assert all(g == 0 for g, xk in zip(grad, x, strict=True) if xk == 0)
    assert any(g != 0 for g in grad)
    shot("receptive")

    # Deeper neurons are fed by neurons, not by an image: no picture there.
    click_neuron(2, 0)
    page.locator("#panel-inspector[data-kind=neuron][data-layer='2']").wait_for()
    assert page.locator("#panel-inspector canvas.receptive-img").count() == 0


def test_mnist_sample_browser_browses_real_digits(page, web_server, open_page, settled, inputs):
    nid = demo_id(page, web_server, "MNIST 784-30-10 (Nielsen)")
    open_page(f"?net={nid}")
    thumbs = page.locator("#sample-browser .thumb")
    thumbs.first.wait_for()
    assert thumbs.count() == 40
    # Each thumbnail is a 28x28 image with ink in it.
    sides = page.evaluate(
        "() => [...document.querySelectorAll('#sample-browser .thumb canvas')].map(c => c.width)"
    )
    assert set(sides) == {28}
    page.click("#sample-browser .thumb[data-index='12']")
    page.wait_for_function("() => window.__explorer.state.get('sample') === 12")
    settled()
    row = page.request.get(f"{web_server}/api/datasets/mnist?offset=12&limit=1").json()
    assert inputs()["x"] == row["x"][0]
    assert inputs()["y"] == row["y"][0]
    assert len(inputs()["x"]) == 784
