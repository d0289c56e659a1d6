"""Stalls are named in words with a fix, from the stored record; suggested learning rates
are ones that train (measured here through the API)."""

from __future__ import annotations

import pytest
from training_helpers import create, train

from app.nn.network import Network
from app.services.stalls import SATURATED_STEPS, chance_loss, diagnose

XOR = ([2, 3, 2], ["sigmoid", "sigmoid"], "quadratic")


def saved(client, weights, biases, activations=("sigmoid", "sigmoid"), cost="quadratic"):
    spec = {"sizes": [2, 2, 2], "activations": list(activations), "cost": cost}
    spec |= {"weights": weights, "biases": biases}
    body = {"name": "stall", "dataset": "xor", "network": spec}
    r = client.post("/api/networks", json=body)
    assert r.status_code == 201, r.text
    return r.json()["id"]


def test_vanished_gradients_are_named_with_a_fix(client):
    # z >= 1000 everywhere: sigma'(z) = 0 in float64, so every gradient is exactly 0.
    big = [[1000, 0], [0, 1000]]
    nid = saved(client, [big, big], [[2000, 2000], [2000, 2000]])
    out = train(client, nid, dataset="xor", learning_rate=0.5, steps=5).json()
    assert all(max(g) < 1e-8 for g in out["grad_norms"])
    assert out["stall"]["kind"] == "vanishing"
    assert "below 10⁻⁸" in out["stall"]["message"]
    assert "new weights" in out["stall"]["fix"]
    # The record says so too (what the page reads after a reload).
    assert client.get(f"/api/networks/{nid}/training").json()["stall"] == out["stall"]


def test_saturated_outputs_are_named_when_they_last(client):
    # Outputs at z ~ 10: a ~ 0.99995 (saturated) but sigma' ~ 5e-5, so gradients do not vanish.
    nid = saved(client, [[[0.1, 0], [0, 0.1]], [[0, 0], [0, 0]]], [[0, 0], [10, 10]])
    first = train(client, nid, dataset="xor", learning_rate=0.1, steps=SATURATED_STEPS - 1).json()
    assert first["stall"] is None  # not for long enough yet
    out = train(client, nid, dataset="xor", learning_rate=0.1, steps=2).json()
    assert min(out["saturated"]) > 0.9
    assert max(max(g) for g in out["grad_norms"]) > 1e-8
    assert out["stall"]["kind"] == "saturated"
    assert "cross-entropy with sigmoid outputs" in out["stall"]["fix"]


def test_loss_at_chance_level_is_named(client):
    # 2-3-2 sigmoid on xor at a small rate: C stays at 0.25, the cost of answering (0.5, 0.5).
    nid = create(client, *XOR, seed=1, dataset="xor")["id"]
    out = train(client, nid, dataset="xor", learning_rate=0.1, steps=300).json()
    assert out["loss"][-1] == pytest.approx(0.25, abs=0.01)
    assert out["stall"]["kind"] == "chance"
    assert "chance level" in out["stall"]["message"] and "0.25" in out["stall"]["message"]


def test_a_network_that_learns_has_no_stall(client):
    nid = create(client, *XOR, seed=1, dataset="xor")["id"]
    out = train(client, nid, dataset="xor", learning_rate=3.0, steps=1500).json()
    assert out["accuracy"][-1] >= 0.9
    assert out["stall"] is None


def test_chance_loss_per_cost():
    import numpy as np

    Y = np.array([[1, 0], [0, 1], [1, 0], [0, 1]], dtype=float)
    assert chance_loss("quadratic", Y) == pytest.approx(0.25)
    assert chance_loss("sse", Y) == pytest.approx(0.5)
    assert chance_loss("cross_entropy", Y) == pytest.approx(2 * np.log(2))
    assert chance_loss("log_likelihood", Y) == pytest.approx(np.log(2))


# Each case trains at the rate the server suggests: (dataset, network, steps, held-out accuracy).
TRAINS = [
    ("xor", ([2, 3, 2], ["sigmoid", "sigmoid"], "quadratic"), 2000, 0.9),
    ("xor", ([2, 8, 2], ["tanh", "sigmoid"], "cross_entropy"), 1500, 0.95),
    ("circles", ([2, 8, 2], ["tanh", "sigmoid"], "cross_entropy"), 1500, 0.95),
    ("gaussians", ([2, 4, 2], ["sigmoid", "sigmoid"], "quadratic"), 500, 0.95),
    ("iris", ([4, 10, 3], ["sigmoid", "softmax"], "log_likelihood"), 1500, 0.85),
]


@pytest.mark.parametrize(("dataset", "arch", "steps", "target"), TRAINS)
def test_the_suggested_rate_trains(client, dataset, arch, steps, target):
    nid = create(client, *arch, seed=1, dataset=dataset)["id"]
    eta = client.get(f"/api/networks/{nid}/training").json()["suggested_learning_rate"]
    out = train(client, nid, dataset=dataset, learning_rate=eta, steps=steps).json()
    assert out["held_out_accuracy"] >= target, (eta, out["held_out_accuracy"])
    assert out["stall"] is None


SPIRAL = ([2, 32, 32, 2], ["tanh", "tanh", "sigmoid"], "cross_entropy")


def test_tanh_cross_entropy_on_the_spiral_is_suggested_a_rate_that_trains_it(client):
    """The issue's case: this network stalls at eta = 0.5 and trains at 0.1 (the slowest test
    here, ~20,000 steps; the machine's speed does not matter, only the steps)."""
    nid = create(client, *SPIRAL, seed=1, dataset="spiral")["id"]
    eta = client.get(f"/api/networks/{nid}/training").json()["suggested_learning_rate"]
    assert eta == 0.1
    for i in range(10):  # 2,000 steps a request keeps within the work cap per request
        out = train(client, nid, dataset="spiral", learning_rate=eta, steps=2000, seed=i).json()
    assert out["total_steps"] == 20_000
    assert sum(out["accuracy"][-100:]) / 100 >= 0.9
    assert out["held_out_accuracy"] >= 0.85
    # ... while at 0.5 the loss sits at chance level and the dock says so.
    stuck = create(client, *SPIRAL, seed=1, dataset="spiral")["id"]
    out = train(client, stuck, dataset="spiral", learning_rate=0.5, steps=1000).json()
    assert out["stall"]["kind"] == "chance"


def test_a_network_that_has_learnt_its_data_is_not_called_stalled():
    """Saturated outputs and tiny gradients at 100% accuracy are the end of training: the
    page showed "outputs saturated" on a solved circles run before this."""
    net = Network.initialised([2, 4, 2], ["tanh", "softmax"], "log_likelihood", "xavier", 0)
    n = SATURATED_STEPS + 10
    points = {
        "loss": [1e-4] * n,
        "accuracy": [1.0] * n,
        "saturated": [1.0] * n,
        "grad_norms": [[1e-9, 1e-9]] * n,
    }
    assert diagnose(points, net, None) is None
    # The same saturation while still wrong on a tenth of the data is a stall.
    wrong = {**points, "accuracy": [0.9] * n, "loss": [0.5] * n, "grad_norms": [[1e-3, 1e-3]] * n}
    assert diagnose(wrong, net, None)["kind"] == "saturated"
