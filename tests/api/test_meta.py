"""GET /api/meta tells the page the facts the server owns, as in force, and each fact
agrees with what the server then does; POST /api/initialise draws the weights a save
with the same `init` stores."""

from __future__ import annotations

import dataclasses
from typing import get_type_hints

import pytest
from api_helpers import bits, fields
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app
from app.services.rates import suggested_learning_rate


@pytest.fixture(scope="module")
def meta(shared_client):
    return shared_client.get("/api/meta").json()


def test_limits_are_every_integer_setting(meta):
    hints = get_type_hints(Settings)
    want = {f.name: f.default for f in dataclasses.fields(Settings) if hints[f.name] is int}
    assert "db_path" not in meta["limits"] and len(want) >= 13
    assert meta["limits"] == want


def test_environment_overrides_reach_meta_and_are_enforced(tmp_path, monkeypatch):
    monkeypatch.setenv("EXPLORER_MAX_NEURONS", "12")
    monkeypatch.setenv("EXPLORER_MAX_LAYERS", "3")
    with TestClient(create_app(Settings.from_env(db_path=tmp_path / "m.sqlite3"))) as c:
        limits = c.get("/api/meta").json()["limits"]
        assert (limits["max_neurons"], limits["max_layers"]) == (12, 3)
        arch = {"activations": ["sigmoid"] * 2, "cost": "quadratic", "init": {"seed": 0}}
        ok = c.post("/api/initialise", json={"network": {"sizes": [2, 12, 2], **arch}})
        assert ok.status_code == 200
        over = c.post("/api/initialise", json={"network": {"sizes": [2, 13, 2], **arch}})
        assert over.status_code == 422 and fields(over) == ["network.sizes[1]"]
        deep = {"sizes": [2, 2, 2, 2, 2], "activations": ["sigmoid"] * 4}
        r = c.post("/api/initialise", json={"network": {**arch, **deep}})
        assert r.status_code == 422 and fields(r) == ["network.sizes"]


def _arch(sizes, activations, cost):
    return {"sizes": sizes, "activations": activations, "cost": cost, "init": {"seed": 1}}


def test_last_layer_only_activations_are_refused_below_the_top(shared_client, meta):
    for act in meta["activations"]:
        n = max(2, act["min_neurons"])
        below = shared_client.post(
            "/api/initialise",
            json={"network": _arch([2, n, 2], [act["name"], "sigmoid"], "quadratic")},
        )
        assert (below.status_code == 422) == act["last_layer_only"], act
        top = shared_client.post(
            "/api/initialise", json={"network": _arch([2, n], [act["name"]], "quadratic")}
        )
        assert top.status_code == 200, (act, top.text)
        few = shared_client.post(
            "/api/initialise",
            json={"network": _arch([2, act["min_neurons"] - 1 or 1], [act["name"]], "quadratic")},
        )
        assert (few.status_code == 422) == (act["min_neurons"] > 1), act


def test_costs_accept_exactly_the_outputs_meta_names(shared_client, meta):
    names = [a["name"] for a in meta["activations"]]
    assert names == ["sigmoid", "tanh", "relu", "leaky_relu", "linear", "softmax"]
    for cost in meta["costs"]:
        accepted = [
            out
            for out in names
            if shared_client.post(
                "/api/initialise", json={"network": _arch([2, 3], [out], cost["name"])}
            ).status_code
            == 200
        ]
        assert accepted == cost["output_activations"], cost["name"]
        assert cost["needs_unit_interval"] == (accepted != names)
    by_name = {c["name"]: c for c in meta["costs"]}
    assert by_name["cross_entropy"]["output_activations"] == ["sigmoid", "softmax"]
    assert by_name["quadratic"]["formula"] == "C = 1/2 sum_j (a_j - y_j)^2"


@pytest.mark.parametrize("seed", [0, 7])
def test_initialise_draws_what_a_save_with_init_stores(shared_client, meta, seed):
    for scheme in [s["name"] for s in meta["init_schemes"]]:
        arch = _arch([3, 5, 4, 2], ["tanh", "relu", "sigmoid"], "quadratic")
        arch["init"] = {"scheme": scheme, "seed": seed}
        fresh = shared_client.post("/api/initialise", json={"network": arch}).json()
        saved = shared_client.post("/api/networks", json={"name": "i", "network": arch}).json()
        assert bits(fresh["weights"][0]) == bits(saved["network"]["weights"][0])
        assert all(
            bits(a) == bits(b)
            for a, b in zip(fresh["weights"], saved["network"]["weights"], strict=True)
        )
        assert fresh["biases"] == [[0.0] * 5, [0.0] * 4, [0.0] * 2]
        # Saving what came back stores the same numbers: the page can save it as it is.
        again = {k: fresh[k] for k in ("sizes", "activations", "cost", "weights", "biases")}
        resaved = shared_client.post("/api/networks", json={"name": "j", "network": again})
        assert bits(resaved.json()["network"]["weights"][1]) == bits(fresh["weights"][1])


def test_init_schemes_draw_with_the_spread_they_name(shared_client, meta):
    assert [s["name"] for s in meta["init_schemes"]] == ["xavier", "he", "normal"]
    want = {"xavier": (2 / (300 + 200)) ** 0.5, "he": (2 / 300) ** 0.5, "normal": 1.0}
    for scheme, std in want.items():
        arch = _arch([300, 200], ["linear"], "quadratic")
        arch["init"] = {"scheme": scheme, "seed": 3}
        w = shared_client.post("/api/initialise", json={"network": arch}).json()["weights"][0]
        flat = [v for row in w for v in row]
        got = (sum(v * v for v in flat) / len(flat)) ** 0.5
        assert got == pytest.approx(std, rel=0.02)


def test_initialise_refuses_weights_and_names_the_field(shared_client, small_net):
    r = shared_client.post("/api/initialise", json={"network": small_net})
    assert r.status_code == 422
    assert "network.init" in fields(r)


def test_training_bounds_are_the_ones_enforced(shared_client, meta):
    t = meta["training"]
    assert (t["max_steps"], t["max_batch_size"], t["max_learning_rate"]) == (
        1_000_000,
        10_000,
        1000,
    )
    nid = shared_client.post(
        "/api/networks",
        json={
            "name": "d",
            "dataset": "digits",
            "network": _arch([64, 4, 10], ["sigmoid"] * 2, "quadratic"),
        },
    ).json()["id"]
    base = {"dataset": "digits", "learning_rate": 1}
    over = shared_client.post(
        f"/api/networks/{nid}/train", json={**base, "steps": t["max_steps"] + 1}
    )
    assert over.status_code == 422 and fields(over) == ["steps"]
    big = shared_client.post(
        f"/api/networks/{nid}/train",
        json={**base, "steps": 1, "batch_size": t["max_batch_size"] + 1},
    )
    assert big.status_code == 422 and fields(big) == ["batch_size"]
    out = shared_client.post(f"/api/networks/{nid}/train", json={**base, "steps": 1}).json()
    assert out["eval_samples"] == t["eval_samples"] == 512  # digits has 1797 samples


def test_learning_rate_rules_and_dataset_defaults(shared_client, meta):
    assert suggested_learning_rate(["sigmoid", "sigmoid"], "quadratic") == 3.0
    assert suggested_learning_rate(["sigmoid", "sigmoid"], "sse") == 1.5
    assert suggested_learning_rate(["relu", "softmax"], "log_likelihood") == 0.1
    assert suggested_learning_rate(["tanh", "sigmoid"], "cross_entropy") == 0.5
    assert suggested_learning_rate(["tanh", "sigmoid"], "quadratic") == 0.3
    assert suggested_learning_rate(["tanh", "tanh"], "sse") == 0.3
    assert suggested_learning_rate(["tanh", "sigmoid"], "cross_entropy", "spiral") == 0.1
    assert meta["training"]["learning_rate_rules"][-1] == {"learning_rate": 3.0}
    datasets = {d["name"]: d for d in shared_client.get("/api/datasets").json()}
    assert set(meta["datasets"]) == set(datasets)
    for name, defaults in meta["datasets"].items():
        assert defaults == {"learning_rate": 3.0, "batch_size": 10}, name
