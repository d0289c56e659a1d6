"""House rules no formatter enforces: Biome wraps code at 110 columns but never breaks a string."""

from __future__ import annotations

from pathlib import Path

STATIC_JS = Path(__file__).resolve().parent.parent / "static" / "js"


def test_no_javascript_line_over_120_characters():
    long = [
        f"{path.relative_to(STATIC_JS)}:{n}"
        for path in sorted(STATIC_JS.rglob("*.js"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if len(line) > 120
    ]
    assert long == []


def test_front_end_folders_stay_small():
    """A folder of more than ~15 modules asks for sub-folders by feature."""
    crowded = {
        str(folder.relative_to(STATIC_JS)): n
        for folder in [STATIC_JS, *(p for p in STATIC_JS.rglob("*") if p.is_dir())]
        if (n := len(list(folder.glob("*.js")))) > 15
    }
    assert crowded == {}
