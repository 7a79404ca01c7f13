"""`import-households` judges rows with HouseholdForm and feeds them to the phones (#2)."""
import re

import pytest
from sqlalchemy import select

from fieldapp.extensions import db
from fieldapp.models import AuditEntry, Change, Household
from tests.unit.cli_support import count, invoke, write_csv

HEADER = "area_code,address,head_name,phone,note"


def test_import_households_adds_synced_records_to_the_change_feed(app, places, tmp_path):
    path = write_csv(tmp_path, "households.csv", "\n".join([
        HEADER,
        '31001-1,"Số 14, ngõ 32 Tô Hiệu",Nguyễn Văn Bình,+84 912 345 678,',
        "31002-1,Xóm 2 thôn Đông,Phạm Thị Huệ,,Hộ cận nghèo",
    ]))
    result = invoke(app, "import-households", path)
    assert result.exit_code == 0, result.output
    assert "2 created" in result.output
    with app.app_context():
        rows = {h.head_name: h for h in db.session.scalars(select(Household))}
        binh = rows["Nguyễn Văn Bình"]
        assert binh.address == "Số 14, ngõ 32 Tô Hiệu" and binh.phone == "0912345678"
        assert binh.area_id == places["31001-1"] and binh.version == 1
        assert binh.search_text.startswith("nguyen van binh")
        assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", binh.id)
        assert rows["Phạm Thị Huệ"].note == "Hộ cận nghèo" and rows["Phạm Thị Huệ"].phone is None
        feed = {c.record_id: c for c in db.session.scalars(select(Change))}
        assert set(feed) == {h.id for h in rows.values()}
        assert all(c.record_type == "household" and not c.deleted for c in feed.values())
        assert feed[binh.id].area_id == places["31001-1"]
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "import")).one()
        assert (entry.entity, entry.after["created"], entry.after["file"]) == (
            "households", 2, "households.csv")


def test_import_households_skips_households_already_in_the_register(app, places, tmp_path):
    path = write_csv(tmp_path, "households.csv", f"{HEADER}\n31001-1,Số 1 Lạch Tray,Lê Văn An,,\n")
    assert invoke(app, "import-households", path).exit_code == 0
    # The same household typed without diacritics and in other case is the same household.
    again = write_csv(tmp_path, "again.csv", f"{HEADER}\n31001-1,so 1 lach tray,LE VAN AN,,\n"
                                             "31001-1,Số 2 Lạch Tray,Lê Văn An,,\n")
    result = invoke(app, "import-households", again)
    assert "1 created, 0 updated, 1 unchanged" in result.output
    assert count(app, Household) == 2 and count(app, Change) == 2


def test_import_households_without_the_optional_columns(app, places, tmp_path):
    path = write_csv(tmp_path, "households.csv", "Area_Code , Address,HEAD_NAME\n"
                                                 "31002-1,Xóm 1,Đỗ Thị Hằng\n")
    result = invoke(app, "import-households", path)
    assert result.exit_code == 0, result.output
    assert count(app, Household) == 1


@pytest.mark.parametrize("row, field, message", [
    ("31001-1,,Nguyễn Văn A,,", "address", "This field is required."),
    ("31001-1,Số 3,,,", "head_name", "This field is required."),
    ("31001-1,Số 3,Nguyễn Văn A,12345,", "phone", "Vietnamese phone number"),
    (",Số 3,Nguyễn Văn A,,", "area_code", "This field is required."),
    ("31009-1,Số 3,Nguyễn Văn A,,", "area_code", "no area has the code 31009-1"),
    ("31001,Số 3,Nguyễn Văn A,,", "area_code", "belongs to a village"),
    ("31001-1," + "x" * 301 + ",Nguyễn Văn A,,", "address", "At most 300 characters."),
    ("31001-1,Số 3,Nguyễn Văn A,," + "y" * 1001, "note", "At most 1000 characters."),
    ("31001-1,Số 2,Trần Văn B,,", None, "same household (village, address and head) as line 2"),
    ("31001-1,Số 3,Nguyễn Văn A", None, "expected 5 values"),
])
def test_import_households_refuses_a_file_with_a_bad_row(app, places, tmp_path, row, field, message):
    path = write_csv(tmp_path, "households.csv",
                     "\n".join([HEADER, "31001-1,Số 2,Trần Văn B,0912345678,", row]))
    result = invoke(app, "import-households", path)
    assert result.exit_code != 0
    where = f"households.csv, line 3, {field}: " if field else "households.csv, line 3: "
    assert where in result.output and message in result.output, result.output
    assert count(app, Household) == 0 and count(app, Change) == 0


def test_import_households_refuses_a_village_that_has_ended(app, places, tmp_path):
    from datetime import date

    from fieldapp.models import Area

    with app.app_context():
        db.session.get(Area, places["31002-1"]).valid_to = date(2025, 6, 30)
        db.session.commit()
    path = write_csv(tmp_path, "households.csv", f"{HEADER}\n31002-1,Xóm 1,Đỗ Thị Hằng,,\n")
    result = invoke(app, "import-households", path)
    assert result.exit_code != 0
    assert "households.csv, line 2, area_code: 31002-1 ended on 2025-06-30." in result.output
