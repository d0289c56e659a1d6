"""A store that fails under the server (a full disk, a file damaged while it runs) answers
503 or 507 in the one error shape, naming the cause; what was saved before stays intact."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app

BIG = {"sizes": [784, 30, 10], "activations": ["sigmoid", "sigmoid"], "cost": "quadratic"}


@pytest.fixture
def small_disk(tmp_path):
    """A real 1.5 MB filesystem (tmpfs), so SQLite meets a real ENOSPC."""
    folder = tmp_path / "disk"
    folder.mkdir()
    r = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1536k", "tmpfs", str(folder)], capture_output=True
    )
    if r.returncode != 0:
        pytest.skip("mounting a small tmpfs needs root (CAP_SYS_ADMIN)")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)


def test_a_full_disk_is_507_and_keeps_every_saved_version(small_disk: Path):
    with TestClient(create_app(Settings(db_path=small_disk / "explorer.sqlite3"))) as c:
        saved, refused = [], None
        for seed in range(40):
            r = c.post(
                "/api/networks",
                json={"name": f"n{seed}", "network": {**BIG, "init": {"seed": seed}}},
            )
            if r.status_code != 201:
                refused = r
                break
            saved.append(r.json())
        assert refused is not None, "the disk never filled"
        assert refused.status_code == 507, refused.text[:300]
        body = refused.json()
        assert body["code"] == "store_full"
        assert body["errors"][0]["field"] == "store"
        assert "full" in body["detail"]
        assert saved, "nothing fitted at all"
        # Every network saved before is there, bit for bit; a replace that cannot fit is
        # refused the same way and leaves the version as it was.
        for s in saved:
            got = c.get(f"/api/networks/{s['id']}").json()
            assert got["network"] == s["network"] and got["version"] == 1
        last = saved[-1]
        r = c.put(
            f"/api/networks/{last['id']}",
            json={"name": "bigger", "network": {**BIG, "init": {"seed": 99}}},
        )
        if r.status_code != 200:  # it may fit in pages freed by the refused insert
            assert r.status_code == 507
            assert c.get(f"/api/networks/{last['id']}").json()["version"] == 1
        names = [n["name"] for n in c.get("/api/networks").json()]
        assert "n0" in names


def damage_pages(path: Path) -> None:
    data = bytearray(path.read_bytes())
    for at in range(2 * 4096, len(data) - 4096, 5):
        data[at] ^= 0x5A
    path.write_bytes(bytes(data))


def test_a_file_damaged_while_serving_is_503_naming_the_cause(tmp_path):
    path = tmp_path / "explorer.sqlite3"
    with TestClient(create_app(Settings(db_path=path))) as c:
        ids = []
        for seed in range(20):
            net = {**BIG, "sizes": [64, 32, 10], "init": {"seed": seed}}
            ids.append(
                c.post("/api/networks", json={"name": f"n{seed}", "network": net}).json()["id"]
            )
        with sqlite3.connect(path) as db:  # move the WAL into the file, then damage the file
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.close()
        damage_pages(path)  # under the running server
        # Another writer's commit makes every connection drop its page cache, as a real
        # change from outside would; this one lands in the WAL, not on the damaged pages.
        c.post("/api/networks/1/train", json={"dataset": "xor", "learning_rate": 1, "steps": 1})
        answers = [c.get(f"/api/networks/{nid}") for nid in ids]
    failed = [r for r in answers if r.status_code != 200]
    assert failed, "no read met the damage"
    for r in failed:
        assert r.status_code == 503, r.text[:300]
        assert r.json()["code"] == "store_unavailable"
        assert "damaged" in r.json()["detail"]


def test_a_damaged_file_met_by_a_lazy_open_is_503_not_500(tmp_path):
    path = tmp_path / "explorer.sqlite3"
    with TestClient(create_app(Settings(db_path=path))) as c:
        for seed in range(20):
            net = {**BIG, "sizes": [64, 32, 10], "init": {"seed": seed}}
            assert (
                c.post("/api/networks", json={"name": f"n{seed}", "network": net}).status_code
                == 201
            )
    damage_pages(path)
    client = TestClient(create_app(Settings(db_path=path)))  # no lifespan: opens at a request
    r = client.get("/api/networks")
    assert r.status_code == 503, r.text[:300]
    assert r.json()["code"] == "store_unavailable"
    assert "damaged" in r.json()["detail"] and "backup" in r.json()["detail"]
    assert client.get("/api/datasets").status_code == 200  # what needs no store still works
