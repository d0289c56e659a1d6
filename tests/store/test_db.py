"""The SQLite file itself: where it lives, its schema version, WAL, one transaction per change."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app
from app.nn.network import Network
from app.store import Store
from app.store.db import SCHEMA_VERSION
from app.store.networks import Networks


def raw(path: Path) -> sqlite3.Connection:
    """A plain connection of our own, to look at the file without the Store's help."""
    return sqlite3.connect(path, isolation_level=None)


def tiny(seed: int = 0) -> Network:
    return Network.initialised([2, 3, 2], ["sigmoid", "sigmoid"], "quadratic", "xavier", seed)


# --- where the file lives ----------------------------------------------------------------


def test_default_path_is_var_explorer_sqlite3_under_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.delenv("EXPLORER_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    settings = Settings.from_env()
    assert settings.db_path == Path("var/explorer.sqlite3")
    assert not (tmp_path / "var").exists()
    with TestClient(create_app(settings)) as c:
        assert c.get("/api/networks").status_code == 200
    assert (tmp_path / "var" / "explorer.sqlite3").is_file()


def test_explorer_db_names_another_path(tmp_path, monkeypatch):
    target = tmp_path / "elsewhere" / "mine.sqlite3"
    monkeypatch.setenv("EXPLORER_DB", str(target))
    monkeypatch.chdir(tmp_path)
    settings = Settings.from_env()
    assert settings.db_path == target
    with TestClient(create_app(settings)) as c:
        assert c.get("/api/networks").json()  # the demos went into that file
    assert target.is_file()
    assert not (tmp_path / "var").exists()
    with raw(target) as db:
        assert db.execute("SELECT count(*) FROM networks").fetchone()[0] >= 1


def test_nothing_is_opened_before_the_app_starts(tmp_path):
    path = tmp_path / "lazy.sqlite3"
    create_app(Settings(db_path=path))
    assert not path.exists()


# --- schema version and WAL ---------------------------------------------------------------


def test_first_open_creates_file_with_schema_version_and_wal(db_path):
    assert not db_path.exists()
    store = Store(db_path)
    assert store.created is True
    assert db_path.is_file()
    with raw(db_path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 2
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"networks", "network_versions"} <= tables


def test_second_open_keeps_data_and_is_not_created(db_path):
    first = Networks(Store(db_path))
    saved = first.create("kept", tiny(), None)
    again = Store(db_path)
    assert again.created is False
    got = Networks(again).get(saved.id)
    assert got.name == "kept"
    assert got.network.weights[1].tobytes() == saved.network.weights[1].tobytes()
    with raw(db_path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_newer_schema_version_refuses_to_open_with_a_clear_error(db_path):
    db_path.parent.mkdir(parents=True)
    newer = SCHEMA_VERSION + 1
    with raw(db_path) as db:
        db.execute("CREATE TABLE future (x)")
        db.execute(f"PRAGMA user_version = {newer}")
    with pytest.raises(RuntimeError) as e:
        Store(db_path)
    message = str(e.value)
    assert f"schema version {newer}" in message
    assert "newer" in message
    assert str(db_path) in message
    assert "upgrade" in message.lower()
    # Nothing was migrated: the version and the tables are as the newer release left them.
    with raw(db_path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == newer
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert tables == {"future"}


def test_newer_schema_version_stops_the_app_from_starting(tmp_path):
    path = tmp_path / "newer.sqlite3"
    with raw(path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    with (
        pytest.raises(RuntimeError, match=f"schema version {SCHEMA_VERSION + 5}"),
        TestClient(create_app(Settings(db_path=path))),
    ):
        pass


def test_many_simultaneous_first_opens_migrate_once(db_path):
    """Two starts on a fresh file at once: exactly one of them creates (and would seed)."""
    created, errors = [], []
    barrier = threading.Barrier(6)

    def open_store():
        barrier.wait()
        try:
            created.append(Store(db_path).created)
        except Exception as e:  # pragma: no cover - reported below
            errors.append(repr(e))

    threads = [threading.Thread(target=open_store) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(created) == [False] * 5 + [True]


# --- one transaction per change -----------------------------------------------------------


def test_write_rolls_back_everything_on_error(store, db_path):
    with pytest.raises(ZeroDivisionError), store.write() as db:
        db.execute(
            "INSERT INTO networks (name, dataset, version, created_at, updated_at) "
            "VALUES ('half', NULL, 1, 'now', 'now')"
        )
        _ = 1 / 0
    with raw(db_path) as db:
        assert db.execute("SELECT count(*) FROM networks").fetchone()[0] == 0


def _fail_version_inserts(db_path: Path) -> None:
    """A real trigger in the file that makes the second statement of a change fail."""
    with raw(db_path) as db:
        db.execute(
            "CREATE TRIGGER refuse BEFORE INSERT ON network_versions "
            "BEGIN SELECT RAISE(ABORT, 'refused by test trigger'); END"
        )


def test_create_is_one_transaction(networks, db_path):
    _fail_version_inserts(db_path)
    with pytest.raises(sqlite3.IntegrityError, match="refused by test trigger"):
        networks.create("never", tiny(), None)
    # The head row inserted just before the failing statement is gone too.
    assert networks.list() == []
    with raw(db_path) as db:
        assert db.execute("SELECT count(*) FROM networks").fetchone()[0] == 0


def test_update_is_one_transaction(networks, db_path):
    saved = networks.create("before", tiny(1), None)
    _fail_version_inserts(db_path)
    with pytest.raises(sqlite3.IntegrityError):
        networks.update(saved.id, "after", tiny(2), None)
    got = networks.get(saved.id)
    assert (got.name, got.version) == ("before", 1)
    assert got.network.weights[1].tobytes() == saved.network.weights[1].tobytes()
    assert [v["version"] for v in networks.versions(saved.id)] == [1]


def test_delete_removes_every_version(networks, db_path):
    saved = networks.create("gone", tiny(), None)
    networks.update(saved.id, "gone", tiny(3), None)
    keep = networks.create("kept", tiny(), None)
    networks.delete(saved.id)
    with raw(db_path) as db:
        rows = db.execute("SELECT network_id, version FROM network_versions").fetchall()
    assert rows == [(keep.id, 1)]


def test_parameters_are_stored_as_little_endian_float64(networks, db_path):
    w = [np.array([[0.1 + 0.2, -0.0]]), np.array([[5e-324]])]
    b = [np.array([np.pi]), np.array([1.7976931348623157e308])]
    net = Network([2, 1, 1], ["linear", "linear"], "quadratic", w, b)
    saved = networks.create("raw", net, None)
    with raw(db_path) as db:
        blob = db.execute(
            "SELECT parameters FROM network_versions WHERE network_id = ?", (saved.id,)
        ).fetchone()[0]
    expected = np.concatenate([w[0].ravel(), b[0], w[1].ravel(), b[1]]).astype("<f8").tobytes()
    assert blob == expected
    assert len(blob) == 8 * 5
