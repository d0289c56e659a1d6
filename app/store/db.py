"""The embedded SQLite store: one file, WAL, a schema version, one transaction per change.

Each call opens its own connection, so any thread may use the store; writes
take the write lock up front (BEGIN IMMEDIATE) and wait for it (busy_timeout)
rather than failing with "database is locked".
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SCHEMA_VERSION = 1

# MIGRATIONS[v] takes a store at schema version v to v + 1.
MIGRATIONS = [
    """
    CREATE TABLE networks (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL,
        dataset TEXT,
        version INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE network_versions (
        network_id INTEGER NOT NULL REFERENCES networks(id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        name TEXT NOT NULL,
        dataset TEXT,
        architecture TEXT NOT NULL,  -- JSON: sizes, activations, cost
        parameters BLOB NOT NULL,    -- float64 little-endian: W^1, b^1, W^2, b^2, ...
        source TEXT NOT NULL,        -- create | update | train | import
        created_at TEXT NOT NULL,
        PRIMARY KEY (network_id, version)
    );
    """,
]


class Store:
    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.created = False  # True when this start made a new, empty store
        self._migrate()

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA busy_timeout = 30000")
        conn.execute(
            "PRAGMA synchronous = NORMAL"
        )  # safe with WAL: a crash loses no commit's integrity
        return conn

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        conn = self._connect()
        try:
            yield conn
        finally:
            conn.close()

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One transaction: everything inside commits together or not at all."""
        conn = self._connect()
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        finally:
            conn.close()

    def _migrate(self) -> None:
        conn = self._connect()
        try:
            conn.execute("PRAGMA journal_mode = WAL")
        finally:
            conn.close()
        with self.write() as conn:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise RuntimeError(
                    f"{self.path} has schema version {version}, newer than this release "
                    f"({SCHEMA_VERSION}); upgrade Backprop Explorer"
                )
            self.created = version == 0
            for v in range(version, SCHEMA_VERSION):
                for statement in MIGRATIONS[v].split(";"):
                    if statement.strip():
                        conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
