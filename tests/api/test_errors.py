"""Every bad input gets a 4xx whose `detail` names the field; nothing is a 500, and
every response is strict JSON (no NaN or Infinity tokens)."""

from __future__ import annotations

import contextlib
import copy
import itertools
import json
import math

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.config import Settings
from app.main import create_app

NET = {
    "sizes": [2, 2, 2],
    "activations": ["sigmoid", "sigmoid"],
    "cost": "quadratic",
    "weights": [[[0.15, 0.20], [0.25, 0.30]], [[0.40, 0.45], [0.50, 0.55]]],
    "biases": [[0.35, 0.35], [0.60, 0.60]],
}
X, Y = [0.05, 0.10], [0.01, 0.99]
W100 = {"kind": "weight", "layer": 1, "j": 0, "k": 0}
BODIES = {
    "forward": {"network": NET, "x": X, "y": Y},
    "backprop": {"network": NET, "x": X, "y": Y},
    "paths": {"network": NET, "x": X, "y": Y, "target": W100},
    "nudge": {"network": NET, "x": X, "y": Y, "target": W100, "delta": 0.1},
    "gradcheck": {"network": NET, "x": X, "y": Y},
}
ALL = tuple(BODIES)


def _refuse(token):
    raise AssertionError(f"response holds the non-JSON constant {token}")


def strict(r) -> dict:
    return json.loads(r.text, parse_constant=_refuse)


def send(client, endpoint: str, body) -> object:
    text = body if isinstance(body, str) else json.dumps(body)  # json allows NaN tokens
    return client.post(
        f"/api/{endpoint}", content=text, headers={"content-type": "application/json"}
    )


def refused(client, endpoint, body, field, *words, status=422):
    r = send(client, endpoint, body)
    assert r.status_code != 500
    assert 400 <= r.status_code < 500, f"{endpoint}: {r.status_code} {r.text[:300]}"
    assert r.status_code == status, r.text
    data = strict(r)
    assert field in data["detail"], data
    assert field in [e["field"] for e in data["errors"]], data
    for w in words:
        assert w in data["detail"], data
    return data


def body_with(endpoint: str, **changes) -> dict:
    """The endpoint's valid body with changes; keys 'network.x' reach into the network."""
    b = copy.deepcopy(BODIES[endpoint])
    for key, value in changes.items():
        where, _, name = key.rpartition(".")
        target = b
        for part in filter(None, where.split(".")):
            target = target[part]
        if value is DROP:
            target.pop(name)
        else:
            target[name] = value
    return b


DROP = object()


def test_the_valid_bodies_are_accepted(client):
    for endpoint in ALL:
        r = send(client, endpoint, BODIES[endpoint])
        assert r.status_code == 200, (endpoint, r.text)
        strict(r)


# --- shapes -------------------------------------------------------------------------------
SHAPES = [
    ({"network.weights": [NET["weights"][0], [[0.4, 0.45]]]}, "network.weights[1]", "rows"),
    ({"network.weights": [NET["weights"][0], [[0.4], [0.5]]]}, "network.weights[1][0]", "columns"),
    (
        {"network.weights": [NET["weights"][0], [[0.4, 0.45, 1], [0.5, 0.55]]]},
        "network.weights[1][0]",
        "columns",
    ),
    ({"network.weights": NET["weights"][:1]}, "network.weights", "layers"),
    ({"network.weights": [NET["weights"][0], [0.4, 0.5]]}, "network.weights[1][0]", "columns"),
    ({"network.biases": [[0.35], [0.6, 0.6]]}, "network.biases[0]", "entries"),
    ({"network.biases": [[0.35, 0.35], [0.6, 0.6, 0.6]]}, "network.biases[1]", "entries"),
    ({"network.biases": NET["biases"][:1]}, "network.biases", "layers"),
    ({"network.biases": [[[0.35, 0.35]], [0.6, 0.6]]}, "network.biases[0]", "shape"),
    ({"x": [0.05]}, "x", "values"),
    ({"x": [0.05, 0.1, 0.2]}, "x", "values"),
    ({"x": []}, "x", "values"),
    ({"x": [[0.1, 0.2], [0.3]]}, "x[1]", "values"),
    ({"x": [[0.1, 0.2], 0.3]}, "x[1]"),
    ({"x": [[[0.1, 0.2]]]}, "x[0]"),
    ({"x": 0.5}, "x"),
    ({"y": [0.01]}, "y", "values"),
    ({"y": [[0.1, 0.2], [0.3]]}, "y[1]"),
    ({"x": [X, X], "y": [Y]}, "y", "samples"),
    ({"x": [X, X], "y": Y}, "y", "samples"),
]


@pytest.mark.parametrize("endpoint", ALL)
@pytest.mark.parametrize("case", SHAPES, ids=lambda c: c[1] + ":" + ",".join(c[2:]))
def test_shapes(client, endpoint, case):
    changes, field, *words = case
    refused(client, endpoint, body_with(endpoint, **changes), field, *words)


def test_forward_without_y_still_checks_x(client):
    refused(client, "forward", body_with("forward", y=DROP, x=[0.1]), "x", "values")


# --- architecture -------------------------------------------------------------------------
ARCH = [
    ({"network.activations": ["gelu", "sigmoid"]}, "network.activations[0]"),
    ({"network.activations": ["sigmoid"]}, "network.activations", "entries"),
    ({"network.cost": "hinge"}, "network.cost"),
    ({"network.activations": ["softmax", "sigmoid"]}, "network.activations[0]", "last layer"),
    (
        {
            "network.sizes": [2, 2, 1],
            "network.activations": ["sigmoid", "softmax"],
            "network.weights": [NET["weights"][0], [[0.4, 0.45]]],
            "network.biases": [[0.3, 0.3], [0.6]],
            "y": [1.0],
        },
        "network.activations[1]",
        "2 neurons",
    ),
    (
        {"network.activations": ["sigmoid", "relu"], "network.cost": "cross_entropy"},
        "network.cost",
        "sigmoid or softmax",
    ),
    (
        {"network.activations": ["sigmoid", "linear"], "network.cost": "cross_entropy"},
        "network.cost",
        "sigmoid or softmax",
    ),
    (
        {"network.activations": ["sigmoid", "tanh"], "network.cost": "cross_entropy"},
        "network.cost",
        "sigmoid or softmax",
    ),
    (
        {"network.activations": ["sigmoid", "leaky_relu"], "network.cost": "log_likelihood"},
        "network.cost",
        "sigmoid or softmax",
    ),
    ({"network.cost": "cross_entropy", "y": [0.5, 1.5]}, "y", "[0, 1]"),
    ({"network.cost": "log_likelihood", "y": [-0.1, 0.5]}, "y", "[0, 1]"),
    ({"network.sizes": [2, 0, 2]}, "network.sizes[1]", "at least 1"),
    ({"network.sizes": [2, -3, 2]}, "network.sizes[1]", "at least 1"),
    ({"network.sizes": [0, 2, 2]}, "network.sizes[0]", "at least 1"),
    ({"network.sizes": [2]}, "network.sizes"),
    ({"network.sizes": [2, 2.5, 2]}, "network.sizes[1]"),
    ({"network.sizes": [2, 3, 2]}, "network.weights[0]", "rows"),
]


@pytest.mark.parametrize("endpoint", ALL)
@pytest.mark.parametrize("case", ARCH, ids=lambda c: c[1] + ":" + ",".join(c[2:]))
def test_architecture(client, endpoint, case):
    changes, field, *words = case
    refused(client, endpoint, body_with(endpoint, **changes), field, *words)


def test_init_network_is_checked_too(client):
    base = {
        "sizes": [2, 2, 2],
        "activations": ["softmax", "sigmoid"],
        "cost": "quadratic",
        "init": {"seed": 1},
    }
    refused(client, "backprop", {"network": base, "x": X, "y": Y}, "network.activations[0]")
    base = {**base, "activations": ["sigmoid", "sigmoid"], "init": {"scheme": "glorot"}}
    refused(client, "backprop", {"network": base, "x": X, "y": Y}, "network.init.scheme")
    for seed in (-1, 2**32):
        net = {**base, "init": {"seed": seed}}
        refused(client, "backprop", {"network": net, "x": X, "y": Y}, "network.init.seed")


# --- targets ------------------------------------------------------------------------------
TARGETS = [
    ({"kind": "weight", "layer": 3, "j": 0, "k": 0}, "target.layer", "1..2"),
    ({"kind": "weight", "layer": 0, "j": 0, "k": 0}, "target.layer"),
    ({"kind": "weight", "layer": 2, "j": 2, "k": 0}, "target.j", "0..1"),
    ({"kind": "weight", "layer": 2, "j": 0, "k": 2}, "target.k", "0..1"),
    ({"kind": "weight", "layer": 2, "j": -1, "k": 0}, "target.j"),
    ({"kind": "weight", "layer": 1, "j": 0}, "target.k"),
    ({"kind": "bias", "layer": 0, "j": 0}, "target.layer"),
    ({"kind": "bias", "layer": 3, "j": 0}, "target.layer"),
    ({"kind": "bias", "layer": 1, "j": 5}, "target.j"),
    ({"kind": "bias", "layer": 1, "j": 0, "k": 0}, "target.k"),  # extra field
    ({"kind": "neuron", "layer": 1, "j": 0}, "target"),
    ({"layer": 1, "j": 0}, "target"),
]


@pytest.mark.parametrize("endpoint", ["paths", "nudge"])
@pytest.mark.parametrize("case", TARGETS, ids=lambda c: f"{c[0].get('kind')}-{c[1]}")
def test_targets(client, endpoint, case):
    target, field, *words = case
    refused(client, endpoint, body_with(endpoint, target=target), field, *words)


@pytest.mark.parametrize(
    ("target", "field"),
    [
        ({"kind": "activation", "layer": 3, "j": 0}, "target.layer"),
        ({"kind": "activation", "layer": 0, "j": 2}, "target.j"),
        ({"kind": "activation", "layer": -1, "j": 0}, "target.layer"),
    ],
)
def test_activation_targets(client, target, field):
    refused(client, "paths", body_with("paths", target=target), field)


def test_nudge_takes_parameters_only(client):
    refused(
        client,
        "nudge",
        body_with("nudge", target={"kind": "activation", "layer": 1, "j": 0}),
        "target",
    )


# --- NaN and Infinity anywhere ------------------------------------------------------------
NONFINITE = [
    ("x", '"x": [0.05, 0.1]', '"x": [%s, 0.1]', "x[0]"),
    ("y", '"y": [0.01, 0.99]', '"y": [0.01, %s]', "y[1]"),
    ("weights", "0.45", "%s", "network.weights[1][0][1]"),
    ("biases", "0.6, 0.6", "0.6, %s", "network.biases[1][1]"),
    ("sizes", '"sizes": [2, 2, 2]', '"sizes": [2, %s, 2]', "network.sizes[1]"),
]


def _raw(endpoint: str, old: str, new: str, extra: str = "") -> str:
    text = json.dumps(BODIES[endpoint])
    assert old in text
    text = text.replace(old, new, 1)
    return text[:-1] + extra + "}"


@pytest.mark.parametrize("endpoint", ALL)
@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity"])
@pytest.mark.parametrize(("where", "old", "new", "field"), NONFINITE, ids=[c[0] for c in NONFINITE])
def test_nan_and_infinity_are_refused(client, endpoint, token, where, old, new, field):
    refused(client, endpoint, _raw(endpoint, old, new % token), field)


@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_in_scalars(client, token):
    refused(client, "nudge", _raw("nudge", '"delta": 0.1', f'"delta": {token}'), "delta")
    refused(
        client,
        "gradcheck",
        _raw("gradcheck", '"y": [0.01, 0.99]', '"y": [0.01, 0.99]', f', "epsilon": {token}'),
        "epsilon",
    )
    refused(client, "paths", _raw("paths", '"j": 0', f'"j": {token}'), "target.j")
    refused(client, "paths", _raw("paths", "}}", "}}", f', "limit": {token}'), "limit")
    refused(client, "paths", _raw("paths", "}}", "}}", f', "offset": {token}'), "offset")


def test_overflowing_number_literal_is_refused(client):
    refused(client, "backprop", _raw("backprop", '"x": [0.05, 0.1]', '"x": [1e400, 0.1]'), "x[0]")


# --- strings and booleans where numbers go ------------------------------------------------
WRONG_TYPES = [
    ("backprop", {"x": ["0.05", 0.1]}, "x"),
    ("backprop", {"x": [True, 0.1]}, "x"),
    ("backprop", {"x": [None, 0.1]}, "x"),
    ("backprop", {"x": [{"a": 1}, 0.1]}, "x"),
    ("backprop", {"y": ["a", 0.99]}, "y"),
    ("backprop", {"y": [0.01, False]}, "y"),
    (
        "backprop",
        {"network.weights": [[[True, 0.2], [0.25, 0.3]], NET["weights"][1]]},
        "network.weights[0]",
    ),
    (
        "backprop",
        {"network.weights": [[["0.15", 0.2], [0.25, 0.3]], NET["weights"][1]]},
        "network.weights[0]",
    ),
    ("backprop", {"network.biases": [["a", 0.35], [0.6, 0.6]]}, "network.biases[0]"),
    ("backprop", {"network.biases": [[True, 0.35], [0.6, 0.6]]}, "network.biases[0]"),
    ("backprop", {"network.sizes": ["2", 2, 2]}, "network.sizes[0]"),
    ("backprop", {"network.sizes": [True, 2, 2]}, "network.sizes[0]"),
    ("backprop", {"network.cost": 3}, "network.cost"),
    ("nudge", {"delta": "0.1"}, "delta"),
    ("nudge", {"delta": True}, "delta"),
    ("gradcheck", {"epsilon": "1e-6"}, "epsilon"),
    ("paths", {"target": {"kind": "weight", "layer": "1", "j": 0, "k": 0}}, "target.layer"),
    ("paths", {"target": {"kind": "weight", "layer": 1, "j": 0, "k": True}}, "target.k"),
    ("paths", {"limit": True}, "limit"),
    ("paths", {"mode": "all", "offset": "1"}, "offset"),
]


@pytest.mark.parametrize(
    ("endpoint", "changes", "field"),
    WRONG_TYPES,
    ids=[f"{c[0]}-{c[2]}-{list(c[1].values())[-1]!r}"[:60] for c in WRONG_TYPES],
)
def test_strings_and_booleans_where_numbers_go(client, endpoint, changes, field):
    refused(client, endpoint, body_with(endpoint, **changes), field)


def test_boolean_seed_is_refused(client):
    net = {
        "sizes": [2, 2, 2],
        "activations": ["sigmoid", "sigmoid"],
        "cost": "quadratic",
        "init": {"seed": True},
    }
    refused(client, "backprop", {"network": net, "x": X, "y": Y}, "network.init.seed")


# --- unknown fields, malformed bodies, weights versus init --------------------------------
@pytest.mark.parametrize("endpoint", ALL)
def test_unknown_fields(client, endpoint):
    refused(client, endpoint, body_with(endpoint, foo=1), "foo")
    refused(client, endpoint, body_with(endpoint, **{"network.lr": 0.1}), "network.lr")


def test_unknown_fields_in_nested_objects(client):
    refused(client, "paths", body_with("paths", target={**W100, "why": 1}), "target.why")
    net = {
        "sizes": [2, 2, 2],
        "activations": ["sigmoid", "sigmoid"],
        "cost": "quadratic",
        "init": {"seed": 1, "gain": 2},
    }
    refused(client, "forward", {"network": net, "x": X}, "network.init.gain")


@pytest.mark.parametrize("endpoint", ALL)
@pytest.mark.parametrize("text", ['{"network": ', "", "null", "[1, 2]", '{"x": [1,}', "nonsense"])
def test_malformed_bodies(client, endpoint, text):
    refused(client, endpoint, text, "body")


@pytest.mark.parametrize("endpoint", ALL)
def test_missing_fields(client, endpoint):
    refused(client, endpoint, body_with(endpoint, x=DROP), "x", "required")
    refused(client, endpoint, body_with(endpoint, network=DROP), "network", "required")
    refused(client, endpoint, body_with(endpoint, **{"network.cost": DROP}), "network.cost")
    if endpoint != "forward":
        refused(client, endpoint, body_with(endpoint, y=DROP), "y", "required")
    if endpoint in ("paths", "nudge"):
        refused(client, endpoint, body_with(endpoint, target=DROP), "target", "required")
    if endpoint == "nudge":
        refused(client, endpoint, body_with(endpoint, delta=DROP), "delta", "required")


@pytest.mark.parametrize("endpoint", ALL)
def test_weights_or_init(client, endpoint):
    both = body_with(endpoint, **{"network.init": {"seed": 1}})
    refused(client, endpoint, both, "network", "not both")
    neither = body_with(endpoint, **{"network.weights": DROP, "network.biases": DROP})
    refused(client, endpoint, neither, "network", "weights missing")
    no_biases = body_with(endpoint, **{"network.biases": DROP})
    refused(client, endpoint, no_biases, "network", "biases missing")


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
    c = capped(max_gradcheck_parameters=30, max_gradcheck_work=2000)
    assert send(c, "gradcheck", _init_body([2, 3, 3, 2])).status_code == 200  # 29 parameters
    refused(c, "gradcheck", _init_body([2, 5, 5]), "network.sizes", "90 forward passes")
    # 29^2 x 3 = 2523 > 2000.
    refused(c, "gradcheck", _init_body([2, 3, 3, 2], 3), "x", "samples")


# --- saturation: finite numbers or null with a note, never NaN or Infinity ----------------
SATURATED = {
    "sizes": [2, 2, 2],
    "activations": ["sigmoid", "sigmoid"],
    "cost": "cross_entropy",
    "weights": [[[1000, 1000], [-1000, 1000]], [[1000, 1000], [-1000, -1000]]],
    "biases": [[0, 0], [0, 0]],
}


def test_saturated_network_backprop(client):
    r = send(client, "backprop", {"network": SATURATED, "x": [1, 1], "y": [0.5, 0.5]})
    assert r.status_code == 200
    out = strict(r)
    # z^1 = (2000, 0), a^1 = (1, 1/2), z^2 = (1500, -1500), a^2 = (1, 0).
    assert out["cost"] == pytest.approx(1500.0, rel=1e-12)
    top = out["layers"][2]
    assert top["dC_da"] == [None, None]
    assert any(n.startswith("layers[2].dC_da") for n in out["notes"])
    assert top["delta"] == pytest.approx([0.5, -0.5], rel=1e-15)  # a - y
    assert top["grad_w"] == [[0.5, 0.25], [-0.5, -0.25]]
    assert out["layers"][1]["delta"] == pytest.approx([0.0, 250.0], rel=1e-15)
    assert len(out["notes"]) == 1
    fw = strict(send(client, "forward", {"network": SATURATED, "x": [1, 1], "y": [0.5, 0.5]}))
    assert fw["cost"] == pytest.approx(1500.0, rel=1e-12)


def test_saturated_softmax_cross_entropy(client):
    net = {**SATURATED, "activations": ["sigmoid", "softmax"]}
    out = strict(send(client, "backprop", {"network": net, "x": [1, 1], "y": [0.25, 0.75]}))
    # z^2 = (1500, -1500): ln a = (0, -3000), ln(1 - a) = (-3000, 0).
    assert out["cost"] == pytest.approx(3000 * 0.75 + 3000 * 0.75, rel=1e-12)
    assert out["layers"][2]["delta"] == pytest.approx([1.5, -1.5], rel=1e-14)
    assert None in out["layers"][2]["dC_da"] and out["notes"]


@pytest.mark.parametrize(
    "target",
    [
        {"kind": "weight", "layer": 2, "j": 0, "k": 0},
        {"kind": "bias", "layer": 2, "j": 1},
    ],
)
def test_saturated_network_paths_sum_equals_gradient(client, target):
    """One path from an output-layer parameter: sigma'(z^2_j) (x a^1_k) then dC/da^2_j.
    sigma'(1500) underflows to 0 and dC/da overflows, yet their product is delta^2_j,
    which the product shows as the gradient; the sum over paths must agree with it."""
    body = {"network": SATURATED, "x": [1, 1], "y": [0.5, 0.5], "target": target}
    out = strict(send(client, "paths", body))
    assert out["gradient"] is not None and math.isfinite(out["gradient"])
    assert out["sum"] == pytest.approx(out["gradient"], rel=1e-12)


@pytest.mark.parametrize("endpoint", ALL)
def test_saturated_network_every_endpoint_is_strict_json(client, endpoint):
    body = {**copy.deepcopy(BODIES[endpoint]), "network": SATURATED, "x": [1, 1], "y": [0.5, 0.5]}
    r = send(client, endpoint, body)
    assert r.status_code == 200, r.text
    strict(r)


# --- no input, however extreme, gives a 500 or a non-JSON number --------------------------
EXTREMES = st.sampled_from(
    [0.0, -0.0, 1.0, -2.5, 1e-308, -5e-324, 1e3, -1e3, 1e154, 1e300, -1e300, 1.7e308, -1.7e308]
)


@st.composite
def extreme_requests(draw):
    L = draw(st.integers(1, 3))
    sizes = [draw(st.integers(1, 3)) for _ in range(L + 1)]
    acts = [
        draw(st.sampled_from(["sigmoid", "tanh", "relu", "leaky_relu", "linear"]))
        for _ in range(L - 1)
    ]
    acts.append(
        draw(
            st.sampled_from(
                ["sigmoid", "tanh", "relu", "linear"] + (["softmax"] if sizes[-1] >= 2 else [])
            )
        )
    )
    costs = ["quadratic", "sse"] + (
        ["cross_entropy", "log_likelihood"] if acts[-1] in ("sigmoid", "softmax") else []
    )
    cost = draw(st.sampled_from(costs))
    net = {
        "sizes": sizes,
        "activations": acts,
        "cost": cost,
        "weights": [
            [[draw(EXTREMES) for _ in range(a)] for _ in range(b)]
            for a, b in itertools.pairwise(sizes)
        ],
        "biases": [[draw(EXTREMES) for _ in range(b)] for b in sizes[1:]],
    }
    N = draw(st.integers(1, 2))
    x = [[draw(EXTREMES) for _ in range(sizes[0])] for _ in range(N)]
    unit = st.sampled_from([0.0, 1.0, 0.5, 1e-300])
    y = [
        [
            draw(unit if cost in ("cross_entropy", "log_likelihood") else EXTREMES)
            for _ in range(sizes[-1])
        ]
        for _ in range(N)
    ]
    layer = draw(st.integers(1, L))
    target = {
        "kind": "weight",
        "layer": layer,
        "j": draw(st.integers(0, sizes[layer] - 1)),
        "k": draw(st.integers(0, sizes[layer - 1] - 1)),
    }
    endpoint = draw(st.sampled_from(ALL))
    body = {"network": net, "x": x if N > 1 else x[0], "y": y if N > 1 else y[0]}
    if endpoint in ("paths", "nudge"):
        body["target"] = target
    if endpoint == "paths":
        body["mode"] = draw(st.sampled_from(["top", "all"]))
    if endpoint == "nudge":
        body["delta"] = draw(st.sampled_from([1e-6, 1.0, -1e6]))
    return endpoint, body


@pytest.fixture(scope="module")
def shared_client(tmp_path_factory):
    app = create_app(Settings(db_path=tmp_path_factory.mktemp("db") / "x.sqlite3"))
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(req=extreme_requests())
def test_extreme_finite_inputs_never_break_json(shared_client, req):
    endpoint, body = req
    r = send(shared_client, endpoint, body)
    assert r.status_code in (200, 422), (r.status_code, r.text[:500])
    out = strict(r)
    if r.status_code == 200:
        assert "notes" in out
