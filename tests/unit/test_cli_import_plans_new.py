"""`import-plans` takes an optional fifth column, new_participants: the year's target for new
sign-ups (#12). The four-column file keeps working and keeps a plan's new target."""
import pytest
from sqlalchemy import select

from fieldapp.extensions import db
from fieldapp.models import Plan
from tests.unit.cli_support import count, invoke, write_csv


def _plans(app):
    with app.app_context():
        return {(p.area.code, p.scheme): (p.target, p.new_participants)
                for p in db.session.scalars(select(Plan))}


def test_fifth_column_sets_the_new_target_and_four_columns_keep_it(app, places, tmp_path):
    five = write_csv(tmp_path, "plans5.csv", "\n".join([
        "area_code,year,scheme,participants,new_participants",
        "31001,2024,vsi,40500,4335", "31002,2024,vsi,900,"]))
    result = invoke(app, "import-plans", five)
    assert result.exit_code == 0, result.output
    assert _plans(app) == {("31001", "vsi"): (40500, 4335), ("31002", "vsi"): (900, None)}
    four = write_csv(tmp_path, "plans4.csv", "area_code,year,scheme,participants\n31001,2024,vsi,41000")
    assert invoke(app, "import-plans", four).exit_code == 0
    assert _plans(app)[("31001", "vsi")] == (41000, 4335)
    again = write_csv(tmp_path, "plans5b.csv", "area_code,year,scheme,participants,new_participants\n"
                                               "31001,2024,vsi,41000,4000")
    assert "0 created, 1 updated" in invoke(app, "import-plans", again).output
    assert _plans(app)[("31001", "vsi")] == (41000, 4000)


@pytest.mark.parametrize("value, message", [("bốn", "must be a whole number"),
                                            ("50000", "cannot be more than participants")])
def test_a_bad_new_target_refuses_the_file(app, places, tmp_path, value, message):
    path = write_csv(tmp_path, "plans.csv", "\n".join([
        "area_code,year,scheme,participants,new_participants",
        "31002,2024,vsi,900,100", f"31001,2024,vsi,40500,{value}"]))
    result = invoke(app, "import-plans", path)
    assert result.exit_code != 0
    assert "plans.csv, line 3, new_participants: " in result.output and message in result.output
    assert count(app, Plan) == 0
