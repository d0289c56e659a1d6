"""The SQLite file itself: where it lives, its schema version, WAL, one transaction per change."""

from __future__ import annotations

import sqlite3
from pathlib import Path

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
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3
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
