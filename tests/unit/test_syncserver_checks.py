"""Why a pushed record is rejected after its form passed (syncserver/checks.py), through
``SqlStore.check``: each rule's field and message, and the order the rules run in.

A stand-in scope, area tree and policy book: no database, no request (English msgids).
"""
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
    def compute(self, scheme, start_month, period_months, **kw):
        if scheme == "bad":
            raise PremiumError("period_months", "Not a period of this scheme.")
        assert kw["province"] == "31"
        return SimpleNamespace(amount_due=600, monthly_amount=50, monthly_support=0,
                               set_id=4)


def _store(role="collector", holders=None):
    conn = SimpleNamespace(dialect=SimpleNamespace(name="sqlite"))
    store = SqlStore(conn, SimpleNamespace(id=ME), "dev", Scope(role), AREAS, None, Book)
    store.pid_holders = holders or {}
    return store


def _check(kind, data, prior=None, refs=None, rid="r1", **kw):
    item = Item(0, id=rid, type=kind, cleaned=data)
    return _store(**kw).check(item, prior, refs or {})


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
    ("enrollment", {"scheme": "bad", "start_month": "2026-01", "period_months": 5}, None,
     {"person": _in(VILLAGE)}, {}, {"period_months": ["Not a period of this scheme."]}),
    ("enrollment", {"scheme": "vsi", "start_month": "2026-01", "period_months": 12,
                    "amount_due": 601}, None, {"person": _in(VILLAGE)}, {},
     {"amount_due": ["expected 600"]}),
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
    ("enrollment", {"scheme": "vsi", "start_month": "2026-01", "period_months": 12,
                    "amount_due": 600}, None, {"person": _in(VILLAGE)}, {},
     {"area_id": VILLAGE, "owner_id": ME, "monthly_amount": 50, "monthly_support": 0,
      "policy_set_id": 4, "kind": None}),
])
def test_a_record_that_passes_gets_its_facts(kind, data, prior, refs, kw, facts):
    assert _check(kind, data, prior, refs, **kw) == ({}, facts)


def test_every_rule_says_what_it_checks_and_which_field_it_names():
    rules = [checks.kind_allowed, checks.area_known, checks.area_is_village,
             checks.area_in_scope, checks.personal_id_unique, checks.premium_matches]
    for rule in rules:
        assert rule.__doc__ and "Names" in rule.__doc__, rule.__name__
        assert rule.__name__ in checks.__doc__
