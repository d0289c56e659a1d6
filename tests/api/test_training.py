"""POST /api/networks/{id}/train: SGD on a saved network, saved as one new version.

What a successful train answers and saves: the engine's SGD bit for bit, falling loss,
reproducible runs, and the digits and iris accuracy targets.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from fastapi.testclient import TestClient
from training_helpers import XOR_NET, create, same_parameters, train

from app.config import Settings
from app.datasets import dataset_parts, load_dataset
from app.main import create_app
from app.nn.network import Network
from app.nn.train import sgd

# --- the response and the saved version ---------------------------------------------------


def test_train_answers_the_log_and_saves_one_new_version(client):
    made = create(client, *XOR_NET, dataset="xor")
    nid = made["id"]
    r = train(client, nid, dataset="xor", learning_rate=0.5, batch_size=32, epochs=3, seed=7)
    assert r.status_code == 200, r.text
    out = r.json()
    steps = 3 * math.ceil(160 / 32)  # training sees the 160 of xor's 200 not held out
    assert out["version"] == 2
    assert out["steps"] == steps == 15
    assert len(out["loss"]) == len(out["accuracy"]) == len(out["grad_norms"]) == steps
    assert all(len(g) == 2 and all(v >= 0 for v in g) for g in out["grad_norms"])
    assert any(v > 0 for g in out["grad_norms"] for v in g)
    assert all(0 <= a <= 1 for a in out["accuracy"])
    assert out["eval_samples"] == 160
    assert 0 <= out["train_accuracy"] <= 1
    assert len(out["held_out_accuracies"]) == steps
    # The saved version is exactly the network in the answer.
    got = client.get(f"/api/networks/{nid}")
    assert got.headers["ETag"] == '"2"'
    assert got.json()["name"] == made["name"]
    assert got.json()["dataset"] == "xor"
    assert same_parameters(got.json()["network"], out["network"])
    assert not same_parameters(got.json()["network"], made["network"])
    old = client.get(f"/api/networks/{nid}", params={"version": 1}).json()["network"]
    assert same_parameters(old, made["network"])
    history = client.get(f"/api/networks/{nid}/versions").json()
    assert [(h["version"], h["source"]) for h in history] == [(1, "create"), (2, "train")]


def test_training_versions_beyond_the_configured_number_are_thinned(tmp_path):
    """EXPLORER_KEEP_TRAINING_VERSIONS: the newest checkpoints a play session writes stay,
    older ones are thinned (one per power-of-two age); the created version and the head
    stay, a thinned checkpoint answers 404 saying why."""
    s = Settings(db_path=tmp_path / "keep.sqlite3", keep_training_versions=2)
    with TestClient(create_app(s)) as c:
        nid = create(c, *XOR_NET, dataset="xor")["id"]
        for seed in range(4):
            r = train(c, nid, dataset="xor", learning_rate=0.5, batch_size=8, steps=2, seed=seed)
            assert r.status_code == 200, r.text
        history = c.get(f"/api/networks/{nid}/versions").json()
        assert [(h["version"], h["source"]) for h in history] == [
            (1, "create"),
            (2, "train"),
            (4, "train"),
            (5, "train"),
        ]
        gone = c.get(f"/api/networks/{nid}", params={"version": 3})
        assert gone.status_code == 404
        assert "training keeps its newest 2 checkpoints" in gone.json()["detail"]
        assert c.get(f"/api/networks/{nid}").json()["version"] == 5


def test_train_is_sgd_with_the_batch_averaged_backprop_gradient(client):
    """One full-batch step is W - eta * dC/dW from /backprop, and matches the engine."""
    nid = create(client, [2, 3, 2], ["sigmoid", "sigmoid"], seed=3)["id"]
    start = client.get(f"/api/networks/{nid}").json()["network"]
    x = [[0.1, 0.9], [0.8, 0.2], [-0.5, 0.4], [0.3, -0.7]]
    y = [[1, 0], [0, 1], [1, 0], [0, 1]]
    grads = client.post(f"/api/networks/{nid}/backprop", json={"x": x, "y": y}).json()
    eta = 0.75
    r = train(client, nid, samples={"x": x, "y": y}, learning_rate=eta, batch_size=4, steps=1)
    assert r.status_code == 200, r.text
    out = r.json()["network"]
    for l in range(2):
        w0, b0 = np.array(start["weights"][l]), np.array(start["biases"][l])
        gw = np.array(grads["layers"][l + 1]["grad_w"])
        gb = np.array(grads["layers"][l + 1]["grad_b"])
        np.testing.assert_allclose(out["weights"][l], w0 - eta * gw, rtol=0, atol=1e-15)
        np.testing.assert_allclose(out["biases"][l], b0 - eta * gb, rtol=0, atol=1e-15)
        assert r.json()["grad_norms"][0][l] == pytest.approx(np.linalg.norm(gw), rel=1e-12)
    # ... and the API's many-step run is the engine's sgd, bit for bit.
    (X, Y), _ = dataset_parts(load_dataset("circles"))
    nid2 = create(client, *XOR_NET, seed=5)["id"]
    net0 = client.get(f"/api/networks/{nid2}").json()["network"]
    r = train(client, nid2, dataset="circles", learning_rate=0.5, batch_size=16, steps=40, seed=9)
    net = Network(net0["sizes"], net0["activations"], net0["cost"], net0["weights"], net0["biases"])
    engine, log = sgd(net, X, Y, 0.5, 16, 40, seed=9, eval_set=(X, Y), classify=True)
    assert same_parameters(r.json()["network"], engine.to_dict())
    assert r.json()["loss"] == log.loss
    assert r.json()["accuracy"] == log.accuracy


@pytest.mark.parametrize("dataset", ["xor", "circles"])
def test_loss_decreases_and_the_network_learns(client, dataset):
    nid = create(client, *XOR_NET, seed=1)["id"]
    r = train(client, nid, dataset=dataset, learning_rate=0.5, batch_size=10, epochs=50, seed=0)
    assert r.status_code == 200, r.text
    out = r.json()
    loss = out["loss"]
    assert len(loss) == 800  # 50 epochs of 160 training samples in batches of 10
    assert np.mean(loss[-20:]) < 0.25 * np.mean(loss[:20])
    assert loss[-1] < 0.2
    assert out["train_accuracy"] >= 0.95
    assert out["accuracy"][-1] >= 0.95


def test_regression_samples_have_no_accuracy(client):
    nid = create(client, [1, 4, 1], ["tanh", "linear"], seed=2)["id"]
    xs = [[v] for v in np.linspace(-1, 1, 21)]
    ys = [[0.5 * v[0] + 0.25] for v in xs]
    r = train(client, nid, samples={"x": xs, "y": ys}, learning_rate=0.1, batch_size=7, epochs=50)
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["steps"] == 150
    assert out.get("accuracy") is None
    assert out.get("train_accuracy") is None
    assert out["loss"][-1] < 0.2 * out["loss"][0]


# --- reproducibility ---------------------------------------------------------------------------


def test_same_start_and_seed_end_bit_identical(client):
    a = create(client, *XOR_NET, seed=4)["id"]
    b = create(client, *XOR_NET, seed=4)["id"]
    c = create(client, *XOR_NET, seed=4)["id"]
    body = {"dataset": "circles", "learning_rate": 0.5, "batch_size": 8, "epochs": 3}
    ra = train(client, a, seed=42, **body).json()
    rb = train(client, b, seed=42, **body).json()
    rc = train(client, c, seed=43, **body).json()
    assert same_parameters(ra["network"], rb["network"])
    assert json.dumps(ra["loss"]) == json.dumps(rb["loss"])
    assert ra["grad_norms"] == rb["grad_norms"]
    sa = client.get(f"/api/networks/{a}").json()["network"]
    sb = client.get(f"/api/networks/{b}").json()["network"]
    assert same_parameters(sa, sb)
    # Another seed shuffles the batches differently.
    assert not same_parameters(ra["network"], rc["network"])


# --- acceptance: digits and iris ---------------------------------------------------------------


def full_accuracy(client, nid, name, part=0) -> float:
    """Accuracy from our own forward pass over every training (part 0) or held-out (part 1)
    sample, not the train log."""
    x, y = dataset_parts(load_dataset(name))[part]
    out = client.post(f"/api/networks/{nid}/forward", json={"x": x.tolist()}).json()["output"]
    return float(np.mean(np.argmax(out, axis=1) == np.argmax(y, axis=1)))


def test_digits_64_32_10_sigmoid_quadratic_reaches_90_percent_within_30_epochs(client):
    nid = create(client, [64, 32, 10], ["sigmoid", "sigmoid"], "quadratic", seed=0)["id"]
    assert full_accuracy(client, nid, "digits") < 0.3  # it starts out knowing nothing
    epochs, per_request, accuracy = 0, 2, 0.0
    while epochs < 30 and accuracy < 0.9:
        r = train(
            client,
            nid,
            dataset="digits",
            learning_rate=3.0,
            batch_size=10,
            epochs=per_request,
            seed=epochs,
        )
        assert r.status_code == 200, r.text
        epochs += per_request
        accuracy = r.json()["train_accuracy"]
        assert r.json()["eval_samples"] == 512
    assert accuracy >= 0.9, f"{accuracy:.3f} after {epochs} epochs"
    assert epochs <= 30
    assert full_accuracy(client, nid, "digits") == pytest.approx(accuracy, abs=1e-12)


def test_iris_reaches_95_percent(client):
    nid = create(client, [4, 10, 3], ["sigmoid", "softmax"], "log_likelihood", seed=0)["id"]
    assert full_accuracy(client, nid, "iris") < 0.7
    r = train(client, nid, dataset="iris", learning_rate=2.0, batch_size=10, epochs=60, seed=0)
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["steps"] == 60 * 12  # 120 training samples, 30 held out
    assert out["train_accuracy"] >= 0.95
    assert full_accuracy(client, nid, "iris") == pytest.approx(out["train_accuracy"], abs=1e-12)
