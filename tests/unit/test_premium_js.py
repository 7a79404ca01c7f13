"""static/js/premium.js agrees with fieldapp/rules/policy.py (issue #4): same fixture, same messages.

The JS runs in Node on the parameter sets exactly as parameter_sets() returns them (what
devices get from /api/v1/bootstrap).
"""
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from fieldapp.rules.policy import PolicyBook, PremiumError
from tests.unit.test_premiums import run_case

HERE = Path(__file__).parent
FIXTURE = HERE.parent / "fixtures" / "premiums.json"
NODE = shutil.which("node")
#: Node runs the JS twin (the node_js fixture); ``sets`` are the published parameter sets.
pytestmark = pytest.mark.usefixtures("node_js")


def run_node(tmp_path, sets, cases):
    sets_file, cases_file = tmp_path / "sets.json", tmp_path / "cases.json"
    sets_file.write_text(json.dumps(sets))
    cases_file.write_text(json.dumps(cases))
    proc = subprocess.run([NODE, str(HERE / "premium_check.mjs"), str(sets_file), str(cases_file)],
                          capture_output=True, text=True, timeout=60)
    assert proc.stdout, proc.stderr
    return proc.returncode, json.loads(proc.stdout)


def test_js_matches_every_fixture_case(tmp_path, sets):
    cases = json.loads(FIXTURE.read_text())
    code, out = run_node(tmp_path, sets, cases)
    assert out["failures"] == []
    assert code == 0
    assert len(out["results"]) == len(cases)


def test_js_errors_carry_the_python_message(tmp_path, sets):
    """Same msgid and parameters, so the PWA shows the server's sentence, translated."""
    cases = [c for c in json.loads(FIXTURE.read_text()) if "error" in c["expected"]]
    _code, out = run_node(tmp_path, sets, cases)
    book = PolicyBook(sets)
    for case, js in zip(cases, out["results"]):
        with pytest.raises(PremiumError) as err:
            run_case(book, case)
        assert (js["error"], js["message"], js["params"]) == (
            err.value.field, err.value.msgid, {k: str(v) for k, v in err.value.params.items()}
        ), case["name"]


def test_js_applies_province_support_like_python(tmp_path, sets):
    latest = {**sets[-1], "province_support": {"01": {"vsi_bp": {"other": 1000, "poor": 10000},
                                                      "hhi_bp": {"near_poor": 2000}}}}
    book = PolicyBook([latest])
    rows = [
        ("vsi", {"monthly_income": 1500000, "support_group": "other", "period_months": 3}, "01"),
        ("vsi", {"monthly_income": 1500000, "support_group": "poor", "period_months": 3}, "01"),
        ("vsi", {"monthly_income": 1500000, "support_group": "other", "period_months": 3}, "31"),
        ("hhi", {"member_order": 2, "hhi_group": "near_poor", "period_months": 6}, "01"),
        ("hhi", {"member_order": 2, "hhi_group": "near_poor", "period_months": 6}, None),
    ]
    cases = []
    for scheme, inputs, province in rows:
        p = book.compute(scheme, "2025-09", province=province, **inputs)
        cases.append({"name": f"{scheme} {inputs} {province}", "scheme": scheme,
                      "start_month": "2025-09", "inputs": {**inputs, "province": province},
                      "expected": {"monthly_amount": p.monthly_amount,
                                   "monthly_support": p.monthly_support,
                                   "amount_due": p.amount_due}})
    assert len({c["expected"]["monthly_amount"] for c in cases}) == 5  # the extras change amounts
    code, out = run_node(tmp_path, [latest], cases)
    assert (code, out["failures"]) == (0, [])


def test_a_wrong_expectation_fails(tmp_path, sets):
    """The checker itself can fail: a case with a wrong amount is reported."""
    case = json.loads(FIXTURE.read_text())[0]
    case = {**case, "expected": {**case["expected"], "amount_due": 1}}
    code, out = run_node(tmp_path, sets, [case])
    assert code == 1 and out["failures"][0]["name"] == case["name"]
