"""The real app served for tests and benches: uvicorn in a thread on a free loopback port,
and the flags Debian's Chromium needs on this kind of machine. Nothing here is a mock.

Kept in the package (as Starlette keeps its TestClient) so the tests and the `bench/`
scripts share one copy; nothing in the app imports it.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn

from app.config import Settings
from app.main import create_app
from app.server import server_config

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


# Mazur's worked example, the tests' and the benches' one 2-2-2 network: Nielsen-style
# sigmoid layers, quadratic cost, its sample and its published cost (a hand-checkable
# forward pass; backprop's gradients are published to 9 digits).
MAZUR = {
    "sizes": [2, 2, 2],
    "activations": ["sigmoid", "sigmoid"],
    "cost": "quadratic",
    "weights": [[[0.15, 0.20], [0.25, 0.30]], [[0.40, 0.45], [0.50, 0.55]]],
    "biases": [[0.35, 0.35], [0.60, 0.60]],
}
MAZUR_X, MAZUR_Y = [0.05, 0.10], [0.01, 0.99]
MAZUR_COST = 0.298371108760003


def free_port() -> int:
    """A loopback port free at the time of asking (for servers started in another process)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(settings: Settings, start_timeout: float = 20.0) -> Iterator[str]:
    """Serve the app on a socket bound here (no race for the port); yields its base URL."""
    # proto IPPROTO_TCP: asyncio sets TCP_NODELAY only on such sockets; with proto 0 every
    # answer waits ~40 ms for a delayed ACK (Nagle), which is the harness, not the app.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(server_config(create_app(settings), settings, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + start_timeout
    try:
        while not server.started:
            if not thread.is_alive():
                raise RuntimeError("the server stopped while starting")
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not start")
            time.sleep(0.01)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=20)
        sock.close()


@contextmanager
def serve_process(
    args: list[str], log_path, env: dict | None = None, start_timeout: float = 60.0, cwd=None
) -> Iterator[str]:
    """`python -m app ARGS` as a real process (several workers, say) on a free loopback
    port, run in `cwd` without the caller's EXPLORER_* variables but `env`; yields its base
    URL once it answers, stops it with SIGINT afterwards. Its output goes to `log_path`."""
    import os
    import signal
    import subprocess
    import sys

    import httpx

    port = free_port()
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("EXPLORER_")}
    full_env.update(env or {})
    with open(log_path, "w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "app", *args, "--port", str(port)],
            env=full_env,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=cwd,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + start_timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"server exited with {proc.returncode}:\n{_tail(log_path)}")
            try:
                if httpx.get(f"{base}/api/datasets", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"no answer in {start_timeout} s:\n{_tail(log_path)}")
            time.sleep(0.1)
        yield base
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)


def _tail(log_path, lines: int = 40) -> str:
    with open(log_path) as f:
        return "".join(f.readlines()[-lines:])
