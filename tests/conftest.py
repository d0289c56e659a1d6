"""Shared fixtures: one app per test on a real SQLite file in a temporary folder; the
Hypothesis profile; this folder on sys.path for the shared `mazur` module."""

from __future__ import annotations

import os
import random
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import core as hypothesis_core
from hypothesis import settings as hypothesis_settings

from app.config import Settings
from app.main import create_app
from app.testing import serve
from app.testing_postgres import postgres_server

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

from mazur import mazur  # noqa: E402

# CI runs Hypothesis derandomised (the same examples every run, so a red build is the code,
# not the draw); elsewhere every run draws anew from a seed printed in the header.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
hypothesis_settings.register_profile("dev", print_blob=True)
IN_CI = os.environ.get("CI") == "true"
hypothesis_settings.load_profile("ci" if IN_CI else "dev")


def pytest_configure(config):
    if IN_CI:
        return
    seed = config.getoption("--hypothesis-seed", None)
    if seed is None:  # not chosen on the command line: choose one, and say which
        seed = random.randrange(2**32)
        hypothesis_core.global_force_seed = seed
    config.stash[HYPOTHESIS_SEED] = seed


HYPOTHESIS_SEED = pytest.StashKey[object]()


def _hypothesis_line(config) -> str:
    if IN_CI:
        return "hypothesis: derandomised (CI=true)"
    seed = config.stash[HYPOTHESIS_SEED]
    return f"hypothesis seed: {seed} (run again with --hypothesis-seed={seed})"


def pytest_report_header(config):
    return _hypothesis_line(config)


def pytest_terminal_summary(terminalreporter, config):
    # The header is hidden under -q (our default), the summary is not.
    terminalreporter.write_line(_hypothesis_line(config))


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(db_path=tmp_path / "explorer.sqlite3")


@pytest.fixture
def client(settings):
    with TestClient(create_app(settings)) as c:
        yield c


@pytest.fixture
def small_net() -> dict:
    """Mazur's 2-2-2 network (tests/mazur.py), a fresh copy per test."""
    return mazur()


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
