"""An independent reference for the engine tests: textbook formulas, central
differences and brute-force path enumeration, written from the definitions.

Nothing here imports app.nn except `Network`, used only to build the object
under test. Index convention as in app.nn.network: layers 0..L, W^l has shape
(n_l, n_{l-1}), samples in rows.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st

from app.nn.network import Network

HIDDEN = ("sigmoid", "tanh", "relu", "leaky_relu", "linear")
SMOOTH = ("sigmoid", "tanh", "linear")
KINKED = ("relu", "leaky_relu")
COSTS = ("quadratic", "sse", "cross_entropy", "log_likelihood")
UNIT_COSTS = ("cross_entropy", "log_likelihood")  # need a (0, 1) output
LEAKY = 0.01
KINK_MARGIN = 1e-3  # relu-type z closer than this to 0 breaks central differences


# --- activations and costs from the textbook ------------------------------------------
def act_fn(name: str, z: np.ndarray) -> np.ndarray:
    if name == "sigmoid":
        e = np.exp(-np.abs(z))  # 1/(1+e^-z) for z >= 0, e^z/(1+e^z) below: no overflow
        return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    if name == "tanh":
        return np.tanh(z)
    if name == "relu":
        return np.where(z > 0, z, 0.0)
    if name == "leaky_relu":
        return np.where(z > 0, z, LEAKY * z)
    if name == "linear":
        return z.copy()
    if name == "softmax":
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)
    raise KeyError(name)


def act_prime(name: str, z: np.ndarray) -> np.ndarray:
    """sigma'(z) of an elementwise activation, textbook form."""
    if name == "sigmoid":
        return act_fn("sigmoid", z) * act_fn("sigmoid", -z)  # s (1 - s), 1 - s = s(-z)
    if name == "tanh":
        return 1.0 / np.cosh(z) ** 2  # sech^2, no 1 - tanh^2 cancellation (|z| < 700 here)
    if name == "relu":
        return (z > 0).astype(float)
    if name == "leaky_relu":
        return np.where(z > 0, 1.0, LEAKY)
    if name == "linear":
        return np.ones_like(z)
    raise KeyError(name)


def others(a: np.ndarray) -> np.ndarray:
    """sum_{j != i} a_j for every i: 1 - a_i for a softmax, without cancellation."""
    return np.stack([np.delete(a, i, axis=1).sum(axis=1) for i in range(a.shape[1])], axis=1)


def complement(name: str, z: np.ndarray | None, a: np.ndarray) -> np.ndarray:
    """1 - a of an output layer computed from z, where it does not cancel.

    z is None when a^L itself is the variable (perturbed directly): then 1 - a."""
    if z is None:
        return 1.0 - a
    if name == "sigmoid":
        return act_fn("sigmoid", -z)
    if name == "softmax":
        return others(a)
    return 1.0 - a


def softmax_jacobian(a: np.ndarray) -> np.ndarray:
    """J[s, i, j] = da_i/dz_j = a_i (delta_ij - a_j); the diagonal as a_i (1 - a_i)."""
    J = -a[:, :, None] * a[:, None, :]
    idx = np.arange(a.shape[1])
    J[:, idx, idx] = a * others(a)
    return J


def act_jacobian(name: str, z: np.ndarray) -> np.ndarray:
    if name == "softmax":
        return softmax_jacobian(act_fn("softmax", z))
    return act_prime(name, z)[:, :, None] * np.eye(z.shape[1])[None]


def cost_fn(name: str, a: np.ndarray, y: np.ndarray, one_minus_a=None) -> np.ndarray:
    """C_x per sample; one_minus_a is 1 - a when it is known more precisely."""
    one_minus_a = 1 - a if one_minus_a is None else one_minus_a
    if name == "quadratic":
        return 0.5 * np.sum((a - y) ** 2, axis=1)
    if name == "sse":
        return np.sum((a - y) ** 2, axis=1)
    if name == "cross_entropy":
        return -np.sum(y * np.log(a) + (1 - y) * np.log(one_minus_a), axis=1)
    if name == "log_likelihood":
        return -np.sum(y * np.log(a), axis=1)
    raise KeyError(name)


def cost_da(name: str, a: np.ndarray, y: np.ndarray, one_minus_a=None) -> np.ndarray:
    one_minus_a = 1 - a if one_minus_a is None else one_minus_a
    if name == "quadratic":
        return a - y
    if name == "sse":
        return 2 * (a - y)
    if name == "cross_entropy":
        return -y / a + (1 - y) / one_minus_a
    if name == "log_likelihood":
        return -y / a
    raise KeyError(name)


# --- central differences ------------------------------------------------------------------
def central_diff(f, x: np.ndarray, eps=1e-6) -> np.ndarray:
    """d f / d x entry by entry, f(x) a scalar; x is perturbed on a private copy.
    eps is one step or an array of steps, one per entry.

    The quotient divides by the steps float64 actually took, not by 2 eps: an activation
    within 1e-11 of 1 gets a step of a few ulps, and rounding old +- eps there moved it by
    a few percent more or less than eps (a 3% error in a dC/da of 9e10, seed 5021)."""
    x = np.array(x, dtype=float)
    steps = np.broadcast_to(np.asarray(eps, dtype=float), x.shape)
    g = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        eps = float(steps[idx])
        old = x[idx]
        x[idx] = up = old + eps
        f_plus = f(x)
        x[idx] = down = old - eps
        f_minus = f(x)
        x[idx] = old
        g[idx] = (f_plus - f_minus) / (up - down)
    return g


# --- the reference network --------------------------------------------------------------
class Reference:
    """The same network as an engine `Network`, evaluated from the definitions."""

    def __init__(self, net: Network):
        self.sizes = list(net.sizes)
        self.L = len(self.sizes) - 1
        self.acts = [None, *net.activation_names]
        self.cost = net.cost_name
        self.W = [None] + [np.array(w, dtype=float) for w in net.weights[1:]]
        self.b = [None] + [np.array(b, dtype=float) for b in net.biases[1:]]

    def with_param(self, kind: str, l: int, value: np.ndarray) -> Reference:
        r = Reference.__new__(Reference)
        r.__dict__.update(self.__dict__)
        r.W, r.b = list(self.W), list(self.b)
        (r.W if kind == "weight" else r.b)[l] = np.array(value, dtype=float)
        return r

    def forward(self, X: np.ndarray):
        zs, As = [None], [np.array(X, dtype=float)]
        for l in range(1, self.L + 1):
            zs.append(As[-1] @ self.W[l].T + self.b[l])
            As.append(act_fn(self.acts[l], zs[-1]))
        return zs, As

    def run_from_z(self, l: int, Z: np.ndarray):
        """(z^L, a^L) with z^l set to Z and the layers above re-run."""
        A = act_fn(self.acts[l], Z)
        return (Z, A) if l == self.L else self.run_from_a(l, A)

    def run_from_a(self, l: int, A: np.ndarray):
        """(z^L, a^L) with a^l set to Z; z^L is None when l = L (a^L itself is set)."""
        Z = None
        for i in range(l + 1, self.L + 1):
            Z = A @ self.W[i].T + self.b[i]
            A = act_fn(self.acts[i], Z)
        return Z, A

    def output_costs(self, zL, aL, Y) -> np.ndarray:
        return cost_fn(self.cost, aL, Y, complement(self.acts[self.L], zL, aL))

    def costs_from_z(self, l: int, Z: np.ndarray, Y: np.ndarray) -> np.ndarray:
        return self.output_costs(*self.run_from_z(l, Z), Y)

    def costs_from_a(self, l: int, A: np.ndarray, Y: np.ndarray) -> np.ndarray:
        return self.output_costs(*self.run_from_a(l, A), Y)

    def costs(self, X, Y) -> np.ndarray:
        zs, As = self.forward(X)
        return self.output_costs(zs[-1], As[-1], Y)

    def mean_cost(self, X, Y) -> float:
        return float(np.mean(self.costs(X, Y)))

    # rate factors straight from the definitions
    def step_factor(self, i: int, zs, As) -> np.ndarray:
        """da^i/da^{i-1}: (N, n_i, n_{i-1}) = J_sigma(z^i) W^i."""
        return act_jacobian(self.acts[i], zs[i]) @ self.W[i]

    def brute_paths(self, X, Y, kind: str, layer: int, j: int, k: int | None = None):
        """Every path from the target to the cost, enumerated with itertools.product.

        Returns (neurons list of tuples, factors (N, P, F)) in lexicographic order.
        """
        zs, As = self.forward(X)
        L, s = self.L, layer
        jac_s = act_jacobian(self.acts[s], zs[s]) if s >= 1 else None
        a_in = As[s - 1][:, k] if kind == "weight" else None
        if kind == "activation":
            starts = [j]
        elif self.acts[s] == "softmax":
            starts = list(range(self.sizes[s]))  # one z moves every output
        else:
            starts = [j]
        steps = {i: self.step_factor(i, zs, As) for i in range(s + 1, L + 1)}
        dC_da = cost_da(self.cost, As[L], Y, complement(self.acts[L], zs[L], As[L]))
        neurons, rows = [], []
        for path in itertools.product(starts, *[range(self.sizes[i]) for i in range(s + 1, L + 1)]):
            cols = []
            if kind != "activation":
                first = jac_s[:, path[0], j]  # da^s_m / dz^s_j
                cols.append(first * a_in if kind == "weight" else first)
            for pos, i in enumerate(range(s + 1, L + 1)):
                cols.append(steps[i][:, path[pos + 1], path[pos]])
            cols.append(dC_da[:, path[-1]])
            neurons.append(path)
            rows.append(np.stack(cols, axis=-1))
        return neurons, np.stack(rows, axis=1)


def min_kink_distance(ref: Reference, X) -> float:
    zs, _ = ref.forward(X)
    d = [np.min(np.abs(zs[l])) for l in range(1, ref.L + 1) if ref.acts[l] in KINKED]
    return min(d) if d else np.inf


# --- hypothesis strategies ----------------------------------------------------------------
@dataclass
class Case:
    net: Network
    ref: Reference
    X: np.ndarray
    Y: np.ndarray

    @property
    def N(self) -> int:
        return self.X.shape[0]


@st.composite
def architectures(draw, max_layers=4, max_neurons=5, hidden=HIDDEN, min_layers=1):
    L = draw(st.integers(min_layers, max_layers))
    sizes = [draw(st.integers(1, max_neurons)) for _ in range(L + 1)]
    acts = [draw(st.sampled_from(hidden)) for _ in range(L - 1)]
    last_options = list(hidden) + (["softmax"] if sizes[-1] >= 2 else [])
    acts.append(draw(st.sampled_from(last_options)))
    costs = ["quadratic", "sse"]
    if acts[-1] in ("sigmoid", "softmax"):
        costs += list(UNIT_COSTS)
    cost = draw(st.sampled_from(costs))
    return sizes, acts, cost


@st.composite
def cases(draw, max_layers=4, max_neurons=5, hidden=HIDDEN, min_batch=1, max_batch=4):
    sizes, acts, cost = draw(architectures(max_layers, max_neurons, hidden))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    scale = draw(st.sampled_from([0.5, 1.0, 1.5]))
    weights = [
        rng.standard_normal((n_out, n_in)) * scale / np.sqrt(n_in)
        for n_in, n_out in itertools.pairwise(sizes)
    ]
    biases = [rng.standard_normal(n) * 0.5 for n in sizes[1:]]
    N = draw(st.integers(min_batch, max_batch))
    X = rng.uniform(-1.5, 1.5, (N, sizes[0]))
    if cost in UNIT_COSTS:
        Y = rng.uniform(0, 1, (N, sizes[-1]))
    else:
        Y = rng.uniform(-1, 1, (N, sizes[-1]))
    net = Network(sizes, acts, cost, weights, biases)
    ref = Reference(net)
    assume(min_kink_distance(ref, X) > KINK_MARGIN)
    return Case(net, ref, X, Y)


@st.composite
def targets(draw, case: Case, kinds=("weight", "bias", "activation")):
    """(kind, layer, j, k) valid for the case's network."""
    kind = draw(st.sampled_from(kinds))
    L, sizes = case.net.L, case.net.sizes
    layer = draw(st.integers(0 if kind == "activation" else 1, L))
    j = draw(st.integers(0, sizes[layer] - 1))
    k = draw(st.integers(0, sizes[layer - 1] - 1)) if kind == "weight" else None
    return kind, layer, j, k
