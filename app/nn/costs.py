"""Costs for one sample, each with its derivative dC/da beside it.

`fn` returns C_x for every sample (shape (N,)); the network's cost is their
mean. Costs that take logarithms read ln a and ln(1 - a) from the output
activation's `log_parts(z)`, never log(a) of a rounded a, so they stay finite
at |z| = 1000 where a itself rounds to exactly 0 or 1.

`OUTPUT_DELTAS` holds BP1 in closed form for the pairs where sigma' and dC/da
cancel (the cross-entropy story of Nielsen's chapter 3): there dC/da can
overflow float64 while delta^L = dC/dz^L is a perfectly ordinary number.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

Array = np.ndarray


@dataclass(frozen=True)
class Output:
    """The output layer as the costs see it; log parts only for (0, 1) outputs."""

    z: Array
    a: Array
    # Arrays for (0, 1) outputs, None otherwise; only the costs that need them read them.
    log_a: Any = None
    log_1ma: Any = None


def _quadratic(o: Output, y: Array) -> Array:
    d = o.a - y
    return 0.5 * (d * d).sum(axis=1)


def _quadratic_prime(o: Output, y: Array) -> Array:
    return o.a - y


def _sse(o: Output, y: Array) -> Array:
    return np.sum((o.a - y) ** 2, axis=1)


def _sse_prime(o: Output, y: Array) -> Array:
    return 2.0 * (o.a - y)


def _times_exp(coef: Array, log_x: Array) -> Array:
    """coef * exp(-log_x), taking 0 * (anything) as 0; may overflow to inf."""
    with np.errstate(over="ignore"):
        return np.where(coef != 0, coef * np.exp(-np.where(coef != 0, log_x, 0.0)), 0.0)


def _cross_entropy(o: Output, y: Array) -> Array:
    return -np.sum(y * o.log_a + (1.0 - y) * o.log_1ma, axis=1)


def _cross_entropy_prime(o: Output, y: Array) -> Array:
    # -y/a + (1 - y)/(1 - a)
    return _times_exp(1.0 - y, o.log_1ma) - _times_exp(y, o.log_a)


def _log_likelihood(o: Output, y: Array) -> Array:
    return -np.sum(y * o.log_a, axis=1)


def _log_likelihood_prime(o: Output, y: Array) -> Array:
    return -_times_exp(y, o.log_a)


@dataclass(frozen=True)
class Cost:
    name: str
    fn: Callable[[Output, Array], Array]
    derivative: Callable[[Output, Array], Array]
    needs_unit_interval: bool = False  # outputs must lie in (0, 1), y in [0, 1]
    formula: str = ""


COSTS: dict[str, Cost] = {
    c.name: c
    for c in (
        Cost("quadratic", _quadratic, _quadratic_prime, formula="C = 1/2 sum_j (a_j - y_j)^2"),
        Cost("sse", _sse, _sse_prime, formula="C = sum_j (a_j - y_j)^2"),
        Cost(
            "cross_entropy",
            _cross_entropy,
            _cross_entropy_prime,
            needs_unit_interval=True,
            formula="C = -sum_j [y_j ln a_j + (1 - y_j) ln(1 - a_j)]",
        ),
        Cost(
            "log_likelihood",
            _log_likelihood,
            _log_likelihood_prime,
            needs_unit_interval=True,
            formula="C = -sum_j y_j ln a_j",
        ),
    )
}


def _softmax_cross_entropy_delta(o: Output, y: Array) -> Array:
    """delta_i = (a_i - y_i) - a_i * sum_{j != i} (a_j - y_j) / (1 - a_j).

    Only the row's largest a_j can sit near 1, so its term is rewritten as
    (a_j* - y_j*) * exp(ln a_i - ln(1 - a_j*)), an exponent that is <= 0.
    """
    rows = np.arange(o.a.shape[0])
    top = np.argmax(o.log_a, axis=1)
    d = o.a - y
    mask = np.ones_like(d, dtype=bool)
    mask[rows, top] = False
    h_rest = np.where(mask, d * np.exp(-np.where(mask, o.log_1ma, 0.0)), 0.0)
    term = o.a * (h_rest.sum(axis=1, keepdims=True) - h_rest)
    exponent = np.where(mask, o.log_a - o.log_1ma[rows, top][:, None], -np.inf)
    star = d[rows, top][:, None] * np.exp(exponent)
    return d - term - star


OUTPUT_DELTAS: dict[tuple[str, str], Callable[[Output, Array], Array]] = {
    ("sigmoid", "cross_entropy"): lambda o, y: o.a - y,
    ("sigmoid", "log_likelihood"): lambda o, y: -y * np.exp(o.log_1ma),
    ("softmax", "log_likelihood"): lambda o, y: o.a * y.sum(axis=1, keepdims=True) - y,
    ("softmax", "cross_entropy"): _softmax_cross_entropy_delta,
}
