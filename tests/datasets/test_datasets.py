"""Tests for app.datasets: shapes, class rules, shipped data checksums, caching, slicing."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from importlib.resources import files

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.datasets import (
    DATASETS,
    Dataset,
    UnknownDatasetError,
    generated,
    list_datasets,
    load_dataset,
    real,
    registry,
    slice_dataset,
)
from app.datasets.core import make_dataset

ALL = ("xor", "circles", "spiral", "gaussians", "iris", "digits", "mnist")
GENERATED = ALL[:4]
DIGIT_COUNTS = [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]


def fresh(name: str, seed: int = 0) -> Dataset:
    """Load bypassing the cache, so reproducibility tests really regenerate the data."""
    registry._load.cache_clear()
    return load_dataset(name, seed)


# --- registry ---------------------------------------------------------------------------------


def test_list_order_and_registry_agree():
    assert [info.name for info in list_datasets()] == list(ALL)
    assert tuple(DATASETS) == ALL
    assert all(DATASETS[info.name] is info for info in list_datasets())
    kinds = {info.name: info.kind for info in list_datasets()}
    real_ones = dict.fromkeys(("iris", "digits", "mnist"), "real")
    assert kinds == {**dict.fromkeys(GENERATED, "generated"), **real_ones}


def test_registry_is_read_only():
    with pytest.raises(TypeError):
        DATASETS["extra"] = DATASETS["xor"]  # type: ignore[index]


@pytest.mark.parametrize("name", ALL)
def test_info_is_documented(name):
    info = DATASETS[name]
    assert info.description and "\n" not in info.description
    assert info.source
    lo, hi = info.x_range
    assert lo < hi


# --- every dataset ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ALL)
def test_shapes_targets_and_range(name):
    ds = load_dataset(name)
    info = ds.info
    assert info is DATASETS[name] and ds.name == name and len(ds) == info.n_samples
    assert ds.x.shape == (info.n_samples, info.n_features) and ds.x.dtype == np.float64
    assert ds.y.shape == (info.n_samples, info.n_classes) and ds.y.dtype == np.float64
    assert ds.labels.shape == (info.n_samples,) and ds.labels.dtype.kind == "i"
    assert len(ds.feature_names) == info.n_features
    assert len(ds.class_names) == info.n_classes
    # One-hot: entries are 0 or 1, one 1 per row, at the label's column.
    assert set(np.unique(ds.y)) == {0.0, 1.0}
    np.testing.assert_array_equal(ds.y.sum(axis=1), 1.0)
    np.testing.assert_array_equal(ds.y.argmax(axis=1), ds.labels)
    assert set(ds.labels.tolist()) == set(range(info.n_classes))
    assert np.isfinite(ds.x).all()
    lo, hi = info.x_range
    assert ds.x.min() >= lo and ds.x.max() <= hi


@pytest.mark.parametrize("name", ALL)
def test_arrays_are_read_only(name):
    ds = load_dataset(name)
    for arr in (ds.x, ds.y, ds.labels):
        assert not arr.flags.writeable
        with pytest.raises(ValueError, match="read-only"):
            arr[0] = 0
    for part in slice_dataset(ds, 0, 5):
        with pytest.raises(ValueError, match="read-only"):
            part[0, 0] = 1.0
    with pytest.raises(dataclasses.FrozenInstanceError):
        ds.x = np.zeros_like(ds.x)  # type: ignore[misc]
    # The cached copy is untouched by the attempts above.
    assert load_dataset(name) is ds and not np.isnan(ds.x).any()


def test_real_datasets_are_cached_whatever_the_seed():
    assert load_dataset("iris") is load_dataset("iris", seed=7)
    assert load_dataset("digits").seed is None
    assert real.digits_raw() is real.digits_raw()


# --- generated ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", GENERATED)
def test_generated_reproducible_and_seed_dependent(name):
    a, b = fresh(name, 3), fresh(name, 3)
    assert a is not b and a.seed == 3
    np.testing.assert_array_equal(a.x, b.x)
    np.testing.assert_array_equal(a.labels, b.labels)
    c = load_dataset(name, 4)
    assert not np.array_equal(a.x, c.x)


@pytest.mark.parametrize("name", GENERATED)
@pytest.mark.parametrize("seed", [0, 1, 12345])
def test_generated_balanced_and_shuffled(name, seed):
    labels = load_dataset(name, seed).labels
    assert np.bincount(labels).tolist() == [100, 100]
    # Shuffled: the first 20 rows are not all one class.
    assert len(set(labels[:20].tolist())) == 2


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_xor_rule(seed):
    ds = load_dataset("xor", seed)
    prod = ds.x[:, 0] * ds.x[:, 1]
    np.testing.assert_array_equal(ds.labels, (prod > 0).astype(int))
    assert np.abs(ds.x).min() >= generated.XOR_MARGIN


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_circles_rule(seed):
    ds = load_dataset("circles", seed)
    r = np.hypot(ds.x[:, 0], ds.x[:, 1])
    inner, outer = r[ds.labels == 0], r[ds.labels == 1]
    assert inner.max() <= 0.5 < 0.7 <= outer.min()
    assert outer.max() <= 1.0


def test_spiral_noise_free_points_lie_on_their_arm():
    x, labels = generated.spiral(np.random.default_rng(0), noise=0.0)
    r = np.hypot(x[:, 0], x[:, 1])
    np.testing.assert_allclose(x, generated.spiral_points(r, labels), atol=1e-12)
    # The two arms are genuinely different curves: swapping the labels breaks the fit.
    assert np.abs(x - generated.spiral_points(r, 1 - labels)).max() > 0.05


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_spiral_points_are_nearest_their_own_arm(seed):
    ds = load_dataset("spiral", seed)
    radii = np.linspace(*generated.SPIRAL_RADIUS, 4000)
    dist = [
        np.linalg.norm(ds.x[:, None, :] - generated.spiral_points(radii, arm)[None], axis=2).min(1)
        for arm in (0, 1)
    ]
    nearest = np.argmin(np.stack(dist, axis=1), axis=1)
    assert (nearest == ds.labels).mean() >= 0.97


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_gaussians_rule(seed):
    ds = load_dataset("gaussians", seed)
    c = generated.GAUSS_CENTER
    for label, center in ((0, -c), (1, c)):
        np.testing.assert_allclose(ds.x[ds.labels == label].mean(axis=0), center, atol=0.06)
    # The blobs sit either side of the line x1 + x2 = 0.
    assert ((ds.x.sum(axis=1) > 0) == (ds.labels == 1)).mean() >= 0.97


# --- real ---------------------------------------------------------------------------------------


def test_iris_contents():
    ds = load_dataset("iris")
    assert ds.x.shape == (150, 4)
    assert np.bincount(ds.labels).tolist() == [50, 50, 50]
    assert ds.class_names == ("setosa", "versicolor", "virginica")
    np.testing.assert_array_equal(ds.x.min(axis=0), 0.0)
    np.testing.assert_array_equal(ds.x.max(axis=0), 1.0)
    raw, labels = real.iris_raw()
    np.testing.assert_array_equal(labels, ds.labels)
    np.testing.assert_allclose(raw.sum(axis=0), [876.5, 458.6, 563.7, 179.9], atol=1e-9)
    np.testing.assert_array_equal(raw[0], [5.1, 3.5, 1.4, 0.2])
    # Fisher's values for samples 35 and 38, where the UCI file has typos.
    np.testing.assert_array_equal(raw[34], [4.9, 3.1, 1.5, 0.2])
    np.testing.assert_array_equal(raw[37], [4.9, 3.6, 1.4, 0.1])
    # Scaling is the documented min-max map of the raw file.
    lo, hi = raw.min(axis=0), raw.max(axis=0)
    np.testing.assert_allclose(ds.x * (hi - lo) + lo, raw, atol=1e-12)


def test_digits_contents():
    ds = load_dataset("digits")
    assert ds.x.shape == (1797, 64) and ds.y.shape == (1797, 10)
    assert np.bincount(ds.labels, minlength=10).tolist() == DIGIT_COUNTS
    pixels = ds.x * 16
    np.testing.assert_array_equal(pixels, np.rint(pixels))  # /16 is exact
    raw, _ = real.digits_raw()
    np.testing.assert_array_equal(pixels, raw)
    assert raw.min() == 0 and raw.max() == 16
    assert int(raw[0].sum()) == 294 and int(raw.sum()) == 561718
    assert (int(ds.labels[0]), int(ds.labels[-1])) == (0, 8)
    # Row-major 8x8: the first image is a zero, a dark hole inside a bright ring.
    img = raw[0].reshape(8, 8)
    assert img[3:5, 3:5].sum() == 0 and img[3:5, 2].min() >= 8 and img[3:5, 5].min() >= 8


@pytest.mark.parametrize("fname", [real.IRIS_FILE, real.DIGITS_FILE, "README.md"])
def test_data_files_shipped_and_small(fname):
    path = files("app.datasets") / "data" / fname
    assert path.is_file()
    assert len(path.read_bytes()) < 100_000


def test_package_never_imports_sklearn():
    code = (
        "import sys\n"
        "from app.datasets import list_datasets, load_dataset\n"
        "for info in list_datasets():\n"
        "    load_dataset(info.name)\n"
        "bad = [m for m in sys.modules if m.split('.')[0] == 'sklearn'"
        " or m in ('app.datasets.extract_real', 'app.datasets.extract_mnist')]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


# --- errors and slicing -------------------------------------------------------------------------


def test_unknown_dataset_lists_known_names():
    with pytest.raises(UnknownDatasetError) as exc:
        load_dataset("cifar10")
    err = exc.value
    assert isinstance(err, KeyError) and err.name == "cifar10"
    message = str(err)
    assert "cifar10" in message and all(name in message for name in ALL)
    with pytest.raises(KeyError):
        load_dataset("XOR")


@pytest.mark.parametrize("seed", [-1, 1.5, "1", True, None])
def test_bad_seed_rejected(seed):
    with pytest.raises(ValueError, match="seed"):
        load_dataset("xor", seed)


def test_numpy_integer_seed_accepted():
    np.testing.assert_array_equal(load_dataset("xor", np.int64(2)).x, load_dataset("xor", 2).x)


def test_slice_basic():
    ds = load_dataset("iris")
    x, y = slice_dataset(ds, 10, 5)
    np.testing.assert_array_equal(x, ds.x[10:15])
    np.testing.assert_array_equal(y, ds.y[10:15])
    x, y = slice_dataset(ds, 140)
    assert x.shape == (10, 4) and y.shape == (10, 3)
    x, y = slice_dataset(ds, 150, 10)
    assert x.shape == (0, 4) and y.shape == (0, 3)


@pytest.mark.parametrize(
    ("offset", "limit", "param"),
    [(-1, 5, "offset"), (0, 0, "limit"), (0, -3, "limit"), (1.0, 5, "offset"), (0, "2", "limit")],
)
def test_slice_validation(offset, limit, param):
    with pytest.raises(ValueError, match=param):
        slice_dataset(load_dataset("xor"), offset, limit)


@given(offset=st.integers(0, 260), limit=st.integers(1, 300))
def test_slice_matches_python_slicing(offset, limit):
    ds = load_dataset("circles")
    x, y = slice_dataset(ds, offset, limit)
    expected = max(0, min(limit, len(ds) - offset))
    assert x.shape == (expected, 2) and y.shape == (expected, 2)
    np.testing.assert_array_equal(x, ds.x[offset : offset + limit])


def test_make_dataset_checks_shapes():
    info = DATASETS["xor"]
    with pytest.raises(ValueError, match="shape"):
        make_dataset(info, np.zeros((3, 2)), np.zeros(3, int), ("a", "b"), ("0", "1"), 0)
    with pytest.raises(ValueError, match="labels outside"):
        labels = np.full(200, 2)
        make_dataset(info, np.zeros((200, 2)), labels, ("a", "b"), ("0", "1"), 0)
