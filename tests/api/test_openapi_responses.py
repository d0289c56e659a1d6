"""Real answers of every endpoint validate against the schema /openapi.json gives for them.

The schemas are made strict for the check (no property the document does not name), so a
field the server sends but /docs does not describe fails here too. A new endpoint must be
exercised below: the last test compares the operations seen with the document's.
"""

from __future__ import annotations

import copy
import re

import jsonschema
import pytest

X, Y = [0.05, 0.10], [0.01, 0.99]
WEIGHT = {"kind": "weight", "layer": 1, "j": 0, "k": 1}


def _strict(schema):
    """Every object schema with properties forbids properties it does not list. Only whole
    objects: a one-of branch names just its own fields (NetworkIn's weights+biases | init)."""
    if isinstance(schema, dict):
        out = {k: _strict(v) for k, v in schema.items()}
        if (
            "properties" in out
            and out.get("type") == "object"
            and "additionalProperties" not in out
        ):
            out["additionalProperties"] = False
        return out
    if isinstance(schema, list):
        return [_strict(v) for v in schema]
    return schema


class Contract:
    def __init__(self, client):
        self.client = client
        self.spec = client.get("/openapi.json").json()
        self.components = _strict(copy.deepcopy(self.spec["components"]))
        self.seen: set[tuple[str, str]] = set()

    def _template(self, path: str) -> str:
        for template in self.spec["paths"]:
            pattern = "^" + re.sub(r"\{[^}]+\}", r"[^/]+", template) + "$"
            if re.match(pattern, path):
                return template
        raise AssertionError(f"{path} is not in /openapi.json")

    def call(self, method: str, url: str, status: int = 200, **kw):
        r = self.client.request(method, url, **kw)
        assert r.status_code == status, r.text
        path = url.split("?")[0]
        template = self._template(path)
        self.seen.add((method.lower(), template))
        op = self.spec["paths"][template][method.lower()]
        documented = op["responses"].get(str(status))
        assert documented is not None, f"{method} {template} does not document {status}"
        if status == 204:
            assert r.content == b""
            return None
        schema = documented["content"]["application/json"]["schema"]
        body = r.json()
        validator = jsonschema.Draft202012Validator({**schema, "components": self.components})
        errors = sorted(validator.iter_errors(body), key=lambda e: list(e.path))
        assert not errors, f"{method} {template}: " + "; ".join(
            f"{list(e.path)}: {e.message[:200]}" for e in errors[:5]
        )
        return body


def stateless_compute(contract, small_net):
    call = contract.call
    call("POST", "/api/forward", json={"network": small_net, "x": X})
    call("POST", "/api/forward", json={"network": small_net, "x": [X, X], "y": [Y, Y]})
    call("POST", "/api/backprop", json={"network": small_net, "x": X, "y": Y})
    call("POST", "/api/backprop", json={"network": small_net, "x": [X, X], "y": [Y, Y]})
    for mode, x, y in (("top", X, Y), ("all", X, Y), ("top", [X, X], [Y, Y])):
        body = {"network": small_net, "x": x, "y": y, "target": WEIGHT, "mode": mode}
        out = call("POST", "/api/paths", json=body)
        assert out["paths"]
    target = {"kind": "activation", "layer": 0, "j": 1}
    call("POST", "/api/paths", json={"network": small_net, "x": X, "y": Y, "target": target})
    nudge = {"network": small_net, "x": [X, X], "y": [Y, Y], "target": WEIGHT, "delta": 0.1}
    call("POST", "/api/nudge", json=nudge)
    call("POST", "/api/gradcheck", json={"network": small_net, "x": X, "y": Y})
    init = {"scheme": "he", "seed": 4}
    arch = {"sizes": [2, 3, 2], "activations": ["relu", "softmax"], "cost": "log_likelihood"}
    out = call("POST", "/api/initialise", json={"network": {**arch, "init": init}})
    assert out["sizes"] == [2, 3, 2] and len(out["weights"]) == 2


def overflow(contract, small_net):
    huge = {
        "sizes": [1, 1],
        "activations": ["linear"],
        "cost": "quadratic",
        "weights": [[[1e300]]],
        "biases": [[0.0]],
    }
    out = contract.call("POST", "/api/backprop", json={"network": huge, "x": [1e300], "y": [0]})
    assert out["layers"][1]["z"] == [None] and out["notes"]


def saved_networks(contract, small_net):
    call = contract.call
    made = call("POST", "/api/networks", 201, json={"name": "m", "network": small_net})
    nid = made["id"]
    call("GET", "/api/networks")
    call("GET", f"/api/networks/{nid}")
    call("GET", f"/api/networks/{nid}?version=1")
    call("GET", f"/api/networks/{nid}/versions")
    put = {"name": "m2", "network": small_net}
    call("PUT", f"/api/networks/{nid}", json=put, headers={"If-Match": '"1"'})
    exported = call("GET", f"/api/networks/{nid}/export")
    call("POST", "/api/networks/import", 201, json=exported)
    # Mazur's network is sigmoid with the quadratic cost: a network2.py network.
    network2 = call("GET", f"/api/networks/{nid}/export?format=network2")
    call("POST", "/api/networks/import?name=n2", 201, json=network2)
    restore = {"name": "m", "network": small_net, "restored_from": 1}
    call("PUT", f"/api/networks/{nid}", json=restore)
    call("GET", f"/api/networks/{nid}/training")
    base = f"/api/networks/{nid}"
    call("POST", f"{base}/forward", json={"x": X})
    call("POST", f"{base}/backprop", json={"x": X, "y": Y})
    call("POST", f"{base}/paths", json={"x": X, "y": Y, "target": WEIGHT, "mode": "all"})
    call("POST", f"{base}/nudge", json={"x": X, "y": Y, "target": WEIGHT, "delta": -0.2})
    call("POST", f"{base}/gradcheck", json={"x": [X, X], "y": [Y, Y]})
    regression = {"x": [[0.1, 0.2], [0.3, 0.1]], "y": [[0.2, 0.7], [0.9, 0.1]]}
    out = call(
        "POST", f"{base}/train", json={"samples": regression, "learning_rate": 1, "steps": 3}
    )
    assert out["steps"] == 3 and "accuracy" not in out
    xor = {
        "name": "x",
        "dataset": "xor",
        "network": {**small_net, "weights": None, "biases": None, "init": {"seed": 1}},
    }
    xor["network"] = {k: v for k, v in xor["network"].items() if v is not None}
    xid = call("POST", "/api/networks", 201, json=xor)["id"]
    out = call(
        "POST",
        f"/api/networks/{xid}/train",
        json={"dataset": "xor", "learning_rate": 3, "steps": 2},
    )
    assert len(out["accuracy"]) == 2
    record = call("GET", f"/api/networks/{xid}/training")
    assert record["steps"] == 2 and len(record["points"]["loss"]) == 2
    call("DELETE", f"/api/networks/{nid}", 204)


def datasets_and_meta(contract, small_net):
    names = [d["name"] for d in contract.call("GET", "/api/datasets")]
    for name in names:
        contract.call("GET", f"/api/datasets/{name}?limit=3")
        contract.call("GET", f"/api/datasets/{name}?part=held_out&limit=3")
    meta = contract.call("GET", "/api/meta")
    assert set(meta["datasets"]) == set(names)


def trees_training_and_lessons(contract, small_net):
    call = contract.call
    target = {"kind": "weight", "layer": 2, "j": 0, "k": 0}
    call("POST", "/api/tree", json={"network": small_net, "x": X, "y": Y, "target": target})
    nid = call("POST", "/api/networks", 201, json={"name": "t", "network": small_net})["id"]
    call("POST", f"/api/networks/{nid}/tree", json={"x": X, "y": Y, "target": WEIGHT})
    samples = {"x": [X, [0.3, 0.1]], "y": [Y, [0.9, 0.1]]}
    body = {"network": small_net, "samples": samples, "learning_rate": 0.5, "steps": 3}
    out = call("POST", "/api/train", json=body)
    assert out["version"] is None and out["steps"] == 3
    lessons = call("GET", "/api/lessons")
    assert lessons
    for lesson in lessons:
        call("GET", f"/api/lessons/{lesson['id']}")


def copies_and_shares(contract, small_net):
    call = contract.call
    nid = call("POST", "/api/networks", 201, json={"name": "s", "network": small_net})["id"]
    mine = call("POST", f"/api/networks/{nid}/copy", 201)
    assert mine["name"] == "s (copy)" and mine["network"]["weights"] == small_net["weights"]
    link = call("POST", f"/api/networks/{nid}/share")
    assert call("GET", link["url"])["id"] == nid
    call("DELETE", f"/api/networks/{nid}/share", 204)


CALLS = [
    stateless_compute,
    overflow,
    saved_networks,
    datasets_and_meta,
    trees_training_and_lessons,
    copies_and_shares,
]


@pytest.mark.parametrize("calls", CALLS, ids=lambda f: f.__name__)
def test_answers_match_the_schema(shared_client, small_net, calls):
    calls(Contract(shared_client), small_net)


def test_every_operation_is_checked(client, small_net):
    contract = Contract(client)
    for calls in CALLS:
        calls(contract, small_net)
    documented = {(m, p) for p, item in contract.spec["paths"].items() for m in item}
    assert documented - contract.seen == set()
