"""The page knows the server's facts only from GET /api/meta: started with other caps (as
EXPLORER_MAX_NEURONS or EXPLORER_MAX_LAYERS would set them), the same page enforces them."""

from __future__ import annotations

import httpx
import pytest

from app.config import Settings
from app.testing import serve

WELCOME_KEY = "backprop-explorer.welcome"  # as in tests/web/conftest.py
READY = "body[data-ready=true]"
DRAWN = "() => document.getElementById('network-canvas').dataset.drawMs"
NET = {
    "sizes": [2, 3, 2],
    "activations": ["sigmoid", "sigmoid"],
    "cost": "quadratic",
    "init": {"scheme": "xavier", "seed": 1},
}


@pytest.fixture(scope="module")
def small_caps(tmp_path_factory):
    """A second server whose caps are far below the defaults."""
    db = tmp_path_factory.mktemp("caps") / "caps.sqlite3"
    s = Settings(db_path=db, max_neurons=5, max_layers=3)
    with serve(s) as url:
        yield url


def _open_editor(page, base: str) -> int:
    body = {"name": "caps", "network": NET, "dataset": "xor"}
    made = httpx.post(f"{base}/api/networks", json=body)
    made.raise_for_status()
    # A returning visitor on this origin too (conftest does it for the default server).
    page.add_init_script(f"localStorage.setItem({WELCOME_KEY!r}, 'dismissed')")
    page.goto(f"{base}/?net={made.json()['id']}&panel=build")
    page.wait_for_selector(READY, timeout=20_000)
    page.wait_for_function(DRAWN)
    return made.json()["id"]


def test_the_page_enforces_the_caps_the_server_was_started_with(page, small_caps):
    limits = httpx.get(f"{small_caps}/api/meta").json()["limits"]
    assert (limits["max_neurons"], limits["max_layers"]) == (5, 3)
    _open_editor(page, small_caps)
    assert page.evaluate("window.__explorer.model.network.spec.sizes") == [2, 3, 2]

    # Neurons: the field's maximum is the server's, + stops there, more is refused.
    field = page.get_by_label("Neurons in layer 1 (hidden)")
    assert field.get_attribute("max") == "5"
    more = page.get_by_role("button", name="More neurons in layer 1")
    more.click()
    more.click()
    page.wait_for_function("() => document.getElementById('layer-1-neurons').value === '5'")
    assert more.is_disabled()
    field.fill("6")
    assert field.get_attribute("aria-invalid") == "true"
    page.wait_for_function(
        "() => window.__explorer.model.network.spec.sizes.join('-') === '2-5-2'", timeout=15_000
    )

    # Layers: two hidden layers make three after the input, the server's cap; no fourth.
    add = page.locator("#editor-add-layer")
    add.click()
    page.wait_for_function(
        "() => window.__explorer.model.network.spec.sizes.join('-') === '2-5-5-2'", timeout=15_000
    )
    assert add.is_disabled()
    assert "at most 3 layers after the input" in page.inner_text("#editor-add-note")


def test_the_default_server_offers_its_own_caps(page, web_server, saved_network):
    limits = httpx.get(f"{web_server}/api/meta").json()["limits"]
    assert limits["max_neurons"] == Settings().max_neurons == 1024
    nid = saved_network(NET, "defaults", "xor")
    page.goto(f"/?net={nid}&panel=build")
    page.wait_for_selector(READY, timeout=20_000)
    assert page.get_attribute("#layer-1-neurons", "max") == "1024"
    page.get_by_label("Neurons in layer 1 (hidden)").fill("6")
    page.wait_for_function(
        "() => window.__explorer.model.network.spec.sizes.join('-') === '2-6-2'", timeout=15_000
    )
    assert not page.locator("#editor-add-layer").is_disabled()
    # Activations, costs and schemes offered are the server's, in its order.
    meta = httpx.get(f"{web_server}/api/meta").json()
    acts = page.locator("#layer-1-act option").evaluate_all("os => os.map((o) => o.value)")
    assert acts == [a["name"] for a in meta["activations"]]
    costs = page.locator("#editor-cost option").evaluate_all("os => os.map((o) => o.value)")
    assert costs == [c["name"] for c in meta["costs"]]
    schemes = page.locator("#editor-scheme option").evaluate_all("os => os.map((o) => o.value)")
    assert schemes == [s["name"] for s in meta["init_schemes"]]
