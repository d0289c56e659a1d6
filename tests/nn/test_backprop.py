"""BP1-BP4 against central differences on random architectures, plus the published
2-2-2 example (Mazur's worked example, the network in Nielsen's notation)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from mazur import MAZUR, MAZUR_COST, MAZUR_X, MAZUR_Y
from nn_reference import UNIT_COSTS, cases, central_diff

from app.nn.network import Network

SETTINGS = settings(max_examples=80, deadline=None)


def _close(got, want, rtol=1e-5, atol=1e-7):
    np.testing.assert_allclose(got, want, rtol=rtol, atol=atol)


@SETTINGS
@given(cases())
def test_forward_pass_matches_the_definitions(case):
    p = case.net.evaluate(case.X, case.Y)
    zs, As = case.ref.forward(case.X)
    for l in range(1, case.net.L + 1):
        _close(p.zs[l], zs[l], rtol=1e-12, atol=1e-12)
        _close(p.activations[l], As[l], rtol=1e-12, atol=1e-12)
    _close(p.costs, case.ref.costs(case.X, case.Y), rtol=1e-10, atol=1e-12)
    assert p.cost == pytest.approx(np.mean(p.costs), rel=1e-14, abs=1e-300)


@SETTINGS
@given(cases())
def test_weight_and_bias_gradients_equal_central_differences(case):
    p = case.net.backprop(case.X, case.Y)
    ref, X, Y = case.ref, case.X, case.Y
    scale = 1 + abs(p.cost)
    for l in range(1, ref.L + 1):
        num_w = central_diff(
            lambda W, l=l: ref.with_param("weight", l, W).mean_cost(X, Y), ref.W[l]
        )
        num_b = central_diff(lambda b, l=l: ref.with_param("bias", l, b).mean_cost(X, Y), ref.b[l])
        assert p.nabla_w[l].shape == ref.W[l].shape
        assert p.nabla_b[l].shape == ref.b[l].shape
        _close(p.nabla_w[l], num_w, atol=1e-7 * scale)
        _close(p.nabla_b[l], num_b, atol=1e-7 * scale)


@SETTINGS
@given(cases())
def test_dC_da_and_delta_at_every_layer_equal_central_differences(case):
    """Per sample: dC_x/da^l and delta^l = dC_x/dz^l, found by perturbing a^l or z^l
    and running the rest of the network from that layer."""
    p = case.net.backprop(case.X, case.Y)
    ref, Y = case.ref, case.Y
    zs, As = ref.forward(case.X)
    scale = 1 + float(np.max(np.abs(p.costs)))

    def total_from_a(l):
        return lambda A: float(np.sum(ref.costs_from_a(l, A, Y)))

    for l in range(1, ref.L + 1):
        num_delta = central_diff(lambda Z, l=l: float(np.sum(ref.costs_from_z(l, Z, Y))), zs[l])
        # ln a and ln(1 - a) of the output need a step well inside (0, 1).
        eps = 1e-6
        if l == ref.L and ref.cost in UNIT_COSTS:
            eps = np.minimum(1e-6, 1e-4 * np.minimum(As[l], 1 - As[l]))
        num_dC_da = central_diff(total_from_a(l), As[l], eps)
        # What a central difference resolves: the total cost's last few bits over the step.
        # Near 0 and 1 the steps are tiny (5e-12 for an a of 1 - 6e-8), and an entry there
        # with a modest dC/da is known to about 1e-3 only (seed 5070).
        total = abs(total_from_a(l)(As[l]))
        resolved = 1e-14 * (1 + total) / (2 * np.asarray(eps))
        assert p.deltas[l].shape == p.dC_da[l].shape == zs[l].shape
        _close(p.deltas[l], num_delta, atol=1e-7 * scale)
        off = np.abs(p.dC_da[l] - num_dC_da) - (1e-7 * scale + resolved + 1e-5 * np.abs(num_dC_da))
        assert np.all(off <= 0), (l, p.dC_da[l], num_dC_da, resolved)
    # Layer 0 has no z; dC/da^0 = W^1^T delta^1 is what the product shows for inputs.
    num_dC_dx = central_diff(total_from_a(0), As[0])
    _close(p.deltas[1] @ case.net.weights[1], num_dC_dx, atol=1e-7 * scale)


@SETTINGS
@given(cases(min_batch=2, max_batch=4))
def test_batch_gradient_is_the_mean_of_single_sample_gradients(case):
    p = case.net.backprop(case.X, case.Y)
    singles = [case.net.backprop(case.X[[s]], case.Y[[s]]) for s in range(case.N)]
    for l in range(1, case.net.L + 1):
        _close(p.nabla_w[l], np.mean([q.nabla_w[l] for q in singles], axis=0), 1e-12, 1e-14)
        _close(p.nabla_b[l], np.mean([q.nabla_b[l] for q in singles], axis=0), 1e-12, 1e-14)
        for s, q in enumerate(singles):
            _close(p.deltas[l][s], q.deltas[l][0], 1e-12, 1e-14)
    assert p.cost == pytest.approx(np.mean([q.cost for q in singles]), rel=1e-12)


# --- Mazur's worked example: the 2-2-2 sigmoid network with quadratic cost ------------------
def test_published_two_two_two_example():
    net = Network(**MAZUR)
    p = net.backprop(np.array([MAZUR_X]), np.array([MAZUR_Y]))
    assert p.cost == pytest.approx(MAZUR_COST, rel=1e-13)
    assert MAZUR_COST == 0.298371108760003
    # Published to 9 digits: dE/dw5 (= w^2_00), dE/dw6, dE/dw7, dE/dw8 and dE/dw1 (= w^1_00).
    assert p.nabla_w[2][0, 0] == pytest.approx(0.082167041, abs=5e-10)
    # The next three follow from the published updated weights (w - 0.5 dE/dw, 9 decimals).
    assert p.nabla_w[2][0, 1] == pytest.approx((0.45 - 0.408666186) / 0.5, abs=1.1e-9)
    assert p.nabla_w[2][1, 0] == pytest.approx((0.50 - 0.511301270) / 0.5, abs=1.1e-9)
    assert p.nabla_w[2][1, 1] == pytest.approx((0.55 - 0.561370121) / 0.5, abs=1.1e-9)
    assert p.nabla_w[1][0, 0] == pytest.approx(0.000438568, abs=5e-10)
    # Hand values of the forward pass: out_h1, out_o1.
    assert p.activations[1][0, 0] == pytest.approx(0.593269992, abs=5e-10)
    assert p.activations[2][0, 0] == pytest.approx(0.75136507, abs=5e-9)


def test_initialisation_is_reproducible_from_the_seed():
    args = ([3, 5, 4, 2], ["tanh", "relu", "softmax"], "log_likelihood")
    a = Network.initialised(*args, scheme="he", seed=7)
    b = Network.initialised(*args, scheme="he", seed=7)
    c = Network.initialised(*args, scheme="he", seed=8)
    for l in range(1, 4):
        np.testing.assert_array_equal(a.weights[l], b.weights[l])
        np.testing.assert_array_equal(a.biases[l], np.zeros(a.sizes[l]))
        assert a.weights[l].shape == (a.sizes[l], a.sizes[l - 1])
        assert not np.array_equal(a.weights[l], c.weights[l])


@pytest.mark.parametrize(
    ("scheme", "std"),
    [("xavier", np.sqrt(2 / (400 + 600))), ("he", np.sqrt(2 / 400)), ("normal", 1.0)],
)
def test_initialisation_scale(scheme, std):
    net = Network.initialised([400, 600], ["linear"], "quadratic", scheme=scheme, seed=3)
    w = net.weights[1]
    # 240 000 draws: the sample std is within 0.3% of the true one with near certainty.
    assert np.std(w) == pytest.approx(std, rel=0.01)
    assert abs(np.mean(w)) < 0.01 * std
    other = Network.initialised([400, 600], ["linear"], "quadratic", scheme="normal", seed=3)
    if scheme != "normal":
        assert np.std(other.weights[1]) / np.std(w) == pytest.approx(1 / std, rel=0.02)
