"""The compute routes on a saved network answer exactly what the stateless routes answer
for its current version, save nothing, and validate their bodies the same way."""

from __future__ import annotations

import json

import pytest
from networks_helpers import XY, assert_same_parameters, create, fields, seeded

# --- compute on a saved network = stateless compute -----------------------------------------

BATCH = {"x": [[0.5, -1.25], [3.0, 0.125], [-0.0, 1e-3]], "y": [[1, 0], [0, 1], [0.25, 0.75]]}
COMPUTE = [
    ("forward", {"x": BATCH["x"]}),
    ("forward", BATCH),
    ("forward", {"x": [0.3, 0.7], "y": [0.0, 1.0]}),
    ("backprop", BATCH),
    ("backprop", {"x": [0.3, 0.7], "y": [0.0, 1.0]}),
    ("paths", {**BATCH, "target": {"kind": "weight", "layer": 1, "j": 2, "k": 1}, "mode": "all"}),
    ("paths", {**BATCH, "target": {"kind": "activation", "layer": 0, "j": 0}, "limit": 3}),
    ("paths", {"x": [0.3, 0.7], "y": [0, 1], "target": {"kind": "bias", "layer": 2, "j": 1}}),
    ("nudge", {**BATCH, "target": {"kind": "weight", "layer": 2, "j": 1, "k": 0}, "delta": 0.5}),
    ("nudge", {**BATCH, "target": {"kind": "bias", "layer": 1, "j": 2}, "delta": -1e-3}),
    ("gradcheck", BATCH),
    ("gradcheck", {**BATCH, "epsilon": 1e-4}),
]


def without_timings(body: dict) -> dict:
    return {k: v for k, v in body.items() if k != "seconds"}


def test_compute_on_a_saved_network_equals_stateless_compute(client):
    net = {
        "sizes": [2, 3, 2],
        "activations": ["tanh", "sigmoid"],
        "cost": "cross_entropy",
        "init": {"scheme": "he", "seed": 11},
    }
    saved = create(client, net)
    nid, concrete = saved["id"], saved["network"]
    for route, body in COMPUTE:
        via_saved = client.post(f"/api/networks/{nid}/{route}", json=body)
        stateless = client.post(f"/api/{route}", json={**body, "network": concrete})
        assert via_saved.status_code == stateless.status_code == 200, (route, via_saved.text)
        a, b = without_timings(via_saved.json()), without_timings(stateless.json())
        assert a == b, route
        # == on floats treats -0.0 as 0.0; compare the bytes of the JSON too.
        assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True), route
    # Real numbers came back, not empty shells.
    fwd = client.post(f"/api/networks/{nid}/forward", json=BATCH).json()
    assert len(fwd["output"]) == 3
    assert 0 < fwd["cost"] < 10
    grad = client.post(f"/api/networks/{nid}/gradcheck", json=BATCH).json()
    assert grad["parameters"] == 17
    assert grad["max_abs_error"] < 1e-7


def test_compute_on_a_saved_network_uses_its_current_version(client, small_net):
    nid = create(client, small_net)["id"]
    before = client.post(f"/api/networks/{nid}/forward", json={"x": [0.05, 0.10]}).json()
    # Nielsen's 2-2-2 example, by hand: o1 = 0.75136507, o2 = 0.77292847.
    assert before["output"] == pytest.approx([0.75136507, 0.77292847], abs=1e-8)
    client.put(f"/api/networks/{nid}", json={"name": "n", "network": seeded(4)})
    after = client.post(f"/api/networks/{nid}/forward", json={"x": [0.05, 0.10]}).json()
    current = client.get(f"/api/networks/{nid}").json()["network"]
    expected = client.post("/api/forward", json={"x": [0.05, 0.10], "network": current}).json()
    assert after == expected
    assert after["output"] != before["output"]


def test_nudge_on_a_saved_network_saves_nothing(client, small_net):
    nid = create(client, small_net)["id"]
    body = {**BATCH, "target": {"kind": "weight", "layer": 1, "j": 0, "k": 0}, "delta": 0.1}
    assert client.post(f"/api/networks/{nid}/nudge", json=body).status_code == 200
    got = client.get(f"/api/networks/{nid}")
    assert got.json()["version"] == 1
    assert_same_parameters(got.json()["network"], small_net)


def test_compute_routes_validate_their_bodies_on_saved_networks(client, small_net):
    nid = create(client, small_net)["id"]
    r = client.post(f"/api/networks/{nid}/forward", json={"x": [1.0, 2.0, 3.0]})
    assert r.status_code == 422
    assert fields(r) == ["x"]
    r = client.post(f"/api/networks/{nid}/backprop", json={"x": [1.0, 2.0]})
    assert r.status_code == 422
    assert fields(r) == ["y"]
    r = client.post(
        f"/api/networks/{nid}/paths",
        json={**XY, "target": {"kind": "weight", "layer": 3, "j": 0, "k": 0}},
    )
    assert r.status_code == 422
    assert "target" in r.json()["detail"]
