"""An id, a reference or a month with a trailing newline is malformed wherever it is checked.

Two copies of the id pattern once differed (``$`` against ``\\Z``): the record id was refused
as malformed, but a reference to "<id>\\n" passed the form and came back as "not found"; a
month "2025-09\\n" passed the form and was caught by the premium rules instead.
"""
from sync import protocol as P
from tests.records import household, person, referral, visit
from tests.records import vsi_enrollment as enrollment


def _errors(api, rec):
    [result] = api("col_a").push_ok([rec])
    assert result["status"] == P.REJECTED, result
    return result["errors"]


def test_a_record_id_ending_in_a_newline_is_malformed(api):
    rec, bad = household(), household(id="not-an-id")
    rec["id"] += "\n"
    assert _errors(api, rec) == _errors(api, bad) and "id" in _errors(api, bad)


def test_a_reference_ending_in_a_newline_is_malformed(api):
    h = household()
    api("col_a").push_ok([h])
    for make in (person, visit, lambda ref: referral(household=ref)):
        errors = _errors(api, make(h["id"] + "\n"))
        assert list(errors) == ["household"]
        assert errors == _errors(api, make("not-an-id"))


def test_a_start_month_ending_in_a_newline_is_malformed(api):
    h = household()
    p = person(h["id"])
    api("col_a").push_ok([h, p])
    errors = _errors(api, enrollment(p["id"], start_month="2025-09\n"))
    assert list(errors) == ["start_month"]
    assert errors == _errors(api, enrollment(p["id"], start_month="2025-13"))
    assert errors == _errors(api, enrollment(p["id"], start_month="\uff12\uff10\uff12\uff15-09"))
