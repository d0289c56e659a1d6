"""Regenerate the real data files in ``app/datasets/data/`` from scikit-learn's bundled copies.

Run once, by hand, in a throwaway virtualenv; never imported by the app (the package loads the
files with NumPy alone)::

    python3 -m venv /tmp/skvenv && /tmp/skvenv/bin/pip install scikit-learn
    /tmp/skvenv/bin/python app/datasets/extract_real.py

scikit-learn's ``iris.csv`` is Fisher's table (the UCI file has two mistyped rows, 35 and 38);
its ``digits.csv.gz`` is the 1797-sample UCI test set ``optdigits.tes``. Both are written back as
plain CSV with a header so they are readable without this script.
"""

from __future__ import annotations

import csv
import gzip
import io
from pathlib import Path

import numpy as np
from sklearn.datasets import load_digits, load_iris

DATA_DIR = Path(__file__).resolve().parent / "data"

IRIS_COLUMNS = ("sepal_length_cm", "sepal_width_cm", "petal_length_cm", "petal_width_cm")
IRIS_SPECIES = ("setosa", "versicolor", "virginica")


def write_iris(path: Path) -> None:
    bunch = load_iris()
    assert tuple(bunch.target_names) == IRIS_SPECIES
    with path.open("w", newline="") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow([*IRIS_COLUMNS, "species"])
        for row, target in zip(bunch.data, bunch.target, strict=True):
            # Every measurement has one decimal place, so "%.1f" is lossless.
            out.writerow([f"{v:.1f}" for v in row] + [IRIS_SPECIES[target]])
    back = np.loadtxt(path, delimiter=",", skiprows=1, usecols=range(4))
    assert np.array_equal(back, bunch.data), "iris round trip failed"


def write_digits(path: Path) -> None:
    bunch = load_digits()
    pixels = bunch.data.astype(np.int64)
    assert np.array_equal(pixels, bunch.data) and pixels.min() >= 0 and pixels.max() <= 16
    header = [f"r{r}c{c}" for r in range(8) for c in range(8)] + ["digit"]
    text = io.StringIO()
    text.write(",".join(header) + "\n")
    for row, target in zip(pixels, bunch.target, strict=True):
        text.write(",".join(map(str, row)) + f",{target}\n")
    # mtime=0 and no file name keep the bytes identical from run to run.
    with path.open("wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write(text.getvalue().encode("ascii"))
    with gzip.open(path, "rt") as fh:
        back = np.loadtxt(fh, delimiter=",", skiprows=1, dtype=np.int64)
    assert np.array_equal(back[:, :64], pixels) and np.array_equal(back[:, 64], bunch.target)


def main() -> None:
    DATA_DIR.mkdir(exist_ok=True)
    write_iris(DATA_DIR / "iris.csv")
    write_digits(DATA_DIR / "digits.csv.gz")
    for name in ("iris.csv", "digits.csv.gz"):
        print(f"{name}: {(DATA_DIR / name).stat().st_size} bytes")


if __name__ == "__main__":
    main()
