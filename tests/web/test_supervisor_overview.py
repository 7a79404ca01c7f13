"""The overview: per commune of the user's areas, households, persons, and this month's visits
and sign-ups (months as lived in Vietnam) (issue #2)."""
from datetime import UTC, datetime, timedelta

from fieldapp.extensions import db
from fieldapp.models import User
from fieldapp.reports.overview import commune_figures, month_bounds
from fieldapp.rules.access import scope_of
from tests.web import records

NOW = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)


def test_month_bounds_follow_vietnam_time(app):
    with app.app_context():
        start, end, first = month_bounds(NOW)
        _s, end_dec, _f = month_bounds(datetime(2026, 12, 10, tzinfo=UTC))
    assert start == datetime(2026, 10, 31, 17, 0, tzinfo=UTC)
    assert end == datetime(2026, 11, 30, 17, 0, tzinfo=UTC)
    assert first.isoformat() == "2026-11-01"
    assert end_dec == datetime(2026, 12, 31, 17, 0, tzinfo=UTC)


def _fill(app, world):
    col = world.users["col_a"]
    h1 = records.household(app, world.areas["31001-1"], "Nguyễn Văn An")
    h2 = records.household(app, world.areas["31001-2"], "Trần Thị Bình")
    h3 = records.household(app, world.areas["31002-1"], "Lê Văn Cường")
    p1 = records.person(app, h1, "Nguyễn Văn An")
    records.person(app, h1, "Phạm Thị Dung", relation="spouse")
    records.person(app, h3, "Lê Văn Cường")
    records.visit(app, h1, NOW - timedelta(days=1), col)
    records.visit(app, h2, datetime(2026, 10, 31, 17, 30, tzinfo=UTC), col)  # 1 Nov, 00:30 local
    records.visit(app, h2, datetime(2026, 10, 31, 16, 30, tzinfo=UTC), col)  # 31 Oct local
    records.visit(app, h3, NOW, world.users["col_b"])
    records.enrollment(app, p1, NOW - timedelta(days=2), col)
    records.enrollment(app, p1, datetime(2026, 9, 1, tzinfo=UTC), col)


def _figures(app, username):
    with app.test_request_context():
        user = db.session.scalar(db.select(User).filter_by(username=username))
        rows, totals = commune_figures(scope_of(user), now=NOW)
        return {r["area"].code: {k: r[k] for k in ("households", "persons", "visits", "enrollments")}
                for r in rows}, totals


def test_figures_per_commune_for_the_admin(app, world):
    _fill(app, world)
    rows, totals = _figures(app, "admin")
    assert rows == {
        "31001": {"households": 2, "persons": 2, "visits": 2, "enrollments": 1},
        "31002": {"households": 1, "persons": 1, "visits": 1, "enrollments": 0},
    }
    assert totals == {"households": 3, "persons": 3, "visits": 3, "enrollments": 1}


def test_a_supervisor_sees_only_their_communes(app, world):
    _fill(app, world)
    rows, _totals = _figures(app, "sup_b")
    assert list(rows) == ["31002"]


def test_a_village_head_area_rolls_up_to_its_commune(app, world):
    _fill(app, world)
    rows, _totals = _figures(app, "head_a")
    assert rows == {"31001": {"households": 1, "persons": 2, "visits": 1, "enrollments": 1}}


def test_overview_page_shows_the_communes(app, world, login_as):
    records.household(app, world.areas["31001-1"], "Nguyễn Văn An")
    page = login_as("sup_a").get("/supervisor/").get_data(as_text=True)
    assert "Phường Hồng Bàng" in page
    assert "Xã An Lão" not in page
    assert "/supervisor/households?area=31001" in page
