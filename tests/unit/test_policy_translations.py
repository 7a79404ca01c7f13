"""Every string of policy.po formats like its English source (issue #2).

Jinja's gettext always applies ``%`` to a translation, and Flask-Babel does when variables
are given, so a stray ``%`` or a renamed placeholder in Vietnamese is a 500 on the page.
"""
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

PO = Path(__file__).parents[2] / "fieldapp" / "translations" / "vi" / "policy.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def entries():
    with PO.open("rb") as fh:
        return [m for m in read_po(fh, locale="vi") if m.id]


@pytest.mark.parametrize("message", entries(), ids=lambda m: m.id[:40])
def test_translation_formats_like_the_source(message):
    assert message.string, "untranslated"
    names = set(PLACEHOLDER.findall(message.id))
    assert set(PLACEHOLDER.findall(message.string)) == names
    if names or "%" not in message.id:
        # Formatted (by Flask-Babel or by Jinja): every % must be a placeholder.
        values = dict.fromkeys(names, 1)
        assert "%" not in (message.string % values)
