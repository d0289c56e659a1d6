"""Live-server fixtures: the real app under the real uvicorn configuration (app.server),
talked to over real sockets, so limits and timeouts are those a client meets."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from app.config import Settings
from app.testing import serve

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:  # test modules import socket_helpers (see tests/api/conftest.py)
    sys.path.insert(0, _HERE)


@pytest.fixture(scope="module")
def strict_server(tmp_path_factory):
    """Short timeouts so slow-client tests take a second or two, not the defaults."""
    path = tmp_path_factory.mktemp("live") / "live.sqlite3"
    settings = Settings(db_path=path, header_timeout=1, body_timeout=1)
    with serve(settings) as url:
        yield url
