"""Why a pushed record is rejected after its form passed (syncserver/checks.py), through
``SqlStore.check``: each rule's field and message, and the order the rules run in.

A stand-in scope, area tree and policy book: no database, no request (English msgids).
"""
from datetime import date, datetime, timedelta, timezone
from types import SimpleNamespace

import pytest

from fieldapp.rules.areatree import AreaIndex, Node
from fieldapp.rules.policy import PremiumError
from fieldapp.syncserver import checks
from fieldapp.syncserver.store import SqlStore
from sync.merge import Item, State

PROVINCE, COMMUNE, VILLAGE, FAR = 1, 2, 3, 9
AREAS = AreaIndex([Node(PROVINCE, "31", "P", "province", None),
                   Node(COMMUNE, "31001", "C", "commune", PROVINCE),
                   Node(VILLAGE, "31001-1", "V", "village", COMMUNE),
                   Node(FAR, "32001-1", "W", "village", None)])
ME, OTHER = 7, 8


class Scope:
    """A collector (or village head) of the commune: writes anything there, edits only their
    own visits and enrollments."""

    def __init__(self, role="collector"):
        self.role, self.assigned_ids = role, {COMMUNE}
        self.area_ids = frozenset({COMMUNE, VILLAGE})

    def may_write(self, kind, area_id, existing=None):
        if area_id not in self.area_ids:
            return False
        if self.role == "village_head":
            return kind == "referral"
        if kind in ("visit", "enrollment") and existing is not None:
            return existing.created_by_id == ME
        return True


class Book:
    def set_for(self, start_month):
        return SimpleNamespace(params={})  # the published start window (policy.PAY_WITHIN)

    def compute(self, scheme, start_month, period_months, **kw):
        if scheme == "bad":
            raise PremiumError("period_months", "Not a period of this scheme.")
        assert kw["province"] == "31"
        return SimpleNamespace(amount_due=600, monthly_amount=50, monthly_support=0,
                               set_id=4)


ADULT = checks.Participant(date(1980, 5, 5), "none", "h1")
#: The month the sign-ups below are made in (their client time).
MADE = datetime(2026, 1, 10, 9, 30, tzinfo=timezone(timedelta(hours=7)))


def _store(role="collector", holders=None, person=ADULT, signups=()):
    conn = SimpleNamespace(dialect=SimpleNamespace(name="sqlite"))
    store = SqlStore(conn, SimpleNamespace(id=ME), "dev", Scope(role), AREAS, None, Book)
    store.pid_holders = holders or {}
    # What prefetch would have read: the participant p1 and their household's enrollments.
    store.participants = {"p1": person}
    store.household_signups = {"h1": {o.id: o for o in signups}}
    return store


def _check(kind, data, prior=None, refs=None, rid="r1", **kw):
    item = Item(0, id=rid, type=kind, cleaned=data, client_time=MADE)
    return _store(**kw).check(item, prior, refs or {})


def _vsi(**data):
    return {"person": "p1", "scheme": "vsi", "start_month": "2026-01", "period_months": 12,
            "amount_due": 600, **data}


def _hhi(**data):
    return {"person": "p1", "scheme": "hhi", "start_month": "2026-01", "period_months": 12,
            "amount_due": 600, "member_order": 1, **data}


def _held(oid, scheme, start, period, person="p1", n=0):
    return checks.Other(oid, person, scheme, start, period, (0, "2026-01-01", n, oid))


YOUNG = checks.Participant(date(2011, 1, 2), "none", "h1")  # 15 on 2 January 2026
WORKER = checks.Participant(date(1980, 5, 5), "compulsory_si", "h1")
TOO_YOUNG = {"person": ["Voluntary social insurance is for people aged 15 or older on the first "
                        "day of the start month: this person turns 15 on 02/01/2026."]}
COMPULSORY = {"person": ["This person is in compulsory social insurance and cannot join "
                         "voluntary social insurance."]}
BACK_PAYMENT = {"start_month": ["A 12-month period signed up in 01/2026 may start no earlier than "
                                "07/2025. Paying for earlier months (back payment, with a "
                                "surcharge) is not handled yet."]}
OVERLAP = {"start_month": ["This person already has voluntary social insurance from 12/2025 to "
                           "02/2026: two periods cannot overlap."]}


def _in(area, owner=ME):
    return State("household", 1, "", area, owner)


OUTSIDE_AREA = {"area": ["This area is outside your areas."]}
OUTSIDE_RECORD = "This record is outside your areas."
PID_TAKEN = {"personal_id": ["This personal ID is already registered to another person."]}
PID_ELSEWHERE = {"personal_id": ["This personal ID is already registered — ask your supervisor."]}


@pytest.mark.parametrize("kind, data, prior, refs, kw, errors", [
    ("household", {"area": "nope"}, None, None, {"role": "village_head"},
     {"_": ["You may not send this kind of record."]}),
    ("household", {"area": "nope"}, None, None, {}, {"area": ["Unknown area code."]}),
    ("household", {"area": "31001"}, None, None, {},
     {"area": ["Choose a village (thôn or tổ dân phố), not a larger area."]}),
    ("referral", {"area": "31001"}, None, None, {},
     {"area": ["Choose a village (thôn or tổ dân phố), not a larger area."]}),
    ("household", {"area": "32001-1"}, None, None, {}, OUTSIDE_AREA),
    ("outreach", {"area": "31"}, None, None, {}, OUTSIDE_AREA),  # any level, but in scope
    ("person", {"personal_id": "1"}, None, {"household": _in(FAR)},
     {"holders": {"1": {"x": VILLAGE}}}, {"household": [OUTSIDE_RECORD]}),  # scope first
    ("visit", {}, _in(VILLAGE, OTHER), {"household": _in(VILLAGE)}, {},
     {"household": [OUTSIDE_RECORD]}),
    ("enrollment", {"scheme": "bad"}, None, {"person": _in(FAR)}, {},
     {"person": [OUTSIDE_RECORD]}),  # scope before the premium
    ("person", {"personal_id": "1"}, None, {"household": _in(VILLAGE)},
     {"holders": {"1": {"x": VILLAGE}}}, PID_TAKEN),
    ("person", {"personal_id": "1"}, None, {"household": _in(VILLAGE)},
     {"holders": {"1": {"r1": VILLAGE, "x": COMMUNE}}}, PID_TAKEN),
    ("person", {"personal_id": "1"}, None, {"household": _in(VILLAGE)},
     {"holders": {"1": {"x": FAR}}}, PID_ELSEWHERE),
    ("person", {"personal_id": "1"}, None, {"household": _in(VILLAGE)},
     {"holders": {"1": {"x": FAR, "y": VILLAGE}}}, PID_TAKEN),  # one the caller can see
    ("enrollment", {"person": "p1", "scheme": "bad", "start_month": "2026-01",
                    "period_months": 5}, None,
     {"person": _in(VILLAGE)}, {}, {"period_months": ["Not a period of this scheme."]}),
    ("enrollment", _vsi(amount_due=601), None, {"person": _in(VILLAGE)}, {},
     {"amount_due": ["expected 600"]}),
    # The sign-up rules, each alone, then in their order: age, compulsory SI, window, overlap,
    # member place, premium.
    ("enrollment", _vsi(), None, {"person": _in(VILLAGE)}, {"person": YOUNG}, TOO_YOUNG),
    ("enrollment", _vsi(start_month="2025-06", amount_due=1), None, {"person": _in(VILLAGE)},
     {"person": YOUNG._replace(coverage="compulsory_si")}, TOO_YOUNG),
    ("enrollment", _vsi(), None, {"person": _in(VILLAGE)}, {"person": WORKER}, COMPULSORY),
    ("enrollment", _vsi(start_month="2025-06", amount_due=1), None, {"person": _in(VILLAGE)},
     {"person": WORKER}, COMPULSORY),
    ("enrollment", _vsi(start_month="2025-06", amount_due=1), None, {"person": _in(VILLAGE)},
     {"signups": [_held("e0", "vsi", "2025-06", 1)]}, BACK_PAYMENT),
    ("enrollment", _vsi(start_month="2027-02", period_months=1), None, {"person": _in(VILLAGE)},
     {}, {"start_month": ["A period may start at most 12 months after the month it is signed "
                          "up in: no later than 01/2027."]}),
    ("enrollment", _hhi(start_month="2025-12"), None, {"person": _in(VILLAGE)}, {},
     {"start_month": ["Household health insurance cannot start before the month it is signed "
                      "up in (01/2026)."]}),
    ("enrollment", _vsi(amount_due=1), None, {"person": _in(VILLAGE)},
     {"signups": [_held("e0", "vsi", "2025-12", 3)]}, OVERLAP),
    ("enrollment", _hhi(member_order=1, amount_due=1), None, {"person": _in(VILLAGE)},
     {"signups": [_held("e0", "hhi", "2026-03", 3, person="p2")]},
     {"member_order": ["This member's place in the household for 2026 is 2."]}),
    ("enrollment", _hhi(member_order=1, start_month="2025-12"), None, {"person": _in(VILLAGE)},
     {"signups": [_held("e0", "hhi", "2026-03", 3, person="p2")]},
     {"start_month": ["Household health insurance cannot start before the month it is signed "
                      "up in (01/2026)."]}),
])
def test_each_rule_names_its_field_and_message(kind, data, prior, refs, kw, errors):
    assert _check(kind, data, prior, refs, **kw) == (errors, None)


@pytest.mark.parametrize("kind, data, prior, refs, kw, facts", [
    ("household", {"area": "31001-1"}, None, None, {}, {"area_id": VILLAGE, "owner_id": ME}),
    ("outreach", {"area": "31001"}, None, None, {}, {"area_id": COMMUNE, "owner_id": ME}),
    ("referral", {"area": "31001-1"}, None, None, {"role": "village_head"},
     {"area_id": VILLAGE, "owner_id": ME}),
    ("person", {"personal_id": "1"}, _in(VILLAGE, OTHER), {"household": _in(VILLAGE)},
     {"holders": {"1": {"r1": FAR}}}, {"area_id": VILLAGE, "owner_id": OTHER}),
    ("person", {"personal_id": ""}, None, {"household": _in(VILLAGE)},
     {"holders": {"": {"x": FAR}}}, {"area_id": VILLAGE, "owner_id": ME}),
    ("enrollment", _vsi(), None, {"person": _in(VILLAGE)}, {},
     {"area_id": VILLAGE, "owner_id": ME, "monthly_amount": 50, "monthly_support": 0,
      "policy_set_id": 4, "kind": "new", "made_month": "2026-01"}),
    # Edges: 15 on the first day; the earliest yearly start; the next period (renewed); the
    # second member of a household, in another year than a first member's.
    ("enrollment", _vsi(), None, {"person": _in(VILLAGE)},
     {"person": YOUNG._replace(birth_date=date(2011, 1, 1))},
     {"area_id": VILLAGE, "owner_id": ME, "monthly_amount": 50, "monthly_support": 0,
      "policy_set_id": 4, "kind": "new", "made_month": "2026-01"}),
    ("enrollment", _vsi(start_month="2025-07"), None, {"person": _in(VILLAGE)},
     {"signups": [_held("e0", "vsi", "2025-06", 1)]},
     {"area_id": VILLAGE, "owner_id": ME, "monthly_amount": 50, "monthly_support": 0,
      "policy_set_id": 4, "kind": "renewed", "made_month": "2026-01"}),
    ("enrollment", _hhi(member_order=2), None, {"person": _in(VILLAGE)},
     {"signups": [_held("e0", "hhi", "2026-03", 3, person="p2"),
                  _held("e1", "hhi", "2025-03", 12, person="p3")]},
     {"area_id": VILLAGE, "owner_id": ME, "monthly_amount": 50, "monthly_support": 0,
      "policy_set_id": 4, "kind": "new", "made_month": "2026-01"}),
])
def test_a_record_that_passes_gets_its_facts(kind, data, prior, refs, kw, facts):
    assert _check(kind, data, prior, refs, **kw) == ({}, facts)


def test_every_rule_says_what_it_checks_and_which_field_it_names():
    rules = [checks.kind_allowed, checks.area_known, checks.area_is_village,
             checks.area_in_scope, checks.personal_id_unique, checks.vsi_old_enough,
             checks.vsi_not_compulsory, checks.start_in_window, checks.vsi_no_overlap,
             checks.hhi_member_place, checks.premium_matches]
    for rule in rules:
        assert rule.__doc__ and "Names" in rule.__doc__, rule.__name__
        assert rule.__name__ in checks.__doc__


def test_the_rules_run_in_the_documented_order():
    """checks.py's docstring lists them in the order SqlStore.check runs them."""
    names = ["kind_allowed", "area_known", "area_is_village", "area_in_scope",
             "personal_id_unique", "vsi_old_enough", "vsi_not_compulsory", "start_in_window",
             "vsi_no_overlap", "hhi_member_place", "premium_matches"]
    positions = [checks.__doc__.index(f"``{name}``") for name in names]
    assert positions == sorted(positions)
