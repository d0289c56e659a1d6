"""JSON arrays to float64 NumPy arrays, each refusal naming the entry at fault.

The request models declare weights, biases, x and y loosely (lists); this is where
they are checked against the network's sizes ("weights[1][0] has 3 columns, sizes
need 2") before the engine sees them. The engine itself takes arrays.
"""

from __future__ import annotations

import math
from contextvars import ContextVar
from typing import Any

import numpy as np

from app.nn.network import Array, Network, SpecError


def network_parameters(
    weights: list[Any], biases: list[Any], sizes: list[int]
) -> tuple[list[Array], list[Array]]:
    """weights[l-1] as W^l with shape (n_l, n_{l-1}), biases[l-1] as b^l with n_l entries."""
    L = len(sizes) - 1
    if len(weights) != L:
        raise SpecError("weights", f"has {len(weights)} layers, sizes need {L}")
    if len(biases) != L:
        raise SpecError("biases", f"has {len(biases)} layers, sizes need {L}")
    W, b = [], []
    for l in range(1, L + 1):
        W.append(_matrix(weights[l - 1], f"weights[{l - 1}]", sizes[l], sizes[l - 1]))
        b.append(_vector(biases[l - 1], f"biases[{l - 1}]", sizes[l]))
    return W, b


def inputs(net: Network, x: Any, field: str = "x") -> tuple[Array, bool]:
    """(X with samples in rows, whether x was a batch)."""
    return _samples(x, field, net.sizes[0])


def targets(net: Network, y: Any, n_samples: int, field: str = "y") -> Array:
    Y, _ = _samples(y, field, net.sizes[-1])
    if Y.shape[0] != n_samples:
        raise SpecError(field, f"has {Y.shape[0]} samples, x has {n_samples}")
    if net.cost.needs_unit_interval and (np.any(Y < 0) or np.any(Y > 1)):
        raise SpecError(field, f"must lie in [0, 1] for {net.cost_name}")
    return Y


# False while handling a request whose body has no `true` or `false` token at all (set by
# app.api.json_body): then no list in it holds a boolean, and the scan of a 1,000 x 784
# batch below (~15 ms) is skipped. Anything else (a default, other callers) scans.
booleans_possible: ContextVar[bool] = ContextVar("booleans_possible", default=True)


def _has_bool(value: Any) -> bool:
    """NumPy quietly turns [True, 0.5] into [1.0, 0.5]; JSON true is not a number."""
    if not booleans_possible.get():
        return False
    return _scan_bool(value)


def _scan_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return True
    if isinstance(value, list):
        if value and isinstance(value[0], list):
            return any(_scan_bool(v) for v in value)
        # set(map(type, ...)) runs in C: a 1,000 x 784 batch is checked in ~10 ms, not 0.5 s.
        return bool in set(map(type, value))
    return False


SMALL = 64  # numbers; below this the checks in Python beat NumPy's per-call overhead
_INT_RANGE = 2**63  # a Python int NumPy holds as int64, as np.asarray does


def _plain_number(v: Any) -> bool:
    """A finite float, or an int that np.asarray would hold as int64 (bool is not int here)."""
    t = type(v)
    return (t is float and math.isfinite(v)) or (t is int and -_INT_RANGE <= v < _INT_RANGE)


def _small(value: Any) -> Array | None:
    """A short flat list, or a small matrix of such rows, of plain numbers: the array
    np.asarray(value).astype(float64) gives, checked in Python (~2 µs, not ~10). None
    for anything else, which the full checks below handle with their messages."""
    if type(value) is not list or not value:
        return None
    rows = value if type(value[0]) is list else (value,)
    if len(rows) * len(rows[0]) > SMALL:
        return None
    n = len(rows[0])
    for row in rows:
        if type(row) is not list or len(row) != n or not all(map(_plain_number, row)):
            return None
    return np.array(value, dtype=np.float64)


def _as_float_array(value: Any, field: str) -> Array:
    small = _small(value)
    if small is not None:
        return small
    try:
        arr = np.asarray(value)
    except (ValueError, TypeError):
        raise SpecError(field, "is ragged: every row needs the same length") from None
    if arr.dtype == object:
        raise SpecError(field, "is ragged or holds something other than numbers")
    if arr.dtype.kind not in "iuf" or _has_bool(value):
        raise SpecError(field, "must hold numbers only (no strings, booleans or nulls)")
    arr = arr.astype(np.float64, copy=False)  # JSON floats are float64 already
    if not np.isfinite(arr).all():
        bad = tuple(int(i) for i in np.argwhere(~np.isfinite(arr))[0])
        where = "".join(f"[{i}]" for i in bad)
        raise SpecError(f"{field}{where}", "must be a finite number (NaN and Infinity are refused)")
    return arr


def _matrix(value: Any, field: str, rows: int, cols: int) -> Array:
    if isinstance(value, list):
        if len(value) != rows:
            raise SpecError(field, f"has {len(value)} rows, sizes need {rows}")
        for j, row in enumerate(value):
            if not isinstance(row, list) or len(row) != cols:
                got = len(row) if isinstance(row, list) else "no list of"
                raise SpecError(f"{field}[{j}]", f"has {got} columns, sizes need {cols}")
    arr = _as_float_array(value, field)
    if arr.shape != (rows, cols):
        raise SpecError(field, f"has shape {arr.shape}, sizes need ({rows}, {cols})")
    return arr


def _vector(value: Any, field: str, n: int) -> Array:
    arr = _as_float_array(value, field)
    if arr.shape != (n,):
        got = f"{arr.shape[0]} entries" if arr.ndim == 1 else f"shape {arr.shape}"
        raise SpecError(field, f"has {got}, sizes need {n}")
    return arr


def _samples(value: Any, field: str, n: int) -> tuple[Array, bool]:
    if isinstance(value, list) and value and isinstance(value[0], list):
        for s, row in enumerate(value):
            if not isinstance(row, list) or len(row) != n:
                got = len(row) if isinstance(row, list) else "not a list of"
                raise SpecError(f"{field}[{s}]", f"has {got} values, the layer has {n} neurons")
    arr = _as_float_array(value, field)
    if arr.ndim == 1:
        if arr.shape[0] != n:
            raise SpecError(field, f"has {arr.shape[0]} values, the layer has {n} neurons")
        return arr[None, :], False
    if arr.ndim == 2 and arr.shape[0] >= 1:
        return arr, True
    raise SpecError(field, "must be one sample (a list of numbers) or a batch (a list of lists)")
