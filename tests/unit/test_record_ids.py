"""Record ids made on devices are UUID version 7 (issue #16): time-ordered, unique, canonical.

Both makers are checked: sync/ids.py (the Python client, benchmarks) and static/js/ids.js (the
PWA), the latter in Node like tests/unit/test_premium_js.py.
"""
import json
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

from sync.ids import new_id, uuid7
from sync.outbox import canonical_id
from tests.conftest import missing_tool

ROOT = Path(__file__).resolve().parents[2]
NODE = shutil.which("node")


def _check_v7(ids):
    assert len(set(ids)) == len(ids)
    assert ids == sorted(ids), "ids made one after another sort in the order they were made"
    for rid in ids:
        assert canonical_id(rid) == rid
        parsed = uuid.UUID(rid)
        assert parsed.version == 7 and parsed.variant == uuid.RFC_4122


def test_python_ids_are_version_7_and_sort_in_creation_order():
    _check_v7([new_id() for _ in range(20_000)])  # many share a millisecond: the counter orders them


def test_python_id_carries_its_time_in_the_first_48_bits():
    rid = uuid7(ms=1_796_000_000_123, rand=bytes(range(10)))
    assert rid.int >> 80 == 1_796_000_000_123
    assert str(rid).startswith("01a2")
    assert rid.version == 7
    assert uuid7(ms=1_796_000_000_123, rand=bytes(range(10))) == rid  # reproducible for benchmarks


def test_js_ids_are_version_7_and_sort_in_creation_order():
    if NODE is None:
        missing_tool("node is not installed (apt-get install nodejs, as make setup-dev does)")
    script = ("import { newId } from './static/js/ids.js';"
              "const ids = Array.from({ length: 20000 }, () => newId());"
              "const fixed = newId(4102444800000, new Uint8Array(10).fill(255));"
              "console.log(JSON.stringify({ ids, fixed }));")
    out = subprocess.run([NODE, "--input-type=module", "-e", script], cwd=ROOT, check=True,
                         capture_output=True, text=True, timeout=60)
    got = json.loads(out.stdout)
    _check_v7(got["ids"])
    fixed = uuid.UUID(got["fixed"])  # a time later than the clock: its own millisecond
    assert fixed.int >> 80 == 4102444800000 and fixed.version == 7
    assert fixed.variant == uuid.RFC_4122


@pytest.mark.parametrize("maker", ["static/js/screen-edit.js", "static/js/screen-signup.js"])
def test_the_app_makes_record_ids_with_new_id(maker):
    source = (ROOT / maker).read_text()
    assert "crypto.randomUUID" not in source and "newId()" in source
