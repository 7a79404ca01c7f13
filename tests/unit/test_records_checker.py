"""The compiled checker (records/checker.py) judges every record exactly as its form does.

Each record is judged twice: by ``validate_record`` (the checker first, the form for what the
checker does not accept) and by ``validate_with_form`` (the form alone, WTForms' rules as
declared). Both must give the same cleaned values and the same messages, field by field; the
checker alone must never accept a record the form refuses, nor clean a value differently.
"""
import random
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.data import mixed_batches, server_tasks
from fieldapp.records import checker
from fieldapp.records.forms import _checker_for, validate_record, validate_with_form
from fieldapp.records.types import RECORD_FORMS
from tests.unit.test_forms_lean import TEXTS, UUIDS, VALUES, _record


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield


def _judged_alike(kind, data):
    """Compare the checker, the push's path and the form on one record; the form's verdict."""
    form = validate_with_form(kind, data)
    assert validate_record(kind, data) == form, (kind, data)
    fast = _checker_for(kind)(data)
    if fast is not None:  # the checker accepted: the form must accept with the same values
        assert form == (fast, {}), (kind, data)
    return form, fast


def test_every_record_form_compiles(ctx):
    """A form without a checker would silently slow every push back to the form's pace."""
    for kind in RECORD_FORMS:
        assert _checker_for(kind) is not None, kind


@pytest.mark.parametrize("kind", sorted(RECORD_FORMS))
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_generated_records_judged_alike(kind, data, ctx):
    _judged_alike(kind, data.draw(_record(kind)))


def test_realistic_records_accepted_by_the_checker(ctx):
    records = [r for batch in [*mixed_batches(1500), server_tasks(6)] for r in batch]
    assert {r["type"] for r in records} == set(RECORD_FORMS)
    for record in records:
        form, fast = _judged_alike(record["type"], record["data"])
        assert form[1] == {}, record
        assert fast is not None, record  # the push's usual record never needs the form


#: Values a mutated record's field takes: every JSON type, blanks, edge lengths and numbers.
_MUTATIONS = [None, "", " ", "\t", "x", "x" * 33, "x" * 301, "x" * 1001, 0, 1, -1, 1.5, 10**13,
              True, False, [], ["vsi"], ["vsi", "vsi", "hhi"], ["nope"], [1], {}, {"lat": 1},
              "2026-11-25", "2026-02-30", "2026-11-25T09:30:00+07:00", "2026-11-25T09:30:00",
              "2026-12", "1999-12", "0912 345 678", "+84912345678", "012", "001203004567",
              "12345678901", "1234567890", "7", "120", "121", "-3", "0x10", "١٢", "‮abc",
              "interested", "vsi", "hhi", "poor", "cash", "farmer", "head", "female",
              str(uuid.UUID(int=7)).upper(), "nope",
              {"lat": 20.5, "lon": 106.1, "accuracy_m": 5}, {"lat": 91, "lon": 1},
              {"lat": 20.5}, {"lat": "20.5", "lon": 106}, {"lat": True, "lon": 1},
              {"lat": float("nan"), "lon": 1}, {"lat": 1e308, "lon": 1}]


def test_mutated_realistic_records_judged_alike(ctx):
    """A wide corpus: realistic records with one to three fields changed to every kind of
    value (or dropped), valid and invalid; both verdicts must occur for every type."""
    rng = random.Random(16)
    records = [r for batch in [*mixed_batches(600), server_tasks(6)] for r in batch]
    verdicts = {}
    for record in records:
        kind = record["type"]
        names = list(RECORD_FORMS[kind]()._fields) + ["location-lat", "unknown"]
        for _ in range(6):
            data = dict(record["data"])
            for name in rng.sample(names, rng.randint(1, 3)):
                if rng.random() < 0.2:
                    data.pop(name, None)
                else:
                    data[name] = rng.choice(_MUTATIONS)
            form, fast = _judged_alike(kind, data)
            verdicts.setdefault(kind, set()).add((not form[1], fast is not None))
    for kind, seen in verdicts.items():
        assert (True, True) in seen and (False, False) in seen, (kind, seen)


@pytest.mark.parametrize("kind,data", [
    ("household", {"area": "31001-1", "address": "Thôn 1", "head_name": "A", "phone": "  "}),
    ("outreach", {"area": "31001", "kind": "small_group", "held_at": "2026-11-25T09:30:00+07:00",
                  "attendees": 5, "leads": " "}),
    ("visit", {"household": UUIDS[0], "visited_at": "2026-11-25T09:30:00+07:00",
               "outcome": "not_home", "location": {"lat": 20, "lon": 106},
               "location-lat": "95"}),
    ("visit", {"household": UUIDS[0], "visited_at": "2026-11-25T09:30:00+07:00",
               "outcome": "interested", "follow_up_on": "2026-11-24"}),
    ("enrollment", {"person": UUIDS[1], "scheme": "vsi", "start_month": "2026-12",
                    "period_months": "3", "amount_due": 1, "support_group": "poor"}),
])
def test_unusual_records_judged_alike(kind, data, ctx):
    """Blank optional values, a sub-form key given at the top, cross-field rules."""
    _judged_alike(kind, data)


@pytest.mark.parametrize("kind", sorted(RECORD_FORMS))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=VALUES, text=TEXTS)
def test_refused_records_keep_the_forms_messages(kind, value, text, ctx, monkeypatch):
    """With the checker off, the push's path gives what it gives with it on."""
    names = list(RECORD_FORMS[kind]()._fields)
    data = {name: (value if i % 2 else text) for i, name in enumerate(names)}
    with_checker = validate_record(kind, data)
    monkeypatch.setattr(checker, "ENABLED", False)
    assert validate_record(kind, data) == with_checker
