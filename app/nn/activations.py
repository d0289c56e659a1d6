"""Activation functions, each with its derivative beside it.

Every function takes z with samples in rows, shape (N, n). Derivatives are
written in forms that stay exact where the textbook form cancels: sigma'(z) as
e / (1 + e)^2 with e = exp(-|z|) rather than s * (1 - s), which rounds to 0 for
z > 37 although the true value is still ~1e-16.

`backward(z, g)` is the vector-Jacobian product J^T g (BP1/BP2's "⊙ sigma'(z)"
for elementwise functions, the full Jacobian for softmax) and `jvp(z, dz)` the
Jacobian-vector product J dz used by forward-mode nudges.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from . import speed

Array = np.ndarray


def _sigmoid(z: Array) -> Array:
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0, e) / (1.0 + e)


def _sigmoid_prime(z: Array) -> Array:
    e = np.exp(-np.abs(z))
    return e / (1.0 + e) ** 2


def _sigmoid_log_parts(z: Array) -> tuple[Array, Array]:
    # ln a = -softplus(-z), ln(1 - a) = -softplus(z): finite for every finite z.
    return -np.logaddexp(0.0, -z), -np.logaddexp(0.0, z)


def _tanh_prime(z: Array) -> Array:
    # sech^2 z = (2e / (1 + e^2))^2 with e = exp(-|z|): no 1 - tanh^2 cancellation.
    e = np.exp(-np.abs(z))
    return (2.0 * e / (1.0 + e * e)) ** 2


def _relu(z: Array) -> Array:
    return np.maximum(z, 0.0)


def _relu_prime(z: Array) -> Array:
    # The derivative at exactly 0 is taken as 0 (the left derivative).
    return (z > 0).astype(np.float64)


LEAKY_SLOPE = 0.01


def _leaky_relu(z: Array) -> Array:
    return np.where(z > 0, z, LEAKY_SLOPE * z)


def _leaky_relu_prime(z: Array) -> Array:
    return np.where(z > 0, 1.0, LEAKY_SLOPE)


def _softmax_log_parts(z: Array) -> tuple[Array, Array]:
    """ln a and ln(1 - a) of softmax(z), row-wise, finite for finite z (n >= 2).

    ln(1 - a_j) is the log-sum-exp of the *other* entries minus the full one.
    For j below the row maximum the others include the maximum, so their sum
    S - e_j is >= 1 and the subtraction is harmless; for the argmax itself the
    others are summed directly, shifted by the runner-up.
    """
    n = z.shape[1]
    rows = np.arange(z.shape[0])
    top = np.argmax(z, axis=1)
    m = z[rows, top][:, None]
    e = np.exp(z - m)
    total = e.sum(axis=1, keepdims=True)
    lse = m + np.log(total)
    log_a = z - lse
    mask = np.ones_like(z, dtype=bool)
    mask[rows, top] = False
    # Right for every j but the argmax, which is filled in below.
    others = np.log(np.where(mask, total - e, 1.0)) + m
    rest = z[mask].reshape(-1, n - 1)
    m2 = rest.max(axis=1, keepdims=True)
    others_top = m2[:, 0] + np.log(np.exp(rest - m2).sum(axis=1))
    others[rows, top] = others_top
    return log_a, others - lse


def _softmax(z: Array) -> Array:
    m = z.max(axis=1, keepdims=True)
    e = np.exp(z - m)
    return e / e.sum(axis=1, keepdims=True)


def _softmax_prime(z: Array) -> Array:
    # The Jacobian's diagonal a_j (1 - a_j), from the log parts so it stays exact.
    log_a, log_1ma = _softmax_log_parts(z)
    return np.exp(log_a + log_1ma)


def _softmax_backward(z: Array, g: Array) -> Array:
    # J = diag(a) - a a^T is symmetric, so J^T g = a ⊙ (g - <g, a>).
    a = _softmax(z)
    return a * (g - np.sum(g * a, axis=1, keepdims=True))


def _softmax_jacobian(z: Array) -> Array:
    a = _softmax(z)
    return a[:, :, None] * (np.eye(z.shape[1]) - a[:, None, :])


def _elementwise_jacobian(derivative: Callable[[Array], Array]) -> Callable[[Array], Array]:
    def jacobian(z: Array) -> Array:
        d = derivative(z)
        return d[:, :, None] * np.eye(z.shape[1])

    return jacobian


@dataclass(frozen=True)
class Activation:
    name: str
    fn: Callable[[Array], Array]
    derivative: Callable[[Array], Array]  # sigma'(z), or the Jacobian's diagonal
    backward: Callable[[Array, Array], Array]  # J^T g
    jvp: Callable[[Array, Array], Array]  # J dz
    jacobian: Callable[[Array], Array]  # (N, n, n): J[s, i, j] = da_i / dz_j
    # Present only when every output lies in (0, 1): (ln a, ln(1 - a)) from z.
    log_parts: Callable[[Array], tuple[Array, Array]] | None = None
    last_layer_only: bool = False
    min_neurons: int = 1
    # A diagonal Jacobian: J^T g = g * sigma'(z), so backprop reuses sigma' it already has.
    elementwise: bool = True
    # (a, sigma'(z)) in one go where they share work; by default the two functions above.
    with_derivative: Callable[[Array], tuple[Array, Array]] | None = None

    def value_and_derivative(self, z: Array) -> tuple[Array, Array]:
        if self.with_derivative is not None:
            return self.with_derivative(z)
        return self.fn(z), self.derivative(z)


def _elementwise(name, fn, derivative, log_parts=None, with_derivative=None) -> Activation:
    def backward(z: Array, g: Array) -> Array:
        return g * derivative(z)

    return Activation(
        name=name,
        fn=fn,
        derivative=derivative,
        backward=backward,
        jvp=backward,
        jacobian=_elementwise_jacobian(derivative),
        log_parts=log_parts,
        with_derivative=with_derivative,
    )


ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in (
        _elementwise(
            "sigmoid", _sigmoid, _sigmoid_prime, _sigmoid_log_parts, speed.sigmoid_with_prime
        ),
        _elementwise("tanh", np.tanh, _tanh_prime),
        _elementwise("relu", _relu, _relu_prime),
        _elementwise("leaky_relu", _leaky_relu, _leaky_relu_prime),
        _elementwise("linear", lambda z: z.copy(), np.ones_like),
        Activation(
            name="softmax",
            fn=_softmax,
            derivative=_softmax_prime,
            backward=_softmax_backward,
            jvp=_softmax_backward,  # J is symmetric
            jacobian=_softmax_jacobian,
            log_parts=_softmax_log_parts,
            last_layer_only=True,
            min_neurons=2,
            elementwise=False,
        ),
    )
}
