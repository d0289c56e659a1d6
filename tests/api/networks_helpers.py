"""What the saved-network tests share: a network of awkward floats, a bit-exact comparison,
creating a network over HTTP, and the field names of a 422."""

from __future__ import annotations

import math

from api_helpers import bits, fields

__all__ = ["bits", "fields"]

AWKWARD_W1 = [[0.1 + 0.2, 5e-324], [1.7976931348623157e308, -0.0], [math.pi, -5e-324]]
AWKWARD = {
    "sizes": [2, 3, 2],
    "activations": ["linear", "linear"],
    "cost": "quadratic",
    "weights": [AWKWARD_W1, [[1 / 3, -0.0, 2.2250738585072014e-308], [1e-300, -1e300, 0.0]]],
    "biases": [[-0.0, 0.1, 1e308], [5e-324, -math.e]],
}


def assert_same_parameters(a: dict, b: dict) -> None:
    assert a["sizes"] == b["sizes"]
    assert a["activations"] == b["activations"]
    assert a["cost"] == b["cost"]
    assert len(a["weights"]) == len(b["weights"]) == len(a["sizes"]) - 1
    for l, (wa, wb) in enumerate(zip(a["weights"], b["weights"], strict=True)):
        assert bits(wa) == bits(wb), f"weights[{l}]"
    for l, (ba, bb) in enumerate(zip(a["biases"], b["biases"], strict=True)):
        assert bits(ba) == bits(bb), f"biases[{l}]"


def create(client, network: dict, name: str = "net", dataset: str | None = None) -> dict:
    body = {"name": name, "network": network}
    if dataset is not None:
        body["dataset"] = dataset
    r = client.post("/api/networks", json=body)
    assert r.status_code == 201, r.text
    return r.json()


def seeded(seed: int) -> dict:
    return {
        "sizes": [2, 3, 2],
        "activations": ["sigmoid", "sigmoid"],
        "cost": "quadratic",
        "init": {"scheme": "normal", "seed": seed},
    }


XY = {"x": [0.5, 0.25], "y": [1.0, 0.0]}
