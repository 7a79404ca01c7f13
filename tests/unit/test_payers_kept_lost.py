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
