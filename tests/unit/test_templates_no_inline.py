"""No inline script or style in any template: the strict CSP would block it (issue #2).

Script comes only from files (<script src=...>); styles only from static/css; behaviour is
attached from those files, never by on...= attributes.
"""
import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
FILES = sorted(TEMPLATES.rglob("*.html"))

SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.I)
EVENT_ATTR = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I | re.S)
STYLE_ATTR = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I | re.S)
STYLE_TAG = re.compile(r"<style\b", re.I)
JS_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", re.I)


def test_there_are_templates_to_check():
    assert len(FILES) >= 5


def problems(text):
    """What in ``text`` a strict CSP would block."""
    found = [f"inline <script>: {m.group(0)}" for m in SCRIPT_TAG.finditer(text)
             if not re.search(r"\bsrc\s*=", m.group(1))]
    for pattern, what in ((EVENT_ATTR, "event handler attribute"), (STYLE_ATTR, "style attribute"),
                          (STYLE_TAG, "<style> element"), (JS_URL, "javascript: URL")):
        match = pattern.search(text)
        if match:
            found.append(f"{what}: {match.group(0)[:80]}")
    return found


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_no_inline_script_or_style(path):
    found = problems(path.read_text(encoding="utf-8"))
    assert not found, "\n".join(found)


@pytest.mark.parametrize("snippet,caught", [
    ('<script>alert(1)</script>', True),
    ('<script type="module" src="/static/js/app.js"></script>', False),
    ('<button onclick="go()">', True),
    ('<p style="color:red">', True),
    ('<style>p{}</style>', True),
    ('<a href="javascript:go()">', True),
    ('<p class="onion">', False),
])
def test_the_scanner_catches_what_it_should(snippet, caught):
    assert bool(problems(snippet)) is caught
