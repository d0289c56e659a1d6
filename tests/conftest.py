"""Shared fixtures: one app per test on a real SQLite file in a temporary folder."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app


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


class LiveServer:
    """The real app under a real uvicorn, in a thread, on a free loopback port."""

    def __init__(self, settings: Settings):
        import socket
        import threading

        import uvicorn

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            create_app(settings), host="127.0.0.1", port=self.port, log_level="warning"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        import time

        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture
def live_server(tmp_path):
    with LiveServer(Settings(db_path=tmp_path / "live.sqlite3")) as server:
        yield server
