"""Hypothesis draws the same examples every run in CI and a fresh, printed seed elsewhere."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from hypothesis import core
from hypothesis import settings as hypothesis_settings

ROOT = Path(__file__).resolve().parent.parent


def test_profile_follows_the_ci_variable():
    in_ci = os.environ.get("CI") == "true"
    assert hypothesis_settings.default.derandomize is in_ci
    assert hypothesis_settings.get_current_profile_name() == ("ci" if in_ci else "dev")
    if not in_ci:
        assert isinstance(core.global_force_seed, int)


def _run(env: dict, *args: str) -> str:
    test = "tests/nn/test_backprop.py::test_published_two_two_two_example"
    plugins = ["-p", "no:cacheprovider", "-p", "no:playwright", "-p", "no:base_url"]
    out = subprocess.run(
        [sys.executable, "-m", "pytest", *plugins, test, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    return out.stdout


def test_the_seed_is_printed_and_ci_says_derandomised():
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    assert "hypothesis seed: 12345 (run again with --hypothesis-seed=12345)" in _run(
        env, "--hypothesis-seed=12345"
    )
    assert "hypothesis: derandomised (CI=true)" in _run({**env, "CI": "true"})
