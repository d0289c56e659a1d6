"""NaN and Infinity never pass either way: in a request they are refused naming the field,
and no answer, however saturated or extreme the network, holds a non-JSON number or is a 500."""

from __future__ import annotations

import copy
import itertools
import json
import math

import pytest
from errors_helpers import ALL, BODIES, refused, send, strict
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.config import Settings
from app.main import create_app

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
def lenient_client(tmp_path_factory):
    """One app for every example; a server error comes back as a 500 instead of raising."""
    app = create_app(Settings(db_path=tmp_path_factory.mktemp("db") / "x.sqlite3"))
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(req=extreme_requests())
def test_extreme_finite_inputs_never_break_json(lenient_client, req):
    endpoint, body = req
    r = send(lenient_client, endpoint, body)
    assert r.status_code in (200, 422), (r.status_code, r.text[:500])
    out = strict(r)
    if r.status_code == 200:
        assert "notes" in out
