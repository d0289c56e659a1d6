"""The networks a new store starts with, so a first visit has something to look at."""

from __future__ import annotations

from app.nn.network import Network

from .networks import Networks

DEMOS = [
    ("XOR demo 2-3-2", "xor", [2, 3, 2], ["sigmoid", "sigmoid"], "quadratic", 7),
    ("Digits 64-16-10", "digits", [64, 16, 10], ["sigmoid", "sigmoid"], "quadratic", 1),
]


def seed_demos(networks: Networks) -> None:
    for name, dataset, sizes, activations, cost, seed in DEMOS:
        net = Network.initialised(sizes, activations, cost, "xavier", seed)
        networks.create(name, net, dataset, source="create")
