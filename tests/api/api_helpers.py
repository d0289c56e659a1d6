"""Comparisons every API test file may need: float64 bit patterns and 422 field names."""

from __future__ import annotations

import struct

import numpy as np


def bits(value) -> list[int]:
    """Every number in a nested list as its float64 bit pattern (so -0.0 != 0.0)."""
    flat = np.asarray(value, dtype=np.float64).ravel()
    return [struct.unpack("<Q", struct.pack("<d", float(v)))[0] for v in flat]


def fields(r) -> list[str]:
    """The field names of a 4xx answer's errors."""
    return [e["field"] for e in r.json()["errors"]]
