"""Every activation's derivative, Jacobian, VJP and JVP against central differences,
and the derivative tails that the textbook forms round to 0."""

from __future__ import annotations

from decimal import Decimal, getcontext

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from nn_reference import HIDDEN, KINK_MARGIN, KINKED, central_diff

from app.nn.activations import ACTIVATIONS

SETTINGS = settings(max_examples=60, deadline=None)
getcontext().prec = 60


@st.composite
def z_batches(draw, min_n=1, lo=-20.0, hi=20.0):
    N = draw(st.integers(1, 3))
    n = draw(st.integers(min_n, 5))
    return draw(arrays(np.float64, (N, n), elements=st.floats(lo, hi)))


def _rowwise_cd(fn, z, eps=1e-6):
    """d fn(z)[s, i] / d z[s, j] by central differences: (N, n, n)."""
    N, n = z.shape
    J = np.zeros((N, n, n))
    for j in range(n):
        dz = np.zeros_like(z)
        dz[:, j] = eps
        J[:, :, j] = (fn(z + dz) - fn(z - dz)) / (2 * eps)
    return J


@SETTINGS
@given(st.sampled_from(HIDDEN), z_batches())
def test_sigma_prime_is_the_derivative_of_the_function(name, z):
    if name in KINKED:
        assume(np.min(np.abs(z)) > KINK_MARGIN)
    act = ACTIVATIONS[name]
    num = _rowwise_cd(act.fn, z)
    d = act.derivative(z)
    np.testing.assert_allclose(d, np.einsum("sii->si", num), rtol=1e-6, atol=1e-9)
    # Elementwise: the Jacobian is diagonal, backward and jvp are g * sigma'(z).
    np.testing.assert_allclose(act.jacobian(z), num, rtol=1e-6, atol=1e-9)
    g = np.linspace(-1.0, 2.0, z.size).reshape(z.shape)
    np.testing.assert_array_equal(act.backward(z, g), g * d)
    np.testing.assert_array_equal(act.jvp(z, g), g * d)


@SETTINGS
@given(z_batches(min_n=2), st.data())
def test_softmax_jacobian_backward_and_jvp_against_finite_differences(z, data):
    sm = ACTIVATIONS["softmax"]
    g = data.draw(arrays(np.float64, z.shape, elements=st.floats(-3, 3)))
    num = _rowwise_cd(sm.fn, z)  # (N, n, n): d a_i / d z_j
    np.testing.assert_allclose(sm.jacobian(z), num, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(sm.derivative(z), np.einsum("sii->si", num), rtol=1e-6, atol=1e-9)
    # J^T g: the gradient of <g, softmax(z)> with respect to z, row by row.
    num_vjp = np.stack(
        [
            central_diff(lambda zz, s=s: float(g[s] @ sm.fn(zz[None])[0]), z[s])
            for s in range(len(z))
        ]
    )
    np.testing.assert_allclose(sm.backward(z, g), num_vjp, rtol=1e-6, atol=1e-9)
    # J dz: the directional derivative of softmax along dz.
    eps = 1e-6
    num_jvp = (sm.fn(z + eps * g) - sm.fn(z - eps * g)) / (2 * eps)
    np.testing.assert_allclose(sm.jvp(z, g), num_jvp, rtol=1e-6, atol=1e-9)
    a = sm.fn(z)
    np.testing.assert_allclose(a.sum(axis=1), 1.0, rtol=0, atol=1e-15)
    assert np.all(a > 0)


def _exact_sigmoid_prime(z: int) -> float:
    e = Decimal(-abs(z)).exp()
    return float(e / (1 + e) ** 2)


@pytest.mark.parametrize("z", [20, 37, 40, -40, 100, 700, -700])
def test_sigmoid_prime_in_the_tail_is_exact_not_zero(z):
    want = _exact_sigmoid_prime(z)
    got = float(ACTIVATIONS["sigmoid"].derivative(np.array([[float(z)]]))[0, 0])
    assert got > 0
    assert got == pytest.approx(want, rel=4 * np.finfo(float).eps)


def test_sigmoid_prime_at_40_matches_the_closed_form():
    e = np.exp(-40.0)
    got = ACTIVATIONS["sigmoid"].derivative(np.array([[40.0]]))[0, 0]
    assert got != 0.0  # s(1-s) rounds to exactly 0 here
    assert got == pytest.approx(e / (1 + e) ** 2, rel=2.5e-16)


@pytest.mark.parametrize("z", [20, 40, -40, 300])
def test_tanh_prime_in_the_tail(z):
    e = Decimal(-2 * abs(z)).exp()
    want = float(4 * e / (1 + e) ** 2)  # sech^2 z
    got = float(ACTIVATIONS["tanh"].derivative(np.array([[float(z)]]))[0, 0])
    assert got > 0
    assert got == pytest.approx(want, rel=4 * np.finfo(float).eps)


@pytest.mark.parametrize("gap", [5, 40, 200])
def test_softmax_diagonal_in_the_tail(gap):
    # z = [gap, 0]: a_0 = 1/(1+e^-gap), a_0 (1 - a_0) = sigma'(gap) for both entries.
    d = ACTIVATIONS["softmax"].derivative(np.array([[float(gap), 0.0]]))[0]
    want = _exact_sigmoid_prime(gap)
    assert d[0] == pytest.approx(want, rel=4 * np.finfo(float).eps)
    assert d[1] == pytest.approx(want, rel=4 * np.finfo(float).eps)


def test_kinks_take_the_left_derivative():
    z = np.array([[-1.0, 0.0, 1.0]])
    np.testing.assert_array_equal(ACTIVATIONS["relu"].derivative(z), [[0.0, 0.0, 1.0]])
    np.testing.assert_array_equal(ACTIVATIONS["leaky_relu"].derivative(z), [[0.01, 0.01, 1.0]])
    np.testing.assert_array_equal(ACTIVATIONS["leaky_relu"].fn(z), [[-0.01, 0.0, 1.0]])


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_value_and_derivative_is_bit_for_bit_fn_and_derivative(name):
    """The fused forward (a, sigma') that backprop uses may share work, never change a bit."""
    z = np.array([[-1000.0, -745.5, -40.0, -1e-300, 0.0, 1e-300, 0.3, 37.5, 709.0, 1000.0]])
    act = ACTIVATIONS[name]
    a, sp = act.value_and_derivative(z)
    assert np.array_equal(a, act.fn(z))
    assert np.array_equal(sp, act.derivative(z))
    assert np.all(np.isfinite(a)) and np.all(np.isfinite(sp))
