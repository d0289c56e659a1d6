"""What the training tests share: bit-exact parameter comparison, creating a network from
an init over HTTP, posting a train request, and the field names of a 422."""

from __future__ import annotations

from api_helpers import bits, fields

__all__ = ["bits", "fields"]


def same_parameters(a: dict, b: dict) -> bool:
    return (
        a["sizes"] == b["sizes"]
        and all(bits(x) == bits(y) for x, y in zip(a["weights"], b["weights"], strict=True))
        and all(bits(x) == bits(y) for x, y in zip(a["biases"], b["biases"], strict=True))
    )


def create(client, sizes, activations, cost="quadratic", seed=0, scheme="xavier", dataset=None):
    body = {
        "name": "t",
        "network": {
            "sizes": sizes,
            "activations": activations,
            "cost": cost,
            "init": {"scheme": scheme, "seed": seed},
        },
    }
    if dataset:
        body["dataset"] = dataset
    r = client.post("/api/networks", json=body)
    assert r.status_code == 201, r.text
    return r.json()


def train(client, nid, **body):
    return client.post(f"/api/networks/{nid}/train", json=body)


XOR_NET = ([2, 8, 2], ["tanh", "sigmoid"], "cross_entropy")
