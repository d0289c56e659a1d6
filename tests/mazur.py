"""Mazur's worked example, defined once for every test: the Nielsen-style 2-2-2 sigmoid
network with quadratic cost, its sample and its published cost (hand-checkable forward
pass; backprop's gradients are published to 9 digits)."""

from __future__ import annotations

import copy

MAZUR = {
    "sizes": [2, 2, 2],
    "activations": ["sigmoid", "sigmoid"],
    "cost": "quadratic",
    "weights": [[[0.15, 0.20], [0.25, 0.30]], [[0.40, 0.45], [0.50, 0.55]]],
    "biases": [[0.35, 0.35], [0.60, 0.60]],
}
MAZUR_X, MAZUR_Y = [0.05, 0.10], [0.01, 0.99]
MAZUR_COST = 0.298371108760003


def mazur() -> dict:
    """A fresh copy of the network's JSON form, for a test to change as it likes."""
    return copy.deepcopy(MAZUR)
