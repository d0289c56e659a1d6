"""The embedded SQLite store: one file, WAL, a schema version, one transaction per change.

Each thread keeps one connection of its own (closing the last connection of a
WAL file checkpoints it, about 20 ms a write); writes take the write lock up
front (BEGIN IMMEDIATE) and wait for it (busy_timeout) rather than failing
with "database is locked". synchronous=FULL: a commit is on disk when it
returns, so nothing saved is lost to a crash.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .base import Backend

SCHEMA_VERSION = 2

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
    # 2: owners and share links (shared mode). NULL owner: a demo, a lesson, or a network
    # saved in the local mode, which every client of a shared server may read.
    """
    ALTER TABLE networks ADD COLUMN owner TEXT;
    ALTER TABLE networks ADD COLUMN share_token TEXT;
    CREATE INDEX networks_owner ON networks (owner);
    CREATE UNIQUE INDEX networks_share_token ON networks (share_token);
    """,
]


class Store(Backend):
    kind = "sqlite"

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.created = False  # True when this start made a new, empty store
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._migrate()

    def _connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(
                self.path, timeout=30, isolation_level=None, check_same_thread=False
            )
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA busy_timeout = 30000")
            conn.execute("PRAGMA synchronous = FULL")
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    def describe(self) -> str:
        return str(self.path)

    def close(self) -> None:
        with self._lock:
            for conn in self._all:
                conn.close()
            self._all.clear()
        self._local = threading.local()

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A consistent snapshot for several SELECTs."""
        conn = self._connection()
        conn.execute("BEGIN")
        try:
            yield conn
        finally:
            conn.execute("COMMIT")

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One transaction: everything inside commits together or not at all."""
        conn = self._connection()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def _migrate(self) -> None:
        self._connection().execute("PRAGMA journal_mode = WAL")
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
