"""The store at start-up: a damaged file, a schema this release cannot read, a missing or
read-only folder or file are refused with a message that says what to do, and a refused
file is left exactly as it was (not even switched to WAL)."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app
from app.store import Store, StoreStartupError
from app.store.db import SCHEMA_VERSION
from app.store.networks import Networks


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sidecars(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir() if p.name != path.name)


def make_store(path: Path, networks: int = 30) -> None:
    """A real store with enough rows to span many pages, then closed (checkpointed)."""
    from app.nn.network import Network

    store = Store(path)
    nets = Networks(store)
    for i in range(networks):
        net = Network.initialised([8, 16, 4], ["sigmoid", "sigmoid"], "quadratic", "xavier", i)
        nets.create(f"n{i}", net, None)
    store.close()
    with sqlite3.connect(path) as db:  # back to a single file, as a copied store would be
        db.execute("PRAGMA journal_mode = DELETE")
    db.close()


def damage(path: Path) -> None:
    """Scribble over the middle of the file, where the table b-tree pages are."""
    data = bytearray(path.read_bytes())
    page = 4096
    for at in range(3 * page, min(len(data), 8 * page), 7):
        data[at] = (data[at] + 101) % 256
    path.write_bytes(bytes(data))


def test_a_damaged_file_is_refused_and_left_as_it_is(tmp_path):
    path = tmp_path / "damaged.sqlite3"
    make_store(path)
    damage(path)
    before, files = digest(path), sidecars(path)
    with pytest.raises(StoreStartupError) as e:
        Store(path)
    message = str(e.value)
    assert str(path) in message
    assert "damaged" in message or "cannot be read" in message
    assert "backup" in message
    assert digest(path) == before
    assert sidecars(path) == files  # no -wal or -shm appeared


def test_a_damaged_file_stops_the_app_instead_of_answering_500(tmp_path):
    path = tmp_path / "damaged.sqlite3"
    make_store(path)
    damage(path)
    with pytest.raises(StoreStartupError), TestClient(create_app(Settings(db_path=path))):
        pass


def test_a_file_that_is_not_sqlite_is_refused_untouched(tmp_path):
    path = tmp_path / "notes.sqlite3"
    path.write_text("these are my notes, not a database\n" * 100)
    before = digest(path)
    with pytest.raises(StoreStartupError, match="cannot be read as a SQLite database"):
        Store(path)
    assert digest(path) == before


@pytest.mark.parametrize(
    ("version", "words"),
    [
        (SCHEMA_VERSION + 1, "newer than this release"),
        (-1, "this release can read"),
        (0, "this release can read"),
    ],
)
def test_a_schema_version_this_release_cannot_read_is_refused_untouched(tmp_path, version, words):
    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE theirs (x)")  # version 0 with tables: someone else's file
        db.execute("INSERT INTO theirs VALUES (1)")
        db.execute(f"PRAGMA user_version = {version}")
    db.close()
    before, files = digest(path), sidecars(path)
    with pytest.raises(StoreStartupError) as e:
        Store(path)
    assert words in str(e.value)
    assert f"schema version {version}" in str(e.value)
    assert digest(path) == before
    assert sidecars(path) == files
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # not WAL
    db.close()


def test_an_empty_file_is_a_new_store(tmp_path):
    path = tmp_path / "empty.sqlite3"
    path.touch()
    assert Store(path).created


def test_an_explicit_path_in_a_missing_folder_is_an_error_naming_it(tmp_path):
    path = tmp_path / "typo" / "explorer.sqlite3"
    with pytest.raises(StoreStartupError) as e:
        Store(path, create_folder=False)
    assert str(tmp_path / "typo") in str(e.value)
    assert "does not exist" in str(e.value)
    assert not (tmp_path / "typo").exists()


def test_the_default_folder_is_still_created(tmp_path):
    path = tmp_path / "var" / "explorer.sqlite3"
    Store(path).close()
    assert path.is_file()


def test_a_folder_given_as_the_file_is_refused(tmp_path):
    with pytest.raises(StoreStartupError, match="is a folder"):
        Store(tmp_path)


@contextmanager
def read_only_place(tmp_path: Path, make) -> Iterator[Path]:
    """A folder holding what `make(folder)` puts there, then made read-only for this process.
    As root permissions do not bind, so the folder is a small tmpfs remounted read-only
    (skipped where mounting is not allowed); otherwise plain chmod."""
    folder = tmp_path / "ro"
    folder.mkdir()
    if os.geteuid() != 0:
        make(folder)
        for p in [folder, *folder.iterdir()]:
            p.chmod(0o555 if p.is_dir() else 0o444)
        try:
            yield folder
        finally:
            for p in [folder, *folder.iterdir()]:
                p.chmod(0o755)
        return
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(folder)])
    if mounted.returncode != 0:
        pytest.skip("root without permission to mount a read-only tmpfs")
    try:
        make(folder)
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def test_a_read_only_store_gets_a_message_that_says_so(tmp_path):
    with read_only_place(tmp_path, lambda f: make_store(f / "ro.sqlite3", networks=1)) as f:
        before = digest(f / "ro.sqlite3")
        with pytest.raises(StoreStartupError, match="read-only") as e:
            Store(f / "ro.sqlite3")
        assert str(f) in str(e.value)
        assert digest(f / "ro.sqlite3") == before


def test_a_read_only_folder_gets_a_message_that_says_so(tmp_path):
    with read_only_place(tmp_path, lambda f: None) as f:
        with pytest.raises(StoreStartupError, match="read-only"):
            Store(f / "new.sqlite3")
        assert not (f / "new.sqlite3").exists()
