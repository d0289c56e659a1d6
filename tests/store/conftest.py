"""Store fixtures: every store test runs twice, on a real SQLite file in a temporary folder
and on a fresh database of a real PostgreSQL server (see tests/conftest.py). No mocks."""

from __future__ import annotations

import sqlite3

import pytest

from app.config import Settings
from app.store import open_store
from app.store.networks import Networks

BACKENDS = ["sqlite", "postgresql"]


class Raw:
    """Plain SQL on the store's database without the store's help, to look at what it wrote
    and to make its next statement fail."""

    def __init__(self, kind: str, target):
        self.kind, self.target = kind, target

    def rows(self, sql: str, params=()) -> list[tuple]:
        if self.kind == "sqlite":
            with sqlite3.connect(self.target, isolation_level=None) as db:
                return [tuple(r) for r in db.execute(sql, params).fetchall()]
        import psycopg

        with psycopg.connect(self.target, autocommit=True) as db:
            cur = db.execute(sql.replace("?", "%s"), params)
            return [tuple(r) for r in cur.fetchall()] if cur.description else []

    def schema_version(self) -> int:
        if self.kind == "sqlite":
            return self.rows("PRAGMA user_version")[0][0]
        return self.rows("SELECT version FROM explorer_schema")[0][0]

    def set_schema_version(self, version: int) -> None:
        if self.kind == "sqlite":
            self.rows(f"PRAGMA user_version = {int(version)}")
        else:
            self.rows("UPDATE explorer_schema SET version = ?", (version,))

    def refuse_version_inserts(self) -> None:
        """A real trigger that makes the second statement of a change fail."""
        if self.kind == "sqlite":
            self.rows(
                "CREATE TRIGGER refuse BEFORE INSERT ON network_versions "
                "BEGIN SELECT RAISE(ABORT, 'refused by test trigger'); END"
            )
            return
        self.rows(
            "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'refused by test trigger'; END $$"
        )
        self.rows(
            "CREATE TRIGGER refuse BEFORE INSERT ON network_versions "
            "FOR EACH ROW EXECUTE FUNCTION refuse()"
        )


@pytest.fixture(params=BACKENDS)
def backend(request, tmp_path) -> str:
    return request.param


@pytest.fixture
def target(backend, tmp_path, request):
    """Where the store lives: a SQLite path or a postgresql:// URL of an empty database."""
    if backend == "sqlite":
        return tmp_path / "store" / "explorer.sqlite3"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def raw(backend, target) -> Raw:
    return Raw(backend, target)


@pytest.fixture
def store(target):
    s = open_store(target)
    yield s
    s.close()


@pytest.fixture
def networks(store) -> Networks:
    return Networks(store)


@pytest.fixture
def settings(target) -> Settings:
    """The app tests in this folder (seeding) run on both backends too."""
    return Settings(db_path=target)


@pytest.fixture
def db_path(tmp_path):
    """The SQLite-only tests (test_db.py: PRAGMAs, WAL, the file itself)."""
    return tmp_path / "store" / "explorer.sqlite3"
