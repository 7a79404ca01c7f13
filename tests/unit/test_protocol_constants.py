"""The protocol's numbers and names have one home, sync/protocol.py.

Python imports them from there; the PWA has one module (static/js/protocol.js) that must hold
the same values, and premium.js's month pattern must be the protocol's. Copies elsewhere are
what this file looks for: two definitions drift (a ``$`` where the other had ``\\Z``).
"""
import json
import re
from pathlib import Path

import pytest

from sync import protocol as P

ROOT = Path(__file__).resolve().parents[2]
JS = ROOT / "static" / "js"
PYTHON = sorted([*(ROOT / "fieldapp").rglob("*.py"), *(ROOT / "sync").glob("*.py")])


def _js_constants(path):
    """{name: value} of the module's ``export const NAME = <literal>;`` lines."""
    text = path.read_text(encoding="utf-8")
    return {name: json.loads(literal.replace("'", '"'))
            for name, literal in re.findall(r"^export const (\w+) = (.+);$", text, re.M)}


def _js_regex(path, name):
    match = re.search(rf"^const {name} = /(.*)/;", path.read_text(encoding="utf-8"), re.M)
    assert match, f"{path.name} has no {name}"
    return match.group(1)


def test_the_apps_protocol_module_holds_the_python_values():
    assert _js_constants(JS / "protocol.js") == {
        "PROTOCOL_VERSION": P.PROTOCOL_VERSION,
        "DUPLICATE": P.DUPLICATE, "REJECTED": P.REJECTED, "CONFLICT": P.CONFLICT,
        "ACCEPTED": P.ACCEPTED, "PUSH_ROLES": list(P.PUSH_ROLES)}
    assert {P.DUPLICATE, P.REJECTED, P.CONFLICT, P.ACCEPTED} == set(P.STATUSES)


def _other_js():
    return [p for p in [*JS.glob("*.js"), ROOT / "static" / "sw.js"] if p.name != "protocol.js"]


@pytest.mark.parametrize("pattern, what", [
    (r"\bprotocol\s*:\s*\d", "a protocol number"),
    (r"\.status\s*[!=]==?\s*'(rejected|conflict)'", "a push status compared by its spelling"),
    (r"'(accepted|duplicate)'", "a push status"),
    (r"\b(const|let|var)\s+(ACCEPTED|DUPLICATE|REJECTED|CONFLICT|PROTOCOL_VERSION|PUSH_ROLES)\b",
     "a copy"),
])
def test_no_other_app_module_spells_out_the_protocol(pattern, what):
    # (An outbox entry's state -- waiting, rejected, conflict -- is the app's own word.)
    found = [p.name for p in _other_js() if re.search(pattern, p.read_text(encoding="utf-8"))]
    assert found == [], f"{what} outside static/js/protocol.js"


def test_the_apps_month_pattern_is_the_protocols():
    pattern = P.MONTH_RE.pattern
    assert pattern.startswith(r"\A") and pattern.endswith(r"\Z")
    assert _js_regex(JS / "premium.js", "MONTH_RE") == "^" + pattern[2:-2] + "$"


def test_the_server_statuses_the_app_names_are_the_protocols():
    text = (JS / "tasks.js").read_text(encoding="utf-8")
    statuses = re.search(r"ACTIVE_REFERRAL = new Set\(\[(.*)\]\)", text).group(1)
    assert set(re.findall(r"'(\w+)'", statuses)) <= set(P.REFERRAL_STATUSES)
    reviews = {status for p in _other_js() for status in re.findall(
        r"review\.status\s*[!=]==?\s*'(\w+)'", p.read_text(encoding="utf-8"))}
    assert reviews and reviews <= set(P.REVIEW_STATUSES)


@pytest.mark.parametrize("pattern, what", [
    (r"0-9a-f", "a UUID pattern"),
    (r"0\[1-9\]\|1\[0-2\]", "a month pattern"),
    (r"\(\"vsi\", \"hhi\"\)", "the schemes"),
    (r"\(\"pending\", \"approved\"", "the review statuses"),
    (r"\(\"new\", \"assigned\", \"visited\"", "the referral statuses"),
    (r"\"(accepted|duplicate|rejected|conflict)\"", "a push status"),
    (r"\"protocol\"\s*:\s*\d", "a protocol number"),
])
def test_no_python_module_keeps_its_own_copy(pattern, what):
    found = [str(p.relative_to(ROOT)) for p in PYTHON
             if p.name != "protocol.py" and re.search(pattern, p.read_text(encoding="utf-8"))]
    assert found == [], f"{what} outside sync/protocol.py"


def test_the_labelled_choices_list_the_protocols_values():
    from fieldapp.forms.choices import values

    assert tuple(values("scheme")) == P.SCHEMES
    assert tuple(values("review")) == P.REVIEW_STATUSES
    assert tuple(values("referral_status")) == P.REFERRAL_STATUSES


def test_the_python_client_counts_every_status():
    from sync.client import PushSummary

    summary = PushSummary()
    for status in P.STATUSES:
        assert getattr(summary, status) == 0


@pytest.mark.parametrize("regex, good", [
    (P.UUID_RE, "3f2a9c1e-8b7d-4e6f-a1b2-c3d4e5f60718"),
    (P.MONTH_RE, "2026-11"),
])
def test_the_patterns_hold_the_whole_string(regex, good):
    assert regex.match(good) and regex.fullmatch(good)
    for bad in (good + "\n", "\n" + good, good + " ", good.replace("2", "\u0662")):
        assert regex.match(bad) is None, repr(bad)
