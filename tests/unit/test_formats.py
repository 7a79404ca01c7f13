"""Vietnamese formats for numbers, money, percentages and dates (docs/glossary.md)."""
from datetime import UTC, date, datetime

import pytest

from fieldapp.i18n import format_date, format_datetime, format_money, format_number, format_percent


@pytest.mark.parametrize("value, shown", [
    (1500000, "1.500.000 ₫"), (0, "0 ₫"), (792000, "792.000 ₫"), (-66000, "-66.000 ₫"),
    (None, ""),
])
def test_money(value, shown):
    assert format_money(value) == shown


def test_number_and_percent():
    assert format_number(36421) == "36.421"
    assert format_percent(0.8993) == "89,93%"
    assert format_percent(0.0035) == "0,35%"


def test_dates_in_local_time(app):
    with app.app_context():
        assert format_date(date(2026, 11, 25)) == "25/11/2026"
        assert format_date("2026-11-25") == "25/11/2026"
        # 20:00 UTC on the 24th is 03:00 on the 25th in Hà Nội
        late = datetime(2026, 11, 24, 20, 0, tzinfo=UTC)
        assert format_date(late) == "25/11/2026"
        assert format_datetime(late) == "25/11/2026 03:00"


def test_enrolled_has_two_vietnamese_words(app):
    """A referral that joined is "Đã tham gia" (docs/glossary.md's chips); a visit's outcome stays
    "Đã đăng ký": the same English, two senses (a message context)."""
    from flask_babel import force_locale

    from fieldapp.forms.choices import labels_json

    with app.test_request_context(), force_locale("vi"):
        labels = labels_json()
    assert labels["referral_status"]["enrolled"] == "Đã tham gia"
    assert labels["outcome"]["enrolled"] == "Đã đăng ký"
