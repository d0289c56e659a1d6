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
