"""Files in and out: the book's network2.py files both ways, and the .npz export."""

from __future__ import annotations

import io
import json

import network2_helpers as book
import numpy as np
import pytest
from api_helpers import bits, fields
from networks_helpers import create, seeded

SIZES = [3, 5, 4]  # fits no dataset


def _import(client, text: str, **params):
    return client.post(
        "/api/networks/import",
        content=text,
        params=params,
        headers={"Content-Type": "application/json"},
    )


def _samples(seed: int, n: int, sizes=SIZES):
    rng = np.random.default_rng(seed)
    return rng.random((n, sizes[0])).tolist(), rng.random((n, sizes[-1])).tolist()


@pytest.mark.parametrize("cost", [book.QuadraticCost, book.CrossEntropyCost])
def test_a_network2_save_file_imports_as_it_is(client, cost):
    weights, biases = book.random_network(SIZES, seed=3)
    text = book.save(SIZES, weights, biases, cost)
    r = _import(client, text, name="from the book")
    assert r.status_code == 201, r.text
    saved = r.json()
    assert saved["name"] == "from the book" and saved["dataset"] is None
    net = saved["network"]
    assert net["activations"] == ["sigmoid", "sigmoid"]
    assert (
        net["cost"]
        == {"QuadraticCost": "quadratic", "CrossEntropyCost": "cross_entropy"}[cost.__name__]
    )
    # Bit for bit: the floats the book wrote are the floats stored.
    for l in range(2):
        assert bits(net["weights"][l]) == bits(weights[l].tolist())
        assert bits(net["biases"][l]) == bits(biases[l].ravel().tolist())
    assert client.get(f"/api/networks/{saved['id']}/versions").json()[0]["source"] == "import"

    # Backprop of the imported network equals the book's own column-vector backprop.
    xs, ys = _samples(1, 7)
    got = client.post(f"/api/networks/{saved['id']}/backprop", json={"x": xs, "y": ys}).json()
    want_cost, want_w, want_b = book.backprop(weights, biases, cost, xs, ys)
    assert got["cost"] == pytest.approx(want_cost, rel=1e-12, abs=1e-12)
    for l in range(1, 3):
        np.testing.assert_allclose(
            got["layers"][l]["grad_w"], want_w[l - 1], rtol=1e-12, atol=1e-14
        )
        np.testing.assert_allclose(
            got["layers"][l]["grad_b"], want_b[l - 1], rtol=1e-12, atol=1e-14
        )


def test_network2_import_defaults_its_name_and_finds_the_one_dataset_that_fits(client):
    weights, biases = book.random_network([64, 8, 10], seed=1)
    r = _import(client, book.save([64, 8, 10], weights, biases, book.QuadraticCost))
    assert r.status_code == 201, r.text
    assert r.json()["name"] == "network2 64-8-10"
    assert r.json()["dataset"] == "digits"


def test_network2_export_is_read_back_by_the_books_load(client):
    weights, biases = book.random_network([3, 4, 2], seed=9)
    original = book.save([3, 4, 2], weights, biases, book.CrossEntropyCost)
    nid = _import(client, original).json()["id"]
    r = client.get(f"/api/networks/{nid}/export", params={"format": "network2"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/json")
    assert r.headers["Content-Disposition"].endswith('.network2.json"')
    assert json.loads(r.content) == json.loads(original)
    sizes, w2, b2, cost = book.load(r.text)
    assert sizes == [3, 4, 2] and cost is book.CrossEntropyCost
    for a, b in zip(w2 + b2, weights + biases, strict=True):
        assert a.shape == b.shape and a.tobytes() == b.tobytes()
    # And the round trip through our export and import again keeps every bit.
    back = _import(client, r.text).json()["network"]
    again = client.get(f"/api/networks/{nid}").json()["network"]
    assert bits(back["weights"][0]) == bits(again["weights"][0])


@pytest.mark.parametrize(
    ("network", "why"),
    [
        ({**seeded(1), "activations": ["tanh", "sigmoid"]}, "tanh"),
        ({**seeded(1), "cost": "sse"}, "sse"),
    ],
)
def test_network2_export_refuses_what_network2_cannot_hold(client, network, why):
    nid = create(client, network)["id"]
    r = client.get(f"/api/networks/{nid}/export", params={"format": "network2"})
    assert r.status_code == 422
    assert fields(r) == ["format"] and why in r.json()["detail"]


N2 = {"sizes": [2, 2], "weights": [[[1, 2], [3, 4]]], "biases": [[[0], [0]]]}
N2["cost"] = "QuadraticCost"


@pytest.mark.parametrize(
    ("doc", "field"),
    [
        ({"hello": 1}, "body"),
        ([1, 2], "body"),
        (
            {"sizes": [2, 2], "weights": [[[1, 2], [3, 4]]], "biases": [[[0], [0]]], "cost": "Log"},
            "cost",
        ),
        (
            {
                "sizes": [2, 2],
                "weights": [[[1, 2], [3, 4]]],
                "biases": [[0, 0]],
                "cost": "QuadraticCost",
            },
            "biases[0][0]",
        ),
        (
            {
                "sizes": [2, 2],
                "weights": [[[1, 2]]],
                "biases": [[[0], [0]]],
                "cost": "QuadraticCost",
            },
            "weights[0]",
        ),
    ],
)
def test_unknown_or_broken_files_are_refused_and_save_nothing(shared_client, doc, field):
    before = len(shared_client.get("/api/networks").json())
    r = shared_client.post("/api/networks/import", json=doc)
    assert r.status_code == 422, r.text
    assert field in fields(r)
    if field == "body":
        detail = r.json()["detail"]
        assert "backprop-explorer/network" in detail and "network2" in detail
    assert len(shared_client.get("/api/networks").json()) == before


# --- numpy --------------------------------------------------------------------------------------


def test_npz_export_round_trip_is_exact(client):
    spec = {**seeded(4), "activations": ["relu", "softmax"], "cost": "log_likelihood"}
    made = create(client, spec, name="npz")
    r = client.get(f"/api/networks/{made['id']}/export", params={"format": "numpy"})
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/octet-stream"
    assert r.headers["Content-Disposition"].endswith('-v1.npz"')
    with np.load(io.BytesIO(r.content), allow_pickle=False) as f:
        assert sorted(f.files) == ["W1", "W2", "activations", "b1", "b2", "cost", "sizes"]
        assert f["sizes"].tolist() == spec["sizes"]
        assert f["activations"].tolist() == ["relu", "softmax"]
        assert str(f["cost"]) == "log_likelihood"
        stored = client.get(f"/api/networks/{made['id']}").json()["network"]
        for l in (1, 2):
            assert f[f"W{l}"].dtype == np.float64
            assert f[f"W{l}"].tobytes() == np.array(stored["weights"][l - 1]).tobytes()
            assert f[f"b{l}"].tobytes() == np.array(stored["biases"][l - 1]).tobytes()
        # Back in through the API: the same network, bit for bit.
        back = {
            "sizes": f["sizes"].tolist(),
            "activations": f["activations"].tolist(),
            "cost": str(f["cost"]),
            "weights": [f[f"W{l}"].tolist() for l in (1, 2)],
            "biases": [f[f"b{l}"].tolist() for l in (1, 2)],
        }
    again = create(client, back)["network"]
    assert bits(again["weights"][1]) == bits(stored["weights"][1])


def test_unknown_export_format_is_422(client):
    nid = create(client, seeded(1))["id"]
    r = client.get(f"/api/networks/{nid}/export", params={"format": "onnx"})
    assert r.status_code == 422 and "format" in r.json()["detail"]
