"""Data types shared by the dataset modules: the registry entry, the loaded dataset, slicing."""

from __future__ import annotations

import operator
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

Kind = Literal["generated", "real"]


@dataclass(frozen=True, slots=True)
class DatasetInfo:
    """What the UI lists before anything is loaded: sizes, a one-line description, attribution."""

    name: str
    n_samples: int
    n_features: int
    n_classes: int
    description: str
    source: str
    kind: Kind
    # Range every input lies in after load-time scaling; the UI sizes its axes from it.
    x_range: tuple[float, float] = (-1.0, 1.0)
    # Samples held out from training (registry.HELD_OUT makes the split; loading checks the
    # count), known here so listing datasets loads none of them.
    n_held_out: int = 0


class UnknownDatasetError(KeyError):
    """Raised by ``load_dataset`` for a name not in the registry; a KeyError so ``except
    KeyError`` callers keep working, with a readable message naming the known datasets."""

    def __init__(self, name: str, known: Iterable[str] = ()) -> None:
        self.name = name
        self.known = tuple(known)
        super().__init__(name)

    def __str__(self) -> str:
        # KeyError's own __str__ would repr() the argument; give the whole sentence instead.
        return f"unknown dataset {self.name!r}; known datasets: {', '.join(self.known)}"


@dataclass(frozen=True, slots=True, eq=False)  # eq=False: == on ndarrays is elementwise.
class Dataset:
    """A loaded dataset. Arrays are read-only because loads are cached and shared."""

    info: DatasetInfo
    x: np.ndarray  # float64, (n_samples, n_features)
    y: np.ndarray  # float64 one-hot, (n_samples, n_classes)
    labels: np.ndarray  # int64 class indices, (n_samples,)
    feature_names: tuple[str, ...]
    class_names: tuple[str, ...]
    seed: int | None  # the generator seed; None for real (file-backed) datasets

    @property
    def name(self) -> str:
        return self.info.name

    def __len__(self) -> int:
        return int(self.x.shape[0])


def _frozen(arr: np.ndarray, dtype: type) -> np.ndarray:
    # Own contiguous copy, then lock it: views handed out later inherit the read-only flag.
    out: np.ndarray = np.array(arr, dtype=dtype, order="C", copy=True)
    out.flags.writeable = False
    return out


def one_hot(labels: np.ndarray, n_classes: int) -> np.ndarray:
    """Rows of the identity: class k becomes a float64 row with a single 1 in column k."""
    return np.eye(n_classes, dtype=np.float64)[labels]


def make_dataset(
    info: DatasetInfo,
    x: np.ndarray,
    labels: np.ndarray,
    feature_names: Sequence[str],
    class_names: Sequence[str],
    seed: int | None,
) -> Dataset:
    """Check shapes against ``info``, build the one-hot targets and freeze every array."""
    labels = np.asarray(labels)
    expected = (info.n_samples, info.n_features)
    if x.shape != expected:
        raise ValueError(f"{info.name}: x has shape {x.shape}, expected {expected}")
    if labels.shape != (info.n_samples,):
        raise ValueError(f"{info.name}: labels have shape {labels.shape}")
    if labels.min() < 0 or labels.max() >= info.n_classes:
        raise ValueError(f"{info.name}: labels outside 0..{info.n_classes - 1}")
    if len(feature_names) != info.n_features or len(class_names) != info.n_classes:
        raise ValueError(f"{info.name}: feature or class names do not match the shape")
    return Dataset(
        info=info,
        x=_frozen(x, np.float64),
        y=_frozen(one_hot(labels, info.n_classes), np.float64),
        labels=_frozen(labels, np.int64),
        feature_names=tuple(feature_names),
        class_names=tuple(class_names),
        seed=seed,
    )


def _as_int(value: object, param: str) -> int:
    # operator.index accepts int and NumPy integers but not floats or numeric strings; bool is
    # an int subclass, so it is rejected explicitly.
    if isinstance(value, bool):
        raise ValueError(f"{param} must be an integer, got {value!r}")
    try:
        return operator.index(value)  # type: ignore[arg-type]
    except TypeError:
        raise ValueError(f"{param} must be an integer, got {value!r}") from None


def slice_dataset(
    ds: Dataset, offset: int = 0, limit: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Rows ``offset .. offset+limit`` of ``ds.x`` and ``ds.y`` (read-only views).

    ``limit=None`` means to the end. An offset at or past the end gives empty slices, as a page
    past the last one would. Raises ValueError naming ``offset`` or ``limit`` when invalid.
    """
    offset = _as_int(offset, "offset")
    if offset < 0:
        raise ValueError(f"offset must be >= 0, got {offset}")
    if limit is None:
        stop = len(ds)
    else:
        limit = _as_int(limit, "limit")
        if limit < 1:
            raise ValueError(f"limit must be >= 1, got {limit}")
        stop = offset + limit
    return ds.x[offset:stop], ds.y[offset:stop]
