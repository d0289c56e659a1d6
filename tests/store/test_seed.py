"""Demo networks: a first start holds them, later starts on the same file add nothing."""

from __future__ import annotations

from fastapi.testclient import TestClient

from app.config import Settings
from app.datasets import DATASETS
from app.main import create_app
from app.store.seed import DEMOS


def names(client) -> list[str]:
    return [n["name"] for n in client.get("/api/networks").json()]


def test_first_start_holds_the_demos_with_xor_first(client):
    listed = client.get("/api/networks").json()
    assert len(listed) == len(DEMOS) >= 1
    first = listed[0]
    assert "xor" in first["name"].lower()
    assert first["dataset"] == "xor"
    assert first["version"] == 1
    assert first["sizes"][0] == DATASETS["xor"].n_features
    assert first["sizes"][-1] == DATASETS["xor"].n_classes
    # Every demo fits the dataset it names, so it can be trained straight away.
    for demo in listed:
        info = DATASETS[demo["dataset"]]
        assert (demo["sizes"][0], demo["sizes"][-1]) == (info.n_features, info.n_classes)
        full = client.get(f"/api/networks/{demo['id']}").json()
        assert len(full["network"]["weights"]) == len(demo["sizes"]) - 1


def test_second_start_on_the_same_file_does_not_add_them_again(settings):
    with TestClient(create_app(settings)) as c:
        first = c.get("/api/networks").json()
        c.post(
            "/api/networks",
            json={
                "name": "mine",
                "network": {
                    "sizes": [2, 2],
                    "activations": ["sigmoid"],
                    "cost": "quadratic",
                    "init": {"seed": 3},
                },
            },
        )
    for _ in range(2):
        with TestClient(create_app(settings)) as c:
            again = c.get("/api/networks").json()
        assert [n["name"] for n in again] == [n["name"] for n in first] + ["mine"]
        assert [n["id"] for n in again[:-1]] == [n["id"] for n in first]


def test_demos_deleted_by_the_user_stay_deleted(settings):
    with TestClient(create_app(settings)) as c:
        for n in c.get("/api/networks").json():
            assert c.delete(f"/api/networks/{n['id']}").status_code == 204
        assert names(c) == []
    with TestClient(create_app(Settings(db_path=settings.db_path))) as c:
        assert names(c) == []


def test_demo_weights_are_the_same_on_every_fresh_store(tmp_path):
    got = []
    for i in range(2):
        with TestClient(create_app(Settings(db_path=tmp_path / f"s{i}.sqlite3"))) as c:
            xor = c.get("/api/networks").json()[0]
            got.append(c.get(f"/api/networks/{xor['id']}").json()["network"])
    assert got[0] == got[1]
    assert any(w != 0 for row in got[0]["weights"][0] for w in row)
