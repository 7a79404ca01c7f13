"""`import-areas` takes an optional column central_city (yes/no): a province-level
centrally-run city, named "toàn thành phố" in the progress report (#12)."""
import pytest
from sqlalchemy import select

from fieldapp.extensions import db
from fieldapp.models import Area
from tests.unit.cli_support import count, invoke, write_csv

HEADER = "code,name,level,parent_code,central_city"


def test_central_city_is_set_and_cleared(app, tmp_path):
    path = write_csv(tmp_path, "areas.csv", "\n".join([
        HEADER, "31,Thành phố Hải Phòng,province,,yes", "30,Tỉnh Hải Dương,province,,no",
        "31001,Phường Hồng Bàng,commune,31,"]))
    result = invoke(app, "import-areas", path)
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert dict(db.session.execute(select(Area.code, Area.central_city)).all()) == {
            "31": True, "30": False, "31001": False}
    again = write_csv(tmp_path, "again.csv", "code,name,level,parent_code\n"
                                             "31,Thành phố Hải Phòng,province,")
    assert invoke(app, "import-areas", again).exit_code == 0  # without the column: kept
    with app.app_context():
        assert db.session.scalar(select(Area.central_city).where(Area.code == "31")) is True


@pytest.mark.parametrize("row, message", [
    ("31,Hải Phòng,province,,maybe", "must be yes or no"),
    ("31001,Hồng Bàng,commune,30,yes", "only a province can be a centrally-run city"),
])
def test_a_bad_central_city_refuses_the_file(app, tmp_path, row, message):
    path = write_csv(tmp_path, "areas.csv", "\n".join([HEADER, "30,Tỉnh,province,,no", row]))
    result = invoke(app, "import-areas", path)
    assert result.exit_code != 0
    assert "areas.csv, line 3, central_city: " in result.output and message in result.output
    assert count(app, Area) == 0
