"""Schema 2: a store written by the first release gains the training tables (and schema
3's owner columns) and keeps every network; versions from before then have no recorded
step count."""

from __future__ import annotations

import sqlite3

from app.nn.network import Network
from app.store import Store
from app.store.db import MIGRATIONS
from app.store.networks import Networks, _pack
from app.store.training_log import TrainingRun


def test_a_schema_1_store_is_migrated_and_keeps_its_networks(tmp_path):
    path = tmp_path / "old.sqlite3"
    net = Network.initialised([2, 3, 2], ["sigmoid", "sigmoid"], "quadratic", "xavier", 0)
    arch, blob = _pack(net)
    conn = sqlite3.connect(path, isolation_level=None)
    for statement in MIGRATIONS[0].split(";"):  # the store as release 1 left it
        if statement.strip():
            conn.execute(statement)
    conn.execute("INSERT INTO networks VALUES (1, 'old', 'xor', 1, 't', 't')")
    conn.execute(
        "INSERT INTO network_versions VALUES (1, 1, 'old', 'xor', ?, ?, 'create', 't')",
        (arch, blob),
    )
    conn.execute("PRAGMA user_version = 1")
    conn.close()

    store = Store(path)
    networks = Networks(store)
    with store.read() as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 3
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"version_training", "training_points"} <= tables
    assert _pack(networks.get(1).network) == (arch, blob)
    assert networks.versions(1)[0]["steps"] is None  # not recorded before the migration
    assert networks.training(1)["steps"] == 0
    run = TrainingRun([0.5, 0.4], [[1.0, 2.0], [0.5, 1.0]], [0.5, 0.75])
    networks.update(1, "old", net, "xor", source="train", run=run)
    record = networks.training(1)
    assert record["steps"] == 2 and record["points"]["loss"] == [0.5, 0.4]
    assert record["points"]["accuracy"] == [0.5, 0.75]
    assert record["points"]["held_out_accuracy"] is None
    store.close()


def test_deleting_a_network_deletes_its_record(tmp_path):
    store = Store(tmp_path / "s.sqlite3")
    networks = Networks(store)
    net = Network.initialised([2, 2], ["sigmoid"], "quadratic", "xavier", 0)
    nid = networks.create("n", net, None).id
    networks.update(nid, "n", net, None, source="train", run=TrainingRun([0.1], [[1.0]]))
    networks.delete(nid)
    with store.read() as db:
        assert db.execute("SELECT COUNT(*) FROM training_points").fetchone()[0] == 0
        assert db.execute("SELECT COUNT(*) FROM version_training").fetchone()[0] == 0
    store.close()
