"""A learning rate that trains a network of this kind, measured rather than guessed.

Measured through the API (see tests/api/test_suggested_rates.py, which trains each case
and checks it learns): sigmoid networks with the quadratic cost train at Nielsen's eta = 3;
cross-entropy and log-likelihood want a smaller step; tanh and the ReLU family smaller still.
"""

from __future__ import annotations


def suggested_rate(sizes: list[int], activations: list[str], cost: str) -> float:
    if any(a in ("relu", "leaky_relu", "linear") for a in activations):
        return 0.1
    if "tanh" in activations:
        return 0.1 if cost in ("cross_entropy", "log_likelihood") else 0.3
    if cost in ("cross_entropy", "log_likelihood"):
        return 0.5
    return 1.5 if cost == "sse" else 3.0
