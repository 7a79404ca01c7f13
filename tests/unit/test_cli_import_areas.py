"""`import-areas` adds and updates the area tree by code; a bad row refuses the file (#2)."""
import pytest
from sqlalchemy import select

from fieldapp.extensions import db
from fieldapp.models import Area, AuditEntry
from tests.unit.cli_support import count, invoke, write_csv

HEADER = "code,name,level,parent_code"


def areas(app):
    with app.app_context():
        return {a.code: (a.name, a.level, a.parent.code if a.parent else None)
                for a in db.session.scalars(select(Area))}


def test_import_areas_creates_the_tree_parents_in_any_order(app, places, tmp_path):
    path = write_csv(tmp_path, "areas.csv", "\n".join([
        HEADER,
        "31003-1,Thôn Nam,village,31003",
        "31003,Xã Tiên Lãng,commune,31",
        "31001-3,Tổ dân phố 3,village,31001",
    ]))
    result = invoke(app, "import-areas", path)
    assert result.exit_code == 0, result.output
    assert "3 created" in result.output
    got = areas(app)
    assert got["31003"] == ("Xã Tiên Lãng", "commune", "31")
    assert got["31003-1"] == ("Thôn Nam", "village", "31003")
    assert got["31001-3"] == ("Tổ dân phố 3", "village", "31001")
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "import")).one()
        assert entry.entity == "areas" and entry.after["created"] == 3


def test_import_areas_updates_by_code_and_is_repeatable(app, places, tmp_path):
    text = "\n".join([HEADER, "31001,Phường Hồng Bàng mới,commune,31",
                      "31002-1,Thôn Đông,village,31002", "31001-9,Tổ dân phố 9,village,31001"])
    path = write_csv(tmp_path, "areas.csv", text + "\n")
    first = invoke(app, "import-areas", path)
    assert first.exit_code == 0, first.output
    assert "1 created, 1 updated, 1 unchanged" in first.output
    assert areas(app)["31001"][0] == "Phường Hồng Bàng mới"
    second = invoke(app, "import-areas", path)
    assert "0 created, 0 updated, 3 unchanged" in second.output


def test_import_areas_with_the_optional_dates(app, places, tmp_path):
    path = write_csv(tmp_path, "areas.csv", "code,name,level,parent_code,valid_from,valid_to\n"
                     "31004,Xã Cũ,commune,31,2010-01-01,2025-06-30\n")
    assert invoke(app, "import-areas", path).exit_code == 0
    with app.app_context():
        area = db.session.scalars(select(Area).where(Area.code == "31004")).one()
        assert (str(area.valid_from), str(area.valid_to)) == ("2010-01-01", "2025-06-30")


@pytest.mark.parametrize("row, field, message", [
    (",Xã Trống,commune,31", "code", "required"),
    ("31 005,Xã Cách,commune,31", "code", "letters, digits"),
    ("3100,Xã Ngắn,commune,31", "code", "5 digits"),
    ("31005,,commune,31", "name", "required"),
    ("31005," + "x" * 201 + ",commune,31", "name", "at most 200"),
    ("31005,Xã Lạ,town,31", "level", "must be one of"),
    ("31005,Xã Mồ Côi,commune,", "parent_code", "required for a commune"),
    ("31005,Xã Lạc,commune,98", "parent_code", "no area has the code 98"),
    ("31005,Xã Dưới,commune,31001-1", "parent_code", "must be under a higher level"),
    ("31002-7,Thôn Sai,village,31001", "code", "starts with its commune's code"),
    ("32,Tỉnh Mới,province,31", "parent_code", "a province has no parent"),
    ("31001-1,Tổ dân phố 1,village,31001-1", "parent_code", "its own parent"),
    ("31005,Xã Ngày,commune,31,2025-13-01", None, "expected 4 values"),
])
def test_import_areas_refuses_a_file_with_a_bad_row(app, places, tmp_path, row, field, message):
    path = write_csv(tmp_path, "areas.csv", "\n".join([HEADER, "31006,Xã Tốt,commune,31", row]))
    before = areas(app)
    result = invoke(app, "import-areas", path)
    assert result.exit_code != 0
    where = f"areas.csv, line 3, {field}: " if field else "areas.csv, line 3: "
    assert where in result.output and message in result.output, result.output
    assert areas(app) == before  # not even the good row


def test_import_areas_names_a_repeated_code_and_a_bad_date(app, places, tmp_path):
    path = write_csv(tmp_path, "areas.csv", "code,name,level,parent_code,valid_from\n"
                     "31007,Xã A,commune,31,\n31007,Xã B,commune,31,\n31008,Xã C,commune,31,1/7/2025\n")
    result = invoke(app, "import-areas", path)
    assert result.exit_code != 0
    assert "areas.csv, line 3, code: 31007 is already on line 2." in result.output
    assert "areas.csv, line 4, valid_from: must be a date as YYYY-MM-DD." in result.output
    assert count(app, Area) == len(places) - 1


def test_import_areas_never_changes_the_level_of_an_area(app, places, tmp_path):
    with app.app_context():  # made by hand, outside the official code shapes
        db.session.add(Area(code="31900", name="Huyện cũ", level="district",
                            parent_id=places["31"]))
        db.session.commit()
    path = write_csv(tmp_path, "areas.csv", f"{HEADER}\n31900,Xã Mới,commune,31\n")
    result = invoke(app, "import-areas", path)
    assert result.exit_code != 0
    assert "areas.csv, line 2, level: 31900 is already a district" in result.output
    assert areas(app)["31900"] == ("Huyện cũ", "district", "31")
