"""`import-plans` upserts the year's targets; a bad row refuses the file (#2)."""
import pytest
from sqlalchemy import select

from fieldapp.extensions import db
from fieldapp.models import Plan
from tests.unit.cli_support import count, invoke, write_csv

HEADER = "area_code,year,scheme,participants"


def plans(app):
    with app.app_context():
        return {(p.area.code, p.year, p.scheme): (p.target, p.monthly)
                for p in db.session.scalars(select(Plan).where(Plan.area_id.is_not(None)))}


def test_import_plans_adds_then_replaces_and_drops_a_stale_split(app, places, tmp_path):
    with app.app_context():  # an organization's plan is a different plan
        db.session.add(Plan(organization_id=places["org"], year=2027, scheme="vsi", target=9))
        db.session.add(Plan(area_id=places["31002"], year=2027, scheme="vsi", target=400,
                            monthly={"12": 400}))
        db.session.commit()
    path = write_csv(tmp_path, "plans.csv", "\n".join([
        HEADER, "31001,2027,vsi,1200", "31001,2027,hhi,6500", "31002,2027,vsi,450"]))
    result = invoke(app, "import-plans", path)
    assert result.exit_code == 0, result.output
    assert "2 created, 1 updated, 0 unchanged" in result.output
    got = plans(app)
    assert got[("31001", 2027, "vsi")] == (1200, None)
    assert got[("31002", 2027, "vsi")] == (450, None)
    assert count(app, Plan, Plan.organization_id.is_not(None)) == 1
    assert "0 created, 0 updated, 3 unchanged" in invoke(app, "import-plans", path).output


@pytest.mark.parametrize("row, field, message", [
    ("31001,27,vsi,100", "year", "from 2000 to 2100"),
    ("31001,năm 2027,vsi,100", "year", "whole number"),
    ("31001,2027,vsi,một nghìn", "participants", "must be a whole number ≥ 0"),
    ("31001,2027,VSI,100", "scheme", "must be vsi"),
    ("3100x,2027,vsi,100", "area_code", "no area has the code 3100x"),
    ("31001,2027,hhi,100", None, "same area, year and scheme as line 2"),
])
def test_import_plans_refuses_a_file_with_a_bad_row(app, places, tmp_path, row, field, message):
    path = write_csv(tmp_path, "plans.csv", "\n".join([HEADER, "31001,2027,hhi,1", row]))
    result = invoke(app, "import-plans", path)
    assert result.exit_code != 0
    where = f"plans.csv, line 3, {field}: " if field else "plans.csv, line 3: "
    assert where in result.output and message in result.output, result.output
    assert count(app, Plan) == 0
