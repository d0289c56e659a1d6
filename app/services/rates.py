"""A learning rate that trains a network of this kind on its dataset, measured, not guessed.

Measured through the API with batches of 10 (tests/api/test_stalls.py trains each case at
the rate given here): sigmoid networks with the quadratic cost train at Nielsen's eta = 3,
the cross-entropies at 0.5 (xor, circles, gaussians, iris), the ReLU family at 0.1. The
spiral is the exception: its tanh networks stall at 0.5 (2-32-32-2 tanh, tanh, sigmoid with
cross-entropy sits at chance level, 56% after 20,000 steps) and train at 0.1 (96%, past 90%
by step ~18,000): a large step drives the tanh units into saturation before the arms part.
"""

from __future__ import annotations

CAREFUL = {"spiral": 0.1}  # datasets whose tanh networks need small steps


def suggested_rate(
    sizes: list[int], activations: list[str], cost: str, dataset: str | None = None
) -> float:
    if any(a in ("relu", "leaky_relu", "linear") for a in activations):
        return 0.1
    ce = cost in ("cross_entropy", "log_likelihood")
    if "tanh" in activations:
        rate = 0.5 if ce else 0.3
        return min(rate, CAREFUL.get(dataset or "", rate))
    if ce:
        return 0.5
    return 1.5 if cost == "sse" else 3.0
