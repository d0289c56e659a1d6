"""Run every bench/bench_*.py, each in its own process, and print their tables in turn.

    .venv/bin/python bench/run_all.py [args passed to every bench, e.g. --threads 1]

`make bench` calls this. Only bench_*.py files are run: other scripts here (such as a
browser-driven canvas benchmark) are started by hand. The exit status is non-zero only if a
script crashed; a missed timing target is printed, never failed on.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    scripts = sorted(HERE.glob("bench_*.py"))
    if not scripts:
        print("no bench_*.py scripts found in", HERE)
        return 1
    failed = []
    for script in scripts:
        print(f"## {script.name}\n", flush=True)
        t0 = time.perf_counter()
        # Output streams straight through, so a long bench shows progress as it goes.
        rc = subprocess.call([sys.executable, str(script), *sys.argv[1:]], cwd=HERE.parent)
        print(f"\n({script.name}: {time.perf_counter() - t0:.1f} s, exit {rc})\n", flush=True)
        if rc != 0:
            failed.append(script.name)
    if failed:
        print("failed:", ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
