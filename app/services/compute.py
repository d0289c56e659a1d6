"""The compute endpoints' work, free of HTTP: engine calls, caps and JSON shaping.

Shared by the stateless routes (network in the body) and the saved-network
routes (network from the store). Every function returns a plain dict.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from app.api import arrays
from app.api import schemas as s
from app.config import Settings
from app.nn.network import Network, Pass, SpecError, check_architecture, n_parameters
from app.nn.paths import PathFactors, SearchTooLarge, Target, gradient
from app.nn.probes import gradcheck, nudge

from .jsonify import Jsonifier


class TooMuchWork(SpecError):
    """Valid input that exceeds a configured cap; `field` names what to shrink."""


def check_caps(sizes: list[int], settings: Settings) -> None:
    """Fields are named relative to the network; build_network adds the prefix."""
    if len(sizes) - 1 > settings.max_layers:
        raise TooMuchWork("sizes", f"has {len(sizes) - 1} layers, the cap is {settings.max_layers}")
    for i, n in enumerate(sizes):
        if n > settings.max_neurons:
            raise TooMuchWork(f"sizes[{i}]", f"is {n}, the cap is {settings.max_neurons}")
    params = n_parameters(sizes)
    if params > settings.max_parameters:
        raise TooMuchWork(
            "sizes", f"give {params} parameters, the cap is {settings.max_parameters}"
        )


def build_network(
    spec: s.NetworkIn | s.InitNetwork, settings: Settings, field: str = "network"
) -> Network:
    """A network from its JSON form (weights+biases, or init); errors name the field."""
    try:
        sizes = list(spec.sizes)
        for i, n in enumerate(sizes):
            if n < 1:
                raise SpecError(f"sizes[{i}]", f"is {n}; every layer needs at least 1 neuron")
        check_caps(sizes, settings)
        activations = list(spec.activations)
        if spec.init is not None:
            return Network.initialised(
                sizes, activations, spec.cost, spec.init.scheme, spec.init.seed
            )
        assert isinstance(spec, s.NetworkIn)  # InitNetwork always has init
        assert spec.weights is not None and spec.biases is not None  # NetworkIn's validator
        check_architecture(sizes, activations, spec.cost)
        weights, biases = arrays.network_parameters(spec.weights, spec.biases, sizes)
        return Network(sizes, activations, spec.cost, weights, biases)
    except SpecError as e:
        raise type(e)(f"{field}.{e.field}" if field else e.field, e.message) from None


def _inputs(net: Network, x, y, settings: Settings, need_y: bool = True):
    X, batch = arrays.inputs(net, x, "x")
    if X.shape[0] > settings.max_batch:
        raise TooMuchWork("x", f"has {X.shape[0]} samples, the cap is {settings.max_batch}")
    if X.shape[0] * net.n_parameters > settings.max_work:
        raise TooMuchWork(
            "x",
            f"{X.shape[0]} samples x {net.n_parameters} parameters is over "
            f"the cap of {settings.max_work}",
        )
    Y = arrays.targets(net, y, X.shape[0], "y") if (y is not None or need_y) else None
    return X, Y, batch


def _per(j: Jsonifier, value: np.ndarray, batch: bool, name: str):
    return j.arr(value if batch else value[0], name)


class Wanted:
    """Which answer fields the request's `include` names (all of them without it). Fields
    left out are never turned into JSON, which is most of a large batch's cost."""

    def __init__(self, include: list[str] | None):
        self.names = None if include is None else frozenset(include)

    def __call__(self, name: str) -> bool:
        return self.names is None or name in self.names

    def any(self, *names: str) -> bool:
        return any(self(n) for n in names)

    def pick(self, out: dict) -> dict:
        """Drop the unwanted top-level fields; `layers` and `notes` are decided by the caller."""
        return {k: v for k, v in out.items() if k in ("layers", "notes") or self(k)}


def forward(net: Network, body: s.ForwardBody, settings: Settings) -> dict:
    x, y = body.x, body.y
    want = Wanted(getattr(body, "include", None))
    X, Y, batch = _inputs(net, x, y, settings, need_y=False)
    j = Jsonifier()
    with np.errstate(all="ignore"):
        p = net.evaluate(X, Y) if Y is not None else net.feedforward(X)
    out: dict = {}
    if want.any("a", "z"):
        layers = [{"a": _per(j, X, batch, "layers[0].a")} if want("a") else {}]
        for l in range(1, net.L + 1):
            layer = {}
            if want("z"):
                layer["z"] = _per(j, p.zs[l], batch, f"layers[{l}].z")
            if want("a"):
                layer["a"] = _per(j, p.activations[l], batch, f"layers[{l}].a")
            layers.append(layer)
        out["layers"] = layers
    if want("output"):
        # The same list as layers[L].a when both are asked for (one note if it overflowed).
        full = "layers" in out and want("a")
        out["output"] = (
            out["layers"][-1]["a"] if full else _per(j, p.activations[-1], batch, "output")
        )
    if Y is not None and want("cost"):
        out["cost"] = j.num(p.cost, "cost")
    out["notes"] = j.notes
    return out


def layer_quantities(p: Pass) -> tuple[tuple[str, Sequence[Any]], ...]:
    """A backward pass's per-layer vectors, by the names the API gives them."""
    return (
        ("z", p.zs),
        ("a", p.activations),
        ("sigma_prime", p.sigma_primes),
        ("dC_da", p.dC_da),
        ("delta", p.deltas),
    )


def backprop(net: Network, body: s.WithTargets, settings: Settings) -> dict:
    x, y = body.x, body.y
    want = Wanted(getattr(body, "include", None))
    X, Y, batch = _inputs(net, x, y, settings)
    j = Jsonifier()
    with np.errstate(all="ignore"):
        p = net.backprop(X, Y)
    out: dict = {}
    if want("cost"):
        out["cost"] = j.num(p.cost, "cost")
    per_layer = ("a", "z", "sigma_prime", "dC_da", "delta", "grad_w", "grad_b")
    if want.any(*per_layer):
        layers = [{"a": _per(j, X, batch, "layers[0].a")} if want("a") else {}]
        for l in range(1, net.L + 1):
            layer = {}
            for key, values in layer_quantities(p):
                if want(key):
                    layer[key] = _per(j, values[l], batch, f"layers[{l}].{key}")
            if want("grad_w"):
                layer["grad_w"] = j.arr(p.nabla_w[l], f"layers[{l}].grad_w")
            if want("grad_b"):
                layer["grad_b"] = j.arr(p.nabla_b[l], f"layers[{l}].grad_b")
            layers.append(layer)
        out["layers"] = layers
    out["notes"] = j.notes
    return out


def _target(net: Network, target: s.WeightTarget | s.BiasTarget | s.ActivationTarget) -> Target:
    t = Target(target.kind, target.layer, target.j, getattr(target, "k", None))
    t.check(net)
    return t


def paths(net: Network, body: s.PathsBody, settings: Settings) -> dict:
    x, y, mode, limit, offset = body.x, body.y, body.mode, body.limit, body.offset
    target = body.target
    X, Y, batch = _inputs(net, x, y, settings)
    t = _target(net, target)
    with np.errstate(all="ignore"):
        p = net.backprop(X, Y)
        pf = PathFactors(net, p, t)
        count = pf.count()
        if mode == "all":
            if count > settings.max_paths_all:
                raise TooMuchWork(
                    "mode",
                    f"this target has {count} paths, over the cap of "
                    f"{settings.max_paths_all} for mode 'all'; use mode 'top'",
                )
            if offset >= max(count, 1):
                raise SpecError("offset", f"is {offset}; there are {count} paths")
            stop = min(offset + limit, count)
            neurons = pf.decode(np.arange(offset, stop))
        else:
            if offset:
                raise SpecError("offset", "applies to mode 'all' only")
            if X.shape[0] > 1:
                held = (
                    X.shape[0]
                    * max(net.sizes[i] * net.sizes[i - 1] for i in range(t.layer + 1, net.L + 1))
                    if t.layer < net.L
                    else 0
                )
                if held > settings.max_top_batch_work:
                    raise TooMuchWork(
                        "x",
                        f"a batch 'top' over {X.shape[0]} samples is too "
                        "large; use one sample or fewer",
                    )
            try:
                neurons = pf.top(min(limit, count), settings.max_top_expansions)
            except SearchTooLarge as e:
                raise TooMuchWork("limit", str(e)) from None
        factors = pf.factors(neurons)  # (N, P, F)
        products = pf.products(neurons)
        grad = float(np.mean(gradient(net, p, t)))
        total = float(np.mean(pf.path_sum()))
    j = Jsonifier()
    out_paths = []
    if not Wanted(getattr(body, "include", None))("paths"):
        neurons = neurons[:0]  # nothing to write out
    for i in range(neurons.shape[0]):
        f = factors[:, i, :]
        out_paths.append(
            {
                "neurons": neurons[i].tolist(),
                "factors": j.arr(f if batch else f[0], f"paths[{i}].factors"),
                "product": j.num(products[i], f"paths[{i}].product"),
            }
        )
    out = {
        "count": count,
        "gradient": j.num(grad, "gradient"),
        "sum": j.num(total, "sum"),
        "paths": out_paths,
        "notes": j.notes,
    }
    return Wanted(getattr(body, "include", None)).pick(out)


def nudge_report(net: Network, body: s.NudgeBody, settings: Settings) -> dict:
    x, y, target, delta = body.x, body.y, body.target, body.delta
    X, Y, batch = _inputs(net, x, y, settings)
    t = _target(net, target)
    want = Wanted(getattr(body, "include", None))
    j = Jsonifier()
    with np.errstate(all="ignore"):
        r = nudge(net, X, Y, t, delta)
    out: dict[str, Any] = {
        "cost_before": j.num(r.cost_before, "cost_before"),
        "cost_after": j.num(r.cost_after, "cost_after"),
        "delta_cost": j.num(r.cost_after - r.cost_before, "delta_cost"),
        "delta_cost_linear": j.num(r.delta_cost_linear, "delta_cost_linear"),
        "gradient": j.num(r.gradient, "gradient"),
    }
    if want.any("delta_a", "delta_a_linear"):
        out["layers"] = [
            {
                key: _per(j, values, batch, f"layers[{l}].{key}")
                for key, values in (("delta_a", da), ("delta_a_linear", dl))
                if want(key)
            }
            for l, (da, dl) in enumerate(zip(r.delta_a, r.delta_a_linear, strict=True))
        ]
    out["notes"] = j.notes
    return want.pick(out)


def gradcheck_report(net: Network, body: s.GradcheckBody, settings: Settings) -> dict:
    x, y, epsilon = body.x, body.y, body.epsilon
    X, Y, _ = _inputs(net, x, y, settings)
    P = net.n_parameters
    if P > settings.max_gradcheck_parameters:
        raise TooMuchWork(
            "network.sizes",
            f"gradcheck of {P} parameters needs {2 * P} forward "
            f"passes; the cap is {settings.max_gradcheck_parameters} parameters",
        )
    # 2P forward passes, each about P multiply-adds plus a fixed NumPy cost per layer.
    one = 2 * P * (P + net.L * settings.gradcheck_layer_overhead)
    if one > settings.max_gradcheck_work:
        raise TooMuchWork(
            "network.sizes",
            f"gradcheck of {P} parameters in {net.L} layers is over the work cap even for "
            "one sample; use a smaller network",
        )
    if one * X.shape[0] > settings.max_gradcheck_work:
        raise TooMuchWork(
            "x",
            f"gradcheck of {P} parameters over {X.shape[0]} samples is over "
            "the work cap; use fewer samples",
        )
    j = Jsonifier()
    with np.errstate(all="ignore"):
        g = gradcheck(net, X, Y, epsilon)
    return Wanted(getattr(body, "include", None)).pick(
        {
            "parameters": g.parameters,
            "max_abs_error": j.num(g.max_abs_error, "max_abs_error"),
            "max_rel_error": j.num(g.max_rel_error, "max_rel_error"),
            "epsilon": epsilon,
            "forward_passes": {"backprop": 1, "numerical": 2 * g.parameters},
            "seconds": {"backprop": g.seconds_backprop, "numerical": g.seconds_numerical},
            "notes": j.notes,
        }
    )
