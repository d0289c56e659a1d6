"""A fully connected network and backpropagation, BP1-BP4.

Index convention, written once: layers are numbered 0..L with layer 0 the
input; every per-layer list below is indexed by that number, so ``zs[l]`` is
z^l and ``weights[l]`` is W^l (entry 0 is None where layer 0 has no such
thing). W^l has shape (n_l, n_{l-1}) and W^l[j, k] = w^l_jk joins neuron k of
layer l-1 to neuron j of layer l. Samples run along rows: a^l has shape
(N, n_l), so z^l = a^{l-1} W^l^T + b^l. All arithmetic is float64.

C is the mean of the per-sample costs C_x; every gradient is the mean of the
per-sample gradients.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from .activations import ACTIVATIONS, Activation
from .costs import COSTS, OUTPUT_DELTAS, Cost, Output

Array = np.ndarray
INIT_SCHEMES = ("xavier", "he", "normal")


class SpecError(ValueError):
    """A network or input that does not make sense; `field` names the culprit."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass
class Pass:
    """Everything a forward and backward pass computes, indexed by layer."""

    zs: list[Array | None]
    activations: list[Array]
    cost: float | None = None
    costs: Array | None = None  # C_x per sample
    out: Output | None = None  # the output layer as the cost sees it
    sigma_primes: list[Array | None] | None = None
    dC_da: list[Array | None] | None = None
    deltas: list[Array | None] | None = None
    nabla_w: list[Array | None] | None = None
    nabla_b: list[Array | None] | None = None

    @property
    def output(self) -> Array:
        return self.activations[-1]


class Network:
    def __init__(
        self,
        sizes: list[int],
        activations: list[str],
        cost: str,
        weights: list[Array],
        biases: list[Array],
    ):
        """weights[l-1] is W^l and biases[l-1] is b^l, as in the JSON form."""
        self.sizes = [int(n) for n in sizes]
        self.activation_names = list(activations)
        self.cost_name = cost
        self._check_architecture()
        self.act: list[Activation | None] = [None] + [ACTIVATIONS[a] for a in activations]
        self.weights: list[Array | None] = [None]
        self.biases: list[Array | None] = [None]
        if len(weights) != self.L:
            raise SpecError("weights", f"has {len(weights)} layers, sizes need {self.L}")
        if len(biases) != self.L:
            raise SpecError("biases", f"has {len(biases)} layers, sizes need {self.L}")
        for l in range(1, self.L + 1):
            self.weights.append(
                _matrix(weights[l - 1], f"weights[{l - 1}]", self.sizes[l], self.sizes[l - 1])
            )
            self.biases.append(_vector(biases[l - 1], f"biases[{l - 1}]", self.sizes[l]))

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
            raise SpecError("init.scheme", f"unknown scheme {scheme!r}; one of {INIT_SCHEMES}")
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

    def _check_architecture(self) -> None:
        sizes, acts = self.sizes, self.activation_names
        if len(sizes) < 2:
            raise SpecError("sizes", "needs at least 2 layers (input and output)")
        for i, n in enumerate(sizes):
            if n < 1:
                raise SpecError(f"sizes[{i}]", f"is {n}; every layer needs at least 1 neuron")
        if len(acts) != len(sizes) - 1:
            raise SpecError(
                "activations",
                f"has {len(acts)} entries, sizes need {len(sizes) - 1} (one per layer 1..L)",
            )
        for i, name in enumerate(acts):
            act = ACTIVATIONS.get(name)
            if act is None:
                raise SpecError(
                    f"activations[{i}]", f"unknown activation {name!r}; one of {list(ACTIVATIONS)}"
                )
            if act.last_layer_only and i != len(acts) - 1:
                raise SpecError(f"activations[{i}]", f"{name} is allowed on the last layer only")
            if sizes[i + 1] < act.min_neurons:
                raise SpecError(
                    f"activations[{i}]", f"{name} needs at least {act.min_neurons} neurons"
                )
        cost = COSTS.get(self.cost_name)
        if cost is None:
            raise SpecError("cost", f"unknown cost {self.cost_name!r}; one of {list(COSTS)}")
        if cost.needs_unit_interval and self.output_activation.log_parts is None:
            raise SpecError(
                "cost",
                f"{cost.name} needs outputs in (0, 1) (sigmoid or softmax output), "
                f"but the last layer is {acts[-1]}",
            )

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
        return sum(self.sizes[l] * (self.sizes[l - 1] + 1) for l in range(1, self.L + 1))

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

    # --- input checks ----------------------------------------------------------------
    def as_inputs(self, x, field: str = "x") -> tuple[Array, bool]:
        """(X with samples in rows, whether x was a batch)."""
        return _samples(x, field, self.sizes[0])

    def as_targets(self, y, n_samples: int, field: str = "y") -> Array:
        Y, _ = _samples(y, field, self.sizes[-1])
        if Y.shape[0] != n_samples:
            raise SpecError(field, f"has {Y.shape[0]} samples, x has {n_samples}")
        if self.cost.needs_unit_interval and (np.any(Y < 0) or np.any(Y > 1)):
            raise SpecError(field, f"must lie in [0, 1] for {self.cost_name}")
        return Y

    # --- the algorithm ---------------------------------------------------------------
    def feedforward(self, X: Array, derivatives: bool = False) -> Pass:
        """z^l and a^l for every layer; with `derivatives`, sigma'(z^l) too (for backprop)."""
        zs: list[Array | None] = [None]
        activations = [X]
        sigma_primes: list[Array | None] = [None]
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
        need_logs = o.log_parts is not None and self.cost.needs_unit_interval
        log_a, log_1ma = o.log_parts(p.zs[-1]) if need_logs else (None, None)
        return Output(p.zs[-1], p.activations[-1], log_a, log_1ma)

    def evaluate(self, X: Array, Y: Array, derivatives: bool = False) -> Pass:
        """Forward pass plus the cost, per sample and averaged."""
        p = self.feedforward(X, derivatives)
        p.out = self.output(p)
        p.costs = self.cost.fn(p.out, Y)
        n = p.costs.shape[0]
        p.cost = (
            float(p.costs.sum() / n) if n > 1 else float(p.costs[0])
        )  # np.mean, minus its overhead
        return p

    def backprop(self, X: Array, Y: Array) -> Pass:
        L, act = self.L, self.act
        p = self.evaluate(X, Y, derivatives=True)
        zs, activations, sigma_primes = p.zs, p.activations, p.sigma_primes
        N = X.shape[0]
        out = p.out
        dC_da: list[Array | None] = [None] * (L + 1)
        deltas: list[Array | None] = [None] * (L + 1)
        nabla_w: list[Array | None] = [None] * (L + 1)
        nabla_b: list[Array | None] = [None] * (L + 1)

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
            # Averages over the N samples; one sample skips the divisions by 1.
            nabla_b[l] = deltas[l].sum(axis=0) / N if N > 1 else deltas[l].sum(axis=0)  # BP3
            # BP4, written (a^T delta)^T: np.dot skips the slow path `@` takes for the N = 1
            # outer product, and dividing delta by N is cheaper than dividing the result.
            nabla_w[l] = np.dot(activations[l - 1].T, deltas[l] / N if N > 1 else deltas[l]).T
        p.sigma_primes, p.dC_da, p.deltas = sigma_primes, dC_da, deltas
        p.nabla_w, p.nabla_b = nabla_w, nabla_b
        return p


def _has_bool(value) -> bool:
    """NumPy quietly turns [True, 0.5] into [1.0, 0.5]; JSON true is not a number."""
    if isinstance(value, bool):
        return True
    if isinstance(value, list):
        if value and isinstance(value[0], list):
            return any(_has_bool(v) for v in value)
        # set(map(type, ...)) runs in C: a 1,000 x 784 batch is checked in ~10 ms, not 0.5 s.
        return bool in set(map(type, value))
    return False


def _as_float_array(value, field: str) -> Array:
    try:
        arr = np.asarray(value)
    except (ValueError, TypeError):
        raise SpecError(field, "is ragged: every row needs the same length") from None
    if arr.dtype == object:
        raise SpecError(field, "is ragged or holds something other than numbers")
    if arr.dtype.kind not in "iuf" or _has_bool(value):
        raise SpecError(field, "must hold numbers only (no strings, booleans or nulls)")
    arr = arr.astype(np.float64)
    if not np.all(np.isfinite(arr)):
        bad = tuple(int(i) for i in np.argwhere(~np.isfinite(arr))[0])
        where = "".join(f"[{i}]" for i in bad)
        raise SpecError(f"{field}{where}", "must be a finite number (NaN and Infinity are refused)")
    return arr


def _matrix(value, field: str, rows: int, cols: int) -> Array:
    if isinstance(value, list):
        if len(value) != rows:
            raise SpecError(field, f"has {len(value)} rows, sizes need {rows}")
        for j, row in enumerate(value):
            if not isinstance(row, list) or len(row) != cols:
                got = len(row) if isinstance(row, list) else "no list of"
                raise SpecError(f"{field}[{j}]", f"has {got} columns, sizes need {cols}")
    arr = _as_float_array(value, field)
    if arr.shape != (rows, cols):
        raise SpecError(field, f"has shape {arr.shape}, sizes need ({rows}, {cols})")
    return arr


def _vector(value, field: str, n: int) -> Array:
    arr = _as_float_array(value, field)
    if arr.shape != (n,):
        got = f"{arr.shape[0]} entries" if arr.ndim == 1 else f"shape {arr.shape}"
        raise SpecError(field, f"has {got}, sizes need {n}")
    return arr


def _samples(value, field: str, n: int) -> tuple[Array, bool]:
    if isinstance(value, list) and value and isinstance(value[0], list):
        for s, row in enumerate(value):
            if not isinstance(row, list) or len(row) != n:
                got = len(row) if isinstance(row, list) else "not a list of"
                raise SpecError(f"{field}[{s}]", f"has {got} values, the layer has {n} neurons")
    arr = _as_float_array(value, field)
    if arr.ndim == 1:
        if arr.shape[0] != n:
            raise SpecError(field, f"has {arr.shape[0]} values, the layer has {n} neurons")
        return arr[None, :], False
    if arr.ndim == 2 and arr.shape[0] >= 1:
        return arr, True
    raise SpecError(field, "must be one sample (a list of numbers) or a batch (a list of lists)")
