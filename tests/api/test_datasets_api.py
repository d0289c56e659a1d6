"""GET /api/datasets and GET /api/datasets/{name}: sizes, samples, one-hot targets, paging."""

from __future__ import annotations

import numpy as np
import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.datasets import load_dataset
from app.main import create_app

EXPECTED = {
    # name: (n_samples, n_features, n_classes)
    "xor": (200, 2, 2),
    "circles": (200, 2, 2),
    "spiral": (200, 2, 2),
    "gaussians": (200, 2, 2),
    "iris": (150, 4, 3),
    "digits": (1797, 64, 10),
    "mnist": (10_000, 784, 10),
}


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    """Reads only: one app for the whole module."""
    s = Settings(db_path=tmp_path_factory.mktemp("datasets") / "explorer.sqlite3")
    with TestClient(create_app(s)) as c:
        yield c


def test_list_gives_every_dataset_with_its_sizes_description_and_source(api):
    r = api.get("/api/datasets")
    assert r.status_code == 200
    listed = r.json()
    assert [d["name"] for d in listed] == list(EXPECTED)
    for d in listed:
        assert (d["n_samples"], d["n_features"], d["n_classes"]) == EXPECTED[d["name"]]
        assert isinstance(d["description"], str)
        assert len(d["description"]) > 20
        assert isinstance(d["source"], str)
        assert d["source"].strip()
        assert d["kind"] == ("real" if d["name"] in ("iris", "digits", "mnist") else "generated")
    by_name = {d["name"]: d for d in listed}
    assert "Fisher" in by_name["iris"]["source"]
    assert "UCI" in by_name["digits"]["source"]
    assert "MNIST" in by_name["mnist"]["source"] and "CC BY-SA 3.0" in by_name["mnist"]["source"]


@pytest.mark.parametrize("name", [n for n in EXPECTED if EXPECTED[n][0] <= 2000])
def test_whole_dataset_matches_the_loader_exactly(api, name):
    r = api.get(f"/api/datasets/{name}")
    assert r.status_code == 200
    body = r.json()
    n, features, classes = EXPECTED[name]
    ds = load_dataset(name)
    x, y, labels = np.array(body["x"]), np.array(body["y"]), np.array(body["labels"])
    assert body["offset"] == 0
    assert x.shape == (n, features)
    assert y.shape == (n, classes)
    assert labels.shape == (n,)
    assert x.tobytes() == ds.x.tobytes()
    # y is one-hot and agrees with the labels.
    assert set(np.unique(y)) <= {0.0, 1.0}
    assert np.all(y.sum(axis=1) == 1)
    assert np.array_equal(y.argmax(axis=1), labels)
    assert np.array_equal(labels, ds.labels)
    assert len(body["class_names"]) == classes
    # Every class is present.
    assert set(labels.tolist()) == set(range(classes))


def test_offset_and_limit_page_through_the_samples(api):
    ds = load_dataset("digits")
    r = api.get("/api/datasets/digits", params={"offset": 100, "limit": 7})
    assert r.status_code == 200
    page = r.json()
    assert page["offset"] == 100
    assert page["n_samples"] == 1797
    assert np.array(page["x"]).tobytes() == ds.x[100:107].tobytes()
    assert page["labels"] == ds.labels[100:107].tolist()
    assert len(page["y"]) == 7
    # Pages of 500 put back together are the whole set.
    xs, labels = [], []
    for offset in range(0, 1797, 500):
        p = api.get("/api/datasets/digits", params={"offset": offset, "limit": 500}).json()
        xs += p["x"]
        labels += p["labels"]
    assert np.array(xs).tobytes() == ds.x.tobytes()
    assert labels == ds.labels.tolist()


def test_last_page_is_short_and_past_the_end_is_empty(api):
    tail = api.get("/api/datasets/iris", params={"offset": 145, "limit": 10}).json()
    assert len(tail["x"]) == len(tail["y"]) == len(tail["labels"]) == 5
    assert tail["labels"] == [2] * 5
    past = api.get("/api/datasets/iris", params={"offset": 150})
    assert past.status_code == 200
    assert past.json()["x"] == []
    assert past.json()["labels"] == []


def test_generated_datasets_follow_the_seed(api):
    a = api.get("/api/datasets/xor", params={"seed": 1}).json()
    b = api.get("/api/datasets/xor", params={"seed": 1}).json()
    c = api.get("/api/datasets/xor", params={"seed": 2}).json()
    assert a["x"] == b["x"]
    assert a["x"] != c["x"]
    assert np.array(a["x"]).tobytes() == load_dataset("xor", 1).x.tobytes()
    # xor's rule holds on the served samples: class 1 where x1*x2 > 0.
    x = np.array(a["x"])
    assert np.array_equal(np.array(a["labels"]), (x[:, 0] * x[:, 1] > 0).astype(int))


def test_unknown_dataset_is_404(api):
    r = api.get("/api/datasets/cifar10")
    assert r.status_code == 404
    assert "cifar10" in r.json()["detail"]
    assert "iris" in r.json()["detail"]  # it says which ones exist


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"offset": -1}, "offset"),
        ({"offset": "abc"}, "offset"),
        ({"offset": 1.5}, "offset"),
        ({"limit": 0}, "limit"),
        ({"limit": -3}, "limit"),
        ({"limit": 2001}, "limit"),
        ({"limit": "many"}, "limit"),
        ({"seed": -1}, "seed"),
    ],
)
def test_bad_offset_or_limit_is_422_naming_it(api, params, field):
    r = api.get("/api/datasets/iris", params=params)
    assert r.status_code == 422, r.text
    names = [e["field"] for e in r.json()["errors"]]
    assert names == [f"query.{field}"]
    assert field in r.json()["detail"]


def test_limit_at_the_cap_is_accepted(api):
    r = api.get("/api/datasets/digits", params={"limit": 2000})
    assert r.status_code == 200
    assert len(r.json()["x"]) == 1797


def test_mnist_parts_page_through_the_fixed_split(api):
    listed = {d["name"]: d for d in api.get("/api/datasets").json()}
    assert listed["mnist"]["n_held_out"] == 2000
    # Every class dataset holds a fifth of each class out (issue 9), MNIST included.
    assert all(
        abs(d["n_held_out"] - d["n_samples"] / 5) <= d["n_classes"] for d in listed.values()
    ), {name: (d["n_held_out"], d["n_samples"]) for name, d in listed.items()}
    ds = load_dataset("mnist")
    held = api.get("/api/datasets/mnist", params={"part": "held_out", "offset": 10, "limit": 3})
    body = held.json()
    assert body["part"] == "held_out" and body["offset"] == 10 and len(body["index"]) == 3
    rows = body["index"]
    np.testing.assert_array_equal(np.array(body["x"]), ds.x[rows])
    assert body["labels"] == ds.labels[rows].tolist()
    train = api.get("/api/datasets/mnist", params={"part": "train", "limit": 2000}).json()
    assert not set(train["index"]) & set(
        api.get("/api/datasets/mnist", params={"part": "held_out", "limit": 2000}).json()["index"]
    )
    whole = api.get("/api/datasets/mnist", params={"offset": 9998}).json()
    assert whole["index"] == [9998, 9999] and whole["part"] == "all"


def test_unknown_part_is_422(api):
    r = api.get("/api/datasets/mnist", params={"part": "test"})
    assert r.status_code == 422 and "part" in r.json()["detail"]
