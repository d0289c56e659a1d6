"""Saturated outputs (|z| = 1000): every valid cost stays finite, delta^L equals its
analytic limit, and nothing raises a RuntimeWarning (pytest turns those into errors)."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.nn.network import Network

Y2 = st.tuples(st.floats(0, 1), st.floats(0, 1))


def _saturated(activation: str, cost: str, z, hidden: str | None = None) -> Network:
    """One input x = 1 and z^L = z exactly (biases carry it, weights are 0)."""
    n = len(z)
    if hidden is None:
        return Network([1, n], [activation], cost, [np.zeros((n, 1))], [np.array(z, float)])
    # A saturated hidden layer in front: z^1 = (1000, -1000), a^1_0 = 1, so W^2 a^1 = z
    # when W^2's second column (the neuron at -1000) is 0.
    W2 = np.zeros((n, 2))
    W2[:, 0] = np.array(z, float)
    return Network(
        [1, 2, n],
        [hidden, activation],
        cost,
        [np.array([[1000.0], [-1000.0]]), W2],
        [np.zeros(2), np.zeros(n)],
    )


def _run(net: Network, y):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p = net.backprop(np.array([[1.0]]), np.array([y], float))
    assert math.isfinite(p.cost)
    for l in range(1, net.L + 1):
        assert np.all(np.isfinite(p.deltas[l])), (l, p.deltas[l])
        assert np.all(np.isfinite(p.nabla_w[l])) and np.all(np.isfinite(p.nabla_b[l]))
        assert np.all(np.isfinite(p.sigma_primes[l]))
    return p


@pytest.mark.parametrize("hidden", [None, "tanh", "sigmoid"])
@settings(max_examples=30, deadline=None)
@given(y=Y2)
def test_sigmoid_cross_entropy(hidden, y):
    p = _run(_saturated("sigmoid", "cross_entropy", [1000.0, -1000.0], hidden), y)
    # a = (1, 0) to float64; ln(1 - a_0) = -1000, ln a_1 = -1000 exactly.
    assert p.cost == pytest.approx(1000 * (1 - y[0]) + 1000 * y[1], rel=1e-12, abs=1e-9)
    np.testing.assert_allclose(p.deltas[-1][0], [1 - y[0], -y[1]], rtol=1e-15, atol=0)


@settings(max_examples=30, deadline=None)
@given(y=Y2)
def test_sigmoid_log_likelihood(y):
    p = _run(_saturated("sigmoid", "log_likelihood", [1000.0, -1000.0]), y)
    assert p.cost == pytest.approx(1000 * y[1], rel=1e-12, abs=1e-9)
    # dC/dz_j = -y_j (1 - a_j): 0 where a = 1, -y_1 where a = 0.
    np.testing.assert_allclose(p.deltas[-1][0], [0.0, -y[1]], rtol=1e-15, atol=1e-300)


@settings(max_examples=30, deadline=None)
@given(y=Y2)
def test_softmax_cross_entropy_two_outputs(y):
    p = _run(_saturated("softmax", "cross_entropy", [1000.0, -1000.0]), y)
    # ln a = (0, -2000), ln(1 - a) = (-2000, 0).
    assert p.cost == pytest.approx(2000 * (1 - y[0]) + 2000 * y[1], rel=1e-12, abs=1e-9)
    d = 1 - y[0] + y[1]
    np.testing.assert_allclose(p.deltas[-1][0], [d, -d], rtol=1e-14, atol=1e-15)


@settings(max_examples=30, deadline=None)
@given(y=st.tuples(st.floats(0, 1), st.floats(0, 1), st.floats(0, 1)))
def test_softmax_cross_entropy_three_outputs(y):
    p = _run(_saturated("softmax", "cross_entropy", [1000.0, -1000.0, -1000.0]), y)
    # a = (1, e, e) with e = e^-2000: 1 - a_0 = 2e, so ln(1 - a_0) = ln 2 - 2000.
    cost = (1 - y[0]) * (2000 - math.log(2)) + 2000 * (y[1] + y[2])
    assert p.cost == pytest.approx(cost, rel=1e-12, abs=1e-9)
    half = (1 - y[0]) / 2
    want = [1 - y[0] + y[1] + y[2], -y[1] - half, -y[2] - half]
    np.testing.assert_allclose(p.deltas[-1][0], want, rtol=1e-13, atol=1e-15)


@settings(max_examples=30, deadline=None)
@given(y=Y2)
def test_softmax_log_likelihood(y):
    p = _run(_saturated("softmax", "log_likelihood", [1000.0, -1000.0]), y)
    assert p.cost == pytest.approx(2000 * y[1], rel=1e-12, abs=1e-9)
    # dC/dz = a * sum(y) - y.
    np.testing.assert_allclose(p.deltas[-1][0], [y[0] + y[1] - y[0], -y[1]], rtol=1e-15, atol=0)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "softmax"])
@pytest.mark.parametrize("cost", ["quadratic", "sse"])
@pytest.mark.parametrize("hidden", [None, "tanh"])
def test_quadratic_costs_saturate_to_zero_delta(activation, cost, hidden):
    y = [0.3, 0.6]
    p = _run(_saturated(activation, cost, [1000.0, -1000.0], hidden), y)
    lo = -1.0 if activation == "tanh" else 0.0
    a = np.array([1.0, lo])
    np.testing.assert_array_equal(p.output[0], a)
    factor = 0.5 if cost == "quadratic" else 1.0
    assert p.cost == pytest.approx(factor * np.sum((a - y) ** 2), rel=1e-14)
    # sigma'(+-1000) ~ e^-1000 underflows to 0 exactly; so does the softmax Jacobian.
    np.testing.assert_array_equal(p.deltas[-1][0], [0.0, 0.0])
    np.testing.assert_allclose(p.dC_da[-1][0], factor * 2 * (a - y), rtol=1e-15)


def test_cross_entropy_dC_da_overflows_to_inf_but_delta_is_finite():
    # dC/da = (1 - y)/(1 - a) with 1 - a = e^-1000: beyond float64; BP1 in closed form is not.
    p = _run(_saturated("sigmoid", "cross_entropy", [1000.0, -1000.0]), [0.5, 0.5])
    assert np.isposinf(p.dC_da[-1][0, 0]) and np.isneginf(p.dC_da[-1][0, 1])
    np.testing.assert_array_equal(p.deltas[-1][0], [0.5, -0.5])


def test_mixed_batch_with_saturated_and_ordinary_samples():
    net = Network(
        [1, 2], ["sigmoid"], "cross_entropy", [np.array([[1000.0], [-1.0]])], [np.zeros(2)]
    )
    X = np.array([[1.0], [-1.0], [0.001]])
    Y = np.array([[0.2, 0.7], [0.9, 0.1], [0.5, 0.5]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p = net.backprop(X, Y)
    z = X @ net.weights[1].T
    a = 0.5 * (1 + np.tanh(z / 2))
    np.testing.assert_allclose(p.deltas[1], a - Y, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(p.nabla_w[1], ((a - Y).T @ X) / 3, rtol=1e-12, atol=1e-15)
    assert math.isfinite(p.cost)


@pytest.mark.parametrize("kind", ["weight", "bias"])
@pytest.mark.parametrize("layer", [1, 2])
def test_paths_at_saturation_still_sum_to_the_gradient(kind, layer):
    """sigma'(z^L) underflows to 0 and dC/da^L overflows; their product delta^L is finite,
    so every path product and the sum over paths must be finite and equal backprop."""
    from app.nn.paths import PathFactors, Target

    net = _saturated("sigmoid", "cross_entropy", [1000.0, -1000.0], hidden="tanh")
    net.weights[1] = np.array([[3.0], [-1000.0]])  # hidden neuron 0 unsaturated
    net.weights[2] = np.array([[1010.0, 0.0], [-1010.0, 0.0]])  # |z^2| > 900
    X, Y = np.array([[1.0], [0.5]]), np.array([[0.2, 0.7], [0.9, 0.4]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p = net.backprop(X, Y)
        t = Target(kind, layer, 0, 0 if kind == "weight" else None)
        pf = PathFactors(net, p, t)
        neurons = pf.decode(np.arange(pf.count()))
        products = pf.products(neurons)
        total = float(np.mean(pf.path_sum()))
        top = pf.top(pf.count(), 100)
    want = p.nabla_w[layer][0, 0] if kind == "weight" else p.nabla_b[layer][0]
    assert np.all(np.isfinite(products))
    assert np.isinf(p.dC_da[2]).any()  # the saturation this test is about
    assert total == pytest.approx(want, rel=1e-12, abs=1e-300)
    assert float(products.sum()) == pytest.approx(want, rel=1e-12, abs=1e-300)
    assert sorted(map(tuple, top.tolist())) == sorted(map(tuple, neurons.tolist()))
