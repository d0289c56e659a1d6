"""Saved networks in the store: exact float64 round trips, versions, conflicts, not found."""

from __future__ import annotations

import itertools
import math
import struct

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from app.nn.network import Network
from app.store import Conflict, NotFound, open_store
from app.store.networks import Networks, thinned

AWKWARD = [
    0.1 + 0.2,  # 0.30000000000000004
    5e-324,  # smallest subnormal
    -5e-324,
    2.2250738585072014e-308,  # smallest normal
    1.7976931348623157e308,  # largest finite
    -1.7976931348623157e308,
    -0.0,
    0.0,
    math.pi,
    -math.e,
    1 / 3,
    2.0**-1074 * 3,
    float.fromhex("0x1.fffffffffffffp-1"),  # just below 1
    float.fromhex("0x1.0000000000001p+0"),  # just above 1
]


def bits(values) -> list[int]:
    """Each float64 as its 64-bit pattern: -0.0 and 0.0 differ, nothing is rounded."""
    flat = np.asarray(values, dtype=np.float64).ravel()
    return [struct.unpack("<Q", struct.pack("<d", float(v)))[0] for v in flat]


def assert_same_bits(a: Network, b: Network) -> None:
    assert a.sizes == b.sizes
    assert a.activation_names == b.activation_names
    assert a.cost_name == b.cost_name
    for l in range(1, a.L + 1):
        assert b.weights[l].dtype == np.float64
        assert a.weights[l].shape == b.weights[l].shape
        assert a.weights[l].tobytes() == b.weights[l].tobytes(), f"W^{l}"
        assert a.biases[l].tobytes() == b.biases[l].tobytes(), f"b^{l}"


def awkward_net() -> Network:
    # 3-4-2 has 12 + 4 + 8 + 2 = 26 parameters: every awkward value, then random ones.
    rng = np.random.default_rng(2024)
    flat = np.concatenate([AWKWARD, rng.standard_normal(26 - len(AWKWARD)) * 1e3])
    w1, b1 = flat[:12].reshape(4, 3), flat[12:16]
    w2, b2 = flat[16:24].reshape(2, 4), flat[24:26]
    return Network([3, 4, 2], ["tanh", "linear"], "quadratic", [w1, w2], [b1, b2])


def test_awkward_values_survive_save_and_load_bit_for_bit(networks):
    net = awkward_net()
    saved = networks.create("awkward", net, None)
    got = networks.get(saved.id)
    assert_same_bits(net, got.network)
    w1 = got.network.weights[1].ravel().tolist()
    assert w1[0] == 0.30000000000000004
    assert w1[1] == 5e-324
    assert w1[4] == 1.7976931348623157e308
    assert bits([w1[6]]) == [0x8000000000000000]  # -0.0 kept its sign
    assert bits([w1[7]]) == [0]


def test_awkward_values_survive_a_reopen_of_the_store(target):
    net = awkward_net()
    first = open_store(target)
    nid = Networks(first).create("awkward", net, "xor").id
    first.close()
    again = open_store(target)
    got = Networks(again).get(nid)
    again.close()
    assert_same_bits(net, got.network)
    assert got.dataset == "xor"


finite64 = st.floats(allow_nan=False, allow_infinity=False, width=64)


@st.composite
def networks_with_values(draw):
    sizes = draw(st.lists(st.integers(1, 5), min_size=2, max_size=4))
    weights = [
        draw(hnp.arrays(np.float64, (n_out, n_in), elements=finite64))
        for n_in, n_out in itertools.pairwise(sizes)
    ]
    biases = [draw(hnp.arrays(np.float64, (n,), elements=finite64)) for n in sizes[1:]]
    activations = ["linear"] * (len(sizes) - 1)
    return Network(sizes, activations, "quadratic", weights, biases)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def shared_networks(request, tmp_path_factory):
    # One store for every example; each example creates its own network in it.
    if request.param == "sqlite":
        store = open_store(tmp_path_factory.mktemp("hyp") / "s.sqlite3")
        yield Networks(store)
        store.close()
        return
    postgres = request.getfixturevalue("postgres")
    url = postgres.create_database()
    store = open_store(url)
    yield Networks(store)
    store.close()
    postgres.drop_database(url)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(net=networks_with_values(), other=networks_with_values())
def test_random_float64_networks_round_trip_exactly(shared_networks, net, other):
    nets = shared_networks
    saved = nets.create("h", net, None)
    assert_same_bits(net, nets.get(saved.id).network)
    nets.update(saved.id, "h2", other, None)
    assert_same_bits(other, nets.get(saved.id).network)
    assert_same_bits(net, nets.get(saved.id, version=1).network)


# --- versions ------------------------------------------------------------------------------


def tiny(seed: int) -> Network:
    return Network.initialised([2, 3, 2], ["sigmoid", "sigmoid"], "quadratic", "xavier", seed)


def test_every_change_is_a_new_version_and_old_ones_stay_readable(networks):
    nets = [tiny(s) for s in range(4)]
    saved = networks.create("v", nets[0], "xor")
    assert saved.version == 1
    for i, net in enumerate(nets[1:], start=2):
        assert networks.update(saved.id, f"v{i}", net, None).version == i
    history = networks.versions(saved.id)
    assert [h["version"] for h in history] == [1, 2, 3, 4]
    assert [h["name"] for h in history] == ["v", "v2", "v3", "v4"]
    assert [h["source"] for h in history] == ["create", "update", "update", "update"]
    assert [h["dataset"] for h in history] == ["xor", None, None, None]
    for i, net in enumerate(nets, start=1):
        old = networks.get(saved.id, version=i)
        assert old.version == i
        assert_same_bits(net, old.network)
    head = networks.get(saved.id)
    assert (head.version, head.name) == (4, "v4")
    assert head.created_at == saved.created_at
    assert head.updated_at >= saved.updated_at
    [summary] = networks.list()
    assert summary["version"] == 4
    assert summary["sizes"] == [2, 3, 2]


def test_stale_if_version_is_a_conflict_and_changes_nothing(networks):
    saved = networks.create("c", tiny(0), None)
    networks.update(saved.id, "c", tiny(1), None, if_version=1)
    with pytest.raises(Conflict) as e:
        networks.update(saved.id, "lost", tiny(2), None, if_version=1)
    assert (e.value.current, e.value.expected) == (2, 1)
    head = networks.get(saved.id)
    assert (head.version, head.name) == (2, "c")
    assert_same_bits(tiny(1), head.network)
    assert len(networks.versions(saved.id)) == 2


def test_unknown_ids_and_versions_are_not_found(networks):
    saved = networks.create("n", tiny(0), None)
    missing = saved.id + 100
    with pytest.raises(NotFound):
        networks.get(missing)
    with pytest.raises(NotFound):
        networks.get(saved.id, version=2)
    with pytest.raises(NotFound):
        networks.versions(missing)
    with pytest.raises(NotFound):
        networks.update(missing, "x", tiny(1), None)
    with pytest.raises(NotFound):
        networks.delete(missing)
    networks.delete(saved.id)
    with pytest.raises(NotFound):
        networks.get(saved.id)
    with pytest.raises(NotFound):
        networks.delete(saved.id)


def test_ids_are_not_reused_after_delete(networks):
    first = networks.create("a", tiny(0), None)
    networks.delete(first.id)
    second = networks.create("b", tiny(0), None)
    assert second.id > first.id


def test_training_keeps_its_newest_versions_thins_older_and_keeps_every_other(store):
    """Training checkpoints: the newest `keep_training` stay, older ones are thinned to one
    per power-of-two age, in the transaction that writes the next. Created, edited and
    imported versions all stay."""
    networks = Networks(store, keep_training=3)
    nets = [tiny(s) for s in range(12)]
    nid = networks.create("k", nets[0], "xor").id
    for i in range(1, 5):
        networks.update(nid, "k", nets[i], "xor", source="train")  # versions 2-5
    networks.update(nid, "edited", nets[5], "xor")  # version 6, an edit
    for i in range(6, 12):
        networks.update(nid, "edited", nets[i], "xor", source="train")  # versions 7-12
    history = networks.versions(nid)
    assert [(h["version"], h["source"]) for h in history] == [
        (1, "create"),
        (2, "train"),  # the oldest checkpoint: first in its band, kept for good
        (6, "update"),
        (7, "train"),  # 5 behind the newest: the band 4-7 (8 went, 4 behind)
        (9, "train"),  # 3 behind: the band 2-3
        (10, "train"),
        (11, "train"),
        (12, "train"),
    ]
    for v in (1, 2, 6, 7, 9, 10, 11, 12):
        assert_same_bits(nets[v - 1], networks.get(nid, version=v).network)
    assert networks.get(nid).version == 12
    with pytest.raises(NotFound, match="training keeps its newest 3 checkpoints and thins"):
        networks.get(nid, version=8)
    with pytest.raises(NotFound) as e:
        networks.get(nid, version=13)
    assert "training keeps" not in str(e.value)
    # Other networks' training versions are not touched.
    other = networks.create("o", nets[0], None).id
    networks.update(other, "o", nets[1], None, source="train")
    assert [h["version"] for h in networks.versions(other)] == [1, 2]
    assert len(networks.versions(nid)) == 8


def test_thinning_a_long_run_keeps_about_log2_checkpoints_back_to_its_start():
    kept: list[int] = []
    for v in range(2, 10_002):
        kept.append(v)
        for d in thinned(kept, 20):
            kept.remove(d)
        assert len(kept) <= 20 + (v - 1).bit_length()
    assert kept[-20:] == list(range(9_982, 10_002))  # the newest 20, every one
    older = kept[:-20]
    assert older[0] == 2  # the run's first checkpoint
    bands = [(10_001 - v).bit_length() for v in older]
    assert len(set(bands)) == len(bands)  # one per power-of-two age at most
    assert 8 <= len(older) <= 14
