"""FastAPI's native OpenTelemetry is off unless Settings.telemetry (EXPLORER_TELEMETRY) asks
for it: an operator who sets up a tracer provider gets request spans only then."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from app.config import Settings

# In its own process: a global tracer provider can be set once per process, and stays.
SCRIPT = """
import sys, tempfile
from pathlib import Path
from fastapi.testclient import TestClient
from opentelemetry import trace
from app.config import Settings
from app.main import create_app

class Recording(trace.TracerProvider):  # a provider as an SDK's would be, minus the SDK
    asked = []
    def get_tracer(self, name, *args, **kwargs):
        self.asked.append(name)
        return trace.NoOpTracer()

trace.set_tracer_provider(Recording())
for flag in (False, True):
    Recording.asked.clear()
    app = create_app(Settings(db_path=Path(tempfile.mkdtemp()) / "t.sqlite3", telemetry=flag))
    with TestClient(app) as client:
        assert client.get("/api/meta").status_code == 200
    print(flag, sorted(set(Recording.asked)))
"""


def test_request_spans_only_when_asked_for():
    root = Path(__file__).resolve().parents[1]
    r = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=root, capture_output=True, text=True, timeout=120
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.split("\n")[:2] == ["False []", "True ['fastapi']"]


def test_the_environment_turns_it_on(monkeypatch):
    assert Settings.from_env().telemetry is False
    monkeypatch.setenv("EXPLORER_TELEMETRY", "1")
    assert Settings.from_env().telemetry is True
