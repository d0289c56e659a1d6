"""Mini-batch stochastic gradient descent with the batch-averaged backprop gradient."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .network import Network

Array = np.ndarray


class Diverged(ArithmeticError):
    def __init__(self, step: int, what: str):
        super().__init__(f"step {step} produced a non-finite {what}")
        self.step = step
        self.what = what


@dataclass
class TrainLog:
    loss: list[float] = field(default_factory=list)  # on the evaluation set, after each step
    accuracy: list[float] | None = None
    held_out_accuracy: list[float] | None = None  # on samples training never sees
    grad_norms: list[list[float]] = field(default_factory=list)  # |dC/dW^l| per step, l = 1..L
    saturated: list[float] | None = None  # share of output activations pinned at a bound

    @property
    def steps(self) -> int:
        return len(self.loss)


def _norm(g: Array) -> float:
    """|g| without squaring into overflow: entries near 1e154 are fine, their squares not."""
    m = float(np.max(np.abs(g))) if g.size else 0.0
    if m == 0.0 or not np.isfinite(m):
        return m
    return m * float(np.sqrt(np.sum((g / m) ** 2)))


def accuracy(output: Array, Y: Array) -> float:
    return float(np.mean(np.argmax(output, axis=1) == np.argmax(Y, axis=1)))


class SGD:
    """Mini-batch SGD on a copy of `net`, one step at a time: `sgd` runs a fixed number of
    steps, the live stream runs as many as fit between two frames.

    Batches walk through a fresh permutation of the samples each epoch, drawn from
    `seed`, so a run is reproducible.
    """

    def __init__(
        self, net: Network, X: Array, Y: Array, learning_rate: float, batch_size: int, seed=0
    ):
        self.net = net.copy()
        self.X, self.Y = X, Y
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.rng = np.random.default_rng(seed)
        self.order, self.at = self.rng.permutation(X.shape[0]), 0
        self.steps = 0

    def step(self) -> list[float]:
        """One mini-batch; returns |dC/dW^l| for l = 1..L. Raises Diverged on a non-finite
        weight or gradient (the network is then unusable: keep a copy to go back to)."""
        net, n = self.net, self.X.shape[0]
        if self.at >= n:
            self.order, self.at = self.rng.permutation(n), 0
        batch = self.order[self.at : self.at + self.batch_size]
        self.at += self.batch_size
        self.steps += 1
        p = net.backprop(self.X[batch], self.Y[batch])
        for l in range(1, net.L + 1):
            net.weights[l] -= self.learning_rate * p.nabla_w[l]
            net.biases[l] -= self.learning_rate * p.nabla_b[l]
            if not (np.all(np.isfinite(net.weights[l])) and np.all(np.isfinite(net.biases[l]))):
                raise Diverged(self.steps, f"weight in layer {l}")
        norms = [_norm(p.nabla_w[l]) for l in range(1, net.L + 1)]
        if not np.all(np.isfinite(norms)):
            raise Diverged(self.steps, "gradient")
        return norms


# Output activations with a bounded range, and their bounds: a unit within SATURATED of one
# has sigma'(z) near 0, so its error signal (BP1) hardly moves its weights.
BOUNDS = {"sigmoid": (0.0, 1.0), "softmax": (0.0, 1.0), "tanh": (-1.0, 1.0)}
SATURATED = 1e-3


def saturated_share(output: Array, activation: str) -> float | None:
    """The share of output activations within SATURATED of their bound (None if unbounded)."""
    if activation not in BOUNDS:
        return None
    lo, hi = BOUNDS[activation]
    return float(np.mean((output - lo < SATURATED) | (hi - output < SATURATED)))


def sgd(
    net: Network,
    X: Array,
    Y: Array,
    learning_rate: float,
    batch_size: int,
    steps: int,
    seed: int = 0,
    eval_set: tuple[Array, Array] | None = None,
    classify: bool = False,
    held_out: tuple[Array, Array] | None = None,
) -> tuple[Network, TrainLog]:
    """Train a copy of `net` for `steps` mini-batches, measuring the loss (and accuracy)
    on `eval_set` after each; raise Diverged on a non-finite step."""
    run = SGD(net, X, Y, learning_rate, batch_size, seed)
    eval_X, eval_Y = eval_set if eval_set is not None else (X, Y)
    log = TrainLog(accuracy=[] if classify else None)
    if classify and held_out is not None:
        log.held_out_accuracy = []
    out = net.activation_names[-1]
    if out in BOUNDS:
        log.saturated = []
    for step in range(1, steps + 1):
        log.grad_norms.append(run.step())
        e = run.net.evaluate(eval_X, eval_Y)
        if not np.isfinite(e.cost):
            raise Diverged(step, "loss")
        log.loss.append(e.cost)
        if log.accuracy is not None:  # a list exactly when classifying
            log.accuracy.append(accuracy(e.output, eval_Y))
        if log.held_out_accuracy is not None:
            assert held_out is not None  # the list is made only when there is a held-out set
            held = run.net.feedforward(held_out[0]).output
            log.held_out_accuracy.append(accuracy(held, held_out[1]))
        if log.saturated is not None:  # a list only for a bounded output activation
            share = saturated_share(e.output, out)
            assert share is not None
            log.saturated.append(share)
    return run.net, log
