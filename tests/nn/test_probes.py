"""nudge (Nielsen's eq. 47-48: Delta C ~ dC/dw Delta w) and gradcheck."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from mazur import MAZUR, MAZUR_X, MAZUR_Y
from nn_reference import SMOOTH, cases, central_diff

from app.api.schemas import GradcheckBody
from app.config import Settings
from app.nn.network import Network
from app.nn.paths import Target
from app.nn.probes import gradcheck, nudge
from app.services.compute import gradcheck_report

SETTINGS = settings(max_examples=60, deadline=None)
PARAM_KINDS = ("weight", "bias")


@st.composite
def param_targets(draw, case):
    kind = draw(st.sampled_from(PARAM_KINDS))
    layer = draw(st.integers(1, case.net.L))
    j = draw(st.integers(0, case.net.sizes[layer] - 1))
    k = draw(st.integers(0, case.net.sizes[layer - 1] - 1)) if kind == "weight" else None
    return Target(kind, layer, j, k)


def with_target(**kw):
    return cases(**kw).flatmap(lambda c: param_targets(c).map(lambda t: (c, t)))


def _moved(ref, t: Target, delta: float):
    arr = (ref.W if t.kind == "weight" else ref.b)[t.layer].copy()
    arr[(t.j, t.k) if t.kind == "weight" else (t.j,)] += delta
    return ref.with_param(t.kind, t.layer, arr)


@SETTINGS
@given(with_target(), st.sampled_from([1e-1, -3e-2, 1e-3]))
def test_nudge_reports_the_actual_and_first_order_changes(ct, delta):
    case, t = ct
    r = nudge(case.net, case.X, case.Y, t, delta)
    p = case.net.backprop(case.X, case.Y)
    g = p.nabla_w[t.layer][t.j, t.k] if t.kind == "weight" else p.nabla_b[t.layer][t.j]
    # Same sum in another order (mean of products vs. a matrix product): ~1e-16 of the terms.
    assert r.gradient == pytest.approx(g, rel=1e-10, abs=1e-16)
    assert r.delta_cost_linear == pytest.approx(r.gradient * delta, rel=1e-15, abs=1e-300)
    assert r.cost_before == pytest.approx(case.ref.mean_cost(case.X, case.Y), rel=1e-12)
    moved = _moved(case.ref, t, delta)
    assert r.cost_after == pytest.approx(moved.mean_cost(case.X, case.Y), rel=1e-12, abs=1e-14)
    _, A0 = case.ref.forward(case.X)
    _, A1 = moved.forward(case.X)
    assert len(r.delta_a) == len(r.delta_a_linear) == case.net.L + 1
    for l in range(case.net.L + 1):
        np.testing.assert_allclose(r.delta_a[l], A1[l] - A0[l], rtol=1e-9, atol=1e-13)
        if l < t.layer:
            assert not np.any(r.delta_a[l]) and not np.any(r.delta_a_linear[l])
    # delta_a_linear = (da^l/d target) * delta, da/d target by central differences.
    h = 1e-6
    _, Ap = _moved(case.ref, t, h).forward(case.X)
    _, Am = _moved(case.ref, t, -h).forward(case.X)
    for l in range(t.layer, case.net.L + 1):
        tangent = (Ap[l] - Am[l]) / (2 * h)
        np.testing.assert_allclose(r.delta_a_linear[l], tangent * delta, rtol=1e-5, atol=1e-8)


@SETTINGS
@given(with_target(hidden=SMOOTH))
def test_nudge_error_is_second_order(ct):
    """|actual - linear| = c delta^2 + O(delta^3): q(delta) = error / delta^2 stays put as
    delta shrinks tenfold (a wrong first-order term would make it grow tenfold), and the
    ratio actual/linear - 1 shrinks with delta."""
    case, t = ct
    q_cost, q_a, ratio = [], [], []
    for delta in (1e-4, 1e-5):
        r = nudge(case.net, case.X, case.Y, t, delta)
        actual = r.cost_after - r.cost_before
        q_cost.append(abs(actual - r.delta_cost_linear) / delta**2)
        err_a = max(
            np.max(np.abs(da - dl)) for da, dl in zip(r.delta_a, r.delta_a_linear, strict=True)
        )
        q_a.append(err_a / delta**2)
        ratio.append(abs(actual / r.delta_cost_linear - 1) if r.delta_cost_linear else 0.0)
    # Rounding of a difference of two costs (or activations) is ~1e-15 of their size.
    a_max = max(float(np.max(np.abs(a))) for a in case.ref.forward(case.X)[1])
    cost_floor = 2e-5 * (1 + abs(r.cost_before))
    assert q_cost[1] <= 2 * q_cost[0] + cost_floor
    assert q_a[1] <= 2 * q_a[0] + 2e-5 * (1 + a_max)
    assume(abs(r.gradient) > 1e-4)
    assert ratio[1] <= 0.2 * ratio[0] + 1e-6 * (1 + abs(r.cost_before))


def test_nudge_ratio_tends_to_one_on_the_published_example():
    net = Network(**MAZUR)
    X, Y = np.array([MAZUR_X]), np.array([MAZUR_Y])
    t = Target("weight", 2, 0, 0)
    prev = None
    for delta in (1.0, 1e-1, 1e-2, 1e-3, 1e-4):
        r = nudge(net, X, Y, t, delta)
        assert r.delta_cost_linear == pytest.approx(0.082167041 * delta, abs=5e-10 * delta)
        rel = abs((r.cost_after - r.cost_before) / r.delta_cost_linear - 1)
        if prev is not None:
            assert rel < prev / 8
        prev = rel
    assert prev < 1e-4


@SETTINGS
@given(cases(max_batch=3))
def test_gradcheck_agrees_with_backprop_and_central_differences(case):
    g = gradcheck(case.net, case.X, case.Y)
    P = case.net.n_parameters
    assert g.parameters == P == sum(n.size for n in g.numerical)
    p = case.net.backprop(case.X, case.Y)
    scale = 1 + abs(p.cost)
    flat = [a for l in range(1, case.net.L + 1) for a in (p.nabla_w[l], p.nabla_b[l])]
    for bp, want in zip(g.backprop, flat, strict=True):
        np.testing.assert_array_equal(bp, want.reshape(-1))
    ref, X, Y = case.ref, case.X, case.Y
    mine = []
    for l in range(1, ref.L + 1):
        mine.append(
            central_diff(
                lambda W, l=l: ref.with_param("weight", l, W).mean_cost(X, Y), ref.W[l]
            ).reshape(-1)
        )
        mine.append(
            central_diff(lambda b, l=l: ref.with_param("bias", l, b).mean_cost(X, Y), ref.b[l])
        )
    for num, want in zip(g.numerical, mine, strict=True):
        np.testing.assert_allclose(num, want, rtol=1e-5, atol=1e-8 * scale)
    assert g.max_abs_error < 1e-7 * scale
    bp, num = np.concatenate(g.backprop), np.concatenate(g.numerical)
    assert g.max_abs_error == pytest.approx(np.max(np.abs(bp - num)), rel=1e-12, abs=1e-300)


@pytest.mark.parametrize(
    ("sizes", "acts", "cost"),
    [
        ([2, 2, 2], ["sigmoid", "sigmoid"], "quadratic"),
        ([3, 4, 3], ["tanh", "softmax"], "log_likelihood"),
        ([3, 5, 4, 2], ["leaky_relu", "tanh", "sigmoid"], "cross_entropy"),
        ([4, 3, 3], ["sigmoid", "softmax"], "cross_entropy"),
        ([2, 3, 1], ["tanh", "linear"], "sse"),
    ],
)
def test_gradcheck_relative_error_is_tiny(sizes, acts, cost):
    net = Network.initialised(sizes, acts, cost, "normal", seed=11)
    rng = np.random.default_rng(4)
    X = rng.normal(size=(3, sizes[0]))
    Y = rng.dirichlet(np.ones(sizes[-1]), size=3) if cost != "sse" else rng.normal(size=(3, 1))
    g = gradcheck(net, X, Y)
    assert g.max_rel_error < 1e-5
    assert g.max_abs_error < 1e-8
    assert g.seconds_backprop >= 0 and g.seconds_numerical >= 0


def test_gradcheck_does_two_forward_passes_per_parameter(monkeypatch):
    """Count the passes the engine really makes (a pass-through counter, no stand-in)."""
    net = Network.initialised([3, 4, 2], ["tanh", "sigmoid"], "cross_entropy", seed=0)
    X, Y = np.array([[0.1, -0.2, 0.3]]), np.array([[0.0, 1.0]])
    calls = []
    original = Network.evaluate

    def counting(self, *a, **kw):
        calls.append(1)
        return original(self, *a, **kw)

    monkeypatch.setattr(Network, "evaluate", counting)
    body = GradcheckBody(x=X.tolist(), y=Y.tolist(), epsilon=1e-6)
    report = gradcheck_report(net, body, Settings(db_path="unused"))
    P = 4 * 4 + 2 * 5
    assert report["parameters"] == P
    assert report["forward_passes"] == {"backprop": 1, "numerical": 2 * P}
    assert len(calls) == 1 + 2 * P  # one evaluate inside backprop, then 2P


def _richardson(net, X, Y):
    """Central differences at 2e-3 and 1e-3, extrapolated: truncation error ~1e-12 and
    rounding noise ~1e-13, far below the default epsilon's ~1e-10 rounding noise."""
    n1, n2 = (np.concatenate(gradcheck(net, X, Y, e).numerical) for e in (2e-3, 1e-3))
    return (4 * n2 - n1) / 3


@pytest.mark.parametrize(
    ("sizes", "acts", "cost", "seed", "n", "span"),
    [
        # Smallest gradient ~3e-8; was reported as max_rel_error 2.5e-4 (REL_FLOOR 1e-8).
        ([2, 3, 3, 2], ["sigmoid"] * 3, "quadratic", 3, 1, None),
        # Smallest gradients ~2e-6, C = 0.155: the default epsilon's rounding noise is
        # ~1.3e-10 there; reported as max_rel_error 5.8e-5 with NOISE_FLOOR = 1e-12.
        ([3, 5, 5, 5, 2], ["tanh", "sigmoid", "tanh", "linear"], "sse", 271, 2, 1.5),
    ],
)
def test_gradcheck_relative_error_is_tiny_on_a_correct_backprop(sizes, acts, cost, seed, n, span):
    net = Network.initialised(sizes, acts, cost, "normal", seed=seed)
    rng = np.random.default_rng(seed)
    if span is None:  # the first case's sample, literally
        X = np.array([[2.0409191213851825, -2.5556650313141818]])
        Y = np.array([[0.8012744652063969, 0.5821620360643678]])
    else:
        X = rng.uniform(-span, span, size=(n, sizes[0]))
        Y = rng.uniform(-1, 1, size=(n, sizes[-1]))
    g = gradcheck(net, X, Y)
    bp = np.concatenate(g.backprop)
    # Backprop is right: it agrees with the extrapolated differences to ~1e-11.
    np.testing.assert_allclose(bp, _richardson(net, X, Y), rtol=1e-6, atol=1e-11)
    assert g.max_abs_error < 1e-9
    assert g.max_rel_error < 1e-5, f"max_rel_error {g.max_rel_error:.2e} on a correct backprop"
