"""The payers' state inputs kept by the writes (#15, syncserver/payerchains.py): after each
push (new sign-up, payment, renewal, edit of dates, a household moved, a person moved to
another household) and each desk edit (a person ended), the kept table equals a fresh
computation from every sign-up and payment, and the states, desk lists and the synthesis's
payers kept and lost read from it equal those
judged from the sign-ups themselves (reports/payers.py ``fresh``), for the whole province and
for single areas, on days before and after each deadline."""
from datetime import date

import pytest

from fieldapp.extensions import db
from fieldapp.models import PayerChain
from fieldapp.reports import payers
from fieldapp.syncserver import payerchains
from tests import payers_data as D
from tests import records as R
from tests.device import Device

#: The first and last day of each month from August 2025 to July 2027.
DAYS = [date(2025 + (8 + n - 1) // 12, (8 + n - 1) % 12 + 1, d) for n in range(24) for d in (1, 28)]


def _fields(payer):
    return (payer.scheme, payer.household_id, payer.person_id, payer.area_id, payer.collector_id,
            payer.organization_id, payer.state, payer.next_month, payer.period,
            payer.lapse_month, payer.ever_paid, payer.monthly_income, payer.support_group)


def assert_kept(app, world):
    """The kept rows are what a rebuild would write, and every state and list read from them
    is the fresh computation's; returns the (person, day) of the last payments the lists read
    with the rows."""
    with app.app_context():
        conn = db.session.connection()
        kept = {tuple(row) for row in conn.execute(
            db.text(f"SELECT {payerchains.COLUMNS} FROM payer_chains"))}
        assert kept == payerchains.fresh_rows(conn)
        everywhere = list(world.areas.values())
        read_with_rows = set()  # payers whose last payment came with their row
        for areas in (everywhere, [world.areas["31001-1"]], [world.areas["31001-2"]],
                      [world.areas["31001"], world.areas["31001-1"], world.areas["31001-2"]]):
            for day in DAYS:
                assert payers.state_of(areas, day) == payers.state_of(areas, day, fresh=True), day
                for which, where in payers.LISTS.items():
                    listed = payers.payer_list(which, areas, day)
                    want = [_fields(p) for p in payers.payer_rows(areas, day, where, fresh=True)]
                    assert [_fields(p) for p in listed] == want, (which, day)
                    # A VSI person's only row brings its last payment with it; the rest are
                    # looked up: together what looking every payer up gives.
                    last = [(p.last_paid_on, p.last_amount)
                            for p in payers.with_last_payments(listed)]
                    read_with_rows |= {(p.person_id, p.last_paid_on) for p in listed
                                       if p.last_known and p.last_paid_on}
                    assert last == [(p.last_paid_on, p.last_amount) for p in
                                    payers.with_last_payments(listed, lookup_all=True)], (which, day)
            # The synthesis's payers kept and lost, month by month, read from the kept rows.
            for index in sorted({payers.month_index(day) for day in DAYS}):
                year, month = payers.month_of(index)
                assert (payers.kept_and_lost(areas, year, month)
                        == payers.kept_and_lost(areas, year, month, fresh=True)), (year, month)
        db.session.rollback()
    return read_with_rows


@pytest.fixture
def col_a(client, world):
    return Device.paired(client, "col_a")


def test_pushes_and_edits_keep_the_payer_rows(app, world, client, col_a):
    # A VSI payer signs up for 3 months: due, unpaid.
    h1 = R.household()
    p1 = R.person(h1["id"])
    e1 = R.vsi_enrollment(p1["id"])
    col_a.accepted([h1, p1, e1])
    assert_kept(app, world)
    # Pays it.
    col_a.accepted([R.payment(e1["id"], paid_on="2025-09-05")])
    assert (p1["id"], date(2025, 9, 5)) in assert_kept(app, world)
    # Renews for the next 3 months and pays in the same push.
    e2 = R.vsi_enrollment(p1["id"], start_month="2025-12", kind="renewed")
    col_a.accepted([e2, R.payment(e2["id"], paid_on="2025-12-03")])
    assert_kept(app, world)
    # An HHI household of two members, one paid.
    h2 = R.household()
    m1, m2 = R.person(h2["id"]), R.person(h2["id"])
    e3 = R.hhi_enrollment(m1["id"])
    e4 = R.hhi_enrollment(m2["id"], member_order=2, amount_due=884520)
    col_a.accepted([h2, m1, m2, e3, e4, R.payment(e3["id"], amount=1263600, paid_on="2025-09-02")])
    assert_kept(app, world)
    # The second member pays too, on another day.
    col_a.accepted([R.payment(e4["id"], amount=884520, paid_on="2025-10-01")])
    assert_kept(app, world)
    # An edit of the renewal's dates: its period moves a month later.
    e2_moved = R.vsi_enrollment(p1["id"], id=e2["id"], version=1, start_month="2026-01",
                                kind="renewed")
    col_a.accepted([e2_moved])
    assert_kept(app, world)
    # The first sign-up was the spouse's: moved to another person, the first payer keeps
    # only the renewal.
    p3 = R.person(h1["id"], full_name="Phạm Văn Hùng", sex="male", relation="head")
    col_a.accepted([p3, R.vsi_enrollment(p3["id"], id=e1["id"], version=1)])
    assert_kept(app, world)
    # The VSI payer's household moves to the other village: the sign-ups follow it.
    h1_moved = R.household(area="31001-2", id=h1["id"], version=1)
    col_a.accepted([h1_moved])
    assert_kept(app, world)
    with app.app_context():
        assert {r.area_id for r in db.session.scalars(
            db.select(PayerChain).where(PayerChain.person_id == p1["id"]))} == {
                world.areas["31001-2"]}
    # The second HHI member moves to a household of their own in the same village (no sign-up
    # written): their rows follow them, and the two households are judged apart.
    h3 = R.household(head_name="Phạm Thị Lan")
    m2_moved = dict(m2, version=1, data={**m2["data"], "household": h3["id"], "relation": "head"})
    col_a.accepted([h3, m2_moved])
    assert_kept(app, world)
    with app.app_context():
        assert {r.household_id for r in db.session.scalars(
            db.select(PayerChain).where(PayerChain.person_id == m2["id"]))} == {h3["id"]}
    # The desk records that the first HHI member died: the household is judged by the other.
    desk = app.test_client()
    assert desk.post("/login", data={"username": "sup_a", "password": "pw"}).status_code == 302
    resp = desk.post("/supervisor/payers/ended", data={"person": m1["id"], "reason": "died",
                                                       "ended_on": "2026-03-01"})
    assert resp.status_code == 302
    assert_kept(app, world)


def test_a_person_with_sign_ups_in_two_areas_is_judged_by_the_areas_asked_for(app, world):
    """Sign-ups written in another village than the person's (imported, or made before the
    person moved): each area's list judges only its own sign-ups, as the fresh computation."""
    with app.app_context():
        _h, pid, _e = D.vsi_payer(world, "2025-09", 3)
        D.enrollment(world, pid, "2025-12", 6, village="31001-2", kind="renewed", paid=False)
        hid = D.household(world)
        D.enrollment(world, D.person(world, hid), "2025-09", 12, scheme="hhi")
        other = D.person(world, hid, village="31001-2")
        D.enrollment(world, other, "2025-09", 6, scheme="hhi", village="31001-2", member_order=2)
        D.enrollment(world, other, "2026-03", 6, scheme="hhi", village="31001-1", member_order=2,
                     kind="renewed")
        db.session.commit()
        solo = dict(db.session.execute(
            db.select(PayerChain.person_id, db.func.min(PayerChain.solo))
            .group_by(PayerChain.person_id)).all())
        assert solo[pid] == 0 and solo[other] == 0
    assert_kept(app, world)


def test_rebuild_writes_what_the_writes_kept(app, world, col_a):
    h = R.household()
    p = R.person(h["id"])
    e = R.vsi_enrollment(p["id"])
    col_a.accepted([h, p, e, R.payment(e["id"], paid_on="2025-09-05")])
    with app.app_context():
        conn = db.session.connection()
        kept = set(conn.execute(db.select(PayerChain.__table__)).all())
        payerchains.rebuild(conn)
        assert set(conn.execute(db.select(PayerChain.__table__)).all()) == kept
        db.session.rollback()


def _copies(app, person_id):
    """{(scheme, area id): (household id, ended on)} of a person's kept rows."""
    with app.app_context():
        return {(r.scheme, r.area_id): (r.household_id, r.ended_on and str(r.ended_on)[:10])
                for r in db.session.scalars(
                    db.select(PayerChain).where(PayerChain.person_id == person_id))}


def test_the_rows_copy_each_persons_household_and_end_after_every_kind_of_write(
        app, world, client, col_a):
    """The kept ``household_id`` and ``ended_on`` (migration b15e8d2f4a63) follow the person:
    a new sign-up, a payment, a member pushed into another household of the same village (no
    sign-up written), into a household of another village (the sign-ups follow), a sign-up
    taken away by an edit (the row goes), and the desk's "no longer pays"; after each the
    whole table equals a rebuild and every list the fresh computation (``assert_kept``)."""
    h1, h2 = R.household(), R.household(head_name="Lê Văn Nam")
    m1 = R.person(h1["id"], full_name="Lê Thị Hoa")
    m2 = R.person(h1["id"], full_name="Lê Văn Bình", sex="male", relation="child")
    e1 = R.hhi_enrollment(m1["id"])
    e2 = R.hhi_enrollment(m2["id"], member_order=2, amount_due=884520)
    col_a.accepted([h1, h2, m1, m2, e1, e2])  # new sign-ups
    assert _copies(app, m2["id"]) == {("hhi", world.areas["31001-1"]): (h1["id"], None)}
    assert_kept(app, world)
    col_a.accepted([R.payment(e1["id"], amount=1263600, paid_on="2025-09-02")])  # a payment
    assert_kept(app, world)
    # The second member joins the other household of the village: only the person is pushed.
    m2_moved = dict(m2, version=1, data=dict(m2["data"], household=h2["id"]))
    col_a.accepted([m2_moved])
    assert _copies(app, m2["id"]) == {("hhi", world.areas["31001-1"]): (h2["id"], None)}
    assert_kept(app, world)
    # ... then a household in another village: the sign-up follows the person there.
    h3 = R.household(area="31001-2", head_name="Trần Văn Tư")
    col_a.accepted([h3, dict(m2_moved, version=2, data=dict(m2["data"], household=h3["id"]))])
    assert _copies(app, m2["id"]) == {("hhi", world.areas["31001-2"]): (h3["id"], None)}
    assert_kept(app, world)
    # An edit gives the first member's sign-up to the second: the first member's row goes.
    col_a.accepted([R.hhi_enrollment(m2["id"], id=e1["id"], version=1)])
    assert _copies(app, m1["id"]) == {}
    assert_kept(app, world)
    # The desk records that the second member died: the rows carry the day.
    desk = app.test_client()
    assert desk.post("/login", data={"username": "sup_a", "password": "pw"}).status_code == 302
    resp = desk.post("/supervisor/payers/ended", data={"person": m2["id"], "reason": "died",
                                                       "ended_on": "2026-03-01"})
    assert resp.status_code == 302
    assert set(_copies(app, m2["id"]).values()) == {(h3["id"], "2026-03-01")}
    assert_kept(app, world)
