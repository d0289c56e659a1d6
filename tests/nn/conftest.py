"""Make the independent reference implementation (`nn_reference`) importable.

With --import-mode=importlib test modules cannot import their neighbours, so this
folder is put on sys.path once, before its test modules are collected.
"""

from __future__ import annotations

import sys
from pathlib import Path

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)
