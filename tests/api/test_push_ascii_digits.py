"""Personal IDs, SI codes, phones and whole numbers are ASCII digits over the whole value;
names and addresses carry no bidirectional override characters (issue #9, point 6).

Python's ``\\d`` matches every Unicode decimal digit and ``$`` matches before a trailing
newline: ``001080012345\\n``, full-width ``００１…`` and Arabic-Indic ``٠٠١…`` digits were
accepted, slipped past the duplicate-ID rule (another string than the stored ID) and were
stored as such; on PostgreSQL the 13-character value broke the 12-character column and the
whole batch answered 500. ``int("١٢")`` is 12, so whole numbers sent as text had the same
hole. A refused value is the record's problem alone: the rest of its batch is stored.

Run on PostgreSQL too (FIELDAPP_TEST_DATABASE_URL): there a value that slipped through
breaks the column instead of being refused.
"""
import pytest

from sync import protocol as P
from tests.records import household, outreach, person, referral, vsi_enrollment

FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
DEVANAGARI = str.maketrans("0123456789", "०१२३४५६७८९")


def _variants(good):
    """Ways of writing ``good`` (ASCII digits) that must be refused."""
    return [good + "\n", "\n" + good, good + "\r\n", good.translate(FULLWIDTH),
            good.translate(ARABIC_INDIC), good[:-1] + good[-1].translate(DEVANAGARI),
            good[:4] + " " + good[4:], " " + good, good + " ", good[:4] + "\u00a0" + good[4:]]


def _rejected_alone(api, bad, field):
    """Push ``bad`` between two good records: it alone is refused, naming ``field`` only."""
    col = api("col_a")
    before, after = household(), household()
    results = col.push_ok([before, bad, after])
    assert [r["status"] for r in results] == [P.ACCEPTED, P.REJECTED, P.ACCEPTED], results
    assert set(results[1]["errors"]) == {field}, results[1]
    return results[1]["errors"][field]


@pytest.fixture
def home(api):
    h = household()
    api("col_a").accepted([h])
    return h["id"]


@pytest.mark.parametrize("value", _variants("001080012345"))
def test_a_personal_id_of_other_digits_or_with_spaces_is_refused(api, home, value):
    refused = _rejected_alone(api, person(home, personal_id=value), "personal_id")
    assert refused == _rejected_alone(api, person(home, personal_id="12345"), "personal_id")


@pytest.mark.parametrize("value", _variants("3112345678"))
def test_an_si_code_of_other_digits_or_with_spaces_is_refused(api, home, value):
    refused = _rejected_alone(api, person(home, si_code=value), "si_code")
    assert refused == _rejected_alone(api, person(home, si_code="12345"), "si_code")


PHONE_VARIANTS = ["0912345678\n", "0912345678\r\n", "\t0912345678", "0912345678".translate(FULLWIDTH),
                  "09" + "12345678".translate(ARABIC_INDIC), "+84 912 345 67" + "8".translate(DEVANAGARI),
                  "0912\u3000345\u3000678", "0912\u00a0345\u00a0678", "0912\n345678"]


@pytest.mark.parametrize("value", PHONE_VARIANTS)
def test_a_phone_of_other_digits_or_other_separators_is_refused(api, home, value):
    _rejected_alone(api, household(phone=value), "phone")
    _rejected_alone(api, person(home, phone=value), "phone")
    _rejected_alone(api, referral(contact_phone=value), "contact_phone")


@pytest.mark.parametrize("raw", ["+84 912 345 678", "0912.345.678", "091-234-5678", "(0225) 3842 123"])
def test_a_phone_keeps_its_allowed_separators(api, raw):
    api("col_a").accepted([household(phone=raw)])


def test_the_same_personal_id_in_other_digits_is_not_a_second_holder(api, home):
    """Stored as ASCII, the ID cannot be registered again under another spelling."""
    col = api("col_a")
    col.accepted([person(home, personal_id="001080012345")])
    for spelling in ("001080012345".translate(FULLWIDTH), "001080012345\n"):
        [result] = col.push_ok([person(home, personal_id=spelling)])
        assert result["status"] == P.REJECTED and set(result["errors"]) == {"personal_id"}


@pytest.mark.parametrize("value", ["١٢", "１２", "12\n", "1\u0662"])
def test_whole_numbers_sent_as_text_are_ascii_digits_only(api, value):
    _rejected_alone(api, outreach(attendees=value, leads=None), "attendees")
    _rejected_alone(api, outreach(leads=value), "leads")


def test_whole_numbers_of_an_enrollment_sent_as_text_are_ascii_digits_only(api, home):
    col = api("col_a")
    p = person(home)
    col.accepted([p])
    _rejected_alone(api, vsi_enrollment(p["id"], period_months="٣"), "period_months")
    _rejected_alone(api, vsi_enrollment(p["id"], amount_due="７９２０００"), "amount_due")
    # ASCII digits as text stay tolerated (docs/records.md §1)
    col.accepted([vsi_enrollment(p["id"], period_months="3", amount_due="792000")])


BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]


@pytest.mark.parametrize("char", BIDI)
def test_names_and_addresses_refuse_bidirectional_overrides(api, home, char):
    spoofed = f"Phạm {char}naV maP"
    messages = set()
    for rec, field in ((household(head_name=spoofed), "head_name"),
                       (household(address=spoofed), "address"),
                       (person(home, full_name=spoofed), "full_name"),
                       (referral(contact_name=spoofed), "contact_name"),
                       (referral(address=spoofed), "address")):
        messages.update(_rejected_alone(api, rec, field))
    [message] = messages  # one message, naming what to remove
    assert "U+202A" in message and "U+2069" in message


def test_names_keep_every_other_letter(api, home):
    api("col_a").accepted([household(head_name="Đặng Thị Ánh Tuyết", address="Số 7, ngõ 3 — Hồng Bàng"),
                           person(home, full_name="H'Hen Niê"),
                           referral(contact_name="Lò Văn Páo\u200b")])
