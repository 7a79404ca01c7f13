"""The app's table of conditionally required fields says what the record forms enforce (#4).

The phone marks "follow-up date" required only when the outcome is "interested", and so on;
the rule itself lives in fieldapp/records/forms.py. If either side changes alone, this fails.
"""
import pytest

from fieldapp.collector.formmeta import REQUIRED_WHEN
from fieldapp.records.forms import validate_record

BASE = {
    "visit": {"household": "6f1c1f0e-1111-4111-8111-111111111111",
              "visited_at": "2026-11-25T09:30:00+07:00", "outcome": "not_home"},
    "enrollment": {"person": "6f1c1f0e-2222-4222-8222-222222222222", "scheme": "hhi",
                   "start_month": "2025-09", "period_months": 12, "amount_due": 1263600,
                   "member_order": 1, "monthly_income": 1500000, "support_group": "other"},
}
CASES = [(t, f, other, value) for t, fields in REQUIRED_WHEN.items()
         for f, (other, value, _msg) in fields.items()]


@pytest.mark.parametrize("record_type, field, other, value", CASES)
def test_required_exactly_when_the_other_field_has_the_value(app, record_type, field, other, value):
    data = dict(BASE[record_type])
    data.pop(field, None)
    with app.test_request_context():
        data[other] = value
        _clean, errors = validate_record(record_type, data)
        assert field in errors
        others = [v for v in _choices(other) if v != value]
        data[other] = others[0]
        _clean, errors = validate_record(record_type, data)
        assert field not in errors


def _choices(field):
    from fieldapp.forms.choices import values

    return values(field)


def test_the_conditional_message_is_the_forms_own(app):
    from flask_babel import gettext

    data = dict(BASE["visit"], outcome="interested")
    with app.test_request_context():
        _clean, errors = validate_record("visit", data)
        msgid = REQUIRED_WHEN["visit"]["follow_up_on"][2]
        assert errors["follow_up_on"] == [gettext(msgid)]
