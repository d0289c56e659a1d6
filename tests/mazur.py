"""Mazur's worked example for the tests (defined once, in app/testing.py, which the benches
share), and a fresh copy of it for a test to change as it likes."""

from __future__ import annotations

import copy

from app.testing import MAZUR, MAZUR_COST, MAZUR_X, MAZUR_Y

__all__ = ["MAZUR", "MAZUR_COST", "MAZUR_X", "MAZUR_Y", "mazur"]


def mazur() -> dict:
    """A fresh copy of the network's JSON form."""
    return copy.deepcopy(MAZUR)
