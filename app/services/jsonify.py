"""NumPy results to JSON: finite numbers as they are, overflow as null with a note.

Python's json would write NaN and Infinity, which are not JSON; a value that
truly overflows float64 is reported as null and the note names where.
"""

from __future__ import annotations

import itertools
import math

import numpy as np

SMALL = 64  # numbers


class Jsonifier:
    def __init__(self) -> None:
        self.notes: list[str] = []

    def arr(self, value: np.ndarray, name: str):
        value = np.asarray(value, dtype=np.float64)
        if value.size <= SMALL and 1 <= value.ndim <= 2:
            # A few numbers are checked in Python: NumPy's isfinite and all cost more.
            out = value.tolist()
            flat = out if value.ndim < 2 else itertools.chain.from_iterable(out)
            if all(map(math.isfinite, flat)):
                return out
        finite = np.isfinite(value)
        if finite.all():
            return value.tolist()
        self._note(name, int((~finite).sum()))
        out = value.astype(object)
        out[~finite] = None
        return out.tolist()

    def num(self, value: float, name: str) -> float | None:
        value = float(value)
        if np.isfinite(value):
            return value
        self._note(name, 1)
        return None

    def _note(self, name: str, count: int) -> None:
        what = "value" if count == 1 else f"{count} values"
        self.notes.append(f"{name}: {what} beyond float64 range, reported as null")
