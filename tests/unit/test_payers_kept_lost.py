"""Payers kept and payers lost in a month, per organization and collection point, for the
monthly synthesis (#15, fieldapp/reports/payers.py ``kept_and_lost``)."""
from datetime import date

import pytest

from fieldapp.extensions import db
from fieldapp.models import CollectionPoint, Organization, User
from fieldapp.reports import payers
from tests import payers_data as D


@pytest.fixture
def ctx(app, world):
    with app.app_context():
        yield world
        db.session.rollback()


def test_kept_and_lost_per_organization_and_point(ctx):
    w = ctx
    other = Organization(code="HTX", name="Hợp tác xã", kind="cooperative")
    db.session.add(other)
    db.session.flush()
    db.session.get(User, w.users["col_a2"]).organization_id = other.id
    point = CollectionPoint(organization_id=w.org_id, area_id=w.areas["31001"], code="001",
                            name="Điểm thu Hồng Bàng")
    db.session.add(point)
    db.session.flush()
    # March 2026. Kept: yearly payers covered through the month (col_a), a monthly payer
    # who paid March.
    D.vsi_payer(w, "2025-09", 12)
    D.vsi_payer(w, "2026-01", 12)
    _h, pid, _e = D.vsi_payer(w, "2026-01", 1)
    D.enrollment(w, pid, "2026-02", 1, kind="renewed")
    D.enrollment(w, pid, "2026-03", 1, kind="renewed")
    # Lost in March: a 3-monthly payer whose Dec-Feb was not paid by the end of February...
    # (lapses in March: deadline end of Feb, first lapsed month March).
    D.vsi_payer(w, "2025-09", 3)
    # ... and an HHI household whose year ended in February (no grace: lapsed from March).
    hid = D.household(w)
    D.enrollment(w, D.person(w, hid), "2025-03", 12, scheme="hhi")
    # Lapsed earlier (January): neither kept nor lost in March.
    D.vsi_payer(w, "2025-12", 1)
    # Ended in February: neither.
    D.vsi_payer(w, "2025-09", 12, ended_on=date(2026, 2, 10), ended_reason="died")
    # Another organization's collector: kept, counted apart.
    D.vsi_payer(w, "2026-01", 12, collector="col_a2")
    # New this month (signed up and paid in March): not "kept" (not a payer in February).
    _h, newcomer, _e = D.vsi_payer(w, "2026-04", 12)

    got = payers.kept_and_lost(w.areas.values(), 2026, 3)
    assert got["organizations"] == {w.org_id: {"kept": 3, "lost": 2},
                                    other.id: {"kept": 1, "lost": 0}}
    assert got["points"] == {point.id: {"kept": 3, "lost": 2}, None: {"kept": 1, "lost": 0}}


def test_the_monthly_synthesis_shows_them(ctx):
    """The figures reach the synthesis's rows: the organization and its collection point."""
    from fieldapp.reports.synthesis import monthly_synthesis

    w = ctx
    point = CollectionPoint(organization_id=w.org_id, area_id=w.areas["31001"], code="001",
                            name="Điểm thu Hồng Bàng")
    db.session.add(point)
    db.session.flush()
    D.vsi_payer(w, "2026-01", 12)  # kept in March
    D.vsi_payer(w, "2025-09", 3)   # lost in March
    [unit] = [u for u in monthly_synthesis(list(w.areas.values()), "2026-03", national=True).units
              if u.organization.id == w.org_id]
    assert (unit.figures["payers_kept"], unit.figures["payers_lost"]) == (1, 1)
    [row] = [p for p in unit.points if p.point is not None and p.point.id == point.id]
    assert (row.figures["payers_kept"], row.figures["payers_lost"]) == (1, 1)


def _expected(area_ids, index):
    """Kept and lost worked out the long way: every payer judged on each of the two days by
    ``payer_rows`` (the lists' query), compared in Python."""
    from fieldapp.models import Area

    end, before = payers.last_day(index), payers.last_day(index - 1)
    then = {(p.scheme, p.person_id or p.household_id): p for p in payers.payer_rows(area_ids, before)}
    parent = dict(db.session.execute(db.select(Area.id, Area.parent_id)).all())
    first_point = {}
    for cp in db.session.scalars(db.select(CollectionPoint).order_by(CollectionPoint.id)):
        first_point.setdefault((cp.organization_id, cp.area_id), cp.id)
    out = {"organizations": {}, "points": {}}
    for p in payers.payer_rows(area_ids, end):
        b = then[(p.scheme, p.person_id or p.household_id)]
        kept = int(p.state in ("paying", "due") and b.state in ("paying", "due")
                   and p.first_month <= index - 1)
        lost = int(p.state == "lapsed" and p.lapse_month == index)
        point = first_point.get((p.organization_id, parent[p.area_id]))
        for key, group in ((p.organization_id, "organizations"), (point, "points")):
            row = out[group].setdefault(key, {"kept": 0, "lost": 0})
            row["kept"] += kept
            row["lost"] += lost
    # The units with someone kept or lost (kept_and_lost leaves out the others).
    return {group: {key: row for key, row in rows.items() if row["kept"] or row["lost"]}
            for group, rows in out.items()}


def test_kept_and_lost_equal_each_payer_judged_on_both_days(ctx):
    """The one-pass statement (both days judged from one reading of the chains, kept or
    worked out fresh from the sign-ups) equals the payers judged one by one on each day,
    month after month, over a mixed population: VSI
    and HHI, paid and unpaid, every period length, members who ended, two organizations
    and a collector attached to none, two communes."""
    import random

    w = ctx
    rng = random.Random(15)
    other = Organization(code="HTX", name="Hợp tác xã", kind="cooperative")
    db.session.add(other)
    db.session.flush()
    db.session.get(User, w.users["col_a2"]).organization_id = other.id
    db.session.get(User, w.users["col_b"]).organization_id = None
    for org, commune, code in ((w.org_id, "31001", "001"), (w.org_id, "31001", "002"),
                               (other.id, "31001", "003"), (w.org_id, "31002", "001")):
        db.session.add(CollectionPoint(organization_id=org, area_id=w.areas[commune], code=code,
                                       name=f"Điểm {code}"))
    db.session.flush()
    months = [f"{y}-{m:02d}" for y in (2025, 2026) for m in range(1, 13)]
    for _ in range(60):
        village = rng.choice(("31001-1", "31002-1"))
        hid = D.household(w, village)
        for _m in range(rng.randint(1, 3)):
            ended = rng.choice((None, None, None, date(2026, rng.randint(1, 12), rng.randint(1, 28))))
            pid = D.person(w, hid, village=village, ended_on=ended,
                           ended_reason="died" if ended else None)
            scheme = rng.choice(("vsi", "hhi"))
            start = rng.randrange(len(months) - 6)
            for _k in range(rng.randint(1, 3)):
                period = rng.choice((1, 3, 6, 12) if scheme == "vsi" else (3, 6, 12))
                D.enrollment(w, pid, months[start], period, scheme=scheme, village=village,
                             paid=rng.random() < 0.6,
                             collector=rng.choice(("col_a", "col_a2", "col_b")))
                start = min(start + period + rng.choice((0, 0, 1, 3)), len(months) - 1)
    ids = list(w.areas.values())
    seen = {"kept": 0, "lost": 0}
    for index in range(2026 * 12, 2026 * 12 + 12):
        year, month = payers.month_of(index)
        expected = _expected(ids, index)
        assert payers.kept_and_lost(ids, year, month) == expected, (year, month)
        assert payers.kept_and_lost(ids, year, month, fresh=True) == expected, (year, month)
        for row in expected["organizations"].values():
            seen["kept"] += row["kept"]
            seen["lost"] += row["lost"]
    assert seen["kept"] > 50 and seen["lost"] > 10  # the months compared were not empty
