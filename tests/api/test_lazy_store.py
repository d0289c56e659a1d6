"""FastAPI's documented testing pattern, `client = TestClient(app)` without `with`: no
lifespan runs, so the store opens at the first request that needs it."""

from __future__ import annotations

from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app


def test_every_endpoint_works_without_the_lifespan(tmp_path, small_net):
    client = TestClient(create_app(Settings(db_path=tmp_path / "lazy.sqlite3")))
    assert not (tmp_path / "lazy.sqlite3").exists()  # nothing opened until asked
    demos = client.get("/api/networks").json()
    assert [d["name"] for d in demos][:1] == ["XOR demo 2-3-2"]  # created and seeded
    made = client.post("/api/networks", json={"name": "lazy", "network": small_net})
    assert made.status_code == 201
    nid = made.json()["id"]
    assert client.get(f"/api/networks/{nid}").json()["name"] == "lazy"
    r = client.put(f"/api/networks/{nid}", json={"name": "lazier", "network": small_net})
    assert r.json()["version"] == 2
    assert len(client.get(f"/api/networks/{nid}/versions").json()) == 2
    body = {"x": [0.05, 0.1], "y": [0.01, 0.99]}
    assert client.post(f"/api/networks/{nid}/backprop", json=body).status_code == 200
    assert client.post("/api/backprop", json={**body, "network": small_net}).status_code == 200
    train = {"dataset": "xor", "learning_rate": 1, "steps": 3}
    assert client.post(f"/api/networks/{demos[0]['id']}/train", json=train).status_code == 200
    assert client.get("/api/datasets/iris?limit=1").status_code == 200
    assert client.get("/").status_code == 200
    assert client.delete(f"/api/networks/{nid}").status_code == 204


def test_the_module_level_app_works_as_the_fastapi_docs_show(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # app.main:app stores under ./var by default
    from app.main import app

    client = TestClient(app)
    r = client.get("/api/datasets")
    assert r.status_code == 200
    assert client.get("/api/networks").status_code == 200
