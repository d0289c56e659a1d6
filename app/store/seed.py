"""The networks a new store starts with, so a first visit has something to look at."""

from __future__ import annotations

from app.nn.network import Network

from .networks import Networks

DEMOS = [
    ("XOR demo 2-3-2", "xor", [2, 3, 2], ["sigmoid", "sigmoid"], "quadratic", 7),
    ("Digits 64-16-10", "digits", [64, 16, 10], ["sigmoid", "sigmoid"], "quadratic", 1),
    # Nielsen's chapter 1 network; η = 3, batch 10 passes 90% held-out in ~600 steps.
    ("MNIST 784-30-10 (Nielsen)", "mnist", [784, 30, 10], ["sigmoid"] * 2, "quadratic", 1),
    # 3Blue1Brown's network: squared error without the 1/2, so η = 1.5 matches Nielsen's 3.
    ("MNIST 784-16-16-10 (3Blue1Brown)", "mnist", [784, 16, 16, 10], ["sigmoid"] * 3, "sse", 1),
]


def seed_demos(networks: Networks) -> None:
    for name, dataset, sizes, activations, cost, seed in DEMOS:
        net = Network.initialised(sizes, activations, cost, "xavier", seed)
        networks.create(name, net, dataset, source="create")
