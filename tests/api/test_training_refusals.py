"""Train requests that are refused save nothing: divergence, the work and batch caps, a
stale if_version, bad bodies; and an overflowing gradient norm is never a 500."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from training_helpers import XOR_NET, create, fields, same_parameters, train

from app.config import Settings
from app.main import create_app

# --- refusals ---------------------------------------------------------------------------------


def assert_unchanged(client, nid, network, version=1):
    got = client.get(f"/api/networks/{nid}")
    assert got.json()["version"] == version
    assert same_parameters(got.json()["network"], network)
    assert len(client.get(f"/api/networks/{nid}/versions").json()) == version


@pytest.mark.parametrize(
    ("sizes", "activations", "data"),
    [
        ([2, 8, 2], ["relu", "linear"], {"dataset": "xor"}),
        ([2, 2], ["linear"], {"samples": {"x": [[1, 2], [3, -4]], "y": [[0, 1], [1, 0]]}}),
    ],
)
def test_diverging_learning_rate_is_422_and_saves_nothing(client, sizes, activations, data):
    made = create(client, sizes, activations, seed=2)
    nid = made["id"]
    r = train(client, nid, learning_rate=1000, batch_size=10, steps=300, **data)
    assert r.status_code == 422, r.text
    assert fields(r) == ["learning_rate"]
    assert "diverged" in r.json()["detail"]
    assert r.json()["code"] == "diverged"
    assert_unchanged(client, nid, made["network"])


def test_work_over_the_cap_is_422_and_saves_nothing(tmp_path):
    # xor on a 2-8-2 network: 42 parameters, eval over its 160 training and 40 held-out
    # samples. No per-layer overhead here, so the arithmetic below is the batch and eval work.
    s = Settings(db_path=tmp_path / "cap.sqlite3", max_train_work=1_000_000, train_layer_overhead=0)
    with TestClient(create_app(s)) as c:
        made = create(c, *XOR_NET)
        nid = made["id"]
        # 100 steps x (3 x 10 + 200) x 42 = 966,000: under the cap.
        ok = train(c, nid, dataset="xor", learning_rate=0.1, batch_size=10, steps=100)
        assert ok.status_code == 200, ok.text
        after = ok.json()["network"]
        # 104 steps: 1,004,640, over it.
        r = train(c, nid, dataset="xor", learning_rate=0.1, batch_size=10, steps=104)
        assert r.status_code == 422
        assert fields(r) == ["steps"]
        assert "work cap" in r.json()["detail"]
        r = train(c, nid, dataset="xor", learning_rate=0.1, batch_size=10, epochs=7)
        assert r.status_code == 422
        assert fields(r) == ["epochs"]
        assert_unchanged(c, nid, after, version=2)


def test_stale_if_version_is_412_and_saves_nothing(client):
    made = create(client, *XOR_NET)
    nid = made["id"]
    ok = train(client, nid, dataset="xor", learning_rate=0.1, steps=2, if_version=1)
    assert ok.status_code == 200
    assert ok.json()["version"] == 2
    r = train(client, nid, dataset="xor", learning_rate=0.1, steps=2, if_version=1)
    assert r.status_code == 412
    assert "version 2" in r.json()["detail"]
    assert_unchanged(client, nid, ok.json()["network"], version=2)


GOOD = {"learning_rate": 0.1, "steps": 2}
XY = {"x": [[0, 1]], "y": [[1, 0]]}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"dataset": "xor", "samples": XY, **GOOD}, "dataset"),
        (GOOD, "dataset"),
        ({"dataset": "xor", "learning_rate": 0.1, "steps": 2, "epochs": 1}, "steps"),
        ({"dataset": "xor", "learning_rate": 0.1}, "steps"),
        ({"dataset": "iris", **GOOD}, "dataset"),
        ({"dataset": "nope", **GOOD}, "dataset"),
        ({"dataset": "xor", "steps": 2}, "learning_rate"),
        ({"dataset": "xor", "learning_rate": 0, "steps": 2}, "learning_rate"),
        ({"dataset": "xor", "learning_rate": -1, "steps": 2}, "learning_rate"),
        ({"dataset": "xor", "learning_rate": 1001, "steps": 2}, "learning_rate"),
        ({"dataset": "xor", "batch_size": 0, **GOOD}, "batch_size"),
        ({"dataset": "xor", "learning_rate": 0.1, "steps": 0}, "steps"),
        ({"dataset": "xor", "learning_rate": 0.1, "epochs": 0}, "epochs"),
        ({"dataset": "xor", "seed": -1, **GOOD}, "seed"),
        ({"dataset": "xor", "if_version": 0, **GOOD}, "if_version"),
        ({"dataset": "xor", "colour": 1, **GOOD}, "colour"),
        ({"samples": {"x": [[0, 1, 2]], "y": [[1, 0]]}, **GOOD}, "samples.x[0]"),
        ({"samples": {"x": [[0, 1]], "y": [[1, 0], [0, 1]]}, **GOOD}, "samples.y"),
        ({"samples": {"x": [[0, 1]]}, **GOOD}, "samples.y"),
    ],
)
def test_bad_train_bodies_are_422_naming_the_field(client, body, field):
    made = create(client, *XOR_NET)
    r = train(client, made["id"], **body)
    assert r.status_code == 422, r.text
    assert field in fields(r), r.json()
    assert_unchanged(client, made["id"], made["network"])


def test_samples_over_the_batch_cap_are_422(tmp_path):
    with TestClient(create_app(Settings(db_path=tmp_path / "b.sqlite3", max_batch=5))) as c:
        made = create(c, *XOR_NET)
        xs = [[0.1 * i, 0.2] for i in range(6)]
        ys = [[1, 0]] * 6
        r = train(c, made["id"], samples={"x": xs, "y": ys}, learning_rate=0.1, steps=1)
        assert r.status_code == 422
        assert fields(r) == ["samples.x"]
        ok = train(c, made["id"], samples={"x": xs[:5], "y": ys[:5]}, learning_rate=0.1, steps=1)
        assert ok.status_code == 200


OVERFLOWING_NORM = [
    # xor, 2-8-2 tanh/linear, lr 10: at step 64 |dC/dW^1| is inf (entries ~1e160) while the
    # weights and the loss (~4e240) are still finite, so sgd does not call it diverged.
    (
        {"sizes": [2, 8, 2], "activations": ["tanh", "linear"], "init": {"seed": 2}},
        {"dataset": "xor", "learning_rate": 10, "batch_size": 10, "steps": 64, "seed": 0},
    ),
    # 1-1-1 linear, x = 1e100: a^1 = 1e200 and the output is 1 (W^2 = 1e-200), so the loss is
    # 0.5 but dC/dW^2 = 1e200, whose norm (sqrt of 1e400) is inf; eta = 1e-300 keeps W finite.
    (
        {
            "sizes": [1, 1, 1],
            "activations": ["linear", "linear"],
            "weights": [[[1e100]], [[1e-200]]],
            "biases": [[0.0], [0.0]],
        },
        {"samples": {"x": [[1e100]], "y": [[0.0]]}, "learning_rate": 1e-300, "steps": 1},
    ),
]


@pytest.mark.parametrize(("network", "body"), OVERFLOWING_NORM)
def test_overflowing_gradient_norm_is_not_a_500(tmp_path, network, body):
    """The gradient norm overflows float64 while weights and loss stay finite.

    inf is not JSON: the answer must still be JSON (a null with a note, or a 422 that saves
    nothing, like any divergence), never a 500 sent after the new version was saved.
    """
    app = create_app(Settings(db_path=tmp_path / "o.sqlite3"))
    with TestClient(app, raise_server_exceptions=False) as c:
        net = {**network, "cost": "quadratic"}
        nid = c.post("/api/networks", json={"name": "big", "network": net}).json()["id"]
        r = train(c, nid, **body)
        versions = [v["version"] for v in c.get(f"/api/networks/{nid}/versions").json()]
        assert r.status_code in (200, 422), f"got {r.status_code}; versions now {versions}"
        if r.status_code == 200:
            assert r.json()["version"] == 2
            assert versions == [1, 2]
        else:
            assert fields(r) == ["learning_rate"]
            assert versions == [1]
