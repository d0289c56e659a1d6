"""The dependency tree (/api/tree) against /api/backprop and /api/paths on random networks:
node values and dC/d(node) are backprop's numbers, and the two edges through each z node
multiply to the rate factor /api/paths gives that step."""

from __future__ import annotations

import math

import numpy as np
import pytest

ACTS = ["sigmoid", "tanh", "relu", "leaky_relu", "linear"]


def random_case(rng):
    L = int(rng.integers(1, 4))
    sizes = [int(n) for n in rng.integers(1, 4, size=L + 1)]
    acts = [str(rng.choice(ACTS)) for _ in range(L)]
    cost = str(rng.choice(["quadratic", "sse"]))
    net = {
        "sizes": sizes,
        "activations": acts,
        "cost": cost,
        "weights": [rng.normal(0, 1, (sizes[l], sizes[l - 1])).tolist() for l in range(1, L + 1)],
        "biases": [rng.normal(0, 0.5, sizes[l]).tolist() for l in range(1, L + 1)],
    }
    x = rng.normal(0, 1, sizes[0]).tolist()
    y = rng.uniform(0, 1, sizes[-1]).tolist()
    kind = str(rng.choice(["weight", "bias", "activation"]))
    layer = int(rng.integers(0 if kind == "activation" else 1, L + 1))
    target = {"kind": kind, "layer": layer, "j": int(rng.integers(sizes[layer]))}
    if kind == "weight":
        target["k"] = int(rng.integers(sizes[layer - 1]))
    return net, x, y, target


def close(a, b):
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-15)


@pytest.mark.parametrize("seed", range(40))
def test_tree_matches_backprop_and_paths(shared_client, seed):
    net, x, y, target = random_case(np.random.default_rng(seed))
    body = {"network": net, "x": x, "y": y, "target": target}
    tree = shared_client.post("/api/tree", json={**body, "max_branches": 16}).json()
    bp = shared_client.post("/api/backprop", json={"network": net, "x": x, "y": y}).json()
    paths = shared_client.post("/api/paths", json={**body, "mode": "all", "limit": 1000}).json()
    nodes = {n["id"]: n for n in tree["nodes"]}
    local = {(e["source"], e["target"]): e["local"] for e in tree["edges"]}

    # Node values and dC/d(node) are backprop's.
    for n in tree["nodes"]:
        layer = bp["layers"][n["layer"]] if n["layer"] is not None else None
        if n["kind"] in ("z", "a"):
            assert close(n["value"], layer[n["kind"]][n["j"]])
            if n["kind"] == "z":
                assert close(n["grad"], layer["delta"][n["j"]])
            elif n["layer"] > 0:
                assert close(n["grad"], layer["dC_da"][n["j"]])
        elif n["kind"] == "cost":
            assert close(n["value"], bp["cost"])
    assert close(tree["gradient"], paths["gradient"])
    assert tree["paths"] == paths["count"] == len(paths["paths"])
    assert not tree["folded"]

    # Each path's rate factors are products of tree edges.
    s, L = target["layer"], len(net["sizes"]) - 1
    root = nodes[tree["nodes"][0]["id"]]["id"]
    for path in paths["paths"]:
        expect = []
        if target["kind"] != "activation":
            z = f"z{s}_{target['j']}"
            expect.append(local[(root, z)] * local[(z, f"a{s}_{target['j']}")])
        for i, layer in enumerate(range(s + 1, L + 1)):
            p, q = path["neurons"][i], path["neurons"][i + 1]
            z = f"z{layer}_{q}"
            expect.append(local[(f"a{layer - 1}_{p}", z)] * local[(z, f"a{layer}_{q}")])
        expect.append(local[(f"a{L}_{path['neurons'][-1]}", "C")])
        assert len(expect) == len(path["factors"])
        for got, want in zip(path["factors"], expect, strict=True):
            assert close(got, want), (got, want)


def test_wide_layers_fold_and_the_shares_still_add_up(shared_client):
    rng = np.random.default_rng(3)
    sizes = [3, 9, 7, 4]
    net = {
        "sizes": sizes,
        "activations": ["sigmoid"] * 3,
        "cost": "quadratic",
        "weights": [rng.normal(0, 1, (sizes[l], sizes[l - 1])).tolist() for l in range(1, 4)],
        "biases": [rng.normal(0, 1, sizes[l]).tolist() for l in range(1, 4)],
    }
    body = {"network": net, "x": [0.2, -0.5, 0.9], "y": [1, 0, 0, 0], "max_branches": 3}
    body["target"] = {"kind": "weight", "layer": 1, "j": 2, "k": 1}
    tree = shared_client.post("/api/tree", json=body).json()
    folds = {(f["layer"], f["kind"]): f for f in tree["folded"]}
    assert set(folds) == {(2, "z"), (3, "z")}
    assert folds[(2, "z")]["hidden"] == 4 and folds[(3, "z")]["hidden"] == 1
    # Into layer 2 only a^1_2 moves: 7 edges in all, 3 drawn; into layer 3: 4*7 - 3*3.
    assert folds[(2, "z")]["hidden_edges"] == 7 - 3
    assert folds[(3, "z")]["hidden_edges"] == 4 * 7 - 3 * 3
    for layer in (2, 3):
        shown = sum(n["share"] for n in tree["nodes"] if n["kind"] == "z" and n["layer"] == layer)
        total = shown + folds[(layer, "z")]["hidden_share"]
        assert math.isclose(total, tree["gradient"], rel_tol=1e-9)
    assert tree["paths"] == 7 * 4  # one start neuron, then 7 x 4


def test_softmax_output_edges_are_the_jacobian(shared_client):
    net = {
        "sizes": [2, 3],
        "activations": ["softmax"],
        "cost": "log_likelihood",
        "weights": [[[0.5, -1], [1, 0.2], [-0.3, 0.8]]],
        "biases": [[0.1, 0, -0.1]],
    }
    body = {"network": net, "x": [1, 2], "y": [0, 1, 0]}
    body["target"] = {"kind": "weight", "layer": 1, "j": 0, "k": 1}
    tree = shared_client.post("/api/tree", json=body).json()
    a = [n["value"] for n in tree["nodes"] if n["kind"] == "a"]
    jac = [e["local"] for e in tree["edges"] if e["source"] == "z1_0"]
    assert np.allclose(jac, [a[0] * (1 - a[0]), -a[1] * a[0], -a[2] * a[0]])
    grad = shared_client.post("/api/backprop", json={"network": net, "x": [1, 2], "y": [0, 1, 0]})
    assert close(tree["gradient"], grad.json()["layers"][1]["grad_w"][0][1])


def test_refusals_name_the_field(shared_client):
    net = {"sizes": [1, 1], "activations": ["sigmoid"], "cost": "quadratic"}
    net |= {"weights": [[[1.0]]], "biases": [[0.0]]}
    base = {"network": net, "y": [0], "target": {"kind": "weight", "layer": 1, "j": 0, "k": 0}}
    r = shared_client.post("/api/tree", json={**base, "x": [[1], [2]], "y": [[0], [1]]})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "x"
    r = shared_client.post("/api/tree", json={**base, "x": [1], "max_branches": 0})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "max_branches"
    bad = {**base, "x": [1], "target": {"kind": "weight", "layer": 1, "j": 3, "k": 0}}
    r = shared_client.post("/api/tree", json=bad)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "target.j"


def test_saved_network_tree(shared_client):
    net = {"sizes": [1, 2, 1], "activations": ["tanh", "sigmoid"], "cost": "quadratic"}
    net |= {"weights": [[[0.5], [-1.0]], [[1.0, 2.0]]], "biases": [[0.0, 0.1], [0.2]]}
    nid = shared_client.post("/api/networks", json={"name": "tree", "network": net}).json()["id"]
    body = {"x": [0.3], "y": [1], "target": {"kind": "bias", "layer": 1, "j": 1}}
    saved = shared_client.post(f"/api/networks/{nid}/tree", json=body).json()
    stateless = shared_client.post("/api/tree", json={**body, "network": net}).json()
    assert saved == stateless
    assert shared_client.post("/api/networks/999999/tree", json=body).status_code == 404
