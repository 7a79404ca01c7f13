"""Issue #10, point 1: every rule the server judges one record by reaches the phone from the
WTForms declarations and is checked before Save.

The cases are the server's own: the contract suite's INVALID values and REQUIRED fields
(tests/contract/test_protocol_v1.py), the location cases, and the ones the issue met in the
field (a phone number one digit short, a birth date in 2030). Each record goes through the
phone's form of its type, as the screens use it: the form holds what it can
(``setValues``/``readValues``: a select cannot hold a value it does not offer), then the field
rules (rules.js ``judge``) and the checks against the phone's records (``runChecks``) run on
the record exactly as it would be stored. The phone must refuse each case on its field; the
valid records of the same factories must pass, so a phone refusing everything fails too.
"""
import pytest

from tests.contract.test_protocol_v1 import INVALID, REQUIRED, _batch_for
from tests.e2e.helpers import add_household, go, outbox, sign_in

H_ID, P_ID = "6f1c1f0e-1111-4111-8111-111111111111", "6f1c1f0e-2222-4222-8222-222222222222"
LOCATIONS = [{"lat": 200, "lon": 106.7, "accuracy_m": 10}, {"lat": 91, "lon": 106.6},
             {"lat": 20.8, "lon": -500, "accuracy_m": 10},
             {"lat": "north", "lon": 106.7, "accuracy_m": 10}, {"lat": 20.8},
             "20.8,106.7", [20.8, 106.7, 5]]
#: What the collector met in the field (the issue's words), and the rules declared for #10.
FIELD = [("person", "phone", "0912 345 67"), ("person", "birth_date", "2030-01-01"),
         ("household", "phone", "0912 345 67"), ("person", "birth_date", "1899-12-31"),
         ("visit", "follow_up_on", "2026-11-01"), ("outreach", "leads", 41),
         ("vsi", "monthly_income", -5), ("vsi", "period_months", 121)]

# Runs in the app's own module instances (the same registry of checks the screens use).
JUDGE = """async (cases) => {
  const url = (name) => document.querySelector(`link[rel=modulepreload][href*="/${name}"]`).href;
  const forms = await import(url('forms.js'));
  const rules = await import(url('rules.js'));
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  const out = [];
  for (const c of cases) {
    const form = await forms.formFor(c.type);
    form.querySelectorAll('.scheme-part').forEach((p) => { p.hidden = p.dataset.scheme !== c.data.scheme; });
    document.body.append(form);
    form.hidden = true;
    forms.setValues(form, c.data);
    const held = forms.readValues(form);
    const checks = await rules.runChecks(c.type, c.data, { id: c.id, form });
    const onRecord = { ...rules.judge(form, c.data), ...checks };
    const onForm = rules.judge(form, held);
    form.remove();
    const kept = c.field in c.data ? same(held[c.field], c.data[c.field]) : !(c.field in held);
    out.push({ onRecord, onForm, kept });
  }
  return out;
}"""


def _case(kind, field, value=None, drop=False):
    rec = _batch_for(kind, H_ID, P_ID)
    if drop:
        rec["data"].pop(field, None)
    else:
        rec["data"][field] = value
    return {"type": rec["type"], "id": rec["id"], "data": rec["data"], "field": field}


def _refused(result, field):
    """Refused on its field: judged wrong as stored, or judged wrong / not held by the form."""
    return field in result["onRecord"] or field in result["onForm"] or not result["kept"]


@pytest.fixture
def app_page(page):
    sign_in(page, "col_a")
    return page


def test_every_invalid_case_of_the_servers_tests_is_refused_by_the_phone(app_page):
    cases = [_case(k, f, v) for k, f, v in INVALID + FIELD]
    cases += [_case(k, f, drop=True) for k, f in REQUIRED]
    cases += [_case(k, f, "") for k, f in REQUIRED]
    cases += [_case("visit", "location", loc) for loc in LOCATIONS]
    results = app_page.evaluate(JUDGE, cases)
    missed = [(c["type"], c["field"], c["data"].get(c["field"])) for c, r in zip(cases, results, strict=True)
              if not _refused(r, c["field"] if c["field"] != "location" else "location")]
    assert missed == []
    assert len(cases) > 100


def test_the_valid_records_pass_the_same_checks(app_page):
    cases = []
    for kind in ("household", "person", "visit", "vsi", "hhi", "referral", "outreach"):
        rec = _batch_for(kind, H_ID, P_ID)
        cases.append({"type": rec["type"], "id": rec["id"], "data": rec["data"], "field": "_"})
    results = app_page.evaluate(JUDGE, cases)
    assert [r["onRecord"] for r in results] == [{}] * len(cases)


def test_the_issues_mistakes_are_caught_at_the_door_in_the_servers_words(app_page, context):
    """A phone one digit short and a birth date in 2030: refused before Save, the message
    under the field, the field focused, nothing in the outbox."""
    page = app_page
    context.set_offline(True)
    go(page, "#/household/new")
    page.wait_for_selector("#form-household-live")
    page.fill("#form-household-live [name=head_name]", "Vũ Thị Hoa")
    page.select_option("#form-household-live [name=area]", "31001-1")
    page.fill("#form-household-live [name=address]", "Số 5, Tổ dân phố 1")
    page.fill("#form-household-live [name=phone]", "0912 345 67")
    page.click("#form-household-live button.save")
    box = page.locator("#form-household-live [data-field=phone]")
    assert "số điện thoại" in box.locator(".error").inner_text().lower()
    assert page.evaluate("document.activeElement.name") == "phone"
    assert outbox(page) == []

    page.fill("#form-household-live [name=phone]", "0912 345 678")
    page.click("#form-household-live button.save")
    page.wait_for_selector(".hh-card")
    hh = page.evaluate("location.hash").split("/")[-1]
    go(page, f"#/person/new?household={hh}")
    page.wait_for_selector("#form-person-live")
    page.fill("#form-person-live [name=full_name]", "Vũ Thị Hoa")
    page.fill("#form-person-live [name=birth_date]", "2030-01-01")
    page.check("#form-person-live input[name=sex][value=female]")
    page.click("#form-person-live button.save")
    error = page.locator("#form-person-live [data-field=birth_date] .error")
    assert error.is_visible() and "ngày sinh" in error.inner_text().lower()
    assert page.evaluate("document.activeElement.name") == "birth_date"
    assert [e["type"] for e in outbox(page)] == ["household"]
    assert "birth_date" not in page.inner_text("#form-person-live")  # never a field code


def test_a_personal_id_already_on_the_phone_is_refused_naming_its_holder(app_page):
    page = app_page
    hh = add_household(page, "Ngô Văn Tâm", "Số 8, Tổ dân phố 1")
    for name in ("Ngô Văn Tâm", "Ngô Thị Hà"):
        go(page, f"#/person/new?household={hh}")
        page.wait_for_selector("#form-person-live")
        page.fill("#form-person-live [name=full_name]", name)
        page.fill("#form-person-live [name=birth_date]", "1980-01-01")
        page.check("#form-person-live input[name=sex][value=male]")
        page.fill("#form-person-live [name=personal_id]", "031180000555")
        page.click("#form-person-live button.save")
        if name == "Ngô Văn Tâm":
            page.wait_for_selector(".hh-card")  # saved: back on the household (one Back)
    error = page.locator("#form-person-live [data-field=personal_id] .error")
    error.wait_for()
    assert "Ngô Văn Tâm" in error.inner_text()
    page.click("#form-person-live button.save")  # tapping again does not push it through
    assert page.locator("#form-person-live").count() == 1
