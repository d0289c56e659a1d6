"""Nielsen's sum over paths: brute-force enumeration from the definitions against
backprop, PathFactors' factors, count, top and paging."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nn_reference import Reference, cases, targets

from app.nn.network import Network
from app.nn.paths import PathFactors, SearchTooLarge, Target, gradient

SETTINGS = settings(max_examples=80, deadline=None)


def case_and_target(**kw):
    return cases(**kw).flatmap(lambda c: targets(c).map(lambda t: (c, t)))


def _backprop_gradient(net: Network, p, kind, layer, j, k) -> float:
    """dC/d(target) straight from the Pass, not through app.nn.paths.gradient."""
    if kind == "weight":
        return float(p.nabla_w[layer][j, k])
    if kind == "bias":
        return float(p.nabla_b[layer][j])
    if layer == 0:
        return float(np.mean(p.deltas[1] @ net.weights[1][:, j]))
    return float(np.mean(p.dC_da[layer][:, j]))


@SETTINGS
@given(case_and_target())
def test_sum_over_all_paths_equals_backprop(ct):
    case, (kind, layer, j, k) = ct
    p = case.net.backprop(case.X, case.Y)
    _, factors = case.ref.brute_paths(case.X, case.Y, kind, layer, j, k)
    products = factors.prod(axis=-1).mean(axis=0)  # mean over samples of each path
    want = _backprop_gradient(case.net, p, kind, layer, j, k)
    scale = float(np.sum(np.abs(factors.prod(axis=-1)).mean(axis=0))) + 1e-300
    assert abs(products.sum() - want) <= 1e-10 * scale
    t = Target(kind, layer, j, k)
    pf = PathFactors(case.net, p, t)
    assert abs(float(np.mean(pf.path_sum())) - want) <= 1e-10 * scale
    assert float(np.mean(gradient(case.net, p, t))) == pytest.approx(want, rel=1e-12, abs=1e-300)


@SETTINGS
@given(case_and_target())
def test_factors_and_count_match_brute_force(ct):
    case, (kind, layer, j, k) = ct
    p = case.net.backprop(case.X, case.Y)
    neurons, factors = case.ref.brute_paths(case.X, case.Y, kind, layer, j, k)
    pf = PathFactors(case.net, p, Target(kind, layer, j, k))
    assert pf.count() == len(neurons)
    assert isinstance(pf.count(), int)
    decoded = pf.decode(np.arange(pf.count()))
    np.testing.assert_array_equal(decoded, np.array(neurons))  # lexicographic order
    got = pf.factors(decoded)
    assert got.shape == factors.shape  # (N, P, F)
    np.testing.assert_allclose(got, factors, rtol=1e-9, atol=1e-13)
    # The products the API shows (sigma'(z^L) regrouped with dC/da^L) are the same numbers.
    want = factors.prod(axis=-1).mean(axis=0)
    scale = float(np.max(np.abs(factors.prod(axis=-1)))) + 1e-300
    np.testing.assert_allclose(pf.products(decoded), want, rtol=1e-9, atol=1e-13 * scale)


@SETTINGS
@given(case_and_target(), st.data())
def test_pages_concatenate_to_the_full_enumeration(ct, data):
    case, (kind, layer, j, k) = ct
    p = case.net.backprop(case.X, case.Y)
    pf = PathFactors(case.net, p, Target(kind, layer, j, k))
    full = pf.decode(np.arange(pf.count()))
    limit = data.draw(st.integers(1, max(1, pf.count())))
    pages = [
        pf.decode(np.arange(o, min(o + limit, pf.count()))) for o in range(0, pf.count(), limit)
    ]
    np.testing.assert_array_equal(np.concatenate(pages), full)
    assert len({tuple(r) for r in full}) == len(full)


def _check_top(case, kind, layer, j, k, K):
    p = case.net.backprop(case.X, case.Y)
    neurons, factors = case.ref.brute_paths(case.X, case.Y, kind, layer, j, k)
    products = factors.prod(axis=-1).mean(axis=0)
    by_path = dict(zip(neurons, products, strict=True))
    pf = PathFactors(case.net, p, Target(kind, layer, j, k))
    K = min(K, len(neurons))
    top = pf.top(K, max_expansions=10**6)
    assert top.shape == (K, case.net.L - layer + 1)
    paths = [tuple(int(v) for v in row) for row in top]
    assert len(set(paths)) == K, "top returned a path twice"
    got = np.abs([by_path[t] for t in paths])
    want = np.sort(np.abs(products))[::-1][:K]
    scale = float(np.max(np.abs(products))) + 1e-300
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-13 * scale)
    # Each returned path's own factors and product.
    f = pf.factors(top)
    np.testing.assert_allclose(
        f.prod(axis=-1).mean(axis=0), [by_path[t] for t in paths], rtol=1e-9, atol=1e-13 * scale
    )


@SETTINGS
@given(case_and_target(max_batch=1), st.integers(1, 30))
def test_top_single_sample_equals_brute_force_sort(ct, K):
    case, (kind, layer, j, k) = ct
    _check_top(case, kind, layer, j, k, K)


@SETTINGS
@given(case_and_target(min_batch=2, max_batch=4), st.integers(1, 30))
def test_top_batch_equals_brute_force_sort(ct, K):
    case, (kind, layer, j, k) = ct
    _check_top(case, kind, layer, j, k, K)


def test_top_batch_refuses_when_the_search_is_too_large():
    net = Network.initialised([3, 5, 5, 5, 2], ["tanh"] * 3 + ["sigmoid"], "quadratic", seed=1)
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(4, 3)), rng.uniform(size=(4, 2))
    pf = PathFactors(net, net.backprop(X, Y), Target("weight", 1, 0, 0))
    with pytest.raises(SearchTooLarge):
        pf.top(50, max_expansions=3)


# --- softmax output: a weight in layer L starts a path at every output -------------------
def test_softmax_layer_L_weight_starts_a_path_at_every_output():
    W1 = np.array([[0.3, -0.8], [1.1, 0.4], [-0.5, 0.9]])
    W2 = np.array([[0.7, -1.2, 0.5], [0.2, 0.9, -0.4], [-1.0, 0.3, 0.8], [0.6, 0.1, -0.7]])
    net = Network(
        [2, 3, 4],
        ["tanh", "softmax"],
        "cross_entropy",
        [W1, W2],
        [np.array([0.1, -0.2, 0.3]), np.array([0.0, 0.5, -0.5, 0.2])],
    )
    X = np.array([[0.4, -1.3], [1.0, 0.2]])
    Y = np.array([[0.0, 1.0, 0.0, 0.0], [0.2, 0.1, 0.6, 0.1]])
    p = net.backprop(X, Y)
    pf = PathFactors(net, p, Target("weight", 2, 1, 2))
    assert pf.count() == 4
    np.testing.assert_array_equal(pf.decode(np.arange(4)), [[0], [1], [2], [3]])
    f = pf.factors(pf.decode(np.arange(4)))  # (N, 4, 2): da^L_m/dw^L_12 and dC/da^L_m
    a = p.activations[2]
    a_in = p.activations[1][:, 2]
    for m in range(4):
        dam_dz1 = a[:, m] * ((m == 1) - a[:, 1])
        np.testing.assert_allclose(f[:, m, 0], dam_dz1 * a_in, rtol=1e-12)
        np.testing.assert_allclose(
            f[:, m, 1], -Y[:, m] / a[:, m] + (1 - Y[:, m]) / (1 - a[:, m]), rtol=1e-10
        )
    assert f.prod(axis=-1).mean(axis=0).sum() == pytest.approx(p.nabla_w[2][1, 2], rel=1e-10)


# --- big networks: exact counts beyond 2**64 ---------------------------------------------
BIG = [3] + [40] * 13 + [2]


@pytest.fixture(scope="module")
def big():
    net = Network.initialised(BIG, ["tanh"] * 13 + ["sigmoid"], "cross_entropy", "xavier", seed=5)
    rng = np.random.default_rng(1)
    X, Y = rng.normal(size=(1, 3)), rng.uniform(size=(1, 2))
    return net, net.backprop(X, Y)


def test_count_beyond_two_to_the_64_is_exact(big):
    net, p = big
    c = PathFactors(net, p, Target("weight", 1, 3, 2)).count()
    assert type(c) is int
    assert c == 40**12 * 2 > 2**64
    assert PathFactors(net, p, Target("activation", 0, 1)).count() == 40**13 * 2
    assert PathFactors(net, p, Target("bias", 14, 1)).count() == 1


def test_top_on_a_big_network_finds_the_max_product_path(big):
    net, p = big
    t = Target("weight", 2, 7, 4)
    pf = PathFactors(net, p, t)
    top = pf.top(5, max_expansions=10)
    assert top.shape == (5, net.L - 1)
    prods = np.abs(pf.factors(top).prod(axis=-1)[0])
    assert np.all(np.diff(prods) <= 1e-12 * prods[0])
    # Independent Viterbi over log|factor| for the single best path.
    ref = Reference(net)
    zs, As = ref.forward(p.activations[0])
    score = np.log(np.abs(p.dC_da[-1][0]))  # best log|suffix| at each neuron of layer L
    for i in range(net.L, t.layer, -1):
        step = np.abs(ref.step_factor(i, zs, As)[0])  # (n_i, n_{i-1})
        score = np.max(np.log(step) + score[:, None], axis=0)
    from nn_reference import act_prime

    first = act_prime("tanh", zs[t.layer][0, t.j]) * As[t.layer - 1][0, t.k]
    best = np.log(abs(first)) + score[t.j]
    assert np.log(prods[0]) == pytest.approx(best, rel=1e-12)
    # And the sum over all 40**12 paths still equals backprop.
    assert float(pf.path_sum()[0]) == pytest.approx(p.nabla_w[2][7, 4], rel=1e-9)


def test_lexicographic_decode_of_mixed_radices():
    net = Network.initialised([2, 3, 1, 4], ["relu", "tanh", "softmax"], "log_likelihood", seed=2)
    X, Y = np.array([[0.5, -0.3]]), np.array([[0.0, 0.0, 1.0, 0.0]])
    pf = PathFactors(net, net.backprop(X, Y), Target("activation", 0, 1))
    want = [(1, *rest) for rest in itertools.product(range(3), range(1), range(4))]
    np.testing.assert_array_equal(pf.decode(np.arange(pf.count())), want)
