"""Premium calculator (issue #2): the worked examples (tests/fixtures/premiums.json),
boundaries, set selection."""
import json
from datetime import date
from pathlib import Path

import pytest

from fieldapp.extensions import db
from fieldapp.models import AuditEntry, PolicyParameterSet
from fieldapp.rules import policy
from fieldapp.rules.policy import PolicyBook, PremiumError, parameter_sets, seed_parameters
from tests.conftest import make_app, reset_schema

FIXTURE = Path(__file__).parent.parent / "fixtures" / "premiums.json"
CASES = json.loads(FIXTURE.read_text())


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """(PolicyBook, parameter_sets()) of a database seeded by seed_parameters()."""
    app = make_app(tmp_path_factory.mktemp("policy"))
    reset_schema(app)
    with app.app_context():
        seed_parameters()
        db.session.commit()
        out = PolicyBook.load(), parameter_sets()
        db.session.remove()
        db.engine.dispose()
    return out


def run_case(book, case):
    """compute() with the fixture's form fields (a missing field is passed as None)."""
    inputs = dict(case["inputs"])
    period = inputs.pop("period_months", None)
    return book.compute(case["scheme"], case["start_month"], period, **inputs)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_fixture_case(seeded, case):
    book, _sets = seeded
    expected = case["expected"]
    if "error" in expected:
        with pytest.raises(PremiumError) as err:
            run_case(book, case)
        assert err.value.field == expected["error"]
        return
    premium = run_case(book, case)
    assert {k: getattr(premium, k) for k in expected} == expected
    assert premium.monthly_gross == premium.monthly_amount + premium.monthly_support


def test_fixture_covers_the_worked_examples():
    names = [c["name"] for c in CASES if c["name"].startswith("worked example")]
    assert len(names) == 7


def test_seeded_sets_are_the_domain_sets(seeded):
    _book, sets = seeded
    assert [(s["effective_from"], s["base_salary"], s["vsi_support_bp"]["poor"]) for s in sets] == [
        ("2022-01-01", 1_490_000, 3000), ("2023-07-01", 1_800_000, 3000),
        ("2024-07-01", 2_340_000, 3000), ("2025-07-01", 2_340_000, 5000)]
    assert all(s["poverty_line"] == 1_500_000 and s["vsi_rate_bp"] == 2200 for s in sets)


def test_parameter_sets_are_plain_json_and_rebuild_the_same_book(seeded):
    book, sets = seeded
    assert json.loads(json.dumps(sets)) == sets
    again = PolicyBook(sets)
    for case in CASES:
        if "error" not in case["expected"]:
            a, b = run_case(book, case), run_case(again, case)
            assert (a.monthly_amount, a.amount_due) == (b.monthly_amount, b.amount_due)


def test_seed_is_idempotent_and_never_overwrites(app):
    with app.app_context():
        assert seed_parameters() == 4
        db.session.commit()
        row = db.session.scalar(db.select(PolicyParameterSet).filter_by(
            effective_from=date(2025, 7, 1)))
        row.params = {**row.params, "base_salary": 2_500_000}
        db.session.commit()
        assert seed_parameters() == 0
        db.session.commit()
        assert db.session.query(PolicyParameterSet).count() == 4
        premium = PolicyBook.load().compute("hhi", "2025-09", 3, member_order=1)
        assert premium.monthly_amount == 112_500
        assert db.session.query(AuditEntry).filter_by(entity="policy_parameter_set").count() == 4


def test_premium_names_the_set_it_used(app):
    with app.app_context():
        seed_parameters()
        db.session.commit()
        row = db.session.scalar(db.select(PolicyParameterSet).filter_by(
            effective_from=date(2024, 7, 1)))
        premium = PolicyBook.load().compute("vsi", "2025-06", 3, 1_500_000, "other")
        assert (premium.set_id, premium.effective_from) == (row.id, date(2024, 7, 1))


def _sets(*dates, **changes):
    base = {"effective_from": None, **policy._seed_sets()[-1][1], **changes}
    return [{**base, "effective_from": d, "id": i} for i, d in enumerate(dates, 1)]


@pytest.mark.parametrize("month, set_id", [
    ("2026-06", 1),   # before the second set
    ("2026-07", 1),   # the second set starts mid-July: not yet in force on July 1st
    ("2026-08", 2),
    ("2030-01", 2),
    ("2025-07", 1),   # the first set's own month
])
def test_set_for_takes_the_set_in_force_on_the_first(month, set_id):
    book = PolicyBook(_sets("2025-07-01", "2026-07-15"))
    assert book.set_for(month).id == set_id


@pytest.mark.parametrize("month", ["2025-06", "1999-01"])
def test_no_set_in_force_names_start_month(month):
    book = PolicyBook(_sets("2025-07-01"))
    with pytest.raises(PremiumError) as err:
        book.set_for(month)
    assert err.value.field == "start_month"
    assert month in err.value.message


@pytest.mark.parametrize("month", ["2025-7", "2025-00", "0000-01", "2025-07\n", "", None, 202507,
                                   ["2025-07"], "２０２５-07"])
def test_malformed_start_month(month):
    book = PolicyBook(_sets("2025-07-01"))
    with pytest.raises(PremiumError) as err:
        book.compute("hhi", month, 3, member_order=1)
    assert err.value.field == "start_month"


@pytest.mark.parametrize("value", [True, 1.0, "1 500 000", "١٥٠٠٠٠٠", [1500000], {"a": 1}])
def test_income_must_be_whole_dong(value):
    book = PolicyBook(_sets("2025-07-01"))
    with pytest.raises(PremiumError) as err:
        book.compute("vsi", "2025-09", 3, value, "other")
    assert err.value.field == "monthly_income"


@pytest.mark.parametrize("group", [["poor"], {"poor": 1}, None, ""])
def test_unhashable_or_empty_support_group_is_an_input_error(group):
    book = PolicyBook(_sets("2025-07-01"))
    with pytest.raises(PremiumError) as err:
        book.compute("vsi", "2025-09", 3, 1_500_000, group)
    assert err.value.field == "support_group"


def test_floor_and_ceiling_messages_state_the_limit():
    book = PolicyBook(_sets("2025-07-01"))
    with pytest.raises(PremiumError) as low:
        book.compute("vsi", "2025-09", 3, 1_499_999, "other")
    with pytest.raises(PremiumError) as high:
        book.compute("vsi", "2025-09", 3, 46_800_001, "other")
    assert "1.500.000 ₫" in low.value.message
    assert "46.800.000 ₫" in high.value.message and "20 ×" in high.value.message


def test_message_is_vietnamese_in_a_request(app):
    book = PolicyBook(_sets("2025-07-01"))
    with pytest.raises(PremiumError) as err:
        book.compute("vsi", "2025-09", 3, 1_000_000, "other")
    with app.test_request_context("/"):
        text = err.value.message
    assert "1.500.000 ₫" in text and text != err.value.msgid % err.value.params
    assert "thu nhập" in text


def test_every_message_has_a_vietnamese_translation():
    from fieldapp.i18n import catalog

    vi = catalog("vi")
    msgids = [v for k, v in vars(policy).items() if k.startswith("MSG_")]
    assert len(msgids) == 10
    assert [m for m in msgids if m not in vi] == []


PROVINCE = {"province_support": {"01": {"vsi_bp": {"other": 1000, "poor": 10000},
                                        "hhi_bp": {"near_poor": 3000}}}}


@pytest.mark.parametrize("args, province, expected", [
    (("vsi", "2025-09", 3, 1_500_000, "other"), None, (264_000, 66_000)),
    (("vsi", "2025-09", 3, 1_500_000, "other"), "01", (231_000, 99_000)),
    (("vsi", "2025-09", 3, 1_500_000, "other"), "31", (264_000, 66_000)),
    (("vsi", "2025-09", 3, 1_500_000, "poor"), "01", (0, 330_000)),  # capped at the gross
    (("vsi", "2025-09", 3, 5_000_000, "poor"), "01", (605_000, 495_000)),
    # HHI support follows the enrollment's hhi_group (#14): the State's 70 % for a near-poor
    # household everywhere, and the province's 30 % on top where it adds it.
    (("hhi", "2025-09", 3, None, None, 1, "near_poor"), "01", (0, 105_300)),
    (("hhi", "2025-09", 3, None, None, 1, "near_poor"), None, (31_590, 73_710)),
    (("hhi", "2025-09", 3, None, None, 1), "01", (105_300, 0)),
])
def test_province_support_applies_only_with_the_province(args, province, expected):
    book = PolicyBook(_sets("2025-07-01", **PROVINCE))
    premium = book.compute(*args[:6], hhi_group=args[6] if len(args) > 6 else None,
                           province=province)
    assert (premium.monthly_amount, premium.monthly_support) == expected
    assert premium.monthly_gross == sum(expected)


def test_compute_needs_no_database_or_app():
    # Built from plain dicts and used outside any Flask context: nothing can touch the DB.
    book = PolicyBook(_sets("2025-07-01"))
    assert book.compute("hhi", "2025-09", 12, member_order=1).amount_due == 1_263_600


@pytest.mark.parametrize("change, problem", [
    ({"vsi_rate_bp": 0}, "vsi_rate_bp"),
    ({"vsi_support_bp": {"poor": 5000}}, "vsi_support_bp"),
    ({"hhi_ladder_bp": []}, "hhi_ladder_bp"),
    ({"vsi_periods": [0, 3]}, "vsi_periods"),
    ({"province_support": {"01": {"vsi": {}}}}, "province_support"),
])
def test_broken_set_is_refused_when_the_book_is_built(change, problem):
    with pytest.raises(ValueError, match=problem):
        PolicyBook(_sets("2025-07-01", **change))
