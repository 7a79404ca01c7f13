"""The phone's sign-up rules (static/js/signup-rules.js) and premium twin (premium.js) agree with
the server's (syncserver/checks.py, rules/policy.py) on thousands of inputs (issue #14): same
field, same words, same amount."""
import itertools
import json
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from fieldapp.rules.policy import (
    HHI_GROUPS,
    SUPPORT_GROUPS,
    PolicyBook,
    PremiumError,
)
from fieldapp.syncserver import checks

HERE = Path(__file__).parent
NODE = shutil.which("node")
#: Node runs the JS twin (the node_js fixture); ``sets`` are the published parameter sets.
pytestmark = pytest.mark.usefixtures("node_js")


def node(tmp_path, script, sets, cases):
    sets_file, cases_file = tmp_path / "sets.json", tmp_path / "cases.json"
    sets_file.write_text(json.dumps(sets))
    cases_file.write_text(json.dumps(cases))
    proc = subprocess.run([NODE, str(HERE / script), str(sets_file), str(cases_file)],
                          capture_output=True, text=True, timeout=120)
    assert proc.stdout, proc.stderr
    return json.loads(proc.stdout)


def months(first, last):
    a, b = checks.month_index(first), checks.month_index(last)
    return [checks.month_of(i) for i in range(a, b + 1)]


def python_problem(book, case):
    """checks.py's rules 6-10 in the store's order on one case: (field, text) or None."""
    data = case["data"]
    person = case.get("person")
    participant = checks.Participant(date.fromisoformat(person["birth_date"]), person["coverage"],
                                     "h") if person else None
    others = [checks.Other(o["id"], data["person"], o["scheme"], o["start_month"],
                           o["period_months"], (0, "", 0, o["id"])) for o in case.get("others", [])]
    hhi_others = [checks.Other(f"e{n}", f"p{n}", "hhi", data["start_month"], 12, (0, "", n, f"e{n}"))
                  for n in range(case.get("place_before", 0))]
    errors = (checks.vsi_old_enough(data, participant)
              or checks.vsi_not_compulsory(data, participant)
              or checks.start_in_window(book, data, case["made"])
              or checks.vsi_no_overlap(data, others)
              or checks.hhi_member_place(data, "me", (1, 0, 0, "me"), hhi_others))
    before = checks.supported_before(data, others)
    if not errors:
        return {"error": None, "before": before}
    [(field, [text])] = errors.items()
    return {"error": field, "text": text, "before": before}


def signup_cases():
    out = []
    # The start window: every period, made in 13 months, starting over three years.
    for period, made, start in itertools.product([1, 3, 6, 12], months("2025-06", "2026-06"),
                                                 months("2024-12", "2027-09")):
        for scheme in ("vsi", "hhi"):
            out.append({"made": made, "data": {"person": "me", "scheme": scheme, "start_month": start,
                                               "period_months": period, "member_order": 1}})
    # Ages around the 15th birthday and coverage.
    for born, start, coverage in itertools.product(
            ["2010-08-31", "2010-09-01", "2010-09-02", "2010-09-30", "2010-10-01", "2008-02-29",
             "1960-01-01"], months("2025-07", "2025-11") + ["2023-03"], ["none", "compulsory_si"]):
        out.append({"made": start, "person": {"birth_date": born, "coverage": coverage},
                    "data": {"person": "me", "scheme": "vsi", "start_month": start, "period_months": 1}})
    # Overlaps with earlier periods, and the support months before.
    held = [{"id": "a", "scheme": "vsi", "start_month": "2025-09", "period_months": 3},
            {"id": "b", "scheme": "vsi", "start_month": "2026-01", "period_months": 12},
            {"id": "c", "scheme": "hhi", "start_month": "2025-10", "period_months": 12}]
    for start, period in itertools.product(months("2025-06", "2027-03"), [1, 3, 6, 12]):
        out.append({"made": start, "others": held,
                    "data": {"person": "me", "scheme": "vsi", "start_month": start, "period_months": period}})
    # The household place.
    for before, order in itertools.product(range(7), range(1, 6)):
        out.append({"made": "2025-09", "place_before": before,
                    "data": {"person": "me", "scheme": "hhi", "start_month": "2025-09",
                             "period_months": 12, "member_order": order}})
    return out


def test_the_phone_says_the_servers_msgids(tmp_path, sets):
    out = node(tmp_path, "signup_check.mjs", sets, [])
    python = {name: getattr(checks, name) for name in dir(checks) if name.startswith("MSG_")}
    assert sorted(out["msg"].values()) == sorted(python.values())


def test_the_phone_judges_every_case_like_the_server(tmp_path, sets):
    book = PolicyBook(sets)
    cases = signup_cases()
    assert len(cases) > 3500
    out = node(tmp_path, "signup_check.mjs", sets, cases)
    expected = [python_problem(book, c) for c in cases]
    wrong = [(c, js, py) for c, js, py in zip(cases, out["results"], expected) if js != py]
    assert wrong == [], wrong[:5]
    fields = {py["error"] for py in expected}
    assert fields == {None, "person", "start_month", "member_order"}  # every rule was exercised


def premium_cases(book):
    """Thousands of inputs over the new ones: HHI groups with province top-ups, VSI support
    months before the cap."""
    grid = []
    for start, period, income, group, before, province in itertools.product(
            ["2024-09", "2025-09"], [1, 3, 6, 12], [1500000, 1500001, 2345678, 5000000, 46800000],
            SUPPORT_GROUPS, [0, 60, 110, 118, 119, 120, 121, 200], [None, "31"]):
        grid.append(("vsi", start, {"period_months": period, "monthly_income": income,
                                    "support_group": group, "supported_before": before,
                                    "province": province}))
    for start, period, order, group, province in itertools.product(
            ["2024-03", "2025-09"], [3, 6, 12], range(1, 7), (None, *HHI_GROUPS), [None, "01", "31"]):
        grid.append(("hhi", start, {"period_months": period, "member_order": order, "hhi_group": group,
                                    "province": province}))
    cases = []
    for scheme, start, inputs in grid:
        try:
            p = book.compute(scheme, start, **inputs)
            expected = {"monthly_amount": p.monthly_amount, "monthly_support": p.monthly_support,
                        "amount_due": p.amount_due}
        except PremiumError as err:
            expected = {"error": err.field}
        cases.append({"name": f"{scheme} {start} {inputs}", "scheme": scheme, "start_month": start,
                      "inputs": inputs, "expected": expected})
    return cases


def test_premium_twin_agrees_on_groups_top_ups_and_the_cap(tmp_path, sets):
    latest = {**sets[-1], "province_support": {"31": {"hhi_bp": {"near_poor": 3000, "farming": 2000,
                                                                  "elderly_no_pension": 10000},
                                                       "vsi_bp": {"other": 1000}},
                                               "01": {"hhi_bp": {"student": 2500}}}}
    both = [*sets[:-1], latest]
    cases = premium_cases(PolicyBook(both))
    assert len(cases) > 2000
    out = node(tmp_path, "premium_check.mjs", both, cases)
    assert out["failures"] == []
    amounts = {c["expected"]["amount_due"] for c in cases if "amount_due" in c["expected"]}
    assert len(amounts) > 200  # the inputs matter: groups, top-ups and the cap change amounts
