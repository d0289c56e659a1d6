"""How many threads NumPy's BLAS runs: set before NumPy loads (OpenBLAS reads it then).

The products a request or a training step makes are small (a step of 784-30-10 multiplies
10 x 784 by 784 x 30), and OpenBLAS's extra threads spin on the other cores waiting for
them: with one, a page playing 784-30-10 costs 0.8 of a core instead of 1.1 and trains 60%
more steps (bench/play_cpu.py). Concurrency comes from requests and worker processes.
"""

from __future__ import annotations

import os

VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def set_blas_threads() -> None:
    """EXPLORER_BLAS_THREADS (default 1) for every BLAS NumPy may use; a variable already
    set is left as it is."""
    for var in VARIABLES:
        os.environ.setdefault(var, os.environ.get("EXPLORER_BLAS_THREADS", "1"))
