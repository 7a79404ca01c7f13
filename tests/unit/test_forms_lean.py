"""LeanForm runs the record forms' rules with its own driver: it must judge exactly as WTForms.

Every comparison validates the same record twice, with the plan (``lean.ENABLED``) and with
WTForms' stock ``Form.process`` / ``Form.validate``, and requires the same cleaned data and
the same error messages field by field.
"""
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wtforms import StringField
from wtforms.validators import Length, Optional

from bench.data import mixed_batches, server_tasks
from fieldapp.records import lean
from fieldapp.records.forms import validate_record
from fieldapp.records.types import RECORD_FORMS

UUIDS = [str(uuid.UUID(int=n)) for n in range(1, 4)] + ["F" * 8 + "-" + "A" * 4 + "-4aaa-8aaa-" + "b" * 12]
TEXTS = st.sampled_from(["", " ", "  \t", "x", "x" * 33, "x" * 201, "x" * 1001, "31001-1", "31001",
                         "0912345678", "+84 912 345 678", "84912345678", "012", "2025-09", "2025-13",
                         "1999-09", "2026-11-25", "2026-1-5", "1899-12-31", "2099-01-01",
                         "2026-11-25T09:30:00+07:00", "2026-11-25T09:30:00", "vsi", "hhi",
                         "interested", "not_home", "female", "male", "other", "poor", "near_poor",
                         "head", "child", "none", "farmer", "small_group", "conference",
                         "001203004567", "12345678901", "1234567890", "12", "-3", "1.5", "0",
                         "500", "99999999999999999", "true", "false", "y"] + UUIDS)
NUMBERS = st.integers(-5, 10**13) | st.floats(allow_nan=False, allow_infinity=False)
SCALARS = st.none() | st.booleans() | NUMBERS | TEXTS | st.text(max_size=8)
LOCATION = st.fixed_dictionaries({}, optional={"lat": SCALARS, "lon": SCALARS, "accuracy_m": SCALARS})
VALUES = SCALARS | st.lists(TEXTS | st.integers(), max_size=3) | LOCATION


def _record(kind):
    names = list(RECORD_FORMS[kind]()._fields)
    return st.dictionaries(st.sampled_from(names + ["unknown"]), VALUES, max_size=len(names) + 1)


def _both(kind, data, monkeypatch):
    monkeypatch.setattr(lean, "ENABLED", True)
    planned = validate_record(kind, data)
    monkeypatch.setattr(lean, "ENABLED", False)
    stock = validate_record(kind, data)
    monkeypatch.setattr(lean, "ENABLED", True)
    return planned, stock


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield


@pytest.mark.parametrize("kind", sorted(RECORD_FORMS))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_generated_records_judged_alike(kind, data, ctx, monkeypatch):
    record = data.draw(_record(kind))
    planned, stock = _both(kind, record, monkeypatch)
    assert planned == stock


def test_realistic_records_judged_alike_and_valid(ctx, monkeypatch):
    records = [r for batch in [*mixed_batches(1500), server_tasks(6)] for r in batch]
    assert {r["type"] for r in records} == set(RECORD_FORMS)
    for record in records:
        planned, stock = _both(record["type"], record["data"], monkeypatch)
        assert planned == stock
        assert planned[1] == {}, (record, planned)


@pytest.mark.parametrize("kind,data,field", [
    ("person", {"household": UUIDS[0], "full_name": " ", "birth_date": "2026-13-01", "sex": "x"},
     "birth_date"),
    ("visit", {"household": "nope", "visited_at": "2026-11-25T09:30:00+07:00",
               "outcome": "interested", "location": {"lat": 91, "lon": 1}}, "follow_up_on"),
    ("enrollment", {"person": UUIDS[1], "scheme": "vsi", "start_month": "2026-12",
                    "period_months": 3, "amount_due": 1}, "monthly_income"),
    ("household", {"area": "x" * 40, "address": "", "head_name": "A", "phone": "123"}, "phone"),
])
def test_invalid_records_same_messages(kind, data, field, ctx, monkeypatch):
    planned, stock = _both(kind, data, monkeypatch)
    assert planned == stock
    assert planned[0] is None and field in planned[1]


@pytest.mark.parametrize("kind,data", [
    ("household", {"area": "31001-1", "address": "Thôn 1", "head_name": "A", "phone": "  "}),
    ("outreach", {"area": "31001", "kind": "small_group", "held_at": "2026-11-25T09:30:00+07:00",
                  "attendees": 5, "leads": " "}),
])
def test_blank_optional_field_clears_its_errors(kind, data, ctx, monkeypatch):
    """Optional() on a blank value drops what processing or pre_validate complained of."""
    planned, stock = _both(kind, data, monkeypatch)
    assert planned == stock
    assert planned[1] == {}, planned


def test_every_record_form_runs_the_plan():
    """A record form falling back to the stock driver would silently slow every push."""
    for form_class in RECORD_FORMS.values():
        form = form_class()
        assert lean._plan(form) is not None, form_class


def test_unknown_features_keep_the_stock_driver(ctx):
    class Filtered(lean.LeanForm):
        name = StringField("n", [Optional(), Length(max=3)], filters=[lambda v: v.upper() if v else v])

    class Defaulted(lean.LeanForm):
        name = StringField("n", default="abc")

    for form_class in (Filtered, Defaulted):
        assert lean._plan(form_class()) is None
    form = Filtered()
    form.process(formdata=_Data(name=["ab"]))
    assert form.validate() and form.name.data == "AB"
    form = Defaulted()
    form.process(formdata=_Data())
    assert form.name.data == "abc"


class _Data(dict):
    def __init__(self, **values):
        super().__init__(values)

    def getlist(self, key):
        return self.get(key, [])
