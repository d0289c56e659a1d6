"""schemathesis against the live app for about a minute: every check but
positive_data_acceptance (valid JSON Schema is not always a valid network: shapes must
match across fields, which JSON Schema cannot say) must find nothing.

Run from a temporary folder: schemathesis writes its .schemathesis/ state where it runs.
Set SCHEMATHESIS_SEED to explore other cases than the pinned seed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from app.config import Settings
from app.testing import serve

ST = Path(sys.executable).with_name("st")
MAX_TIME = 60


def test_schemathesis_finds_nothing(tmp_path):
    work = tmp_path / "st"
    work.mkdir()
    seed = os.environ.get("SCHEMATHESIS_SEED", "20261129")
    with serve(Settings(db_path=tmp_path / "st.sqlite3")) as url:
        r = subprocess.run(
            [
                str(ST),
                "run",
                f"{url}/openapi.json",
                "--checks",
                "all",
                "--exclude-checks",
                "positive_data_acceptance",
                "--phases",
                "examples,coverage,fuzzing,stateful",
                "--max-time",
                str(MAX_TIME),
                "--request-timeout",
                "30",
                "--seed",
                seed,
                "--generation-database",
                "none",
                "--no-color",
                "--workers",
                "1",
            ],
            cwd=work,
            capture_output=True,
            text=True,
            timeout=MAX_TIME * 4,
        )
    out = r.stdout + r.stderr
    assert r.returncode == 0, out[-6000:]
    assert "passed" in out and "failed" not in out.split("SUMMARY")[-1], out[-3000:]
