"""3Blue1Brown's dependency tree of one weight, bias or activation, for one sample.

Nodes are the target and every quantity it moves on its way to the cost: z and a of
each later layer, then C. Each edge carries its local derivative:

    w^s_jk -> z^s_j : a^{s-1}_k          b^s_j -> z^s_j : 1
    z^l_q  -> a^l_q : sigma'(z^l_q)      (softmax: z^L_r -> a^L_m is a_m([m=r] - a_r))
    a^{l-1}_p -> z^l_q : w^l_qp          a^L_m -> C : dC/da^L_m

so Nielsen's rate factor of a step (paths.py) is the product of the two edges through a
z node. Each node also carries dC/d(node) and its *share*: d(node)/d(target) times
dC/d(node), the part of the gradient that flows through it. Over the neurons of one
later layer the shares add up to the gradient, which is what lets the view fold a wide
layer to its largest shares and still say exactly how much the hidden ones carry.
"""

from __future__ import annotations

import numpy as np

from app.config import Settings
from app.nn.network import Layers, Network, SpecError
from app.nn.paths import PathFactors, Target, gradient

from .compute import _inputs, _target
from .jsonify import Jsonifier


def _softmax_jacobian(a: np.ndarray) -> np.ndarray:
    """J[m, r] = da_m/dz_r for one sample's softmax output a."""
    return np.diag(a) - np.outer(a, a)


def tree(net: Network, body, settings: Settings) -> dict:
    X, Y, batch = _inputs(net, body.x, body.y, settings)
    if batch or X.shape[0] != 1:
        raise SpecError("x", "the tree is drawn for one sample: give x as one list")
    t = _target(net, body.target)
    keep = body.max_branches
    with np.errstate(all="ignore"):
        p = net.backprop(X, Y)
        out = _build(net, p, t, keep)
        out["gradient"] = float(gradient(net, p, t)[0])
        out["cost"] = float(p.cost)
        out["paths"] = PathFactors(net, p, t).count()
    return _finite(out)


def _build(net: Network, p, t: Target, keep: int) -> dict:
    L, s, j = net.L, t.layer, t.j
    softmax = net.activation_names[-1] == "softmax"
    # One sample's numbers by layer (None where layer 0 has none, as in app/nn).
    z: Layers = [None if l == 0 else p.zs[l][0] for l in range(L + 1)]
    a: Layers = [p.activations[l][0] for l in range(L + 1)]
    sp: Layers = [None if l == 0 else p.sigma_primes[l][0] for l in range(L + 1)]
    delta: Layers = [None if l == 0 else p.deltas[l][0] for l in range(L + 1)]
    dC_da: Layers = [None] * (L + 1)
    for l in range(L + 1):
        if l == 0:
            dC_da[0] = (p.deltas[1] @ net.weights[1])[0]
        else:
            dC_da[l] = p.dC_da[l][0]
    grad = float(gradient(net, p, t)[0])
    nodes: list[dict] = []
    edges: list[dict] = []
    folded: list[dict] = []

    def node(kind, layer, jj, value, g, share, k=None):
        nid = "C" if kind == "cost" else f"{kind}{layer}_{jj}" + (f"_{k}" if k is not None else "")
        nodes.append(
            {
                "id": nid,
                "kind": kind,
                "layer": layer,
                "j": jj,
                "k": k,
                "value": value,
                "grad": g,
                "share": share,
            }
        )
        return nid

    def edge(src, dst, local):
        edges.append({"source": src, "target": dst, "local": local})

    def a_nodes(l, dz, shown, zids, share_z):
        """Layer l's a nodes after its shown z nodes (ids `zids`, shares `share_z`): the
        sensitivity d(a^l)/d(target), the a neurons kept and their node ids. A softmax layer
        mixes every z into every a (its Jacobian); elsewhere a^l_q hangs on z^l_q alone."""
        if softmax and l == L:
            J = _softmax_jacobian(a[L])
            da = J @ dz
            share_a = da * dC_da[L]
            kept = _largest(share_a, keep)
            ids = []
            for m in kept:
                aid = node("a", L, m, a[L][m], dC_da[L][m], share_a[m])
                for q, zid in zip(shown, zids, strict=True):
                    edge(zid, aid, J[m, q])
                ids.append(aid)
            _fold(folded, L, "a", len(a[L]), kept, share_a, 0)
            return da, kept, ids
        ids = []
        for q, zid in zip(shown, zids, strict=True):
            aid = node("a", l, q, a[l][q], dC_da[l][q], share_z[q])
            edge(zid, aid, sp[l][q])
            ids.append(aid)
        return sp[l] * dz, list(shown), ids

    # Forward sensitivities d(z^l)/d(target) and d(a^l)/d(target), layer by layer.
    if t.kind == "activation":
        da = np.zeros_like(a[s])
        da[j] = 1.0
        shown_a = [j]
        prev = [node("a", s, j, a[s][j], dC_da[s][j], grad)]
    else:
        kind = "weight" if t.kind == "weight" else "bias"
        value = net.weights[s][j, t.k] if t.kind == "weight" else net.biases[s][j]
        root = node(kind, s, j, value, grad, grad, k=t.k)
        dz = np.zeros_like(z[s])
        dz[j] = a[s - 1][t.k] if t.kind == "weight" else 1.0
        zid = node("z", s, j, z[s][j], delta[s][j], grad)
        edge(root, zid, dz[j])
        share = np.zeros_like(z[s])
        share[j] = grad
        da, shown_a, prev = a_nodes(s, dz, [j], [zid], share)
    for l in range(s + 1, L + 1):
        W = net.weights[l]
        dz = W @ da
        share_z = dz * delta[l]
        shown = _largest(share_z, keep)
        zids = []
        for q in shown:
            zid = node("z", l, q, z[l][q], delta[l][q], share_z[q])
            for p_idx, src in zip(shown_a, prev, strict=True):
                edge(src, zid, W[q, p_idx])
            zids.append(zid)
        # Into layer s+1 only a^s_j moves (unless a softmax spread it); later, every a does.
        sources = len(shown_a) if l == s + 1 and not (softmax and s == L) else len(a[l - 1])
        hidden_edges = W.shape[0] * sources - len(shown) * len(shown_a)
        _fold(folded, l, "z", len(z[l]), shown, share_z, hidden_edges)
        da, shown_a, prev = a_nodes(l, dz, shown, zids, share_z)
    cost = node("cost", None, None, float(p.costs[0]), 1.0, grad)
    for m, aid in zip(shown_a, prev, strict=True):
        edge(aid, cost, dC_da[L][m])
    return {"nodes": nodes, "edges": edges, "folded": folded}


def _largest(share: np.ndarray, keep: int) -> list[int]:
    """The `keep` neurons with the largest |share|, in index order (so the drawing keeps
    the diagram's order)."""
    if len(share) <= keep:
        return list(range(len(share)))
    order = np.argsort(-np.abs(np.nan_to_num(share)), kind="stable")[:keep]
    return sorted(int(i) for i in order)


def _fold(folded: list, layer: int, kind: str, n: int, shown: list[int], share, edges: int):
    hidden = n - len(shown)
    if hidden <= 0 and edges <= 0:
        return
    rest = [i for i in range(n) if i not in set(shown)]
    folded.append(
        {
            "layer": layer,
            "kind": kind,
            "shown": len(shown),
            "hidden": hidden,
            "hidden_share": float(np.sum(share[rest])) if rest else 0.0,
            "hidden_edges": int(edges),
        }
    )


def _finite(out: dict) -> dict:
    """Every number finite or null (with a note), as the other endpoints answer."""
    j = Jsonifier()
    for i, n in enumerate(out["nodes"]):
        for key in ("value", "grad", "share"):
            n[key] = j.num(n[key], f"nodes[{i}].{key}")
    for i, e in enumerate(out["edges"]):
        e["local"] = j.num(e["local"], f"edges[{i}].local")
    for i, f in enumerate(out["folded"]):
        f["hidden_share"] = j.num(f["hidden_share"], f"folded[{i}].hidden_share")
    out["gradient"] = j.num(out["gradient"], "gradient")
    out["cost"] = j.num(out["cost"], "cost")
    out["notes"] = j.notes
    return out
