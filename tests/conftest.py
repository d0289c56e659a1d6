"""Shared fixtures: one app per test on a real SQLite file in a temporary folder."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app
from app.testing import serve


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
