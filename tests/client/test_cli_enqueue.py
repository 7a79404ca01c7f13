"""`python -m sync enqueue FILE.jsonl`: a bad line names its number and nothing is queued."""
import json

import pytest

from sync.__main__ import main
from sync.outbox import LocalStore

GOOD = json.dumps({"type": "household", "data": {"area": "31001-1", "address": "Số 1",
                                                   "head_name": "An"}}, ensure_ascii=False)
UUID = "0b7e7f0e-5d1a-4c3e-9a39-2f6b1c8d4e01"


def run(tmp_path, lines, capsys):
    path = tmp_path / "records.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code = main(["--outbox", str(tmp_path / "o.db"), "enqueue", str(path)])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("bad, message", [
    ("{not json", "not valid JSON"),
    ('["household"]', "must be a JSON object"),
    ('{"type": "housework", "data": {}}', "unknown type 'housework'"),
    ('{"type": "household"}', "'data' is required"),
    ('{"type": "household", "data": {}, "id": "42"}', "'id' must be a UUID"),
    ('{"type": "household", "data": {}, "version": -1}', "'version' must be a whole number"),
    ('{"type": "household", "data": {}, "client_time": "2026-11-25T09:30:00"}', "with an offset"),
    ('{"type": "household", "data": {}, "verison": 1}', "unknown key 'verison'"),
    (GOOD, "the same record as line 2"),
])
def test_a_bad_line_is_named_and_nothing_is_queued(tmp_path, capsys, bad, message):
    code, _out, err = run(tmp_path, ["", GOOD, bad], capsys)
    assert code == 1
    named = [line for line in err.splitlines() if "records.jsonl line 3: " in line]
    assert len(named) == 1 and message in named[0], err
    assert "nothing was queued" in err
    assert LocalStore(tmp_path / "o.db").depth() == 0


def test_a_good_file_is_queued_once_however_often_it_is_enqueued(tmp_path, capsys):
    lines = [GOOD, json.dumps({"id": UUID, "type": "outreach", "data": {"area": "31001"}})]
    code, out, _ = run(tmp_path, lines, capsys)
    assert code == 0 and "Queued 2 records" in out
    code, out, _ = run(tmp_path, lines, capsys)
    assert code == 0 and "Queued 0 records" in out and "2 were already waiting" in out
    sources = [r["source"] for r in LocalStore(tmp_path / "o.db").db.query(
        "SELECT source FROM outbox ORDER BY seq")]
    assert [s.rsplit(" ", 2)[1:] for s in sources] == [["line", "1"], ["line", "2"]]
