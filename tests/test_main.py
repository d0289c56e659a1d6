"""`python -m app` as a real process: its help, where it binds, and a restart on the same file."""

from __future__ import annotations

import math
import os
import sqlite3
import struct
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import numpy as np
import pytest

from app.store.db import SCHEMA_VERSION
from app.testing import free_port, serve_process


def run_app(args: list[str], cwd: Path, env: dict | None = None, **kw):
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("EXPLORER_")}
    full_env.update(env or {})
    return subprocess.Popen(
        [sys.executable, "-m", "app", *args], cwd=cwd, env=full_env, text=True, **kw
    )


@contextmanager
def serving(tmp_path: Path, args: list[str], env: dict | None = None) -> Iterator[tuple]:
    """`python -m app ARGS` in tmp_path, answering; stopped with SIGINT afterwards."""
    log = tmp_path / f"server-{len(list(tmp_path.glob('server-*.log')))}.log"
    with serve_process(args, log, env, start_timeout=30, cwd=tmp_path) as base:
        yield base, int(base.rsplit(":", 1)[1]), log


def test_help_names_host_port_and_db(tmp_path):
    r = subprocess.run(
        [sys.executable, "-m", "app", "--help"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 0, r.stderr
    for option in ("--host", "--port", "--db"):
        assert option in r.stdout
    assert "127.0.0.1" in r.stdout
    assert "EXPLORER_DB" in r.stdout
    assert not (tmp_path / "var").exists()  # --help opens no store


def listening_addresses(port: int) -> list[str]:
    """Local addresses of the TCP sockets listening on `port`, from /proc/net/tcp{,6}."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not os.path.exists(table):
            continue
        with open(table) as f:
            next(f)
            for line in f:
                local, state = line.split()[1], line.split()[3]
                addr, hex_port = local.split(":")
                if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                    found.append(addr)
    return found


def test_binds_127_0_0_1_by_default_and_uses_explorer_db(tmp_path):
    if not os.path.exists("/proc/net/tcp"):
        pytest.skip("needs Linux /proc/net/tcp to see the bound address")
    db = tmp_path / "from-env" / "store.sqlite3"
    with serving(tmp_path, [], env={"EXPLORER_DB": str(db)}) as (base, port, log):
        # 0100007F is 127.0.0.1 as the kernel writes it; 00000000 would be 0.0.0.0.
        assert listening_addresses(port) == ["0100007F"]
        assert httpx.get(f"{base}/api/networks").json()[0]["dataset"] == "xor"
    assert db.is_file()
    assert not (tmp_path / "var").exists()
    assert f"http://127.0.0.1:{port}/" in log.read_text()
    assert str(db) in log.read_text()


def test_newer_schema_version_stops_the_process_with_a_clear_error(tmp_path):
    db = tmp_path / "newer.sqlite3"
    with sqlite3.connect(db) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    proc = run_app(
        ["--db", str(db), "--port", str(free_port())],
        tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        out, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode != 0
    assert f"schema version {SCHEMA_VERSION + 1}" in out
    assert "newer than this release" in out


# --- restart: write through one process, read back through another -----------------------------

AWKWARD = {
    "sizes": [2, 3, 2],
    "activations": ["tanh", "linear"],
    "cost": "quadratic",
    "weights": [
        [[0.1 + 0.2, 5e-324], [1.7976931348623157e308, -0.0], [math.pi, -5e-324]],
        [[1 / 3, -0.0, 2.2250738585072014e-308], [1e-300, -1e300, 0.0]],
    ],
    "biases": [[-0.0, 0.1, 1e308], [5e-324, -math.e]],
}


def bits(value) -> list[int]:
    flat = np.asarray(value, dtype=np.float64).ravel()
    return [struct.unpack("<Q", struct.pack("<d", float(v)))[0] for v in flat]


def network_bits(net: dict) -> tuple:
    return (
        net["sizes"],
        net["activations"],
        net["cost"],
        [bits(w) for w in net["weights"]],
        [bits(b) for b in net["biases"]],
    )


def snapshot(base: str) -> dict:
    """Everything the store holds, as seen over HTTP: every network, every version."""
    with httpx.Client(base_url=base, timeout=30) as h:
        listed = h.get("/api/networks").json()
        out = {"list": listed, "networks": {}}
        for n in listed:
            history = h.get(f"/api/networks/{n['id']}/versions").json()
            versions = {}
            for v in history:
                r = h.get(f"/api/networks/{n['id']}", params={"version": v["version"]})
                body = r.json()
                versions[v["version"]] = {
                    "etag": r.headers["ETag"],
                    "meta": {k: body[k] for k in ("name", "dataset", "version", "created_at")},
                    "bits": network_bits(body["network"]),
                }
            out["networks"][n["id"]] = {"history": history, "versions": versions}
        return out


def test_restart_reads_back_every_network_and_version_bit_for_bit(tmp_path):
    db = tmp_path / "restart.sqlite3"
    with serving(tmp_path, ["--db", str(db)]) as (base, _, _):
        with httpx.Client(base_url=base, timeout=30) as h:
            demos = h.get("/api/networks").json()
            assert demos
            made = h.post("/api/networks", json={"name": "awkward", "network": AWKWARD})
            assert made.status_code == 201
            nid = made.json()["id"]
            assert network_bits(made.json()["network"]) == network_bits(AWKWARD)
            net2 = {**AWKWARD, "biases": [[1.0, 2.0, 3.0], [0.1 + 0.2, -0.0]]}
            r = h.put(
                f"/api/networks/{nid}",
                json={"name": "awkward 2", "network": net2},
                headers={"If-Match": '"1"'},
            )
            assert r.status_code == 200
            xor = demos[0]["id"]
            r = h.post(
                f"/api/networks/{xor}/train",
                json={"dataset": "xor", "learning_rate": 0.7, "epochs": 3, "seed": 5},
            )
            assert r.status_code == 200
            trained = r.json()["network"]
            exported = h.get(f"/api/networks/{nid}/export").content
            imported = h.post(
                "/api/networks/import",
                content=exported,
                headers={"Content-Type": "application/json"},
            ).json()["id"]
            gone = h.post("/api/networks", json={"name": "gone", "network": AWKWARD}).json()["id"]
            assert h.delete(f"/api/networks/{gone}").status_code == 204
        before = snapshot(base)
    assert before["networks"][nid]["versions"][1]["bits"] == network_bits(AWKWARD)
    assert before["networks"][nid]["versions"][2]["bits"] == network_bits(net2)
    assert before["networks"][xor]["versions"][2]["bits"] == network_bits(trained)

    # A new process on the same file.
    with serving(tmp_path, ["--db", str(db)]) as (base, _, _):
        after = snapshot(base)
        with httpx.Client(base_url=base, timeout=30) as h:
            assert h.get(f"/api/networks/{gone}").status_code == 404
            again = h.get(f"/api/networks/{imported}").json()["network"]
    assert after == before
    assert [n["id"] for n in after["list"]] == [n["id"] for n in demos] + [nid, imported]
    assert len(after["list"]) == len(demos) + 2  # no second set of demos
    assert after["networks"][nid]["versions"][1]["bits"] == network_bits(AWKWARD)
    assert after["networks"][nid]["versions"][2]["etag"] == '"2"'
    assert after["networks"][xor]["versions"][2]["bits"] == network_bits(trained)
    assert network_bits(again) == network_bits(net2)


@pytest.mark.parametrize(("given", "expected"), [(None, "1"), ("2", "2")])
def test_python_m_app_runs_numpy_on_one_blas_thread_unless_told(given, expected):
    """OpenBLAS's extra threads spin on the other cores for a request's small products
    (bench/play_cpu.py): the server process sets one before NumPy loads."""
    env = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}
    env.pop("EXPLORER_BLAS_THREADS", None)
    if given:
        env["EXPLORER_BLAS_THREADS"] = given
    # OpenBLAS starts its threads as NumPy loads: the process then has that many in all.
    code = (
        "import app.__main__, os, numpy; "
        "threads = [l.split()[1] for l in open('/proc/self/status') if l.startswith('Threads')]; "
        "print(os.environ['OPENBLAS_NUM_THREADS'], os.environ['OMP_NUM_THREADS'], *threads)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == [expected, expected, expected]
