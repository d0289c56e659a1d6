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
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

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

    def __init__(self, net: Network, p: Pass, t: Target):
        self.net, self.p, self.t, self.L, self.s = net, p, t, net.L, t.layer
        self.softmax_out = net.activation_names[-1] == "softmax"
        # c = a^L W^L, the softmax step's correction term.
        self._c = p.activations[-1] @ net.weights[-1] if self.softmax_out else None
        a_in = p.activations[t.layer - 1][:, t.k] if t.kind == "weight" else None
        if t.kind == "activation":
            self.starts, self.first = np.array([t.j]), None
        elif self.softmax_out and t.layer == self.L:
            a = p.activations[-1]
            da_dz = a * ((np.arange(a.shape[1]) == t.j) - a[:, [t.j]])  # J[:, m, j]
            self.starts = np.arange(a.shape[1])
            self.first = da_dz if a_in is None else da_dz * a_in[:, None]
        else:
            sp = p.sigma_primes[t.layer][:, [t.j]]
            self.starts = np.array([t.j])
            self.first = sp if a_in is None else sp * a_in[:, None]
        self.last = p.dC_da[self.L]  # dC/da^L, (N, n_L)
        # Products, sums and rankings regroup sigma'(z^L_m) with dC/da^L_m into delta^L_m
        # (BP1 in its stable closed form): at saturation sigma' underflows to 0 while
        # dC/da overflows, and 0 * inf would hide a perfectly finite product.
        self.regroup = not self.softmax_out and not (t.kind == "activation" and t.layer == self.L)
        self._last_r = p.deltas[self.L] if self.regroup else self.last
        self._first_r = self.first
        if self.regroup and t.layer == self.L and self.first is not None:
            self._first_r = np.ones_like(self.first) if a_in is None else a_in[:, None]

    @property
    def radices(self) -> list[int]:
        return [len(self.starts), *self.net.sizes[self.s + 1 :]]

    def count(self) -> int:
        return int(np.prod(self.radices, dtype=object))

    def step(self, i: int, q: Array, prev: Array, regrouped: bool = False) -> Array:
        """da^i_q / da^{i-1}_prev per sample for index arrays q, prev: shape (N, len).
        Regrouped, the step into L is the bare weight (its sigma' went into delta^L)."""
        W = self.net.weights[i]
        if i == self.L and self.softmax_out:
            a = self.p.activations[i]
            return a[:, q] * (W[q, prev] - self._c[:, prev])
        if i == self.L and regrouped and self.regroup:
            return np.broadcast_to(W[q, prev], (self.last.shape[0], len(q)))
        return self.p.sigma_primes[i][:, q] * W[q, prev]

    def step_matrix(self, i: int, regrouped: bool = False) -> Array:
        """All of layer i's step factors at once: shape (N, n_i, n_{i-1})."""
        W = self.net.weights[i]
        if i == self.L and self.softmax_out:
            a = self.p.activations[i]
            return a[:, :, None] * (W[None, :, :] - self._c[:, None, :])
        if i == self.L and regrouped and self.regroup:
            return np.broadcast_to(W, (self.last.shape[0], *W.shape))
        return self.p.sigma_primes[i][:, :, None] * W[None, :, :]

    def factors(self, neurons: Array, regrouped: bool = False) -> Array:
        """Rate factors of the paths in `neurons` (P, L-s+1): shape (N, P, n_factors)."""
        cols = []
        if self.first is not None:
            start_pos = np.searchsorted(self.starts, neurons[:, 0])
            cols.append((self._first_r if regrouped else self.first)[:, start_pos])
        for i in range(self.s + 1, self.L + 1):
            q, prev = neurons[:, i - self.s], neurons[:, i - self.s - 1]
            cols.append(self.step(i, q, prev, regrouped))
        cols.append((self._last_r if regrouped else self.last)[:, neurons[:, -1]])
        return np.stack(cols, axis=-1)

    def products(self, neurons: Array) -> Array:
        """Each path's product, averaged over the samples: shape (P,)."""
        return self.factors(neurons, regrouped=True).prod(axis=-1).mean(axis=0)

    def path_sum(self) -> Array:
        """Sum over all paths of the products, per sample, by distributing the sum
        layer by layer: v holds, for each neuron, the summed products of its suffixes.
        Into layer L the summed suffixes are delta^L W^L, softmax included, since
        sum_q dC/da_q J_qr = delta^L_r."""
        t, L, p = self.t, self.L, self.p
        if self.s == L:
            if t.kind == "activation":
                return self.last[:, t.j]
            a_in = p.activations[L - 1][:, t.k] if t.kind == "weight" else 1.0
            return p.deltas[L][:, t.j] * a_in
        v = p.deltas[L] @ self.net.weights[L]
        for i in range(L - 1, self.s, -1):
            v = (v * p.sigma_primes[i]) @ self.net.weights[i]
        return v[:, t.j] * self.first[:, 0] if self.first is not None else v[:, t.j]

    def decode(self, index: Array) -> Array:
        """Path numbers in lexicographic order of `neurons` -> neurons (P, L-s+1)."""
        digits = []
        rest = index.astype(np.int64)
        for radix in reversed(self.radices):
            digits.append(rest % radix)
            rest = rest // radix
        digits.reverse()
        digits[0] = self.starts[digits[0]]
        return np.stack(digits, axis=1)

    # --- the largest |product| paths ---------------------------------------------------
    def top(self, limit: int, max_expansions: int) -> Array:
        """Neurons of the `limit` paths of largest |mean product|, largest first."""
        if self.p.activations[0].shape[0] == 1:
            return self._top_single(limit)
        return self._top_batch(limit, max_expansions)

    def _top_single(self, K: int) -> Array:
        """k-best dynamic programme over log|factor|, from the cost back to the target.

        best[p] holds, for neuron p of layer i, the K largest log|suffix product|
        of paths from a^i_p to the cost; ptr says which (q, rank) of layer i+1
        each came from. Layer s is only evaluated at the start neurons.
        """
        with np.errstate(divide="ignore"):
            best = np.log(np.abs(self._last_r[0]))[:, None]  # layer L: (n_L, 1)
            pointers = {}
            for i in range(self.L, self.s, -1):
                cols = self.starts if i == self.s + 1 else slice(None)
                logs = np.log(np.abs(self.step_matrix(i, True)[0][:, cols]))  # (n_i, n_{i-1}')
                cand = (logs.T[:, :, None] + best[None, :, :]).reshape(logs.shape[1], -1)
                best, pointers[i - 1] = _k_largest(cand, K)
            if self.s == self.L:
                best = best[self.starts]
            if self.first is not None:
                cand = (np.log(np.abs(self._first_r[0]))[:, None] + best).reshape(1, -1)
            else:
                cand = best.reshape(1, -1)
            _, order = _k_largest(cand, K)
        width = best.shape[1]
        pos, rank = order[0] // width, order[0] % width  # position among starts, rank
        path = [self.starts[pos]]
        idx = pos
        for i in range(self.s, self.L):
            w_next = 1 if i + 1 == self.L else pointers[i + 1].shape[1]
            flat = pointers[i][idx, rank]
            idx, rank = flat // w_next, flat % w_next
            path.append(idx)
        return np.stack(path, axis=1)

    def _top_batch(self, K: int, max_expansions: int) -> Array:
        """Best-first search; a prefix's bound is mean_x |prefix_x| * best_suffix_x,
        which never underestimates, so complete paths pop in exact order."""
        N = self.p.activations[0].shape[0]
        suffix = [None] * (self.L + 1)  # suffix[i]: (N, n_i) max |suffix product|
        suffix[self.L] = np.abs(self._last_r)
        for i in range(self.L, self.s, -1):
            steps = np.abs(self.step_matrix(i, True))
            suffix[i - 1] = np.max(steps * suffix[i][:, :, None], axis=1)
        heap: list = []
        counter = 0
        start_vals = self._first_r if self.first is not None else np.ones((N, 1))
        for pos, m in enumerate(self.starts):
            prefix = start_vals[:, pos]
            bound = float(np.mean(np.abs(prefix) * suffix[self.s][:, m]))
            heapq.heappush(heap, (-bound, counter, False, (int(m),), prefix))
            counter += 1
        found, expansions = [], 0
        layer_sizes = self.net.sizes
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
            i = self.s + len(path)  # the layer the children are in
            if i > self.L:  # complete: close with dC/da^L and push its exact value
                value = abs(float(np.mean(prefix * self._last_r[:, path[-1]])))
                heapq.heappush(heap, (-value, counter, True, path, None))
                counter += 1
                continue
            q = np.arange(layer_sizes[i])
            children = prefix[:, None] * self.step(i, q, np.full_like(q, path[-1]), True)
            bounds = np.mean(np.abs(children) * suffix[i], axis=0)
            for qq in range(len(q)):
                heapq.heappush(heap, (-bounds[qq], counter, False, (*path, qq), children[:, qq]))
                counter += 1
        return np.array(found, dtype=np.int64).reshape(len(found), self.L - self.s + 1)


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
