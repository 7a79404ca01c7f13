"""Every line of the PWA's JavaScript is shorter than 120 characters (issue #8).

The screens build their HTML in template literals, and a line that runs past the editor's
edge hides the markup a reviewer needs to see; the Python side keeps its own limit (100).
The check covers the modules, the service worker and the Node scripts the tests run.
"""
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 120
FILES = sorted([*(ROOT / "static" / "js").glob("*.js"), ROOT / "static" / "sw.js",
                *(ROOT / "tests").rglob("*.mjs")])


def long_lines(text):
    """(line number, length) of each line of ``text`` at or past LIMIT characters."""
    return [(number, len(line)) for number, line in enumerate(text.splitlines(), 1)
            if len(line) >= LIMIT]


def test_there_are_files_to_check():
    assert (ROOT / "static" / "sw.js") in FILES
    assert sum(p.suffix == ".mjs" for p in FILES) >= 1
    assert len(FILES) >= 20


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_lines_are_shorter_than_120(path):
    name = path.relative_to(ROOT)
    found = [f"{name}:{number}: {length} characters"
             for number, length in long_lines(path.read_text(encoding="utf-8"))]
    assert not found, f"lines of {LIMIT} or more characters:\n" + "\n".join(found)


def test_the_check_catches_a_long_line():
    text = "ok\n" + "x" * (LIMIT - 1) + "\n" + "y" * LIMIT + "\n" + "é" * (LIMIT + 5)
    assert long_lines(text) == [(3, LIMIT), (4, LIMIT + 5)]
