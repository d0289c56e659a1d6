"""Speed tricks, kept in this one place so the engine reads like the textbook.

Each function returns exactly (bit for bit) what the plain expression in its docstring
returns, with fewer or cheaper NumPy calls. For one sample a backward pass costs mostly
the number of NumPy calls it makes (tens of microseconds); bench/bench_engine.py measures
the effect against PyTorch and a textbook loop.
"""

from __future__ import annotations

import numpy as np

Array = np.ndarray


def sigmoid_with_prime(z: Array) -> tuple[Array, Array]:
    """(sigmoid(z), sigmoid'(z)) from one exp instead of two; see activations._sigmoid and
    activations._sigmoid_prime for the plain forms (tests check they agree bit for bit)."""
    e = np.exp(-np.abs(z))
    d = 1.0 + e
    return np.where(z >= 0, 1.0, e) / d, e / (d * d)


def mean_cost(costs: Array) -> float:
    """np.mean(costs), without np.mean's overhead (and no division for one sample)."""
    n = costs.shape[0]
    return float(costs.sum() / n) if n > 1 else float(costs[0])


def batch_mean(rows: Array) -> Array:
    """rows.mean(axis=0): BP3's average of delta over the samples; one sample skips the
    division by 1."""
    n = rows.shape[0]
    return rows.sum(axis=0) / n if n > 1 else rows.sum(axis=0)


def batch_mean_outer(delta: Array, a_prev: Array) -> Array:
    """mean over samples x of delta_x a_prev_x^T: BP4's dC/dw^l_jk = a^{l-1}_k delta^l_j.

    Written (a^T delta)^T with np.dot: `@` takes a slow path for the one-sample outer
    product, and dividing delta by N is cheaper than dividing the (bigger) result.
    """
    n = delta.shape[0]
    return np.dot(a_prev.T, delta / n if n > 1 else delta).T
