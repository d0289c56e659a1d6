"""`python -m app` flags for who may call: --allow-host, the warning for a --host other
than loopback, and an explicit --db whose folder does not exist."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from app.testing import free_port


def start(args: list[str], cwd: Path) -> tuple[subprocess.Popen, Path]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EXPLORER_")}
    log = cwd / "server.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "app", *args], cwd=cwd, env=env, stdout=out, stderr=out
        )
    return proc, log


def wait_until_up(proc: subprocess.Popen, url: str, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"server exited with {proc.returncode}:\n{log.read_text()}")
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    pytest.fail("server did not start")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def test_allow_host_adds_a_name_and_a_public_host_warns(tmp_path):
    port = free_port()
    args = ["--host", "0.0.0.0", "--port", str(port), "--allow-host", "explorer.lan"]
    proc, log = start([*args, "--db", str(tmp_path / "x.sqlite3")], tmp_path)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(proc, f"{base}/api/datasets", log)
        lan = httpx.get(f"{base}/api/datasets", headers={"Host": f"explorer.lan:{port}"})
        assert lan.status_code == 200
        other = httpx.get(f"{base}/api/datasets", headers={"Host": "evil.example"})
        assert other.status_code == 400
        assert other.json()["code"] == "host_not_allowed"
        assert httpx.get(f"{base}/api/datasets").status_code == 200  # 127.0.0.1 always
    finally:
        stop(proc)
    text = log.read_text()
    assert "WARNING" in text and "no authentication" in text
    assert "reverse proxy" in text


def test_loopback_host_does_not_warn(tmp_path):
    port = free_port()
    proc, log = start(["--port", str(port), "--db", str(tmp_path / "x.sqlite3")], tmp_path)
    try:
        wait_until_up(proc, f"http://127.0.0.1:{port}/api/datasets", log)
    finally:
        stop(proc)
    assert "WARNING" not in log.read_text()


def test_explorer_allowed_hosts_adds_names(tmp_path, monkeypatch):
    from app.config import Settings

    monkeypatch.setenv("EXPLORER_ALLOWED_HOSTS", "a.lan, B.lan")
    hosts = Settings.from_env().allowed_hosts
    assert {"localhost", "127.0.0.1", "[::1]", "a.lan", "b.lan"} <= set(hosts)


def test_an_explicit_db_in_a_missing_folder_stops_with_the_path(tmp_path):
    missing = tmp_path / "no-such-folder" / "explorer.sqlite3"
    r = subprocess.run(
        [sys.executable, "-m", "app", "--db", str(missing), "--port", str(free_port())],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode != 0
    assert str(missing.parent) in r.stderr
    assert "does not exist" in r.stderr
    assert "Traceback" not in r.stderr  # one clear line, not a stack
    assert not missing.parent.exists()
