"""Store fixtures: a real SQLite file in a temporary folder, no mocks."""

from __future__ import annotations

import pytest

from app.store import Store
from app.store.networks import Networks


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "store" / "explorer.sqlite3"


@pytest.fixture
def store(db_path) -> Store:
    return Store(db_path)


@pytest.fixture
def networks(store) -> Networks:
    return Networks(store)
