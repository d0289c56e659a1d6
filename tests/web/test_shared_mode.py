"""The page on a shared (hosted) server: a demo is read-only, so stepping its training
opens an owned copy and trains that; another client does not see the copy."""

from __future__ import annotations

import tempfile
from pathlib import Path

import httpx
import pytest

from app.config import Settings
from app.testing import serve


@pytest.fixture(scope="module")
def shared_server():
    with (
        tempfile.TemporaryDirectory(prefix="web-shared-") as tmp,
        serve(Settings(db_path=Path(tmp) / "shared.sqlite3", shared=True)) as url,
    ):
        yield url


def test_training_a_demo_trains_an_owned_copy(page, shared_server):
    # A returning visitor, as in conftest.py (whose stored welcome is for the other server).
    page.add_init_script("localStorage.setItem('backprop-explorer.welcome', 'dismissed')")
    page.goto(f"{shared_server}/")
    page.wait_for_selector("body[data-ready=true]", timeout=20_000)
    listed = page.request.get(f"{shared_server}/api/networks").json()
    demo = listed[0]
    assert demo["read_only"] is True
    page.click("#train-step")
    page.wait_for_function(
        "() => document.getElementById('train-dock').dataset.steps === '1'", timeout=20_000
    )
    mine = [
        n for n in page.request.get(f"{shared_server}/api/networks").json() if not n["read_only"]
    ]
    assert [(n["name"], n["version"]) for n in mine] == [(f"{demo['name']} (copy)", 2)]
    assert f"net={mine[0]['id']}" in page.url
    # The demo is as it was, and a client with another key sees no copy.
    again = page.request.get(f"{shared_server}/api/networks/{demo['id']}").json()
    assert again["version"] == demo["version"]
    other = httpx.get(f"{shared_server}/api/networks").json()
    assert [n["id"] for n in other] == [n["id"] for n in listed]
    assert httpx.get(f"{shared_server}/api/networks/{mine[0]['id']}").status_code == 404


def _ready(page, url: str) -> None:
    page.add_init_script("localStorage.setItem('backprop-explorer.welcome', 'dismissed')")
    page.goto(url)
    page.wait_for_selector("body[data-ready=true]", timeout=20_000)
    page.wait_for_function("() => document.getElementById('cost-value').dataset.cost")


def _expected_cost(base: str, network: dict, dataset: str) -> float:
    sample = httpx.get(f"{base}/api/datasets/{dataset}?offset=0&limit=1").json()
    body = {"network": network, "x": sample["x"][0], "y": sample["y"][0]}
    return httpx.post(f"{base}/api/backprop", json=body).json()["cost"]


def test_a_share_link_opens_read_only_and_trains_the_visitors_own_copy(
    page, browser, shared_server
):
    # A keeps a copy of the first demo from the Saved panel and gives its share link.
    _ready(page, f"{shared_server}/?panel=saved")
    page.click("#lib-own-copy")
    page.wait_for_selector("#lib-share")
    mine = page.request.get(f"{shared_server}/api/networks").json()
    (own,) = [n for n in mine if not n["read_only"]]
    assert f"net={own['id']}" in page.url
    page.click("#lib-share")
    link = page.locator("#lib-share-url").input_value()
    token = link.split("net=shared:")[1]
    assert link.startswith(f"{shared_server}/?net=shared:") and len(token) >= 16
    shared = httpx.get(f"{shared_server}/api/shared/{token}").json()
    assert shared["id"] == own["id"] and shared["read_only"] is True

    # B, another client (no key of A's), opens the link: A's network, read-only, its cost
    # the API's own for the first sample.
    other = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        b = other.new_page()
        _ready(b, link)
        assert (
            b.locator("#network-select option:checked").inner_text().endswith("(shared with you)")
        )
        shown = float(b.get_attribute("#cost-value", "data-cost"))
        assert shown == _expected_cost(shared_server, shared["network"], shared["dataset"])
        b.click("#train-step")
        b.wait_for_function(
            "() => document.getElementById('train-dock').dataset.steps === '1'", timeout=20_000
        )
        theirs = [n for n in b.request.get(f"{shared_server}/api/networks").json()]
        copies = [n for n in theirs if not n["read_only"]]
        # Named as A's is (a copy of a copy is not called "(copy) (copy)").
        assert [(n["name"], n["version"]) for n in copies] == [(own["name"], 2)]
        assert f"net={copies[0]['id']}" in b.url
        # A's network is as it was: B trained its own copy.
        assert (
            page.request.get(f"{shared_server}/api/networks/{own['id']}").json()["version"]
            == own["version"]
        )

        # A stops sharing: the link opens nothing, and the page says why.
        page.click("#lib-unshare")
        page.wait_for_selector("#lib-share")
        assert httpx.get(f"{shared_server}/api/shared/{token}").status_code == 404
        b.goto(link)
        b.wait_for_selector("body[data-ready=true]", timeout=20_000)
        assert "revoked" in b.locator("#error-banner").inner_text()
        assert "shared:" not in b.url
    finally:
        other.close()


def test_an_edited_demo_is_saved_as_a_network_of_ones_own(page, shared_server):
    _ready(page, f"{shared_server}/?panel=build")
    demo = page.request.get(f"{shared_server}/api/networks").json()[0]
    assert demo["read_only"] is True
    page.get_by_role("button", name="More neurons in layer 1").click()
    save = page.locator("#editor-save")
    assert save.is_disabled() and "read-only" in save.get_attribute("title")
    page.click("#editor-save-copy")
    page.wait_for_selector("#editor-message:has-text('Saved as a new network')")
    mine = [
        n for n in page.request.get(f"{shared_server}/api/networks").json() if not n["read_only"]
    ]
    grown = [n for n in mine if n["sizes"][1] == demo["sizes"][1] + 1]
    assert len(grown) == 1 and f"net={grown[0]['id']}" in page.url
    again = page.request.get(f"{shared_server}/api/networks/{demo['id']}").json()
    assert again["version"] == demo["version"]
    assert again["network"]["sizes"] == demo["sizes"]
