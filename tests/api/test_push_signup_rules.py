"""Sign-ups the server can trust (issue #14): each cross-record rule of syncserver/checks.py
accepted at its edge and rejected one step past it, with the field named; the HHI member place
raced by two phones; the kind of sign-up and the month it was made in, carried by the pull."""
import contextlib
import threading
from datetime import date

import pytest

from fieldapp.extensions import db
from fieldapp.models import Enrollment, PolicyParameterSet
from fieldapp.rules.policy import PolicyBook
from fieldapp.syncserver.store import SqlStore
from tests.api.conftest import device_of
from tests.records import hhi_enrollment, household, made_in, person, vsi_enrollment


def due(app, scheme, start, period, **inputs):
    """The amount the policy book computes (the calculator has its own tests)."""
    with app.app_context():
        return PolicyBook.load().compute(scheme, start, period, **inputs).amount_due


def vsi(app, pid, start, period=1, made=None, **data):
    """A VSI sign-up at the poverty line, group other, made in ``made`` (default: its start)."""
    amount = data.pop("amount_due", None)
    if amount is None:
        amount = due(app, "vsi", start, period, monthly_income=1500000, support_group="other")
    return vsi_enrollment(pid, start_month=start, period_months=period, amount_due=amount,
                          client_time=made_in(made) if made else None, **data)


@pytest.fixture
def home(api):
    """col_a's device and a household with four members (adults, not in compulsory SI)."""
    col = api("col_a")
    h = household()
    members = [person(h["id"], full_name=f"Thành viên {n}") for n in range(4)]
    col.push_ok([h, *members])
    return col, h, [m["id"] for m in members]


def one(col, rec):
    [result] = col.push_ok([rec])
    return result


def rejected(result, field):
    assert result["status"] == "rejected", result
    assert list(result["errors"]) == [field], result
    return result["errors"][field][0]


# -- HHI member place ----------------------------------------------------------------------

def test_the_member_place_is_the_households_for_the_year(api, home):
    col, _h, (a, b, c, _d) = home
    first = hhi_enrollment(a, member_order=1)
    assert one(col, first)["status"] == "accepted"
    message = rejected(one(col, hhi_enrollment(b, member_order=1)), "member_order")
    assert message == "Thứ tự của thành viên này trong hộ năm 2025 là 2."
    assert one(col, hhi_enrollment(b, member_order=2, amount_due=884520))["status"] == "accepted"
    # One step past: the third member may not take place 4.
    rejected(one(col, hhi_enrollment(c, member_order=4, amount_due=631800)), "member_order")
    # An edit does not count itself: the first member stays first.
    edit = hhi_enrollment(a, id=first["id"], version=1, member_order=1, receipt_no="BL-1")
    assert one(col, edit)["status"] == "accepted"
    # Another fiscal year starts again at 1.
    assert one(col, hhi_enrollment(c, member_order=1, start_month="2026-01"))["status"] == "accepted"


def test_members_signed_up_together_take_places_in_order(api, home):
    col, _h, (a, b, c, _d) = home
    results = col.push_ok([hhi_enrollment(a, member_order=1),
                           hhi_enrollment(b, member_order=2, amount_due=884520),
                           hhi_enrollment(c, member_order=2, amount_due=884520)])
    assert [r["status"] for r in results] == ["accepted", "accepted", "rejected"]
    assert results[2]["errors"] == {"member_order": ["Thứ tự của thành viên này trong hộ năm 2025 là 3."]}


def _race(app, world, records, monkeypatch):
    """Two devices push at once; on SQLite both have judged before either writes (the second
    must notice the first's write under the lock and judge again); on PostgreSQL the second
    waits on the household's lock. Returns the two results."""
    original = SqlStore.plan
    met = threading.Barrier(2)
    calls = []

    def plan(self, writes):
        calls.append(None)
        if len(calls) <= 2:
            # PostgreSQL: the other push waits on the household's lock, not here.
            with contextlib.suppress(threading.BrokenBarrierError):
                met.wait(timeout=3)
        return original(self, writes)

    monkeypatch.setattr(SqlStore, "plan", plan)
    devices = [device_of(app, world.users["col_a"], "phone"),
               device_of(app, world.users["col_a2"], "second phone")]
    answers, errors = [None, None], []
    start = threading.Barrier(2)

    def run(n):
        try:
            start.wait(timeout=30)
            answers[n] = devices[n].push([records[n]])
        except Exception as exc:  # a 5xx fails inside Device.push
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    return [resp.get_json()["results"][0] for resp in answers]


def test_two_phones_pushing_member_one_at_once(app, world, home, monkeypatch):
    _col, _h, (a, b, _c, _d) = home
    records = [hhi_enrollment(a, member_order=1), hhi_enrollment(b, member_order=1)]
    results = _race(app, world, records, monkeypatch)
    statuses = sorted(r["status"] for r in results)
    assert statuses == ["accepted", "rejected"], results
    loser = next(r for r in results if r["status"] == "rejected")
    assert loser["errors"] == {"member_order": ["Thứ tự của thành viên này trong hộ năm 2025 là 2."]}
    with app.app_context():
        assert db.session.query(Enrollment).count() == 1


def test_two_phones_pushing_overlapping_periods_of_one_person(app, world, home, monkeypatch):
    _col, _h, (a, *_rest) = home
    results = _race(app, world, [vsi(app, a, "2025-09", 3), vsi(app, a, "2025-10", 1)],
                    monkeypatch)
    assert sorted(r["status"] for r in results) == ["accepted", "rejected"], results


# -- VSI eligibility -----------------------------------------------------------------------

def test_fifteen_on_the_first_day_of_the_start_month(app, api, home):
    col, h, _m = home
    on_the_first = person(h["id"], birth_date="2010-09-01")
    day_after = person(h["id"], birth_date="2010-09-02")
    col.push_ok([on_the_first, day_after])
    assert one(col, vsi(app, on_the_first["id"], "2025-09"))["status"] == "accepted"
    # On 1 September 2025 the second one is 14 (15 the next day): not yet.
    message = rejected(one(col, vsi(app, day_after["id"], "2025-09")), "person")
    assert "02/09/2025" in message
    assert one(col, vsi(app, day_after["id"], "2025-10"))["status"] == "accepted"


def test_compulsory_si_cannot_join_vsi(app, api, home):
    col, h, _m = home
    worker = person(h["id"], coverage="compulsory_si")
    col.push_ok([worker])
    assert rejected(one(col, vsi(app, worker["id"], "2025-09")), "person") == (
        "Người này đang tham gia BHXH bắt buộc nên không thể tham gia BHXH tự nguyện.")
    # HHI is not for VSI's rule.
    assert one(col, hhi_enrollment(worker["id"]))["status"] == "accepted"


def test_two_vsi_periods_of_one_person_never_overlap(app, api, home):
    col, _h, (a, *_rest) = home
    assert one(col, vsi(app, a, "2025-09", 3))["status"] == "accepted"  # Sep, Oct, Nov
    message = rejected(one(col, vsi(app, a, "2025-11", 1)), "start_month")
    assert "09/2025" in message and "11/2025" in message
    assert one(col, vsi(app, a, "2025-12", 1))["status"] == "accepted"


# -- the start window ----------------------------------------------------------------------

@pytest.mark.parametrize("period, earliest, too_early", [
    (1, "2025-09", "2025-08"), (3, "2025-07", "2025-06"),
    (6, "2025-06", "2025-05"), (12, "2025-03", "2025-02")])
def test_each_period_starts_no_earlier_than_its_deadline_allows(app, api, home, period, earliest,
                                                               too_early):
    col, h, _m = home
    p, q = person(h["id"]), person(h["id"])
    col.push_ok([p, q])
    assert one(col, vsi(app, p["id"], earliest, period, made="2025-09"))["status"] == "accepted"
    message = rejected(one(col, vsi(app, q["id"], too_early, period, made="2025-09")), "start_month")
    assert "chưa được hỗ trợ" in message  # back payment: not handled yet, said plainly


@pytest.mark.parametrize("period", [1, 3, 6, 12])
def test_each_period_starts_at_most_twelve_months_ahead(app, api, home, period):
    col, h, _m = home
    p, q = person(h["id"]), person(h["id"])
    col.push_ok([p, q])
    assert one(col, vsi(app, p["id"], "2026-09", period, made="2025-09"))["status"] == "accepted"
    message = rejected(one(col, vsi(app, q["id"], "2026-10", period, made="2025-09")), "start_month")
    assert "09/2026" in message


def test_the_window_is_the_first_versions_month(app, api, home):
    col, _h, (a, *_rest) = home
    first = vsi(app, a, "2025-09", 1, made="2025-09")
    one(col, first)
    later = vsi(app, a, "2025-09", 1, made="2026-05", id=first["id"], version=1, receipt_no="BL-7")
    assert one(col, later)["status"] == "accepted"
    assert col.latest()[first["id"]]["server"]["made_month"] == "2025-09"


def test_hhi_never_starts_before_the_month_it_was_made_in(app, api, home):
    col, _h, (a, *_rest) = home
    message = rejected(one(col, hhi_enrollment(a, start_month="2025-08",
                                                client_time=made_in("2025-09"))), "start_month")
    assert "09/2025" in message
    assert one(col, hhi_enrollment(a, client_time=made_in("2025-09")))["status"] == "accepted"


# -- the 120-month cap ---------------------------------------------------------------------

def _months_ahead(month, n):
    index = int(month[:4]) * 12 + int(month[5:]) - 1 + n
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def test_state_support_stops_after_120_months(app, api, home):
    col, _h, (a, *_rest) = home
    history, start = [], "2025-07"
    for _ in range(9):  # 108 months
        history.append(vsi(app, a, start, 12))
        start = _months_ahead(start, 12)
    for _ in range(11):  # 119 months
        history.append(vsi(app, a, start, 1))
        start = _months_ahead(start, 1)
    assert {r["status"] for r in col.push_ok(history)} == {"accepted"}
    supported, gross = 264000, 330000
    # The 120th supported month.
    assert one(col, vsi(app, a, start, 1, amount_due=supported))["status"] == "accepted"
    start = _months_ahead(start, 1)
    # The 121st: no support any more.
    assert rejected(one(col, vsi(app, a, start, 1, amount_due=supported)), "amount_due") == (
        f"expected {gross}")
    assert one(col, vsi(app, a, start, 1, amount_due=gross))["status"] == "accepted"


def test_a_period_across_the_cap_is_supported_up_to_it(app, api, home):
    col, _h, (a, *_rest) = home
    history = [vsi(app, a, _months_ahead("2025-07", 12 * n), 12) for n in range(9)]
    history += [vsi(app, a, _months_ahead("2034-07", n), 1) for n in range(10)]  # 118 months
    col.push_ok(history)
    # 3 months from the 119th: two supported, one at the full rate.
    rec = vsi(app, a, "2035-05", 3, amount_due=2 * 264000 + 330000)
    assert one(col, rec)["status"] == "accepted"


# -- a paid enrollment keeps its amount ----------------------------------------------------

def test_an_edit_keeps_the_amount_after_the_parameters_changed(app, api, home):
    col, _h, (a, *_rest) = home
    rec = vsi(app, a, "2025-09", 3)
    one(col, rec)
    with app.app_context():
        latest = PolicyBook.load().sets[-1].params
        db.session.add(PolicyParameterSet(effective_from=date(2025, 9, 1),
                                          params={**latest, "vsi_support_bp": {
                                              **latest["vsi_support_bp"], "other": 2500}}))
        db.session.commit()
    keep = vsi(app, a, "2025-09", 3, id=rec["id"], version=1, receipt_no="BL-42", paid=True,
               amount_due=rec["data"]["amount_due"])
    assert one(col, keep)["status"] == "accepted"
    with app.app_context():
        stored = db.session.get(Enrollment, rec["id"])
        assert (stored.amount_due, stored.monthly_amount) == (792000, 264000)
    # Changing an input of the amount prices it afresh.
    moved = vsi(app, a, "2025-09", 1, id=rec["id"], version=2, amount_due=264000)
    assert rejected(one(col, moved), "amount_due") == "expected 247500"


# -- HHI support groups --------------------------------------------------------------------

def test_an_hhi_group_lowers_the_amount(app, api, home):
    col, _h, (a, *_rest) = home
    # Near-poor: the State pays at least 70 % of 105.300 a month.
    full = hhi_enrollment(a, hhi_group="near_poor")
    assert rejected(one(col, full), "amount_due") == "expected 379080"
    rec = hhi_enrollment(a, hhi_group="near_poor", amount_due=379080)
    assert one(col, rec)["status"] == "accepted"
    with app.app_context():
        stored = db.session.get(Enrollment, rec["id"])
        assert (stored.hhi_group, stored.monthly_support) == ("near_poor", 73710)
    assert col.latest()[rec["id"]]["data"]["hhi_group"] == "near_poor"


# -- kinds of sign-up ----------------------------------------------------------------------

def test_new_renewed_and_resumed(app, api, home):
    col, _h, (a, b, *_rest) = home
    first = vsi(app, a, "2025-09", 3)
    renewed = vsi(app, a, "2025-12", 1)
    resumed = vsi(app, a, "2026-03", 1)
    hhi = hhi_enrollment(b)
    col.push_ok([first, renewed, resumed, hhi])
    latest = col.latest()
    assert [latest[r["id"]]["server"]["kind"] for r in (first, renewed, resumed, hhi)] == [
        "new", "renewed", "resumed", "new"]
    with app.app_context():
        assert db.session.get(Enrollment, resumed["id"]).kind == "resumed"
