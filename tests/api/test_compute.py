"""The stateless compute endpoints over HTTP, values checked against the published
2-2-2 example and against central differences of the API's own /api/forward cost."""

from __future__ import annotations

import copy
import itertools
import json
import math

import numpy as np
import pytest
from mazur import MAZUR_COST, MAZUR_X, MAZUR_Y


def _refuse(token):
    raise ValueError(f"non-JSON constant {token}")


def ok(client, path: str, body: dict) -> dict:
    r = client.post(path, json=body)
    assert r.status_code == 200, r.text
    return json.loads(r.text, parse_constant=_refuse)


def forward_cost(client, network: dict, x, y) -> float:
    return ok(client, "/api/forward", {"network": network, "x": x, "y": y})["cost"]


def cd_gradients(client, network: dict, x, y, eps=1e-6):
    """dC/dW^l, dC/db^l by central differences of /api/forward's cost."""
    gw, gb = [], []
    for key, out in (("weights", gw), ("biases", gb)):
        for l, arr in enumerate(network[key]):
            arr = np.array(arr, dtype=float)
            g = np.zeros_like(arr)
            for idx in np.ndindex(arr.shape):
                costs = []
                for sign in (1, -1):
                    net = copy.deepcopy(network)
                    moved = arr.copy()
                    moved[idx] += sign * eps
                    net[key][l] = moved.tolist()
                    costs.append(forward_cost(client, net, x, y))
                g[idx] = (costs[0] - costs[1]) / (2 * eps)
            out.append(g)
    return gw, gb


SOFTMAX_NET = {
    "sizes": [2, 3, 4],
    "activations": ["tanh", "softmax"],
    "cost": "cross_entropy",
    "weights": [
        [[0.3, -0.8], [1.1, 0.4], [-0.5, 0.9]],
        [[0.7, -1.2, 0.5], [0.2, 0.9, -0.4], [-1.0, 0.3, 0.8], [0.6, 0.1, -0.7]],
    ],
    "biases": [[0.1, -0.2, 0.3], [0.0, 0.5, -0.5, 0.2]],
}
SOFTMAX_X = [[0.4, -1.3], [1.0, 0.2]]
SOFTMAX_Y = [[0.0, 1.0, 0.0, 0.0], [0.2, 0.1, 0.6, 0.1]]


# --- /api/forward ---------------------------------------------------------------------------
def test_forward_without_y(client, small_net):
    out = ok(client, "/api/forward", {"network": small_net, "x": MAZUR_X})
    assert "cost" not in out
    assert out["notes"] == []
    assert out["layers"][0] == {"a": MAZUR_X}
    assert out["layers"][1]["z"] == pytest.approx([0.3775, 0.3925], rel=1e-14)
    assert out["layers"][1]["a"] == pytest.approx([0.593269992, 0.596884378], abs=5e-10)
    assert out["output"] == out["layers"][2]["a"]
    assert out["output"] == pytest.approx([0.75136507, 0.772928465], abs=5e-9)


def test_forward_with_y_gives_the_published_cost(client, small_net):
    out = ok(client, "/api/forward", {"network": small_net, "x": MAZUR_X, "y": MAZUR_Y})
    assert out["cost"] == pytest.approx(MAZUR_COST, rel=1e-13)


def test_forward_batch_equals_single_samples(client, small_net):
    xs = [MAZUR_X, [1.0, -2.0], [0.0, 0.0]]
    ys = [MAZUR_Y, [0.5, 0.5], [1.0, 0.0]]
    batch = ok(client, "/api/forward", {"network": small_net, "x": xs, "y": ys})
    singles = [
        ok(client, "/api/forward", {"network": small_net, "x": x, "y": y})
        for x, y in zip(xs, ys, strict=True)
    ]
    assert len(batch["output"]) == 3
    for s, single in enumerate(singles):
        assert batch["output"][s] == single["output"]
        for l in (1, 2):
            assert batch["layers"][l]["z"][s] == single["layers"][l]["z"]
    assert batch["cost"] == pytest.approx(np.mean([q["cost"] for q in singles]), rel=1e-14)
    no_y = ok(client, "/api/forward", {"network": small_net, "x": xs})
    assert "cost" not in no_y and no_y["output"] == batch["output"]


def test_init_networks_are_reproducible(client):
    spec = {"sizes": [3, 4, 2], "activations": ["relu", "softmax"], "cost": "log_likelihood"}
    x = [0.3, -0.1, 0.8]

    def out(seed):
        net = {**spec, "init": {"scheme": "he", "seed": seed}}
        return ok(client, "/api/forward", {"network": net, "x": x})["layers"][1]["z"]

    assert out(4) == out(4)
    assert out(4) != out(5)


# --- /api/backprop --------------------------------------------------------------------------
def test_backprop_fields_shapes_and_published_values(client, small_net):
    out = ok(client, "/api/backprop", {"network": small_net, "x": MAZUR_X, "y": MAZUR_Y})
    assert set(out) == {"cost", "layers", "notes"}
    assert out["cost"] == pytest.approx(MAZUR_COST, rel=1e-13)
    assert out["layers"][0] == {"a": MAZUR_X}
    for layer in out["layers"][1:]:
        assert set(layer) == {"z", "a", "sigma_prime", "dC_da", "delta", "grad_w", "grad_b"}
        for key in ("z", "a", "sigma_prime", "dC_da", "delta", "grad_b"):
            assert len(layer[key]) == 2
        assert np.array(layer["grad_w"]).shape == (2, 2)
    top = out["layers"][2]
    assert top["grad_w"][0][0] == pytest.approx(0.082167041, abs=5e-10)
    assert out["layers"][1]["grad_w"][0][0] == pytest.approx(0.000438568, abs=5e-10)
    # BP1 by hand: dC/da = a - y, sigma' = a(1 - a), delta = their product.
    a = np.array(top["a"])
    assert top["dC_da"] == pytest.approx(a - MAZUR_Y, rel=1e-14)
    assert top["sigma_prime"] == pytest.approx(a * (1 - a), rel=1e-12)
    assert top["delta"] == pytest.approx((a - MAZUR_Y) * a * (1 - a), rel=1e-12)


def test_backprop_gradients_equal_central_differences_of_forward(client):
    body = {"network": SOFTMAX_NET, "x": SOFTMAX_X, "y": SOFTMAX_Y}
    out = ok(client, "/api/backprop", body)
    gw, gb = cd_gradients(client, SOFTMAX_NET, SOFTMAX_X, SOFTMAX_Y)
    for l in (1, 2):
        np.testing.assert_allclose(out["layers"][l]["grad_w"], gw[l - 1], rtol=1e-6, atol=1e-9)
        np.testing.assert_allclose(out["layers"][l]["grad_b"], gb[l - 1], rtol=1e-6, atol=1e-9)
    # Per sample, delta^l = dC_x/db^l: central differences of single-sample costs.
    for s in range(2):
        single = ok(client, "/api/backprop", {**body, "x": SOFTMAX_X[s], "y": SOFTMAX_Y[s]})
        _, gb_s = cd_gradients(client, SOFTMAX_NET, SOFTMAX_X[s], SOFTMAX_Y[s])
        for l in (1, 2):
            assert out["layers"][l]["delta"][s] == pytest.approx(
                single["layers"][l]["delta"], rel=1e-13, abs=1e-17
            )
            np.testing.assert_allclose(single["layers"][l]["delta"], gb_s[l - 1], atol=1e-9)
        # BP2 as shown: dC/da^1 = W^2^T delta^2, delta^1 = sigma'(z^1) * dC/da^1.
        d2 = np.array(single["layers"][2]["delta"])
        np.testing.assert_allclose(
            single["layers"][1]["dC_da"], d2 @ SOFTMAX_NET["weights"][1], rtol=1e-12
        )
        z1 = np.array(single["layers"][1]["z"])
        np.testing.assert_allclose(
            single["layers"][1]["sigma_prime"], 1 - np.tanh(z1) ** 2, rtol=1e-12
        )


def test_backprop_batch_averages_single_sample_gradients(client, small_net):
    xs = [MAZUR_X, [1.0, -2.0], [0.3, 0.7], [-1.0, 0.5]]
    ys = [MAZUR_Y, [0.5, 0.5], [1.0, 0.0], [0.2, 0.9]]
    batch = ok(client, "/api/backprop", {"network": small_net, "x": xs, "y": ys})
    singles = [
        ok(client, "/api/backprop", {"network": small_net, "x": x, "y": y})
        for x, y in zip(xs, ys, strict=True)
    ]
    assert batch["cost"] == pytest.approx(np.mean([q["cost"] for q in singles]), rel=1e-14)
    for l in (1, 2):
        for key in ("grad_w", "grad_b"):
            want = np.mean([q["layers"][l][key] for q in singles], axis=0)
            np.testing.assert_allclose(batch["layers"][l][key], want, rtol=1e-13, atol=1e-17)
        for key in ("z", "a", "sigma_prime", "dC_da", "delta"):
            assert len(batch["layers"][l][key]) == 4
            for s, q in enumerate(singles):
                assert batch["layers"][l][key][s] == pytest.approx(q["layers"][l][key], rel=1e-14)


# --- /api/paths ------------------------------------------------------------------------------
def _paths(client, network, x, y, target, **kw):
    return ok(client, "/api/paths", {"network": network, "x": x, "y": y, "target": target, **kw})


def test_paths_top_on_the_published_example(client, small_net):
    out = _paths(
        client, small_net, MAZUR_X, MAZUR_Y, {"kind": "weight", "layer": 1, "j": 0, "k": 0}
    )
    assert out["count"] == 2
    assert out["gradient"] == pytest.approx(0.000438568, abs=5e-10)
    assert out["sum"] == pytest.approx(out["gradient"], rel=1e-12)
    assert [p["neurons"] for p in out["paths"]] in ([[0, 0], [0, 1]], [[0, 1], [0, 0]])
    products = [p["product"] for p in out["paths"]]
    for p in out["paths"]:
        assert len(p["factors"]) == 3  # sigma'(z^1_0) a^0_0, sigma'(z^2_q) w^2_q0, dC/da^2_q
        assert p["product"] == pytest.approx(math.prod(p["factors"]), rel=1e-14)
    assert abs(products[0]) >= abs(products[1])
    assert sum(products) == pytest.approx(out["sum"], rel=1e-12)
    bp = ok(client, "/api/backprop", {"network": small_net, "x": MAZUR_X, "y": MAZUR_Y})
    assert out["gradient"] == bp["layers"][1]["grad_w"][0][0]


DEEP = {
    "sizes": [2, 3, 3, 2],
    "activations": ["tanh", "sigmoid", "sigmoid"],
    "cost": "quadratic",
    "weights": [
        [[0.5, -0.4], [0.9, 0.3], [-0.7, 0.8]],
        [[0.2, -0.6, 1.1], [0.8, 0.4, -0.3], [-0.9, 0.5, 0.6]],
        [[1.2, -0.5, 0.3], [-0.4, 0.9, 0.7]],
    ],
    "biases": [[0.1, 0.0, -0.1], [0.2, -0.2, 0.0], [0.05, -0.05]],
}


@pytest.mark.parametrize("batch", [False, True])
def test_paths_all_pages_concatenate_in_lexicographic_order(client, batch):
    x = [[0.3, -0.7], [1.0, 0.4], [-0.5, -0.2]] if batch else [0.3, -0.7]
    y = [[0.1, 0.9], [0.7, 0.2], [0.5, 0.5]] if batch else [0.1, 0.9]
    target = {"kind": "activation", "layer": 0, "j": 1}
    full = _paths(client, DEEP, x, y, target, mode="all", limit=1000)
    assert full["count"] == 18
    want = [list(p) for p in itertools.product([1], range(3), range(3), range(2))]
    assert [p["neurons"] for p in full["paths"]] == want
    pages = []
    for offset in range(0, 18, 4):
        page = _paths(client, DEEP, x, y, target, mode="all", limit=4, offset=offset)
        assert page["count"] == 18
        pages += page["paths"]
    assert pages == full["paths"]
    total = sum(p["product"] for p in full["paths"])
    assert total == pytest.approx(full["gradient"], rel=1e-12)
    assert full["sum"] == pytest.approx(full["gradient"], rel=1e-12)
    for p in full["paths"]:
        f = np.array(p["factors"])
        assert f.shape == ((3, 4) if batch else (4,))
        want_product = np.prod(f, axis=-1).mean() if batch else np.prod(f)
        assert p["product"] == pytest.approx(want_product, rel=1e-13)
    # "top" returns the same paths, ordered by |product|.
    top = _paths(client, DEEP, x, y, target, mode="top", limit=18)
    by_neurons = {tuple(p["neurons"]): p["product"] for p in full["paths"]}
    assert sorted(tuple(p["neurons"]) for p in top["paths"]) == sorted(by_neurons)
    mags = [abs(p["product"]) for p in top["paths"]]
    np.testing.assert_allclose(
        mags, sorted(map(abs, by_neurons.values()), reverse=True), rtol=1e-12
    )
    # The activation gradient matches central differences in x (one sample).
    if not batch:
        eps = 1e-6
        costs = [forward_cost(client, DEEP, [0.3, -0.7 + s * eps], y) for s in (1, -1)]
        assert full["gradient"] == pytest.approx((costs[0] - costs[1]) / (2 * eps), rel=1e-6)


def test_paths_softmax_layer_L_weight(client):
    target = {"kind": "weight", "layer": 2, "j": 1, "k": 2}
    out = _paths(client, SOFTMAX_NET, SOFTMAX_X, SOFTMAX_Y, target, mode="all")
    assert out["count"] == 4  # the weight moves z^2_1, which moves every a^2_m
    assert [p["neurons"] for p in out["paths"]] == [[0], [1], [2], [3]]
    assert sum(p["product"] for p in out["paths"]) == pytest.approx(out["gradient"], rel=1e-12)
    gw, _ = cd_gradients(client, SOFTMAX_NET, SOFTMAX_X, SOFTMAX_Y)
    assert out["gradient"] == pytest.approx(gw[1][1, 2], rel=1e-6)
    # Own path's factor: da^2_m/dz^2_1 a^1_2 with the softmax Jacobian, per sample.
    fw = ok(client, "/api/forward", {"network": SOFTMAX_NET, "x": SOFTMAX_X})
    a2, a1 = np.array(fw["layers"][2]["a"]), np.array(fw["layers"][1]["a"])
    for m, p in enumerate(out["paths"]):
        first = np.array(p["factors"])[:, 0]
        np.testing.assert_allclose(first, a2[:, m] * ((m == 1) - a2[:, 1]) * a1[:, 2], rtol=1e-12)


def test_paths_astronomical_count_is_an_exact_json_integer(client):
    net = {
        "sizes": [2] + [64] * 15 + [2],
        "activations": ["tanh"] * 15 + ["sigmoid"],
        "cost": "cross_entropy",
        "init": {"scheme": "xavier", "seed": 9},
    }
    body = {
        "network": net,
        "x": [0.5, -1.0],
        "y": [1.0, 0.0],
        "target": {"kind": "weight", "layer": 1, "j": 0, "k": 0},
        "limit": 3,
    }
    r = client.post("/api/paths", json=body)
    assert r.status_code == 200, r.text
    expected = 64**14 * 2
    assert expected > 2**64
    assert f'"count":{expected},' in r.text.replace(" ", "")
    out = json.loads(r.text, parse_constant=_refuse)
    assert out["count"] == expected and isinstance(out["count"], int)
    assert len(out["paths"]) == 3
    assert out["sum"] == pytest.approx(out["gradient"], rel=1e-9)
    mags = [abs(p["product"]) for p in out["paths"]]
    assert mags == sorted(mags, reverse=True)
    for p in out["paths"]:
        assert len(p["neurons"]) == 16
        assert p["product"] == pytest.approx(math.prod(p["factors"]), rel=1e-12)


# --- /api/nudge --------------------------------------------------------------------------------
@pytest.mark.parametrize("batch", [False, True])
def test_nudge(client, small_net, batch):
    x = [MAZUR_X, [1.0, -0.5]] if batch else MAZUR_X
    y = [MAZUR_Y, [0.3, 0.3]] if batch else MAZUR_Y
    target = {"kind": "weight", "layer": 2, "j": 0, "k": 1}
    delta = 0.01
    out = ok(
        client,
        "/api/nudge",
        {"network": small_net, "x": x, "y": y, "target": target, "delta": delta},
    )
    assert set(out) == {
        "cost_before",
        "cost_after",
        "delta_cost",
        "delta_cost_linear",
        "gradient",
        "layers",
        "notes",
    }
    bp = ok(client, "/api/backprop", {"network": small_net, "x": x, "y": y})
    assert out["gradient"] == bp["layers"][2]["grad_w"][0][1]
    assert out["delta_cost_linear"] == pytest.approx(out["gradient"] * delta, rel=1e-15)
    assert out["cost_before"] == bp["cost"]
    moved = copy.deepcopy(small_net)
    moved["weights"][1][0][1] += delta
    assert out["cost_after"] == pytest.approx(forward_cost(client, moved, x, y), rel=1e-14)
    assert out["delta_cost"] == pytest.approx(out["cost_after"] - out["cost_before"], rel=1e-12)
    assert out["delta_cost"] == pytest.approx(out["delta_cost_linear"], rel=0.05)
    assert len(out["layers"]) == 3
    zero = [[0.0, 0.0]] * 2 if batch else [0.0, 0.0]
    assert out["layers"][0] == {"delta_a": zero, "delta_a_linear": zero}
    assert out["layers"][1] == {"delta_a": zero, "delta_a_linear": zero}  # w^2 moves layer 2
    fw0 = ok(client, "/api/forward", {"network": small_net, "x": x})["output"]
    fw1 = ok(client, "/api/forward", {"network": moved, "x": x})["output"]
    np.testing.assert_allclose(out["layers"][2]["delta_a"], np.subtract(fw1, fw0), atol=1e-15)
    # First order: only a^2_0 moves, by sigma'(z^2_0) a^1_1 delta.
    sp = np.array(bp["layers"][2]["sigma_prime"]).reshape(-1, 2)[:, 0]
    a1 = np.array(bp["layers"][1]["a"]).reshape(-1, 2)[:, 1]
    lin = np.array(out["layers"][2]["delta_a_linear"]).reshape(-1, 2)
    np.testing.assert_allclose(lin[:, 0], sp * a1 * delta, rtol=1e-13)
    np.testing.assert_array_equal(lin[:, 1], 0.0)


def test_nudge_ratio_tends_to_one(client, small_net):
    target = {"kind": "bias", "layer": 1, "j": 1}
    rel = []
    for delta in (1e-1, 1e-2, 1e-3):
        out = ok(
            client,
            "/api/nudge",
            {"network": small_net, "x": MAZUR_X, "y": MAZUR_Y, "target": target, "delta": delta},
        )
        rel.append(abs(out["delta_cost"] / out["delta_cost_linear"] - 1))
    assert rel[1] < rel[0] / 8 and rel[2] < rel[1] / 8 and rel[2] < 1e-3


# --- /api/gradcheck ----------------------------------------------------------------------------
def test_gradcheck(client, small_net):
    out = ok(
        client,
        "/api/gradcheck",
        {"network": small_net, "x": MAZUR_X, "y": MAZUR_Y, "epsilon": 1e-5},
    )
    assert out["parameters"] == 12
    assert out["forward_passes"] == {"backprop": 1, "numerical": 24}
    assert out["epsilon"] == 1e-5
    assert out["max_rel_error"] < 1e-5
    assert 0 <= out["max_abs_error"] < 1e-9
    assert set(out["seconds"]) == {"backprop", "numerical"}
    assert all(v >= 0 for v in out["seconds"].values())


def test_gradcheck_batch_softmax(client):
    out = ok(client, "/api/gradcheck", {"network": SOFTMAX_NET, "x": SOFTMAX_X, "y": SOFTMAX_Y})
    assert out["parameters"] == 3 * 3 + 4 * 4
    assert out["forward_passes"]["numerical"] == 50
    assert out["epsilon"] == 1e-6
    assert out["max_rel_error"] < 1e-5


# --- docs ----------------------------------------------------------------------------------------
def test_docs_and_openapi_describe_the_fields(client):
    assert client.get("/docs").status_code == 200
    assert "swagger" in client.get("/docs").text.lower()
    spec = client.get("/openapi.json").json()
    for path in ("forward", "backprop", "paths", "nudge", "gradcheck"):
        assert f"/api/{path}" in spec["paths"]
        assert spec["paths"][f"/api/{path}"]["post"]["description"]
    schemas = spec["components"]["schemas"]

    def desc(model, field):
        return schemas[model]["properties"][field].get("description", "")

    for field in ("sizes", "activations", "cost", "weights", "biases", "init"):
        assert desc("NetworkIn", field), field
    assert "w^l_jk" in desc("NetworkIn", "weights")
    assert "exact" in desc("PathsResponse", "count")
    assert "ALL" in desc("PathsResponse", "sum")
    assert "BP1" in desc("BackpropLayer", "delta")
    assert "BP4" in desc("BackpropLayer", "grad_w")
    assert desc("PathsRequest", "mode") and desc("PathsRequest", "offset")
    assert desc("NudgeRequest", "delta") and desc("GradcheckRequest", "epsilon")
    assert desc("WeightTarget", "layer") and desc("WeightTarget", "k")
    assert "null" in desc("BackpropResponse", "notes")
    acts = schemas["NetworkIn"]["properties"]["activations"]["items"]["enum"]
    assert set(acts) == {"sigmoid", "tanh", "relu", "leaky_relu", "linear", "softmax"}
