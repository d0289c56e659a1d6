"""Files in the Saved panel: a file written by the book's network2.py imports as it is, and
Export offers network2, PyTorch and NumPy besides our own JSON."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import numpy as np
import pytest

# The API tests' rewrite of the book's file format, shared rather than copied.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))
import network2_helpers as book

READY = "body[data-ready=true]"
DRAWN = "() => document.getElementById('network-canvas').dataset.drawMs"


def load(page, query):
    page.goto(f"/{query}")
    page.wait_for_selector(READY, timeout=20_000)
    page.wait_for_function(DRAWN)


def sigmoid_net(saved_network, acts=("sigmoid", "sigmoid"), cost="quadratic"):
    spec = {"sizes": [2, 3, 2], "activations": list(acts), "cost": cost, "init": {"seed": 4}}
    return saved_network(spec, "files", "xor")


def test_a_network2_file_imports_in_the_saved_panel(page, web_server, tmp_path, shot):
    weights, biases = book.random_network([2, 4, 2], seed=2)
    path = tmp_path / "nielsen-xor.json"
    path.write_text(book.save([2, 4, 2], weights, biases, book.CrossEntropyCost))
    load(page, "?panel=saved")
    page.set_input_files("#lib-import", str(path))
    page.wait_for_selector("#lib-status:has-text('Imported')")
    nid = page.evaluate("window.__explorer.model.network.id")
    try:
        got = page.request.get(f"{web_server}/api/networks/{nid}").json()
        assert got["name"] == "nielsen-xor"  # from the file's name: network2 files hold none
        assert got["network"]["cost"] == "cross_entropy"
        assert got["network"]["activations"] == ["sigmoid", "sigmoid"]
        assert got["network"]["weights"] == [w.tolist() for w in weights]
        assert got["network"]["biases"] == [b.ravel().tolist() for b in biases]
        shot("network2-imported")
    finally:
        page.request.delete(f"{web_server}/api/networks/{nid}")


def download(page, fmt: str, tmp_path):
    page.select_option("#lib-export-format", fmt)
    with page.expect_download() as dl:
        page.click("#lib-export")
    path = tmp_path / dl.value.suggested_filename
    dl.value.save_as(path)
    return path


def test_export_offers_every_format(page, web_server, saved_network, tmp_path):
    nid = sigmoid_net(saved_network)
    load(page, f"?net={nid}&panel=saved")
    stored = page.request.get(f"{web_server}/api/networks/{nid}").json()["network"]

    n2 = download(page, "network2", tmp_path)
    assert n2.name.endswith(".network2.json")
    sizes, weights, biases, cost = book.load(n2.read_text())
    assert sizes == [2, 3, 2] and cost is book.QuadraticCost
    assert [w.tolist() for w in weights] == stored["weights"]
    assert [b.ravel().tolist() for b in biases] == stored["biases"]

    script = download(page, "pytorch", tmp_path)
    assert script.name.endswith("_torch.py") and "def gradients(x, y)" in script.read_text()

    npz = download(page, "numpy", tmp_path)
    with np.load(io.BytesIO(npz.read_bytes()), allow_pickle=False) as f:
        assert f["W2"].tolist() == stored["weights"][1]

    ours = download(page, "explorer", tmp_path)
    assert json.loads(ours.read_text())["format"] == "backprop-explorer/network"


@pytest.mark.parametrize("expect_errors", [[r"status of 422", r"network2 networks are sigmoid"]])
def test_a_network_network2_cannot_hold_gets_the_servers_reason(page, saved_network, expect_errors):
    nid = sigmoid_net(saved_network, acts=("tanh", "sigmoid"))
    load(page, f"?net={nid}&panel=saved")
    page.select_option("#lib-export-format", "network2")
    page.click("#lib-export")
    banner = page.locator("#error-banner")
    banner.get_by_text("network2 networks are sigmoid on every layer").wait_for()
    assert "tanh" in banner.inner_text()
