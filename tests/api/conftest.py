"""API fixtures, and this folder on sys.path so that its test modules can import their
shared helpers (`errors_helpers`, `networks_helpers`, `training_helpers`): with
--import-mode=importlib test modules cannot import their neighbours otherwise."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)


@pytest.fixture(scope="module")
def shared_client(tmp_path_factory):
    """One app per test module, for tests that do not need an empty store of their own."""
    s = Settings(db_path=tmp_path_factory.mktemp("api") / "explorer.sqlite3")
    with TestClient(create_app(s)) as c:
        yield c
