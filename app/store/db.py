"""The embedded SQLite store: one file, WAL, a schema version, one transaction per change.

Each thread keeps one connection of its own (closing the last connection of a
WAL file checkpoints it, about 20 ms a write); writes take the write lock up
front (BEGIN IMMEDIATE) and wait for it (busy_timeout) rather than failing
with "database is locked". synchronous=FULL: a commit is on disk when it
returns, so nothing saved is lost to a crash.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, closing, contextmanager, suppress
from pathlib import Path

from .base import Backend
from .errors import StoreError, StoreFull, StoreStartupError, StoreUnavailable
from .migrations import SHARED_MIGRATIONS

SCHEMA_VERSION = 3

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
    *SHARED_MIGRATIONS,
]


class Store(Backend):
    kind = "sqlite"

    def __init__(self, path: Path | str, create_folder: bool = True):
        """create_folder=False: the folder must exist (an explicit path with a typo must
        not start an empty store somewhere else)."""
        self.path = Path(path)
        # Every check that can refuse the file runs before anything writes to it.
        check_before_open(self.path, SCHEMA_VERSION, create_folder)
        self.created = False  # True when this start made a new, empty store
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        try:
            self._migrate()
        except sqlite3.Error as e:
            self.close()
            raise sqlite_failure(e, self.path, starting=True) from None

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

    def _open(self) -> sqlite3.Connection:
        try:
            return self._connection()
        except sqlite3.Error as e:
            raise sqlite_failure(e, self.path) from e

    def read(self) -> AbstractContextManager[sqlite3.Connection]:
        """A consistent snapshot for several SELECTs."""
        return self._transaction("BEGIN")

    def write(self) -> AbstractContextManager[sqlite3.Connection]:
        """One transaction: everything inside commits together or not at all. A failed
        COMMIT (a full disk) rolls back too, so the connection stays usable."""
        return self._transaction("BEGIN IMMEDIATE")  # the write lock up front: no upgrade race

    @contextmanager
    def _transaction(self, begin: str) -> Iterator[sqlite3.Connection]:
        conn = self._open()
        try:
            conn.execute(begin)
            try:
                yield conn
            except BaseException:
                _rollback(conn)
                raise
            conn.execute("COMMIT")
        except _BUGS:
            _rollback(conn)
            raise
        except _FAILURES as e:
            _rollback(conn)
            raise sqlite_failure(e, self.path) from e

    def _migrate(self) -> None:
        conn = self._connection()
        _use_wal(conn)
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            self.created = version == 0
            for v in range(version, SCHEMA_VERSION):
                for statement in MIGRATIONS[v].split(";"):
                    if statement.strip():
                        conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except BaseException:
            _rollback(conn)
            raise
        conn.execute("COMMIT")


# What the disk or file can do to us; a constraint or misuse error is a bug and stays as it is.
_FAILURES = (sqlite3.OperationalError, sqlite3.DatabaseError)
_BUGS = (sqlite3.IntegrityError, sqlite3.ProgrammingError, sqlite3.InterfaceError)


def _use_wal(conn: sqlite3.Connection, patience: float = 30.0) -> None:
    """Switching a new file to WAL needs it to itself. While another first start holds its
    write lock, SQLite answers BUSY at once, without the busy timeout (it would deadlock
    otherwise), so the switch is retried until that start has committed."""
    deadline = time.monotonic() + patience
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as e:
            busy = getattr(e, "sqlite_errorcode", 0) & 0xFF == sqlite3.SQLITE_BUSY
            if not busy or time.monotonic() > deadline:
                raise
            time.sleep(0.005)


def _rollback(conn: sqlite3.Connection) -> None:
    if conn.in_transaction:
        # The failure being reported matters more; SQLite rolls back on close anyway.
        with suppress(sqlite3.Error):
            conn.execute("ROLLBACK")


# --- SQLite start-up checks and failures: everything here is specific to this backend -----


def check_before_open(path: Path, schema_version: int, create_folder: bool) -> None:
    """Refuse a store that cannot work, before a single byte of it is written: a missing
    or read-only folder, an unreadable or read-only file, a damaged file, a file from a
    newer release or with a schema version this release cannot read."""
    check_folder(path, create_folder)
    if path.exists():
        check_file_access(path)
        check_existing_file(path, schema_version)


def check_folder(path: Path, create_folder: bool) -> None:
    folder = path.parent
    if not folder.exists():
        if not create_folder:
            raise StoreStartupError(
                f"the folder {folder} of the store {path} does not exist; create it or fix "
                "the path (nothing was created, so a typo does not start an empty store)"
            )
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise StoreStartupError(f"cannot create the folder {folder}: {e.strerror}") from None
    if not folder.is_dir():
        raise StoreStartupError(f"{folder} is not a folder, so it cannot hold the store {path}")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise StoreStartupError(
            f"the folder {folder} is read-only: SQLite writes the store {path.name} and its "
            "-wal and -shm files there; make it writable or choose another --db"
        )


def check_file_access(path: Path) -> None:
    if path.is_dir():
        raise StoreStartupError(f"{path} is a folder; --db names the store's file")
    if not os.access(path, os.R_OK):
        raise StoreStartupError(f"the store {path} cannot be read (permission denied)")
    if not os.access(path, os.W_OK):
        raise StoreStartupError(
            f"the store {path} is read-only; make it writable (chmod u+w) or copy it"
        )


def check_existing_file(path: Path, schema_version: int) -> None:
    """quick_check and the schema version, on a read-only connection (no WAL switch)."""
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as db:
            problems = [r[0] for r in db.execute("PRAGMA quick_check(5)").fetchall()]
            # One statement, so one snapshot: another process's first start may commit
            # its migration between two reads (version 0, then its tables).
            version, tables = db.execute(
                "SELECT user_version, (SELECT count(*) FROM sqlite_master) FROM pragma_user_version"
            ).fetchone()
    except sqlite3.Error as e:
        raise StoreStartupError(
            f"the store {path} cannot be read as a SQLite database ({e}); it was left as it "
            "is. Restore it from a backup or choose another --db"
        ) from None
    if problems != ["ok"]:
        raise StoreStartupError(
            f"the store {path} is damaged; it was left as it is. Restore it from a backup or "
            f"choose another --db (quick_check: {problems[-1][:120]})"
        )
    if version > schema_version:
        raise StoreStartupError(
            f"the store {path} has schema version {version}, newer than this release "
            f"({schema_version}); upgrade Backprop Explorer. The file was not changed"
        )
    if version < 0 or (version == 0 and tables):
        raise StoreStartupError(
            f"the store {path} has schema version {version} and {tables} schema objects: it "
            "is not a store this release can read. The file was not changed"
        )


def sqlite_failure(e: sqlite3.Error, path: Path, starting: bool = False) -> Exception:
    """A SQLite error as the store failure people can act on (the API names the cause)."""
    code = getattr(e, "sqlite_errorcode", 0) & 0xFF
    kind: type[StoreError]
    if code == sqlite3.SQLITE_FULL:
        why, kind = f"the disk holding the store is full ({e}); nothing was saved", StoreFull
    elif code == sqlite3.SQLITE_READONLY:
        why, kind = f"the store is read-only ({e}); nothing was saved", StoreUnavailable
    elif code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        why, kind = f"the store's file is damaged ({e}); restore it from a backup", StoreUnavailable
    elif code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        why, kind = f"the store is busy ({e}); retry shortly", StoreUnavailable
    elif code in (sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN):
        why, kind = f"the store's file cannot be read or written ({e})", StoreUnavailable
    else:
        why, kind = f"the store failed ({e})", StoreUnavailable
    if starting:  # at start-up the message names the file: the operator is reading it
        return StoreStartupError(why.replace("store", f"store {path}", 1))
    return kind(why)


__all__ = ["SCHEMA_VERSION", "Store", "StoreFull", "StoreUnavailable"]
