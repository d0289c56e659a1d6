"""Shared fixtures: one app per test on a real SQLite file in a temporary folder."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app
from app.testing import serve
from app.testing_postgres import postgres_server


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(db_path=tmp_path / "explorer.sqlite3")


@pytest.fixture
def client(settings):
    with TestClient(create_app(settings)) as c:
        yield c


# Nielsen-style 2-2-2 sigmoid network with a hand-checkable forward pass.
SMALL_NET = {
    "sizes": [2, 2, 2],
    "activations": ["sigmoid", "sigmoid"],
    "cost": "quadratic",
    "weights": [[[0.15, 0.20], [0.25, 0.30]], [[0.40, 0.45], [0.50, 0.55]]],
    "biases": [[0.35, 0.35], [0.60, 0.60]],
}


@pytest.fixture
def small_net() -> dict:
    return {k: v for k, v in SMALL_NET.items()}


@pytest.fixture
def live_server(tmp_path):
    """The real app under uvicorn on a loopback port; yields its base URL."""
    with serve(Settings(db_path=tmp_path / "live.sqlite3")) as url:
        yield url


@pytest.fixture(scope="session")
def postgres():
    """One throwaway PostgreSQL server for the whole run, started by the first test that
    asks for it (initdb in a temporary folder, a loopback port) and torn down at the end."""
    with postgres_server() as server:
        yield server


@pytest.fixture
def postgres_url(postgres):
    """A fresh, empty database on that server for one test, dropped afterwards."""
    url = postgres.create_database()
    yield url
    postgres.drop_database(url)
