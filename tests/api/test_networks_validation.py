"""Bad bodies for creating or replacing a saved network: a 422 that names the field (and
says both sides of a dataset mismatch), and nothing is saved."""

from __future__ import annotations

import json

import pytest
from networks_helpers import create, fields, seeded

# --- bad bodies -------------------------------------------------------------------------------


def bad_weights(net):
    net["weights"][0][1] = [0.1, 0.2, 0.3]
    return net


BAD_BODIES = [
    (lambda net: {"network": net}, "name"),
    (lambda net: {"name": "", "network": net}, "name"),
    (lambda net: {"name": "x"}, "network"),
    (lambda net: {"name": "x", "network": net, "colour": "red"}, "colour"),
    (lambda net: {"name": "x", "network": {**net, "sizes": [2]}}, "network.sizes"),
    (lambda net: {"name": "x", "network": {**net, "sizes": [2, 0, 2]}}, "network.sizes[1]"),
    (lambda net: {"name": "x", "network": {**net, "activations": ["nope", "sigmoid"]}}, None),
    (lambda net: {"name": "x", "network": {**net, "cost": "hinge"}}, "network.cost"),
    (lambda net: {"name": "x", "network": bad_weights(net)}, "network.weights[0][1]"),
    (lambda net: {"name": "x", "network": {**net, "biases": [[0.1], [0.2, 0.3]]}}, None),
    (lambda net: {"name": "x", "network": {**net, "init": {"seed": 1}}}, "network"),
    (lambda net: {"name": 5, "network": net}, "name"),
]


@pytest.mark.parametrize(("make", "field"), BAD_BODIES)
@pytest.mark.parametrize("method", ["POST", "PUT"])
def test_bad_bodies_are_422_naming_the_field(shared_client, small_net, make, field, method):
    nid = create(shared_client, small_net)["id"]
    count = len(shared_client.get("/api/networks").json())
    body = make(json.loads(json.dumps(small_net)))
    url = "/api/networks" if method == "POST" else f"/api/networks/{nid}"
    r = shared_client.request(method, url, json=body)
    assert r.status_code == 422, r.text
    names = fields(r)
    if field is None:  # the exact index is the engine's choice; the part must be named
        assert any(n.startswith("network.") for n in names), names
    else:
        assert field in names, names
    assert field is None or field in r.json()["detail"]
    assert len(shared_client.get("/api/networks").json()) == count
    assert shared_client.get(f"/api/networks/{nid}").json()["version"] == 1


def test_unknown_activation_names_the_entry(shared_client, small_net):
    r = shared_client.post(
        "/api/networks",
        json={"name": "x", "network": {**small_net, "activations": ["sigmoid", "nope"]}},
    )
    assert r.status_code == 422
    assert fields(r) == ["network.activations[1]"]


@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_non_finite_weights_are_refused_naming_the_entry(shared_client, small_net, token):
    text = json.dumps({"name": "x", "network": small_net}).replace("0.15,", f"{token},", 1)
    assert token in text
    r = shared_client.post(
        "/api/networks", content=text, headers={"Content-Type": "application/json"}
    )
    assert r.status_code == 422, r.text
    assert fields(r) == ["network.weights[0][0][0]"]


def test_invalid_json_is_400_malformed_body(client):
    r = client.post(
        "/api/networks", content=b'{"name": "x",', headers={"Content-Type": "application/json"}
    )
    assert r.status_code == 400
    assert fields(r) == ["body"]
    assert r.json()["code"] == "malformed_body"


@pytest.mark.parametrize("method", ["POST", "PUT"])
def test_dataset_mismatch_is_422_naming_dataset(client, small_net, method):
    nid = create(client, small_net)["id"]
    url = "/api/networks" if method == "POST" else f"/api/networks/{nid}"
    for dataset in ("iris", "digits", "no-such-set"):
        r = client.request(
            method, url, json={"name": "x", "network": small_net, "dataset": dataset}
        )
        assert r.status_code == 422, r.text
        assert fields(r) == ["dataset"]
        assert dataset in r.json()["detail"]
    # iris: 4 features and 3 classes; the message says both sides.
    r = client.request(method, url, json={"name": "x", "network": small_net, "dataset": "iris"})
    assert "4 features" in r.json()["detail"]
    assert "3 classes" in r.json()["detail"]
    assert client.get(f"/api/networks/{nid}").json()["version"] == 1
    # A fitting network is accepted for the same dataset.
    iris_net = {**seeded(0), "sizes": [4, 5, 3]}
    r = client.request(method, url, json={"name": "x", "network": iris_net, "dataset": "iris"})
    assert r.status_code in (200, 201)
    assert r.json()["dataset"] == "iris"
