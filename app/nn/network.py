"""A fully connected network and backpropagation, BP1-BP4.

Index convention, written once: layers are numbered 0..L with layer 0 the
input; every per-layer list below is indexed by that number, so ``zs[l]`` is
z^l and ``weights[l]`` is W^l (entry 0 is None where layer 0 has no such
thing). W^l has shape (n_l, n_{l-1}) and W^l[j, k] = w^l_jk joins neuron k of
layer l-1 to neuron j of layer l. Samples run along rows: a^l has shape
(N, n_l), so z^l = a^{l-1} W^l^T + b^l. All arithmetic is float64.

C is the mean of the per-sample costs C_x; every gradient is the mean of the
per-sample gradients.

The engine takes NumPy arrays (or nested lists of numbers); checking JSON input
entry by entry is the API's job (app/api/arrays.py). The few places that trade
plain NumPy for speed call app/nn/speed.py.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .activations import ACTIVATIONS, Activation
from .costs import COSTS, OUTPUT_DELTAS, Cost, Output
from .speed import batch_mean, batch_mean_outer, mean_cost

Array = np.ndarray
# A list indexed by layer number 0..L, as the maths is (zs[l] is z^l). Entry 0 is None where
# layer 0 has no such thing (z^0, W^0, delta^0, ...), so its entries are typed loosely.
Layers = list[Any]
# How each scheme draws w^l_jk (biases start at 0); fan-in = n_{l-1}, fan-out = n_l.
INIT_SCHEMES = {
    "xavier": "N(0, 2/(fan-in + fan-out))",
    "he": "N(0, 2/fan-in)",
    "normal": "N(0, 1)",
}


class SpecError(ValueError):
    """A network or input that does not make sense; `field` names the culprit."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass
class Pass:
    """Everything a forward and backward pass computes, indexed by layer."""

    zs: Layers
    activations: list[Array]
    # Filled in as the pass goes: the cost by evaluate, sigma' by a forward pass with
    # derivatives, the rest by backprop. NaN, None or empty until then (immutable defaults:
    # a pass is made per request and per SGD step, so its construction stays cheap).
    cost: float = math.nan
    costs: Any = None  # C_x per sample, shape (N,)
    out: Output | None = None  # the output layer as the cost sees it
    sigma_primes: Sequence[Any] = ()
    dC_da: Sequence[Any] = ()
    deltas: Sequence[Any] = ()
    nabla_w: Sequence[Any] = ()
    nabla_b: Sequence[Any] = ()

    @property
    def output(self) -> Array:
        return self.activations[-1]


def n_parameters(sizes: list[int]) -> int:
    """Weights and biases of a network with these layer sizes: sum of n_l (n_{l-1} + 1)."""
    return sum(n_out * (n_in + 1) for n_in, n_out in itertools.pairwise(sizes))


def check_architecture(sizes: list[int], activations: list[str], cost: str) -> None:
    """Layers, activations and cost that make a network; errors name the field."""
    if len(sizes) < 2:
        raise SpecError("sizes", "needs at least 2 layers (input and output)")
    for i, n in enumerate(sizes):
        if n < 1:
            raise SpecError(f"sizes[{i}]", f"is {n}; every layer needs at least 1 neuron")
    if len(activations) != len(sizes) - 1:
        raise SpecError(
            "activations",
            f"has {len(activations)} entries, sizes need {len(sizes) - 1} (one per layer 1..L)",
        )
    for i, name in enumerate(activations):
        act = ACTIVATIONS.get(name)
        if act is None:
            raise SpecError(
                f"activations[{i}]", f"unknown activation {name!r}; one of {list(ACTIVATIONS)}"
            )
        if act.last_layer_only and i != len(activations) - 1:
            raise SpecError(f"activations[{i}]", f"{name} is allowed on the last layer only")
        if sizes[i + 1] < act.min_neurons:
            raise SpecError(f"activations[{i}]", f"{name} needs at least {act.min_neurons} neurons")
    chosen = COSTS.get(cost)
    if chosen is None:
        raise SpecError("cost", f"unknown cost {cost!r}; one of {list(COSTS)}")
    if chosen.needs_unit_interval and ACTIVATIONS[activations[-1]].log_parts is None:
        raise SpecError(
            "cost",
            f"{chosen.name} needs outputs in (0, 1) (sigmoid or softmax output), "
            f"but the last layer is {activations[-1]}",
        )


class Network:
    def __init__(
        self,
        sizes: list[int],
        activations: list[str],
        cost: str,
        weights: list,
        biases: list,
    ):
        """weights[l-1] is W^l and biases[l-1] is b^l, as in the JSON form (arrays or
        nested lists of numbers; the API has checked JSON input entry by entry)."""
        self.sizes = [int(n) for n in sizes]
        self.activation_names = list(activations)
        self.cost_name = cost
        check_architecture(self.sizes, self.activation_names, cost)
        self.act: Layers = [None] + [ACTIVATIONS[a] for a in activations]
        if len(weights) != self.L or len(biases) != self.L:
            raise SpecError("weights", f"weights and biases need {self.L} layers each")
        self.weights: Layers = [None]
        self.biases: Layers = [None]
        for l in range(1, self.L + 1):
            W = np.array(weights[l - 1], dtype=np.float64)  # a copy: the caller keeps theirs
            b = np.array(biases[l - 1], dtype=np.float64)
            if W.shape != (self.sizes[l], self.sizes[l - 1]):
                raise SpecError(
                    f"weights[{l - 1}]",
                    f"has shape {W.shape}, sizes need ({self.sizes[l]}, {self.sizes[l - 1]})",
                )
            if b.shape != (self.sizes[l],):
                raise SpecError(
                    f"biases[{l - 1}]", f"has shape {b.shape}, sizes need ({self.sizes[l]},)"
                )
            self.weights.append(W)
            self.biases.append(b)

    @classmethod
    def initialised(
        cls,
        sizes: list[int],
        activations: list[str],
        cost: str,
        scheme: str = "xavier",
        seed: int = 0,
    ) -> Network:
        """Random weights reproducible from the seed; biases start at 0."""
        if scheme not in INIT_SCHEMES:
            raise SpecError(
                "init.scheme", f"unknown scheme {scheme!r}; one of {list(INIT_SCHEMES)}"
            )
        rng = np.random.default_rng(seed)
        weights, biases = [], []
        for n_in, n_out in itertools.pairwise(sizes):
            std = {
                "xavier": np.sqrt(2.0 / (n_in + n_out)),
                "he": np.sqrt(2.0 / n_in),
                "normal": 1.0,
            }[scheme]
            weights.append(rng.standard_normal((n_out, n_in)) * std)
            biases.append(np.zeros(n_out))
        return cls(sizes, activations, cost, weights, biases)

    # --- small accessors -------------------------------------------------------------
    @property
    def L(self) -> int:
        return len(self.sizes) - 1

    @property
    def output_activation(self) -> Activation:
        return ACTIVATIONS[self.activation_names[-1]]

    @property
    def cost(self) -> Cost:
        return COSTS[self.cost_name]

    @property
    def n_parameters(self) -> int:
        return n_parameters(self.sizes)

    def to_dict(self) -> dict:
        return {
            "sizes": self.sizes,
            "activations": self.activation_names,
            "cost": self.cost_name,
            "weights": [w.tolist() for w in self.weights[1:]],
            "biases": [b.tolist() for b in self.biases[1:]],
        }

    def copy(self) -> Network:
        return Network(
            self.sizes,
            self.activation_names,
            self.cost_name,
            [w.copy() for w in self.weights[1:]],
            [b.copy() for b in self.biases[1:]],
        )

    # --- the algorithm ---------------------------------------------------------------
    def feedforward(self, X: Array, derivatives: bool = False) -> Pass:
        """z^l and a^l for every layer; with `derivatives`, sigma'(z^l) too (for backprop)."""
        zs: Layers = [None]
        activations = [X]
        sigma_primes: Layers = [None]
        act = self.act
        for l in range(1, self.L + 1):
            zs.append(activations[-1] @ self.weights[l].T + self.biases[l])
            if derivatives:
                a, sp = act[l].value_and_derivative(zs[l])
                activations.append(a)
                sigma_primes.append(sp)
            else:
                activations.append(act[l].fn(zs[l]))
        p = Pass(zs, activations)
        if derivatives:
            p.sigma_primes = sigma_primes
        return p

    def output(self, p: Pass) -> Output:
        o = self.output_activation
        # ln a and ln(1 - a) only for the costs that read them.
        log_a = log_1ma = None
        if o.log_parts is not None and self.cost.needs_unit_interval:
            log_a, log_1ma = o.log_parts(p.zs[-1])
        return Output(p.zs[-1], p.activations[-1], log_a, log_1ma)

    def evaluate(self, X: Array, Y: Array, derivatives: bool = False) -> Pass:
        """Forward pass plus the cost, per sample and averaged."""
        p = self.feedforward(X, derivatives)
        p.out = self.output(p)
        p.costs = self.cost.fn(p.out, Y)
        p.cost = mean_cost(p.costs)
        return p

    def backprop(self, X: Array, Y: Array) -> Pass:
        L, act = self.L, self.act
        p = self.evaluate(X, Y, derivatives=True)
        zs, activations, sigma_primes = p.zs, p.activations, p.sigma_primes
        out = p.out
        assert out is not None  # evaluate sets it
        dC_da: Layers = [None] * (L + 1)
        deltas: Layers = [None] * (L + 1)
        nabla_w: Layers = [None] * (L + 1)
        nabla_b: Layers = [None] * (L + 1)

        def vjp(l: int) -> Array:  # J^T dC/da^l, the "⊙ sigma'(z^l)" of BP1 and BP2
            if act[l].elementwise:
                return dC_da[l] * sigma_primes[l]
            return act[l].backward(zs[l], dC_da[l])

        with np.errstate(over="ignore", invalid="ignore"):
            dC_da[L] = self.cost.derivative(out, Y)  # may overflow: reported, never used below
        closed_form = OUTPUT_DELTAS.get((self.activation_names[-1], self.cost_name))
        deltas[L] = closed_form(out, Y) if closed_form else vjp(L)  # BP1
        for l in range(L, 0, -1):
            if l < L:
                dC_da[l] = deltas[l + 1] @ self.weights[l + 1]
                deltas[l] = vjp(l)  # BP2
            nabla_b[l] = batch_mean(deltas[l])  # BP3, averaged over the samples
            nabla_w[l] = batch_mean_outer(deltas[l], activations[l - 1])  # BP4
        p.sigma_primes, p.dC_da, p.deltas = sigma_primes, dC_da, deltas
        p.nabla_w, p.nabla_b = nabla_w, nabla_b
        return p
