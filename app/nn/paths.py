"""Nielsen's sum over paths: dC/d(target) = sum over every path of its rate factors' product.

A path from a target in layer s is the list of neurons a change passes
through, one per layer s..L, then the cost. Its rate factors are, in order:
the target's own factor (da^s_j/dw^s_jk = sigma'(z^s_j) a^{s-1}_k for a weight,
sigma'(z^s_j) for a bias, none for an activation), then da^{i}_q/da^{i-1}_p for
each step, then dC/da^L_m. In a softmax layer one z moves every a, so a
weight or bias there starts a path at every a^L_m, and a step into it has the
factor (J W)_qp = a_q (w_qp - sum_r a_r w_rp).

Batches: every factor is per sample, and a path's product is the mean over
samples of the per-sample products, so the products still sum to the
batch-averaged gradient.

Regrouping sigma' into delta^L (explained here once; the code says "regrouped").
Every path's last two factors are sigma'(z^L_m) (inside the step into layer L, or
the target's own factor when the target sits in layer L) and dC/da^L_m. Their
product is delta^L_m, which BP1 computes in a stable closed form. At saturation
sigma'(z^L_m) underflows to 0 while dC/da^L_m overflows to inf, and 0 * inf would
turn a perfectly finite product into NaN. So wherever products are formed (sums,
rankings, the products the API reports), sigma'(z^L_m) is moved out of the step
(which becomes the bare weight w^L_qp) and dC/da^L_m is replaced by delta^L_m.
The factors the API lists stay the textbook ones. Softmax outputs are not
regrouped (their step is not sigma' times a weight), nor are paths from an
activation in layer L (they have no sigma').
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from typing import Any

import numpy as np

from .network import Network, Pass, SpecError

Array = np.ndarray


class SearchTooLarge(ValueError):
    """The request is valid but would need more work than the server allows."""


@dataclass(frozen=True)
class Target:
    kind: str  # "weight" | "bias" | "activation"
    layer: int
    j: int
    k: int | None = None

    def check(self, net: Network, field: str = "target") -> None:
        lo = 0 if self.kind == "activation" else 1
        if not lo <= self.layer <= net.L:
            raise SpecError(
                f"{field}.layer", f"is {self.layer}; {self.kind} layers run {lo}..{net.L}"
            )
        n = net.sizes[self.layer]
        if not 0 <= self.j < n:
            raise SpecError(f"{field}.j", f"is {self.j}; layer {self.layer} has neurons 0..{n - 1}")
        if self.kind == "weight":
            m = net.sizes[self.layer - 1]
            if self.k is None or not 0 <= self.k < m:
                raise SpecError(
                    f"{field}.k", f"is {self.k}; layer {self.layer - 1} has neurons 0..{m - 1}"
                )


def gradient(net: Network, p: Pass, t: Target) -> Array:
    """Backprop's dC/d(target) per sample (shape (N,)); the mean is the gradient."""
    if t.kind == "weight":
        return p.deltas[t.layer][:, t.j] * p.activations[t.layer - 1][:, t.k]
    if t.kind == "bias":
        return p.deltas[t.layer][:, t.j]
    if t.layer == 0:
        return p.deltas[1] @ net.weights[1][:, t.j]
    return p.dC_da[t.layer][:, t.j]


class PathFactors:
    """Every rate factor of every path from one target, for a pass with N samples."""

    def __init__(self, net: Network, computed: Pass, target: Target):
        self.net, self.computed, self.target = net, computed, target
        self.output_layer, self.start_layer = net.L, target.layer
        p, t = computed, target
        self.softmax_output = net.activation_names[-1] == "softmax"
        # a^L W^L: the correction term of a step into a softmax layer (None otherwise).
        self._softmax_correction: Any = (
            p.activations[-1] @ net.weights[-1] if self.softmax_output else None
        )
        a_in = p.activations[t.layer - 1][:, t.k] if t.kind == "weight" else None
        self.target_factor: Array | None
        if t.kind == "activation":
            self.start_neurons, self.target_factor = np.array([t.j]), None
        elif self.softmax_output and t.layer == net.L:
            a = p.activations[-1]
            da_dz = a * ((np.arange(a.shape[1]) == t.j) - a[:, [t.j]])  # J[:, m, j]
            self.start_neurons = np.arange(a.shape[1])
            self.target_factor = da_dz if a_in is None else da_dz * a_in[:, None]
        else:
            sp = p.sigma_primes[t.layer][:, [t.j]]
            self.start_neurons = np.array([t.j])
            self.target_factor = sp if a_in is None else sp * a_in[:, None]
        # target_factor: (N, number of start neurons); cost_factor: dC/da^L, (N, n_L).
        self.cost_factor = p.dC_da[net.L]
        # Regrouped forms (module docstring): delta^L for dC/da^L, and for a target in
        # layer L its factor without sigma'(z^L).
        self.regroups = not self.softmax_output and not (
            t.kind == "activation" and t.layer == net.L
        )
        self._cost_factor_regrouped = p.deltas[net.L] if self.regroups else self.cost_factor
        self._target_factor_regrouped = self.target_factor
        if self.regroups and t.layer == net.L and self.target_factor is not None:
            self._target_factor_regrouped = (
                np.ones_like(self.target_factor) if a_in is None else a_in[:, None]
            )

    @property
    def radices(self) -> list[int]:
        """How many choices each position of a path has: its start, then every layer above."""
        return [len(self.start_neurons), *self.net.sizes[self.start_layer + 1 :]]

    def count(self) -> int:
        return int(np.prod(self.radices, dtype=object))

    def step(self, layer: int, to: Array, frm: Array, regrouped: bool = False) -> Array:
        """da^layer_to / da^{layer-1}_frm per sample, for index arrays `to` and `frm`:
        shape (N, len(to)). Regrouped, the step into L is the bare weight."""
        W = self.net.weights[layer]
        if layer == self.output_layer and self.softmax_output:
            a = self.computed.activations[layer]
            return a[:, to] * (W[to, frm] - self._softmax_correction[:, frm])
        if layer == self.output_layer and regrouped and self.regroups:
            return np.broadcast_to(W[to, frm], (self.cost_factor.shape[0], len(to)))
        return self.computed.sigma_primes[layer][:, to] * W[to, frm]

    def step_matrix(self, layer: int, regrouped: bool = False) -> Array:
        """All of a layer's step factors at once: shape (N, n_layer, n_{layer-1})."""
        W = self.net.weights[layer]
        if layer == self.output_layer and self.softmax_output:
            a = self.computed.activations[layer]
            return a[:, :, None] * (W[None, :, :] - self._softmax_correction[:, None, :])
        if layer == self.output_layer and regrouped and self.regroups:
            return np.broadcast_to(W, (self.cost_factor.shape[0], *W.shape))
        return self.computed.sigma_primes[layer][:, :, None] * W[None, :, :]

    def _first(self, regrouped: bool) -> Array:
        factor = self._target_factor_regrouped if regrouped else self.target_factor
        assert factor is not None  # callers ask only for targets that have a factor
        return factor

    def _last(self, regrouped: bool) -> Array:
        return self._cost_factor_regrouped if regrouped else self.cost_factor

    def factors(self, neurons: Array, regrouped: bool = False) -> Array:
        """Rate factors of the paths in `neurons` (P, L-s+1): shape (N, P, n_factors)."""
        s, cols = self.start_layer, []
        if self.target_factor is not None:
            start_pos = np.searchsorted(self.start_neurons, neurons[:, 0])
            cols.append(self._first(regrouped)[:, start_pos])
        for layer in range(s + 1, self.output_layer + 1):
            to, frm = neurons[:, layer - s], neurons[:, layer - s - 1]
            cols.append(self.step(layer, to, frm, regrouped))
        cols.append(self._last(regrouped)[:, neurons[:, -1]])
        return np.stack(cols, axis=-1)

    def products(self, neurons: Array) -> Array:
        """Each path's product (regrouped), averaged over the samples: shape (P,)."""
        return self.factors(neurons, regrouped=True).prod(axis=-1).mean(axis=0)

    def path_sum(self) -> Array:
        """Sum over all paths of the products, per sample, by distributing the sum
        layer by layer: `suffix_sums` holds, for each neuron, the summed products of the
        paths from it to the cost. Into layer L the summed suffixes are delta^L W^L,
        softmax included, since sum_q dC/da_q J_qr = delta^L_r."""
        t, L, p = self.target, self.output_layer, self.computed
        if self.start_layer == L:
            if t.kind == "activation":
                return self.cost_factor[:, t.j]
            a_in = p.activations[L - 1][:, t.k] if t.kind == "weight" else 1.0
            return p.deltas[L][:, t.j] * a_in
        suffix_sums = p.deltas[L] @ self.net.weights[L]
        for layer in range(L - 1, self.start_layer, -1):
            suffix_sums = (suffix_sums * p.sigma_primes[layer]) @ self.net.weights[layer]
        if self.target_factor is None:
            return suffix_sums[:, t.j]
        return suffix_sums[:, t.j] * self.target_factor[:, 0]

    def decode(self, index: Array) -> Array:
        """Path numbers in lexicographic order of `neurons` -> neurons (P, L-s+1)."""
        digits = []
        rest = index.astype(np.int64)
        for radix in reversed(self.radices):
            digits.append(rest % radix)
            rest = rest // radix
        digits.reverse()
        digits[0] = self.start_neurons[digits[0]]
        return np.stack(digits, axis=1)

    # --- the largest |product| paths ---------------------------------------------------
    def top(self, limit: int, max_expansions: int) -> Array:
        """Neurons of the `limit` paths of largest |mean product|, largest first."""
        if self.computed.activations[0].shape[0] == 1:
            return self._top_single(limit)
        return self._top_batch(limit, max_expansions)

    def _top_single(self, K: int) -> Array:
        """k-best dynamic programme over log|factor| (regrouped), from the cost back to
        the target.

        best[p] holds, for neuron p of layer i, the K largest log|suffix product| of
        paths from a^i_p to the cost; pointers[i] says which (neuron of layer i+1, rank)
        each came from. The start layer is only evaluated at the start neurons.
        """
        s, L = self.start_layer, self.output_layer
        with np.errstate(divide="ignore"):
            best = np.log(np.abs(self._last(True)[0]))[:, None]  # layer L: (n_L, 1)
            pointers = {}
            for layer in range(L, s, -1):
                cols = self.start_neurons if layer == s + 1 else slice(None)
                logs = np.log(np.abs(self.step_matrix(layer, True)[0][:, cols]))
                cand = (logs.T[:, :, None] + best[None, :, :]).reshape(logs.shape[1], -1)
                best, pointers[layer - 1] = _k_largest(cand, K)
            if s == L:
                best = best[self.start_neurons]
            if self.target_factor is not None:
                cand = (np.log(np.abs(self._first(True)[0]))[:, None] + best).reshape(1, -1)
            else:
                cand = best.reshape(1, -1)
            _, order = _k_largest(cand, K)
        width = best.shape[1]
        position, rank = order[0] // width, order[0] % width  # among the start neurons
        path = [self.start_neurons[position]]
        neuron = position
        for layer in range(s, L):
            width_above = 1 if layer + 1 == L else pointers[layer + 1].shape[1]
            flat = pointers[layer][neuron, rank]
            neuron, rank = flat // width_above, flat % width_above
            path.append(neuron)
        return np.stack(path, axis=1)

    def _top_batch(self, K: int, max_expansions: int) -> Array:
        """Best-first search; a prefix's bound is mean_x |prefix_x| * best_suffix_x,
        which never underestimates, so complete paths pop in exact order."""
        s, L = self.start_layer, self.output_layer
        n_samples = self.computed.activations[0].shape[0]
        # best_suffix[i]: (N, n_i), the largest |product| of a path from a^i to the cost.
        best_suffix: list[Array] = [np.empty(0)] * (L + 1)
        best_suffix[L] = np.abs(self._last(True))
        for layer in range(L, s, -1):
            steps = np.abs(self.step_matrix(layer, True))
            best_suffix[layer - 1] = np.max(steps * best_suffix[layer][:, :, None], axis=1)
        heap: list = []
        counter = 0  # ties pop in push order
        start_values = self._first(True) if self.target_factor is not None else None
        for position, m in enumerate(self.start_neurons):
            prefix = start_values[:, position] if start_values is not None else np.ones(n_samples)
            bound = float(np.mean(np.abs(prefix) * best_suffix[s][:, m]))
            heapq.heappush(heap, (-bound, counter, False, (int(m),), prefix))
            counter += 1
        found: list[tuple[int, ...]] = []
        expansions = 0
        while heap and len(found) < K:
            _, _, done, path, prefix = heapq.heappop(heap)
            if done:
                found.append(path)
                continue
            expansions += 1
            if expansions > max_expansions:
                raise SearchTooLarge(
                    f"the top {K} paths of this batch need more than {max_expansions} "
                    "search steps; use one sample, a smaller limit, or mode 'all'"
                )
            layer = s + len(path)  # the layer the children are in
            if layer > L:  # complete: close with the cost factor and push its exact value
                value = abs(float(np.mean(prefix * self._last(True)[:, path[-1]])))
                heapq.heappush(heap, (-value, counter, True, path, None))
                counter += 1
                continue
            to = np.arange(self.net.sizes[layer])
            children = prefix[:, None] * self.step(layer, to, np.full_like(to, path[-1]), True)
            bounds = np.mean(np.abs(children) * best_suffix[layer], axis=0)
            for q in range(len(to)):
                heapq.heappush(heap, (-bounds[q], counter, False, (*path, q), children[:, q]))
                counter += 1
        return np.array(found, dtype=np.int64).reshape(len(found), L - s + 1)


def _k_largest(cand: Array, K: int) -> tuple[Array, Array]:
    """Per row, the K largest values (descending) and their column indices."""
    n = cand.shape[1]
    if K < n:
        idx = np.argpartition(-cand, K - 1, axis=1)[:, :K]
    else:
        idx = np.broadcast_to(np.arange(n), cand.shape).copy()
    vals = np.take_along_axis(cand, idx, axis=1)
    order = np.argsort(-vals, axis=1, kind="stable")
    return np.take_along_axis(vals, order, axis=1), np.take_along_axis(idx, order, axis=1)
