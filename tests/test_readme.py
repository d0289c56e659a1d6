"""The README's curl examples work as printed, against a real server."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"


def _example_block() -> str:
    blocks = re.findall(r"```sh\n(.*?)```", README.read_text(), re.S)
    curl_blocks = [b for b in blocks if "curl " in b]
    assert len(curl_blocks) == 1, "expected one block of curl examples"
    return curl_blocks[0]


def test_readme_quick_start_names_the_two_commands():
    text = README.read_text()
    assert "make run" in text and "make test" in text


@pytest.mark.skipif(
    subprocess.run(["which", "curl"], capture_output=True).returncode != 0,
    reason="curl is not installed",
)
def test_every_curl_example_answers_2xx_with_json(live_server):
    script = _example_block().replace("http://127.0.0.1:8000", live_server)
    marker = "@@STATUS@@"
    script = script.replace("curl -s -i ", "curl -s ").replace(
        "curl -s ", f"curl -s -w '\\n{marker}%{{http_code}}\\n' "
    )
    out = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    parts = out.stdout.split(marker)
    bodies, statuses = parts[:-1], [p.split("\n", 1)[0] for p in parts[1:]]
    n_curls = len(re.findall(r"^curl ", _example_block(), re.M))
    assert len(statuses) == n_curls
    for i, (status, body) in enumerate(zip(statuses, bodies, strict=True)):
        body = body.split("\n", 1)[1] if i else body  # drop the previous status line's rest
        assert status.startswith("2"), (i, status, body[:300])
        json.loads(body, parse_constant=lambda c: pytest.fail(f"non-JSON constant {c}"))
