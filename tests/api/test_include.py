"""`include` on the compute endpoints: exactly the named fields, each equal to the full
answer's, on the stateless and the saved routes; without it the answer is unchanged."""

from __future__ import annotations

import pytest
from api_helpers import fields

from app.api.schemas import (
    BACKPROP_FIELDS,
    FORWARD_FIELDS,
    GRADCHECK_FIELDS,
    NUDGE_FIELDS,
    PATHS_FIELDS,
)

NET = {
    "sizes": [3, 4, 2],
    "activations": ["tanh", "sigmoid"],
    "cost": "cross_entropy",
    "init": {"scheme": "normal", "seed": 5},
}
BATCH = {"x": [[0.1, -0.2, 0.3], [0.5, 0.4, -0.9]], "y": [[1.0, 0.0], [0.0, 1.0]]}
WEIGHT = {"kind": "weight", "layer": 1, "j": 0, "k": 2}
EXTRA = {
    "forward": {},
    "backprop": {},
    "paths": {"target": WEIGHT},
    "nudge": {"target": WEIGHT, "delta": 0.01},
    "gradcheck": {},
}
NAMES = {
    "forward": FORWARD_FIELDS,
    "backprop": BACKPROP_FIELDS,
    "paths": PATHS_FIELDS,
    "nudge": NUDGE_FIELDS,
    "gradcheck": GRADCHECK_FIELDS,
}
LAYER_FIELDS = {"a", "z", "sigma_prime", "dC_da", "delta", "grad_w", "grad_b", "delta_a"}
LAYER_FIELDS |= {"delta_a_linear"}


@pytest.fixture(scope="module")
def saved_id(shared_client):
    r = shared_client.post("/api/networks", json={"name": "include", "network": NET})
    return r.json()["id"]


def _post(client, endpoint, saved_id, include=None):
    body = {**BATCH, **EXTRA[endpoint]}
    if include is not None:
        body["include"] = include
    if saved_id is None:
        url, body = f"/api/{endpoint}", {**body, "network": NET}
    else:
        url = f"/api/networks/{saved_id}/{endpoint}"
    r = client.post(url, json=body)
    assert r.status_code == 200, r.text
    return r.json()


def _expected(full: dict, include: list[str]) -> dict:
    out = {k: v for k, v in full.items() if k in include or k == "notes"}
    per_layer = [n for n in include if n in LAYER_FIELDS]
    if per_layer:
        out["layers"] = [{k: v for k, v in l.items() if k in per_layer} for l in full["layers"]]
    return out


def _subsets(names):
    yield [names[0]]
    yield list(names[1::2])
    yield list(names)


@pytest.mark.parametrize("saved", [False, True], ids=["stateless", "saved"])
@pytest.mark.parametrize("endpoint", list(NAMES))
def test_include_returns_exactly_the_named_fields(shared_client, saved_id, endpoint, saved):
    nid = saved_id if saved else None
    full = _post(shared_client, endpoint, nid)
    for include in _subsets(NAMES[endpoint]):
        got = _post(shared_client, endpoint, nid, include)
        if endpoint == "gradcheck":  # its timings differ from run to run
            full["seconds"] = got.get("seconds", full["seconds"])
        assert got == _expected(full, include), include


def test_gradient_only_backprop_of_a_batch(shared_client):
    full = _post(shared_client, "backprop", None)
    got = _post(shared_client, "backprop", None, ["cost", "grad_w", "grad_b"])
    assert got["cost"] == full["cost"] and got["notes"] == []
    assert got["layers"][0] == {}
    for l in (1, 2):
        assert set(got["layers"][l]) == {"grad_w", "grad_b"}
        assert got["layers"][l]["grad_w"] == full["layers"][l]["grad_w"]


def test_forward_output_only_is_what_the_decision_boundary_needs(shared_client):
    full = _post(shared_client, "forward", None)
    got = _post(shared_client, "forward", None, ["output"])
    assert got == {"output": full["output"], "notes": []}
    assert full["output"] == full["layers"][-1]["a"]


@pytest.mark.parametrize(
    ("include", "field"),
    [(["grad_w", "paths"], "include[1]"), ([], "include"), ("cost", "include")],
)
def test_bad_include_is_422_naming_it(shared_client, include, field):
    r = shared_client.post("/api/backprop", json={**BATCH, "network": NET, "include": include})
    assert r.status_code == 422
    assert field in fields(r)


def test_openapi_documents_include(shared_client):
    spec = shared_client.get("/openapi.json").json()
    body = spec["components"]["schemas"]["BackpropRequest"]["properties"]["include"]
    text = str(body)
    assert "grad_w" in text and "notes" in body.get("description", "") + text
