"""What every store backend gives the rest of the app: transactions over one schema.

`Networks` (networks.py) holds the queries; a backend only opens connections,
migrates the schema and runs statements. Statements are written once with `?`
placeholders and `INSERT ... RETURNING`, which both SQLite (3.35+) and
PostgreSQL understand; the backend translates the placeholders where it must.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol
from urllib.parse import urlsplit, urlunsplit


class Cursor(Protocol):
    rowcount: int

    def fetchone(self) -> Mapping[str, Any] | None: ...
    def fetchall(self) -> Sequence[Mapping[str, Any]]: ...


class Connection(Protocol):
    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor: ...


class Backend(ABC):
    kind: str  # "sqlite" or "postgresql"
    # Appended to the SELECT of a network's head row inside a write: PostgreSQL locks that
    # row so two writers cannot both pass an If-Match check; SQLite's write lock already
    # covers the whole file (BEGIN IMMEDIATE), and it has no such clause.
    for_update: str = ""
    created: bool = False  # True when this start made a new, empty store

    @abstractmethod
    def read(self) -> AbstractContextManager[Any]:
        """A consistent snapshot for several SELECTs."""

    @abstractmethod
    def write(self) -> AbstractContextManager[Any]:
        """One transaction: everything inside commits together or not at all."""

    @abstractmethod
    def close(self) -> None: ...

    @abstractmethod
    def describe(self) -> str:
        """Where the data lives, for the start-up line (never a password)."""


def is_postgres_url(target: object) -> bool:
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


def redact(target) -> str:
    """Where the store is, for messages and logs: a URL loses its password."""
    if not is_postgres_url(target):
        return str(target)
    parts = urlsplit(target)
    if parts.password is None:
        return target
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


def open_store(target, create_folder: bool = True) -> Backend:
    """A SQLite file path, or a postgresql:// URL. create_folder=False: a SQLite file's
    folder must already exist (see db.Store)."""
    if is_postgres_url(target):
        from .postgres import PostgresStore  # psycopg is only imported when it is used

        return PostgresStore(target)
    from .db import Store

    return Store(target, create_folder=create_folder)
