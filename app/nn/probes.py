"""Experiments on a network: nudge one parameter (Nielsen's eq. 47-48) and
check every gradient against central differences."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from .network import Network, Pass
from .paths import Target, gradient

Array = np.ndarray


@dataclass
class Nudge:
    cost_before: float
    cost_after: float
    gradient: float  # dC/d(target), batch-averaged
    delta_cost_linear: float
    delta_a: list[Array]  # per layer, (N, n_l): the actual change of a^l
    delta_a_linear: list[Array]  # per layer: da^l/d(target) * delta, first order


def parameter(net: Network, t: Target) -> tuple[Array, tuple[int, ...]]:
    """The array holding the target parameter and its index in it."""
    if t.kind == "weight":
        assert t.k is not None  # Target.check makes sure of it
        return net.weights[t.layer], (t.j, t.k)
    return net.biases[t.layer], (t.j,)


def nudge(net: Network, X: Array, Y: Array, t: Target, delta: float) -> Nudge:
    before = net.backprop(X, Y)
    grad = float(np.mean(gradient(net, before, t)))
    # Forward-mode: the tangent of every activation with respect to the target.
    tangents: list[Array] = [np.zeros_like(a) for a in before.activations]
    dz = np.zeros_like(before.zs[t.layer])
    dz[:, t.j] = before.activations[t.layer - 1][:, t.k] if t.kind == "weight" else 1.0
    for l in range(t.layer, net.L + 1):
        if l > t.layer:
            dz = tangents[l - 1] @ net.weights[l].T
        tangents[l] = net.act[l].jvp(before.zs[l], dz)

    moved = net.copy()
    array, index = parameter(moved, t)
    array[index] += delta
    after = moved.evaluate(X, Y)
    return Nudge(
        cost_before=before.cost,
        cost_after=after.cost,
        gradient=grad,
        delta_cost_linear=grad * delta,
        delta_a=[a1 - a0 for a0, a1 in zip(before.activations, after.activations, strict=True)],
        delta_a_linear=[d * delta for d in tangents],
    )


@dataclass
class GradCheck:
    parameters: int
    max_abs_error: float
    max_rel_error: float
    seconds_backprop: float
    seconds_numerical: float
    backprop: list[Array]  # flat per layer: [W^1, b^1, W^2, ...] raveled
    numerical: list[Array]


# A central difference at epsilon carries rounding noise of about 1e-16 |C| / epsilon
# (measured up to ~1e-10 |C| at epsilon = 1e-6). Relative errors are taken against
# max(|g|, floor) with floor = 1e-10 |C| / epsilon (1e-4 |C| at the default), so that
# this noise reads at most ~1e-6 relative: gradients below the floor are judged by
# their absolute error, scaled.
NOISE_FLOOR = 1e-10


def gradcheck(net: Network, X: Array, Y: Array, epsilon: float = 1e-6) -> GradCheck:
    t0 = time.perf_counter()
    p: Pass = net.backprop(X, Y)
    t1 = time.perf_counter()
    work = net.copy()
    numerical = []
    for l in range(1, net.L + 1):
        for array in (work.weights[l], work.biases[l]):
            flat = array.reshape(-1)  # a view: writes reach the network
            g = np.empty_like(flat)
            for i in range(flat.size):
                old = flat[i]
                flat[i] = old + epsilon
                c_plus = work.evaluate(X, Y).cost
                flat[i] = old - epsilon
                c_minus = work.evaluate(X, Y).cost
                flat[i] = old
                g[i] = (c_plus - c_minus) / (2.0 * epsilon)
            numerical.append(g)
    t2 = time.perf_counter()
    backprop = [g.reshape(-1) for l in range(1, net.L + 1) for g in (p.nabla_w[l], p.nabla_b[l])]
    bp, num = np.concatenate(backprop), np.concatenate(numerical)
    abs_err = np.abs(bp - num)
    floor = NOISE_FLOOR * max(1.0, abs(p.cost)) / epsilon
    rel_err = abs_err / np.maximum(np.maximum(np.abs(bp), np.abs(num)), floor)
    return GradCheck(
        parameters=int(bp.size),
        max_abs_error=float(abs_err.max()),
        max_rel_error=float(rel_err.max()),
        seconds_backprop=t1 - t0,
        seconds_numerical=t2 - t1,
        backprop=backprop,
        numerical=numerical,
    )
