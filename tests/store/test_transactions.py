"""One transaction per change, on both backends: a failing statement leaves nothing half
written, a delete takes the whole history, parameters are raw little-endian float64, the
schema is migrated once however many processes start at once, and a newer schema is refused."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from app.nn.network import Network
from app.store import open_store
from app.store.networks import Networks


def tiny(seed: int = 0) -> Network:
    return Network.initialised([2, 3, 2], ["sigmoid", "sigmoid"], "quadratic", "xavier", seed)


def test_many_simultaneous_first_opens_migrate_once(target):
    """Six starts on a fresh store at once: exactly one of them creates (and would seed)."""
    created, errors = [], []
    barrier = threading.Barrier(6)

    def open_one():
        barrier.wait()
        try:
            s = open_store(target)
            created.append(s.created)
            s.close()
        except Exception as e:  # pragma: no cover - reported below
            errors.append(repr(e))

    threads = [threading.Thread(target=open_one) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(created) == [False] * 5 + [True]


def test_write_rolls_back_everything_on_error(store, raw):
    with pytest.raises(ZeroDivisionError), store.write() as db:
        db.execute(
            "INSERT INTO networks (name, dataset, version, created_at, updated_at) "
            "VALUES ('half', NULL, 1, 'now', 'now')"
        )
        _ = 1 / 0
    assert raw.rows("SELECT count(*) FROM networks") == [(0,)]


def test_create_is_one_transaction(networks, raw):
    raw.refuse_version_inserts()
    with pytest.raises(Exception, match="refused by test trigger"):
        networks.create("never", tiny(), None)
    # The head row inserted just before the failing statement is gone too.
    assert networks.list() == []
    assert raw.rows("SELECT count(*) FROM networks") == [(0,)]


def test_update_is_one_transaction(networks, raw):
    saved = networks.create("before", tiny(1), None)
    raw.refuse_version_inserts()
    with pytest.raises(Exception, match="refused by test trigger"):
        networks.update(saved.id, "after", tiny(2), None)
    got = networks.get(saved.id)
    assert (got.name, got.version) == ("before", 1)
    assert got.network.weights[1].tobytes() == saved.network.weights[1].tobytes()
    assert [v["version"] for v in networks.versions(saved.id)] == [1]


def test_delete_removes_every_version(networks, raw):
    saved = networks.create("gone", tiny(), None)
    networks.update(saved.id, "gone", tiny(3), None)
    keep = networks.create("kept", tiny(), None)
    networks.delete(saved.id)
    assert raw.rows("SELECT network_id, version FROM network_versions") == [(keep.id, 1)]


def test_parameters_are_stored_as_little_endian_float64(networks, raw):
    w = [np.array([[0.1 + 0.2, -0.0]]), np.array([[5e-324]])]
    b = [np.array([np.pi]), np.array([1.7976931348623157e308])]
    net = Network([2, 1, 1], ["linear", "linear"], "quadratic", w, b)
    saved = networks.create("raw", net, None)
    [(blob,)] = raw.rows(
        "SELECT parameters FROM network_versions WHERE network_id = ?", (saved.id,)
    )
    expected = np.concatenate([w[0].ravel(), b[0], w[1].ravel(), b[1]]).astype("<f8").tobytes()
    assert bytes(blob) == expected
    assert len(blob) == 8 * 5


def test_a_second_open_keeps_data_and_is_not_created(target):
    first = open_store(target)
    assert first.created is True
    saved = Networks(first).create("kept", tiny(), "xor")
    first.close()
    again = open_store(target)
    try:
        assert again.created is False
        got = Networks(again).get(saved.id)
        assert (got.name, got.dataset) == ("kept", "xor")
        assert got.network.weights[1].tobytes() == saved.network.weights[1].tobytes()
    finally:
        again.close()


def test_a_newer_schema_is_refused_and_nothing_changes(target, raw):
    open_store(target).close()
    newer = raw.schema_version() + 1
    raw.set_schema_version(newer)
    with pytest.raises(RuntimeError) as e:
        open_store(target)
    message = str(e.value)
    assert f"schema version {newer}" in message
    assert "newer" in message and "upgrade" in message.lower()
    assert raw.schema_version() == newer
