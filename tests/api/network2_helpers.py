"""The book's network2.py file format and its column-vector arithmetic, rewritten for tests.

`save` writes exactly what network2.py's `Network.save()` writes (json.dump of sizes, weights
and column biases as `tolist()`, and the cost class's `__name__`); `load` reads it back as
`load()` does; `backprop` is the book's per-sample loop over column vectors, summed and divided
by the batch size as `update_mini_batch` does, so it checks our engine from the other side.
"""

from __future__ import annotations

import itertools
import json

import numpy as np


class QuadraticCost:
    @staticmethod
    def fn(a, y):
        return 0.5 * np.linalg.norm(a - y) ** 2

    @staticmethod
    def delta(z, a, y):
        return (a - y) * sigmoid_prime(z)


class CrossEntropyCost:
    @staticmethod
    def fn(a, y):
        return np.sum(np.nan_to_num(-y * np.log(a) - (1 - y) * np.log(1 - a)))

    @staticmethod
    def delta(z, a, y):
        return a - y


COSTS = {"QuadraticCost": QuadraticCost, "CrossEntropyCost": CrossEntropyCost}


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def sigmoid_prime(z):
    return sigmoid(z) * (1 - sigmoid(z))


def random_network(sizes, seed=0):
    """Weights and column biases as network2.py's default initialiser draws them."""
    rng = np.random.default_rng(seed)
    biases = [rng.standard_normal((y, 1)) for y in sizes[1:]]
    weights = [rng.standard_normal((y, x)) / np.sqrt(x) for x, y in itertools.pairwise(sizes)]
    return weights, biases


def save(sizes, weights, biases, cost) -> str:
    """The text network2.py's save() writes to its file."""
    data = {
        "sizes": sizes,
        "weights": [w.tolist() for w in weights],
        "biases": [b.tolist() for b in biases],
        "cost": str(cost.__name__),
    }
    return json.dumps(data)


def load(text: str):
    data = json.loads(text)
    cost = COSTS[data["cost"]]
    return (
        data["sizes"],
        [np.array(w) for w in data["weights"]],
        [np.array(b) for b in data["biases"]],
        cost,
    )


def backprop(weights, biases, cost, xs, ys):
    """(mean cost, mean nabla_w, mean nabla_b as flat vectors) over the samples."""
    total = 0.0
    nabla_w = [np.zeros(w.shape) for w in weights]
    nabla_b = [np.zeros(b.shape) for b in biases]
    for x, y in zip(xs, ys, strict=True):
        activation = np.array(x, dtype=float).reshape(-1, 1)
        y = np.array(y, dtype=float).reshape(-1, 1)
        activations, zs = [activation], []
        for b, w in zip(biases, weights, strict=True):
            z = np.dot(w, activation) + b
            zs.append(z)
            activation = sigmoid(z)
            activations.append(activation)
        total += cost.fn(activations[-1], y)
        delta = cost.delta(zs[-1], activations[-1], y)
        nabla_b[-1] += delta
        nabla_w[-1] += np.dot(delta, activations[-2].transpose())
        for l in range(2, len(weights) + 1):
            delta = np.dot(weights[-l + 1].transpose(), delta) * sigmoid_prime(zs[-l])
            nabla_b[-l] += delta
            nabla_w[-l] += np.dot(delta, activations[-l - 1].transpose())
    n = len(xs)
    return total / n, [g / n for g in nabla_w], [g.ravel() / n for g in nabla_b]
