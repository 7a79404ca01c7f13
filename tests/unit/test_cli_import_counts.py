"""`import-counts` upserts the office's participant counts; a bad row refuses the file (#2)."""
import pytest
from sqlalchemy import select

from fieldapp.extensions import db
from fieldapp.models import AuditEntry, ParticipantCount
from tests.unit.cli_support import count, invoke, write_csv

HEADER = "area_code,month,scheme,participants"


def counts(app):
    with app.app_context():
        return {(c.area.code, c.month, c.scheme): c.participants
                for c in db.session.scalars(select(ParticipantCount))}


def test_import_counts_adds_then_replaces(app, places, tmp_path):
    first = write_csv(tmp_path, "counts.csv", "\n".join([
        HEADER, "31001,2025-09,vsi,871", "31001,2025-10,vsi,880", "31,2025-10,hhi,0"]))
    result = invoke(app, "import-counts", first)
    assert result.exit_code == 0, result.output
    assert "3 created" in result.output
    fix = write_csv(tmp_path, "fix.csv", "\n".join([
        HEADER, "31001,2025-10,vsi,882", "31001,2025-09,vsi,871", "31002,2025-10,vsi,12"]))
    result = invoke(app, "import-counts", fix)
    assert "1 created, 1 updated, 1 unchanged" in result.output
    assert counts(app) == {("31001", "2025-09", "vsi"): 871, ("31001", "2025-10", "vsi"): 882,
                           ("31", "2025-10", "hhi"): 0, ("31002", "2025-10", "vsi"): 12}
    with app.app_context():
        runs = db.session.scalars(select(AuditEntry).where(AuditEntry.entity == "participant_counts")).all()
        assert [r.after["file"] for r in runs] == ["counts.csv", "fix.csv"]


@pytest.mark.parametrize("row, field, message", [
    ("31001,2025-10,vsi,-3", "participants", "must be a whole number ≥ 0"),
    ("31001,2025-10,vsi,1.234", "participants", "must be a whole number ≥ 0"),
    ("31001,2025-10,vsi,12.5", "participants", "must be a whole number ≥ 0"),
    ("31001,2025-10,vsi,", "participants", "required"),
    ("31001,2025-13,vsi,5", "month", "YYYY-MM"),
    ("31001,10/2025,vsi,5", "month", "YYYY-MM"),
    ("31001,2099-01,vsi,5", "month", "has not begun yet"),
    ("31001,2025-10,bhyt,5", "scheme", "must be vsi"),
    ("39999,2025-10,vsi,5", "area_code", "no area has the code 39999"),
    (",2025-10,vsi,5", "area_code", "required"),
    ("31001,2025-09,vsi,7", None, "same area, month and scheme as line 2"),
])
def test_import_counts_refuses_a_file_with_a_bad_row(app, places, tmp_path, row, field, message):
    path = write_csv(tmp_path, "counts.csv", "\n".join([HEADER, "31001,2025-09,vsi,1", row]))
    result = invoke(app, "import-counts", path)
    assert result.exit_code != 0
    where = f"counts.csv, line 3, {field}: " if field else "counts.csv, line 3: "
    assert where in result.output and message in result.output, result.output
    assert count(app, ParticipantCount) == 0
