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
