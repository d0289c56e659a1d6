"""A learning rate that trains a network of this kind on its dataset, measured, not guessed.

Measured through the API with batches of 10 (tests/api/test_stalls.py trains each case at
the rate given here): sigmoid networks with the quadratic cost train at Nielsen's eta = 3,
the cross-entropies at 0.5 (xor, circles, gaussians, iris), the ReLU family at 0.1. The
spiral is the exception: its tanh networks stall at 0.5 (2-32-32-2 tanh, tanh, sigmoid with
cross-entropy sits at chance level, 56% after 20,000 steps) and train at 0.1 (96%, past 90%
by step ~18,000): a large step drives the tanh units into saturation before the arms part.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

# The first rule whose conditions all hold wins. A rule may ask that any activation is one
# of `any_activation`, that every activation is one of `all_activations`, that the cost is
# one of `costs`, and that the network is meant for one of `datasets`. GET /api/meta serves
# this list, so the page applies the same rules (core/meta.js) before a record arrives.
LEARNING_RATE_RULES: list[dict[str, Any]] = [
    {"any_activation": ["relu", "leaky_relu", "linear"], "learning_rate": 0.1},
    # The spiral's tanh networks need small steps (see above).
    {"any_activation": ["tanh"], "datasets": ["spiral"], "learning_rate": 0.1},
    {
        "any_activation": ["tanh"],
        "costs": ["cross_entropy", "log_likelihood"],
        "learning_rate": 0.5,
    },
    {"any_activation": ["tanh"], "learning_rate": 0.3},
    {"costs": ["cross_entropy", "log_likelihood"], "learning_rate": 0.5},
    {"costs": ["sse"], "learning_rate": 1.5},
    {"learning_rate": 3.0},  # Nielsen's eta = 3
]


def _rule_holds(
    rule: dict[str, Any], activations: Sequence[str], cost: str, dataset: str | None
) -> bool:
    if "any_activation" in rule and not any(a in rule["any_activation"] for a in activations):
        return False
    if "all_activations" in rule and not all(a in rule["all_activations"] for a in activations):
        return False
    if "datasets" in rule and dataset not in rule["datasets"]:
        return False
    return "costs" not in rule or cost in rule["costs"]


def suggested_learning_rate(
    activations: Sequence[str], cost: str, dataset: str | None = None
) -> float:
    return next(
        r["learning_rate"]
        for r in LEARNING_RATE_RULES
        if _rule_holds(r, activations, cost, dataset)
    )


def suggested_rate(
    sizes: list[int], activations: list[str], cost: str, dataset: str | None = None
) -> float:
    """The rate for a saved network (sizes kept for callers; the rules do not need them)."""
    return suggested_learning_rate(activations, cost, dataset)
