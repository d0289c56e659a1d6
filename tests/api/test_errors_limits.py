"""Bodies that are well-formed but out of bounds get a 4xx naming the field: the ranges of
the scalars, path offsets and modes, and the configured architecture, batch and work caps."""

from __future__ import annotations

import contextlib

import pytest
from errors_helpers import ALL, W100, X, Y, body_with, refused, send, strict
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app


# --- ranges of the scalars ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("endpoint", "changes", "field"),
    [
        ("paths", {"limit": 0}, "limit"),
        ("paths", {"limit": 1001}, "limit"),
        ("paths", {"offset": -1}, "offset"),
        ("paths", {"mode": "some"}, "mode"),
        ("nudge", {"delta": 1e7}, "delta"),
        ("nudge", {"delta": -1e7}, "delta"),
        ("gradcheck", {"epsilon": 0}, "epsilon"),
        ("gradcheck", {"epsilon": -1e-6}, "epsilon"),
        ("gradcheck", {"epsilon": 0.2}, "epsilon"),
    ],
)
def test_scalar_ranges(client, endpoint, changes, field):
    refused(client, endpoint, body_with(endpoint, **changes), field)


def test_offset_out_of_range(client):
    # Two paths from w^1_00: offsets 0 and 1 exist, 2 does not.
    ok = send(client, "paths", body_with("paths", mode="all", offset=1))
    assert ok.status_code == 200 and len(strict(ok)["paths"]) == 1
    refused(client, "paths", body_with("paths", mode="all", offset=2), "offset", "2 paths")
    refused(client, "paths", body_with("paths", mode="all", offset=10**6), "offset")
    refused(client, "paths", body_with("paths", mode="top", offset=1), "offset", "'all'")


def test_mode_all_over_the_default_cap(client):
    net = {
        "sizes": [2] + [64] * 15 + [2],
        "activations": ["tanh"] * 15 + ["sigmoid"],
        "cost": "quadratic",
        "init": {"seed": 0},
    }
    body = {"network": net, "x": X, "y": Y, "target": W100, "mode": "all"}
    data = refused(client, "paths", body, "mode", "'top'")
    assert str(64**14 * 2) in data["detail"]


# --- caps ---------------------------------------------------------------------------------
@pytest.fixture
def capped(tmp_path):
    with contextlib.ExitStack() as stack:

        def make(**caps) -> TestClient:
            app = create_app(Settings(db_path=tmp_path / "capped.sqlite3", **caps))
            return stack.enter_context(TestClient(app))

        yield make


def _init_body(sizes, n_samples=1, endpoint="backprop", **extra):
    acts = ["tanh"] * (len(sizes) - 2) + ["sigmoid"]
    net = {"sizes": sizes, "activations": acts, "cost": "quadratic", "init": {"seed": 0}}
    x = [[0.1] * sizes[0]] * n_samples
    y = [[0.5] * sizes[-1]] * n_samples
    return {"network": net, "x": x, "y": y, **extra}


@pytest.mark.parametrize("endpoint", ALL)
def test_architecture_caps(capped, endpoint):
    c = capped(max_layers=3, max_neurons=6, max_parameters=60)
    extra = {"target": W100} if endpoint in ("paths", "nudge") else {}
    if endpoint == "nudge":
        extra["delta"] = 0.1
    ok = send(c, endpoint, _init_body([2, 6, 4, 2], **extra))  # 3 layers, 56 parameters
    assert ok.status_code == 200, ok.text
    refused(c, endpoint, _init_body([2, 2, 2, 2, 2], **extra), "network.sizes", "layers")
    refused(c, endpoint, _init_body([2, 7, 2], **extra), "network.sizes[1]", "cap")
    refused(c, endpoint, _init_body([2, 6, 6, 2], **extra), "network.sizes", "parameters")
    # A huge layer is refused by the cap, not by trying to allocate it.
    refused(c, endpoint, _init_body([2, 10**12, 2], **extra), "network.sizes[1]", "cap")


@pytest.mark.parametrize("endpoint", ALL)
def test_batch_caps(capped, endpoint):
    c = capped(max_batch=3, max_work=150)
    extra = {"target": W100} if endpoint in ("paths", "nudge") else {}
    if endpoint == "nudge":
        extra["delta"] = 0.1
    assert send(c, endpoint, _init_body([2, 2, 2], 3, **extra)).status_code == 200
    refused(c, endpoint, _init_body([2, 2, 2], 4, **extra), "x", "samples")
    # 3 samples x 57 parameters = 171 > 150.
    refused(c, endpoint, _init_body([2, 5, 5, 2], 3, **extra), "x", "parameters")


def test_paths_caps(capped):
    c = capped(max_paths_all=20, max_top_batch_work=10, max_top_expansions=2)
    act0 = {"kind": "activation", "layer": 0, "j": 0}
    body = _init_body([2, 5, 5, 2], endpoint="paths", target=act0, mode="all")  # 50 paths
    refused(c, "paths", body, "mode", "'top'")
    body = _init_body([2, 2, 2], endpoint="paths", target=act0, mode="all")  # 4 paths
    assert send(c, "paths", body).status_code == 200
    # Batch 'top': 2 samples x 25 step factors > 10.
    body = _init_body([2, 5, 5, 2], 2, endpoint="paths", target=W100)
    refused(c, "paths", body, "x", "batch")
    # Few step factors, but the best-first search needs more than 2 steps.
    body = _init_body([2, 2, 2], 2, endpoint="paths", target=act0, limit=4)
    refused(c, "paths", body, "limit", "search steps")


def test_gradcheck_caps(capped):
    c = capped(max_gradcheck_parameters=30, max_gradcheck_work=4000, gradcheck_layer_overhead=10)
    # 29 parameters in 3 layers: 2 x 29 x (29 + 3 x 10) = 3422 for one sample.
    assert send(c, "gradcheck", _init_body([2, 3, 3, 2])).status_code == 200
    refused(c, "gradcheck", _init_body([2, 5, 5]), "network.sizes", "90 forward passes")
    # Three samples: 10266 > 4000.
    refused(c, "gradcheck", _init_body([2, 3, 3, 2], 3), "x", "samples")
    # 22 parameters, but 10 layers of per-layer cost: 2 x 22 x (22 + 100) = 5368 > 4000.
    refused(c, "gradcheck", _init_body([1] * 10 + [2]), "network.sizes", "10 layers")


def test_gradcheck_of_16_layers_of_42_is_refused_by_default(client):
    """Under the old P^2 cap this took ~6 s: the cost of each layer's NumPy calls counts."""
    sizes = [2] + [42] * 15 + [2]
    r = client.post("/api/gradcheck", json=_init_body(sizes))
    assert r.status_code == 422
    assert r.json()["code"] == "too_much_work"
    assert r.json()["errors"][0]["field"] == "network.sizes"
