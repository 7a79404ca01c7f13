"""Payer states (#15): each deadline rule just before and just after, VSI and HHI, and the
precedence ended > lapsed > due > paying (fieldapp/reports/payers.py)."""
from datetime import date

import pytest

from fieldapp.extensions import db
from fieldapp.reports import payers
from tests import payers_data as D


@pytest.fixture
def ctx(app, world):
    with app.app_context():
        yield world
        db.session.rollback()


def _state(world, key, day, scheme="vsi"):
    return payers.state_of(world.areas.values(), day)[(scheme, key)]


# (start, period, paid, [(day, state)]): the next period starts at the end of the paid one.
VSI_CASES = [
    # Monthly, January paid: February is paid within February.
    ("2026-01", 1, True, [("2026-01-01", "paying"), ("2026-01-02", "due"),
                          ("2026-02-28", "due"), ("2026-03-01", "lapsed")]),
    # 3-monthly Sep-Nov paid: Dec-Feb is paid within those 3 months.
    ("2025-09", 3, True, [("2025-10-31", "paying"), ("2025-11-01", "due"),
                          ("2026-02-28", "due"), ("2026-03-01", "lapsed")]),
    # 6-monthly Jan-Jun paid: Jul-Dec within its first 4 months (by 31 October).
    ("2026-01", 6, True, [("2026-05-31", "paying"), ("2026-06-01", "due"),
                          ("2026-10-31", "due"), ("2026-11-01", "lapsed")]),
    # Yearly from September 2025 paid: the next year within its first 7 months (31 March).
    ("2025-09", 12, True, [("2026-07-31", "paying"), ("2026-08-02", "due"),
                           ("2027-03-31", "due"), ("2027-04-01", "lapsed")]),
    # A yearly sign-up from September not yet paid: due through its 7-month window.
    ("2026-09", 12, False, [("2026-08-15", "due"), ("2026-12-07", "due"),
                            ("2027-03-31", "due"), ("2027-04-01", "lapsed")]),
]


@pytest.mark.parametrize("start,period,paid,days", VSI_CASES)
def test_vsi_deadlines(ctx, start, period, paid, days):
    _h, pid, _e = D.vsi_payer(ctx, start, period, paid=paid)
    got = [(day, _state(ctx, pid, date.fromisoformat(day))) for day, _ in days]
    assert got == days


def test_hhi_has_no_grace_window(ctx):
    hid = D.household(ctx)
    D.enrollment(ctx, D.person(ctx, hid), "2025-09", 12, scheme="hhi")
    days = [("2026-08-01", "paying"), ("2026-08-02", "due"), ("2026-08-31", "due"),
            ("2026-09-01", "lapsed")]
    assert [(d, _state(ctx, hid, date.fromisoformat(d), "hhi")) for d, _ in days] == days


def test_a_household_is_judged_by_its_first_member_to_run_out(ctx):
    hid = D.household(ctx)
    D.enrollment(ctx, D.person(ctx, hid), "2025-09", 12, scheme="hhi")
    D.enrollment(ctx, D.person(ctx, hid), "2025-09", 6, scheme="hhi", member_order=2)
    assert _state(ctx, hid, date(2026, 2, 15), "hhi") == "due"
    assert _state(ctx, hid, date(2026, 3, 1), "hhi") == "lapsed"


def test_renewal_moves_the_next_period(ctx):
    _h, pid, _e = D.vsi_payer(ctx, "2025-09", 3)
    D.enrollment(ctx, pid, "2025-12", 3, kind="renewed")
    assert _state(ctx, pid, date(2026, 1, 15)) == "paying"
    assert _state(ctx, pid, date(2026, 5, 31)) == "due"
    assert _state(ctx, pid, date(2026, 6, 1)) == "lapsed"


def test_ended_wins_over_lapsed_and_a_future_end_does_not_count(ctx):
    _h, ended, _e = D.vsi_payer(ctx, "2025-01", 1, ended_on=date(2025, 6, 1),
                                ended_reason="compulsory_si")
    _h, later, _e = D.vsi_payer(ctx, "2025-01", 1, ended_on=date(2027, 1, 1),
                                ended_reason="moved_away")
    day = date(2026, 12, 7)
    assert _state(ctx, ended, day) == "ended"
    assert _state(ctx, later, day) == "lapsed"


def test_lapsed_wins_over_due(ctx):
    # Lapsed on its 3-monthly window and its next period (were it renewed) starts soon:
    # still lapsed, not due.
    _h, pid, _e = D.vsi_payer(ctx, "2026-05", 3)
    assert _state(ctx, pid, date(2026, 10, 31)) == "due"
    assert _state(ctx, pid, date(2026, 11, 1)) == "lapsed"


def test_an_hhi_household_with_every_member_ended_is_ended(ctx):
    hid = D.household(ctx)
    D.enrollment(ctx, D.person(ctx, hid, ended_on=date(2026, 1, 1), ended_reason="died"),
                 "2025-01", 12, scheme="hhi")
    assert _state(ctx, hid, date(2026, 12, 7), "hhi") == "ended"
    D.enrollment(ctx, D.person(ctx, hid), "2026-06", 12, scheme="hhi", member_order=2)
    assert _state(ctx, hid, date(2026, 12, 7), "hhi") == "paying"


def test_deadline_and_next_amount(ctx):
    _h, pid, _e = D.vsi_payer(ctx, "2025-09", 12)
    (row,) = payers.with_amounts(payers.payer_rows(ctx.areas.values(), date(2026, 12, 7)),
                                 date(2026, 12, 7))
    assert row.deadline == date(2027, 3, 31) and row.next_start == "2026-09"
    assert row.amount == 12 * 264000


def test_amounts_worked_out_per_group_equal_each_payers_own(ctx):
    """``with_amounts`` works out each set of equal inputs once for its group of payers:
    every payer's amount is the one worked out for that payer alone (VSI periods and months
    alike and not, two villages; HHI households of one to three members, two alike)."""
    for start, period in (("2025-09", 12), ("2025-09", 12), ("2026-01", 3), ("2026-01", 1),
                          ("2025-06", 6), ("2026-10", 3)):
        D.vsi_payer(ctx, start, period)
    D.vsi_payer(ctx, "2026-01", 3, village="31001-2")
    for members, start in ((1, "2025-12"), (2, "2025-12"), (2, "2025-12"), (3, "2026-06")):
        hid = D.household(ctx)
        for order in range(1, members + 1):
            D.enrollment(ctx, D.person(ctx, hid), start, 6, scheme="hhi", member_order=order)
    day = date(2026, 12, 7)
    rows = payers.payer_rows(ctx.areas.values(), day)
    grouped = [p.amount for p in payers.with_amounts(rows, day)]
    alone = [payers.with_amounts([p], day)[0].amount for p in rows]
    assert grouped == alone
    assert len(rows) == 11 and len(set(grouped)) >= 6 and None not in grouped
