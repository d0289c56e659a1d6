"""Every malformed compute body gets a 4xx whose `detail` names the field, never a 500:
wrong shapes, architectures and targets, wrong types, unknown, missing or malformed fields."""

from __future__ import annotations

import pytest
from errors_helpers import ALL, BODIES, DROP, NET, W100, X, Y, body_with, refused, send, strict


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
@pytest.mark.parametrize("text", ['{"network": ', '{"x": [1,}', "nonsense"])
def test_bodies_that_are_not_json_are_400(client, endpoint, text):
    data = refused(client, endpoint, text, "body", "is not JSON", status=400)
    assert data["code"] == "malformed_body"


@pytest.mark.parametrize("endpoint", ALL)
@pytest.mark.parametrize("text", ["", "null", "[1, 2]"])
def test_json_that_is_not_an_object_is_422(client, endpoint, text):
    data = refused(client, endpoint, text, "body")
    assert data["code"] == "validation_error"


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
