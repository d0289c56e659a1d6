"""examples/explore.ipynb runs top to bottom against a live server, so it never rots."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parent.parent / "examples" / "explore.ipynb"


def test_the_notebook_runs_top_to_bottom(live_server, monkeypatch, tmp_path):
    # The kernel is a child process and inherits this environment.
    monkeypatch.setenv("EXPLORER_URL", live_server)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    # Committed without outputs, so a diff shows only changes to the code.
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
    NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    text = "\n".join(
        o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs
    )
    assert live_server in text
    assert "cost C = 0.29837110876" in text  # Mazur's worked example
    assert "max relative error" in text
    errors = [
        o
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
        if o.get("output_type") == "error"
    ]
    assert not errors
