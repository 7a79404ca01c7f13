"""The synthesis's households reached, counted in Python from per-collector lists
(reports/synthesis.py ``_reach``), equal the grouping statement they replaced, on the fixed data
of tests/web/synthesis_data.py and on more that tells per point from per organization apart."""
import uuid

from sqlalchemy import func, literal, select, union_all
from werkzeug.security import generate_password_hash

from fieldapp.extensions import db
from fieldapp.models import Enrollment, Person, User, Visit
from fieldapp.reports import synthesis as s
from fieldapp.reports.area_list import in_areas
from tests.web import records, synthesis_data
from tests.web.synthesis_data import MONTH, at


def _reach_by_grouping(ids, orgs, start, end):
    """The statement ``_reach`` used before (#13, h13): the month's (organization, point,
    household) rows grouped in SQL, then per point and, a household once, per organization."""
    keys = s._keys(True)
    in_orgs = User.organization_id.in_(orgs)
    made = s._made(Enrollment)
    visited = (select(*keys, Visit.household_id.label("hh"), literal(1).label("v"), literal(0).label("s"))
               .select_from(Visit).join(User, User.id == Visit.created_by_id)
               .where(Visit.visited_at >= start, Visit.visited_at < end, in_areas(Visit.area_id, ids),
                      in_orgs))
    household_of = (select(Person.household_id).where(Person.id == Enrollment.person_id)
                    .scalar_subquery())
    signed = (select(*keys, household_of.label("hh"), literal(0).label("v"), literal(1).label("s"))
              .select_from(Enrollment).join(User, User.id == Enrollment.created_by_id)
              .where(made >= start, made < end, in_areas(Enrollment.area_id, ids), in_orgs))
    rows = union_all(visited, signed).subquery("rows")
    marks = (select(rows.c.org, rows.c.pt, rows.c.hh, func.max(rows.c.v).label("v"),
                    func.max(rows.c.s).label("s"))
             .group_by(rows.c.org, rows.c.pt, rows.c.hh).cte("marks"))
    per_org = (select(marks.c.org, marks.c.hh, func.max(marks.c.v).label("v"), func.max(marks.c.s).label("s"))
               .group_by(marks.c.org, marks.c.hh).subquery("per_org"))
    both = union_all(
        select(marks.c.org, marks.c.pt, func.count(), func.sum(marks.c.s))
        .where(marks.c.v == 1).group_by(marks.c.org, marks.c.pt),
        select(per_org.c.org, literal(-1), func.count(), func.sum(per_org.c.s))
        .where(per_org.c.v == 1).group_by(per_org.c.org))
    by_point, by_org = {}, {}
    for org, pt, visited_n, signed_n in db.session.execute(both):
        if pt == -1:
            by_org[(org,)] = (int(visited_n), int(signed_n or 0))
        else:
            by_point[(org, pt)] = (int(visited_n), int(signed_n or 0))
    return by_point, by_org


def _both(app, world, orgs):
    with app.app_context():
        start, end = s.month_bounds_of(MONTH)
        ids = sorted(world.areas.values())
        return s._reach(ids, orgs, start, end), _reach_by_grouping(ids, orgs, start, end)


def test_households_reached_equal_the_grouping_statement(app, world):
    data = synthesis_data.build(app, world)
    hh = data["households"]
    with app.app_context():
        # A BD31 collector attached to no point (point 0) visits H3 (visited by point 002 too)
        # and H5 (HTX's), and signs up a new person of H3: H3 is signed for point 0 and for
        # BD31, not for point 002. A collector of no organization counts nowhere.
        loose = User(username="col_loose", full_name="COL_LOOSE", role="collector",
                     organization_id=world.org_id, password_hash=generate_password_hash("pw"))
        stray = User(username="col_stray", full_name="COL_STRAY", role="collector",
                     password_hash=generate_password_hash("pw"))
        db.session.add_all([loose, stray])
        db.session.commit()
        loose_id, stray_id = loose.id, stray.id
    for house, who in (("H3", loose_id), ("H5", loose_id), ("H7", stray_id), ("H3", stray_id)):
        records.visit(app, hh[house], at(11), who)
    person = records.person(app, hh["H3"], "Con H3", relation="child")
    with app.app_context():
        area = db.session.get(Person, person).area_id
        db.session.add(Enrollment(
            id=str(uuid.uuid4()), person_id=person, area_id=area, scheme="vsi", start_month="2026-11",
            period_months=3, amount_due=792000, monthly_income=1500000, support_group="other",
            client_time=at(11), received_at=at(11), created_by_id=loose_id, kind="new"))
        db.session.commit()

    (by_point, by_org), expected = _both(app, world, [world.org_id, data["htx"]])
    assert (by_point, by_org) == expected
    assert by_point[(world.org_id, 0)] == (2, 1)
    assert by_point[(world.org_id, data["p2"])] == (3, 1)  # H3, H1, H4; H3 signed by its own
    assert by_org[(world.org_id,)] == (5, 3)  # H1-H5; H1, H2, H3 signed
    # Another organization's collectors are left out, whatever they did in the areas.
    only_htx, expected = _both(app, world, [data["htx"]])
    assert only_htx == expected and set(only_htx[1]) == {(data["htx"],)}


def test_a_month_without_work_reaches_no_one(app, world):
    synthesis_data.build(app, world)
    with app.app_context():
        start, end = s.month_bounds_of("2026-07")
        ids = sorted(world.areas.values())
        assert s._reach(ids, [world.org_id], start, end) == ({}, {})
        assert _reach_by_grouping(ids, [world.org_id], start, end) == ({}, {})
