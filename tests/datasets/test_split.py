"""Every class dataset holds 20% of each class out of training: disjoint, complete, seeded."""

from __future__ import annotations

import numpy as np
import pytest

from app.datasets import HELD_OUT, dataset_parts, dataset_split, load_dataset, split_indices

CLASS_DATASETS = ("xor", "circles", "spiral", "gaussians", "iris", "digits")


@pytest.mark.parametrize("name", CLASS_DATASETS)
def test_split_is_disjoint_complete_and_a_fifth_of_each_class(name):
    assert HELD_OUT[name] == 0.2
    ds = load_dataset(name)
    s = dataset_split(ds)
    assert np.intersect1d(s.train, s.held_out).size == 0
    assert np.array_equal(np.sort(np.concatenate([s.train, s.held_out])), np.arange(len(ds)))
    for c in np.unique(ds.labels):
        members = np.flatnonzero(ds.labels == c)
        assert np.isin(s.held_out, members).sum() == round(0.2 * members.size)
    (x, _), (hx, hy) = dataset_parts(ds)
    assert np.array_equal(x, ds.x[s.train]) and np.array_equal(hy, ds.y[s.held_out])
    assert x.shape[0] + hx.shape[0] == len(ds)


def test_split_is_seeded_the_same_in_every_call_and_differs_with_the_seed():
    labels = load_dataset("digits").labels
    a, b = split_indices(labels, 0.2), split_indices(labels, 0.2)
    assert np.array_equal(a.held_out, b.held_out)
    other = split_indices(labels, 0.2, seed=1)
    assert not np.array_equal(a.held_out, other.held_out)
    assert other.held_out.size == a.held_out.size


def test_generated_datasets_split_per_data_seed():
    for seed in (0, 3):
        ds = load_dataset("spiral", seed)
        s = dataset_split(ds)
        assert s.held_out.size == 40
        assert np.array_equal(s.held_out, dataset_split(load_dataset("spiral", seed)).held_out)


def test_api_serves_the_parts(client):
    r = client.get("/api/datasets/circles", params={"part": "held_out"})
    assert r.status_code == 200, r.text
    held = r.json()
    s = dataset_split(load_dataset("circles"))
    assert held["index"] == s.held_out.tolist()
    assert held["n_held_out"] == 40
    assert held["x"] == load_dataset("circles").x[s.held_out].tolist()


def test_listing_says_how_many_are_held_out_without_loading(client):
    listed = {d["name"]: d["n_held_out"] for d in client.get("/api/datasets").json()}
    for name in CLASS_DATASETS:
        assert listed[name] == dataset_split(load_dataset(name)).held_out.size
