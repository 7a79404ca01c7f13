"""The ``payment`` record type (#15): a collector records the money taken for a sign-up.

A payment pays its enrollment's amount, sets the enrollment's ``paid`` and ``receipt_no``
(older clients read those), and its receipt number is unique within the collector's
collection organization, except one receipt for several HHI members of one household paid
the same day.
"""
import pytest

from fieldapp.extensions import db
from fieldapp.models import Enrollment, Organization, Payment, User
from tests import records as R
from tests.device import Device


@pytest.fixture
def col_a(client, world):
    return Device.paired(client, "col_a")


@pytest.fixture
def col_a2(client, world):
    return Device.paired(client, "col_a2")


def _signed_up(device, scheme="vsi", members=1):
    """A household with ``members`` persons, each signed up; returns (household, enrollments)."""
    h = R.household()
    recs, enrollments = [h], []
    for n in range(members):
        p = R.person(h["id"])
        e = (R.vsi_enrollment(p["id"]) if scheme == "vsi" else
             R.hhi_enrollment(p["id"], member_order=n + 1,
                              amount_due=[1263600, 884520, 758160][n]))
        recs += [p, e]
        enrollments.append(e)
    device.accepted(recs)
    return h, enrollments


def test_a_payment_marks_its_enrollment_paid_and_devices_pull_it(app, col_a):
    _h, (e,) = _signed_up(col_a)
    _changes, cursor = col_a.pull_all()
    pay = R.payment(e["id"], receipt_no="BL0000123")
    col_a.accepted([pay])
    latest = col_a.latest(cursor)
    assert latest[pay["id"]]["data"]["receipt_no"] == "BL0000123"
    enrollment = latest[e["id"]]
    assert enrollment["data"]["paid"] is True and enrollment["data"]["receipt_no"] == "BL0000123"
    assert enrollment["version"] == 1  # no new version: the device's next edit does not conflict
    with app.app_context():
        stored = db.session.get(Payment, pay["id"])
        assert stored.organization_id == db.session.get(User, stored.created_by_id).organization_id
        assert db.session.get(Enrollment, e["id"]).paid is True


def test_payment_in_the_same_batch_as_its_sign_up(app, col_a):
    h = R.household()
    p = R.person(h["id"])
    e = R.vsi_enrollment(p["id"])
    col_a.accepted([h, p, e, R.payment(e["id"])])
    with app.app_context():
        assert db.session.get(Enrollment, e["id"]).paid is True


def test_the_amount_must_be_the_amount_due(col_a):
    _h, (e,) = _signed_up(col_a)
    (result,) = col_a.push_ok([R.payment(e["id"], amount=700000)])
    assert result["status"] == "rejected"
    assert result["errors"] == {"amount": ["expected 792000"]}


@pytest.mark.parametrize("field,value", [("method", "cheque"), ("receipt_no", ""),
                                         ("paid_on", "25/11/2026"), ("amount", 0)])
def test_bad_fields_are_named(col_a, field, value):
    _h, (e,) = _signed_up(col_a)
    (result,) = col_a.push_ok([R.payment(e["id"], **{field: value})])
    assert result["status"] == "rejected"
    assert list(result["errors"]) == [field]


def test_a_duplicate_receipt_is_refused_within_the_organization(col_a, col_a2):
    _h, (e1,) = _signed_up(col_a)
    _h2, (e2,) = _signed_up(col_a2)
    col_a.accepted([R.payment(e1["id"], receipt_no="BL-7")])
    (result,) = col_a2.push_ok([R.payment(e2["id"], receipt_no="BL-7")])
    assert result["status"] == "rejected"
    assert list(result["errors"]) == ["receipt_no"]
    # Within one batch too.
    _h3, (e3, ) = _signed_up(col_a)
    _h4, (e4, ) = _signed_up(col_a)
    results = col_a.push_ok([R.payment(e3["id"], receipt_no="BL-8"),
                             R.payment(e4["id"], receipt_no="BL-8")])
    assert [r["status"] for r in results] == ["accepted", "rejected"]
    assert list(results[1]["errors"]) == ["receipt_no"]


def test_another_organization_may_use_the_same_number(app, col_a, client, world):
    with app.app_context():
        other = Organization(code="HTX", name="Hợp tác xã An Lão", kind="cooperative")
        db.session.add(other)
        db.session.flush()
        db.session.get(User, world.users["col_a2"]).organization_id = other.id
        db.session.commit()
    col_a2 = Device.paired(client, "col_a2")
    _h, (e1,) = _signed_up(col_a)
    _h2, (e2,) = _signed_up(col_a2)
    col_a.accepted([R.payment(e1["id"], receipt_no="BL-9")])
    col_a2.accepted([R.payment(e2["id"], receipt_no="BL-9")])


def test_one_receipt_covers_hhi_members_of_one_household_the_same_day(col_a):
    _h, (m1, m2, m3) = _signed_up(col_a, scheme="hhi", members=3)
    col_a.accepted([R.payment(m1["id"], amount=1263600, receipt_no="BL-H1")])
    col_a.accepted([R.payment(m2["id"], amount=884520, receipt_no="BL-H1")])
    # Another day: not the same receipt.
    (result,) = col_a.push_ok([R.payment(m3["id"], amount=758160, receipt_no="BL-H1",
                                         paid_on="2026-11-26")])
    assert result["status"] == "rejected" and list(result["errors"]) == ["receipt_no"]
    # Another household's HHI member: not the same receipt either.
    _h2, (other,) = _signed_up(col_a, scheme="hhi")
    (result,) = col_a.push_ok([R.payment(other["id"], amount=1263600, receipt_no="BL-H1")])
    assert result["status"] == "rejected" and list(result["errors"]) == ["receipt_no"]


def test_a_vsi_payment_never_shares_a_receipt(col_a):
    h = R.household()
    p1, p2 = R.person(h["id"]), R.person(h["id"])
    e1, e2 = R.vsi_enrollment(p1["id"]), R.vsi_enrollment(p2["id"])
    col_a.accepted([h, p1, p2, e1, e2, R.payment(e1["id"], receipt_no="BL-V")])
    (result,) = col_a.push_ok([R.payment(e2["id"], receipt_no="BL-V")])
    assert result["status"] == "rejected"


def test_a_retry_is_a_duplicate_and_an_edit_keeps_its_own_receipt(col_a):
    _h, (e,) = _signed_up(col_a)
    pay = R.payment(e["id"], receipt_no="BL-R")
    col_a.accepted([pay])
    (again,) = col_a.push_ok([pay])
    assert again["status"] == "duplicate"
    edited = dict(pay, version=1, data=dict(pay["data"], method="transfer"))
    col_a.accepted([edited])


def test_payments_are_the_collectors_own(col_a, col_a2):
    _h, (e,) = _signed_up(col_a)
    pay = R.payment(e["id"])
    col_a.accepted([pay])
    assert pay["id"] not in col_a2.latest()
    # Another collector cannot pay a sign-up they cannot see.
    (result,) = col_a2.push_ok([R.payment(e["id"])])
    assert result["status"] == "rejected" and "enrollment" in result["errors"]
