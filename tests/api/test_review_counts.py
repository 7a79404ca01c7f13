"""The review queue's counts kept by the writes (#11): after every kind of write to visits —
a push of new visits, an edit that resets a review, a household moved to another village
(its visits follow), a send-back, an approval, a bulk approval, a deletion — review_counts
equals a fresh COUNT of the visits, and the queue's counts under every filter (dates cut
anywhere in a month included) equal counting the visits themselves."""
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import delete, func, select

from fieldapp.extensions import db
from fieldapp.models import ReviewCount, User, Visit
from fieldapp.models.counts import NO_COLLECTOR, backfill
from fieldapp.rules import review as reviewing
from fieldapp.rules.access import Scope
from fieldapp.supervisor import review_queue as queue
from tests.records import household, visit


def kept(app):
    """{(area, collector, outcome, status, month): n} as review_counts holds it (zeros left out)."""
    with app.app_context():
        return {(r.area_id, r.collector_id, r.outcome, r.review_status, r.month): r.n
                for r in db.session.scalars(select(ReviewCount)) if r.n}


def fresh(app):
    """The same, counted from the visits now."""
    out = {}
    with app.app_context():
        for v in db.session.scalars(select(Visit)):
            key = (v.area_id, v.created_by_id or NO_COLLECTOR, v.outcome, v.review_status,
                   v.visited_at.astimezone(UTC).strftime("%Y-%m"))
            out[key] = out.get(key, 0) + 1
    return out


def decide(app, username, ids, decision, note=None):
    with app.app_context():
        user = db.session.scalars(select(User).where(User.username == username)).one()
        count = reviewing.review(Scope(user), user, ids, decision, note)
        db.session.commit()
        return count


@pytest.fixture
def synced(app, world, api):
    """col_a's two households in 31001-1 with five visits over two months (one at 23:30 on
    the last day of a month, local time: the UTC month is the same day's), col_b's one."""
    col = api("col_a")
    h1, h2 = household(), household(head_name="Lê Thị Hoa")
    times = ["2026-10-31T23:30:00+07:00", "2026-11-01T06:30:00+07:00", "2026-11-15T09:30:00+07:00",
             "2026-11-30T23:00:00+07:00", "2026-12-01T08:00:00+07:00"]
    vs = [visit((h1 if n < 3 else h2)["id"], visited_at=t, outcome=("interested", "enrolled")[n % 2])
          for n, t in enumerate(times)]
    col.push_ok([h1, h2, *vs])
    other = api("col_b")
    hb = household(area="31002-1")
    vb = visit(hb["id"], outcome="refused")
    other.push_ok([hb, vb])
    return col, (h1, h2), vs, vb


def test_a_push_of_new_visits_is_counted(app, synced):
    assert kept(app) == fresh(app)
    assert sum(kept(app).values()) == 6


def test_review_send_back_approve_and_bulk_approve_keep_the_counts(app, synced):
    _col, _hh, vs, _vb = synced
    decide(app, "sup_a", [vs[0]["id"]], "send_back", "Thiếu số điện thoại")
    assert kept(app) == fresh(app)
    decide(app, "sup_a", [vs[0]["id"]], "approve")
    assert kept(app) == fresh(app)
    decide(app, "sup_a", [v["id"] for v in vs], "approve")  # a bulk approval, one approved again
    assert kept(app) == fresh(app)
    # Nothing of commune 31001 waits any more; col_b's visit in 31002-1 still does.
    waiting = {k[0] for k, n in kept(app).items() if k[3] == "pending"}
    assert waiting == {_area(app, "31002-1")}


def _area(app, code):
    from fieldapp.models import Area

    with app.app_context():
        return db.session.scalars(select(Area.id).where(Area.code == code)).one()


def test_bulk_approve_of_the_filtered_list_through_the_page_keeps_the_counts(app, synced, login_as):
    client = login_as("sup_a")
    resp = client.post("/supervisor/review/bulk", data={"all": "1", "confirm": "1"})
    assert resp.status_code == 302
    assert kept(app) == fresh(app)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Visit)
                                 .where(Visit.review_status == "approved")) == 5


def test_an_edit_resets_the_review_and_moves_the_visit_between_counts(app, synced):
    col, _hh, vs, _vb = synced
    decide(app, "sup_a", [vs[1]["id"], vs[2]["id"]], "send_back", "Ghi lại kết quả")
    # An edit that changes the outcome and the month: pending again, in its new cell.
    col.push_ok([dict(vs[1], version=1, data=dict(vs[1]["data"], outcome="not_home",
                                                  visited_at="2026-12-03T09:00:00+07:00"))])
    assert kept(app) == fresh(app)
    # An edit of the note only: the review resets, the rest of the key stays.
    col.push_ok([dict(vs[2], version=1, data=dict(vs[2]["data"], note="Đã bổ sung"))])
    assert kept(app) == fresh(app)
    with app.app_context():
        assert db.session.get(Visit, vs[2]["id"]).review_status == "pending"


def test_a_household_moved_to_another_village_takes_its_counts(app, synced):
    col, (h1, _h2), _vs, _vb = synced
    col.push_ok([dict(h1, version=1, data=dict(h1["data"], area="31001-2"))])
    with app.app_context():
        assert {v.area_id for v in db.session.scalars(
            select(Visit).where(Visit.household_id == h1["id"]))} == {_area(app, "31001-2")}
    assert kept(app) == fresh(app)


def test_visits_written_or_deleted_through_the_orm_are_counted(app, synced, world):
    _col, _hh, vs, _vb = synced
    with app.app_context():
        db.session.execute(delete(Visit).where(Visit.id == vs[4]["id"]))
        row = db.session.get(Visit, vs[3]["id"])
        row.created_by_id = None  # a visit without a collector is counted apart
        db.session.commit()
    assert kept(app) == fresh(app)


def test_backfill_counts_what_is_stored(app, synced):
    before = kept(app)
    with app.app_context(), db.engine.begin() as conn:
        conn.execute(delete(ReviewCount))
        backfill(conn)
    assert kept(app) == before == fresh(app)


@pytest.mark.parametrize("since, until", [
    (None, None), (date(2026, 11, 1), date(2026, 11, 30)), (date(2026, 10, 31), date(2026, 11, 30)),
    (date(2026, 11, 1), None), (None, date(2026, 11, 30)), (date(2026, 11, 2), date(2026, 11, 29)),
    (date(2026, 11, 20), date(2026, 12, 2)), (date(2026, 11, 10), date(2026, 11, 16)),
    (date(2026, 10, 1), date(2027, 1, 31)), (date(2026, 12, 1), date(2026, 11, 1)),
    (date(2026, 11, 30), date(2026, 11, 30)),
])
def test_counts_under_every_filter_equal_counting_the_visits(app, synced, world, since, until):
    _col, _hh, vs, _vb = synced
    decide(app, "sup_a", [vs[0]["id"]], "send_back", "Sửa lại")
    decide(app, "sup_a", [vs[3]["id"]], "approve")
    with app.test_request_context():
        sup = db.session.scalars(select(User).where(User.username == "admin")).one()
        scope = Scope(sup)
        col_a = db.session.scalars(select(User).where(User.username == "col_a")).one()
        for area in (None, "31001", "31001-1", "31002-1"):
            for collector in (None, col_a):
                for outcome in ("", "enrolled"):
                    f = queue.Filters(area_ids=set(scope.area_ids), collector=collector,
                                      outcome=outcome, date_from=since, date_to=until)
                    if area:
                        f.area, f.area_ids = queue.area_by_code(area, scope)
                    expected = dict.fromkeys(("pending", "approved", "flagged"), 0)
                    for status, n in db.session.execute(
                            select(Visit.review_status, func.count())
                            .where(*f.conditions(with_status=False))
                            .group_by(Visit.review_status)):
                        expected[status] = n
                    assert queue.status_counts(f) == expected, (area, collector, outcome)


def test_month_cut_counts_whole_months_from_the_table_and_only_slivers_from_the_visits():
    from zoneinfo import ZoneInfo

    zone = ZoneInfo("Asia/Ho_Chi_Minh")
    june = datetime(2026, 6, 1, tzinfo=zone), datetime(2026, 7, 1, tzinfo=zone)
    (lo, hi), slivers = queue.month_cut(*june)
    assert (lo, hi) == ("2026-06", "2026-07")
    # Local midnight is 17:00 UTC the day before: seven hours added, seven taken away.
    assert [(b - a, sign) for a, b, sign in slivers] == [(timedelta(hours=7), 1), (timedelta(hours=7), -1)]
    assert queue.month_cut(datetime(2026, 6, 10, tzinfo=zone), datetime(2026, 6, 12, tzinfo=zone)) is None
    assert queue.month_cut(None, None) == ((None, None), [])
