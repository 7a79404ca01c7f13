"""Premium calculator for VSI and HHI on effective-dated parameter sets (docs/premiums.md).

Every number is data: a ``PolicyParameterSet`` row holds ``effective_from`` and ``params``; the
set in force for an enrollment is the newest one whose ``effective_from`` is on or before the
1st of its ``start_month``. The same rules run on phones (static/js/premium.js) on the sets
returned by ``parameter_sets()``; tests/fixtures/premiums.json keeps the two in step.

Keys of ``params`` (rates and percentages in basis points, 1 bp = 0.01 %, so every rule is
integer arithmetic and amounts come out exact):

``base_salary``           int VND  reference level (mức lương cơ sở / mức tham chiếu)
``poverty_line``          int VND  rural poverty line: the VSI income floor and support basis
``vsi_rate_bp``           int bp   VSI contribution rate (2200 = 22 %)
``vsi_ceiling_multiple``  int      VSI income ceiling = multiple × base_salary (20)
``vsi_support_bp``        {group: bp}  state support per group, in bp of
                          vsi_rate × poverty_line; its keys are the valid support groups
``vsi_periods``           [int]    allowed VSI payment periods in months ([1, 3, 6, 12])
``hhi_rate_bp``           int bp   HHI rate of base_salary for the first member (450 = 4.5 %)
``hhi_ladder_bp``         [bp]     share of that for member 1, 2, ...; the last entry applies
                          to every later member ([10000, 7000, 6000, 5000, 4000])
``hhi_periods``           [int]    allowed HHI payment periods in months ([3, 6, 12])
``hhi_support_bp``        optional {hhi group: bp}: the State's minimum share of an HHI
                          member's amount per HHI support group (``HHI_GROUPS``); absent = 0
``vsi_support_cap_months`` optional int: at most this many months of VSI State support per
                          person (120); the months past it pay the whole gross
``vsi_pay_within``        optional {"period": months}: a VSI period of k months is paid
                          within its first w months ({"1": 1, "3": 3, "6": 4, "12": 7}), so
                          it may start up to w − 1 months before the month it was made in
``vsi_start_ahead_months`` optional int: and at most this many months after it (12)
``province_support``      optional {province code: {"vsi_bp": {group: bp},
                          "hhi_bp": {hhi group: bp}}}: support a province adds on top,
                          applied only when ``compute`` is given that province code. VSI
                          extras are in bp of the same basis as state support; HHI extras in
                          bp of the member's monthly amount, chosen by ``hhi_group``.

Amounts. VSI: gross = vsi_rate × income; support = (state + province bp) × vsi_rate ×
poverty_line, never more than gross. HHI: gross = hhi_rate × base_salary × ladder[member];
support = (state + province bp of the hhi_group) × gross, never more than gross.
Everything is kept exact (a common denominator of 10^12) and rounded once, half up to the
whole đồng, on the monthly amount:
``monthly_amount = round(gross - support)``, ``monthly_support = round(support)``,
``monthly_gross = monthly_amount + monthly_support`` (so the three shown figures always add
up), ``amount_due = monthly_amount × supported_months + monthly_gross × (period_months −
supported_months)``: a VSI participant who has had ``supported_before`` months of State
support gets it for at most ``vsi_support_cap_months`` in all (HHI: every month).

Not modelled yet (docs/premiums.md §8): multi-year advance discounts and back-payment
surcharges; their rates are unknown until they become parameters.
"""
import bisect
import re
from dataclasses import dataclass
from datetime import date

from flask import has_request_context
from flask_babel import gettext

from sync.protocol import MONTH_RE, SCHEMES

from ..i18n import format_money

SUPPORT_GROUPS = ("poor", "near_poor", "ethnic_minority", "other")
#: HHI support groups (enrollment field ``hhi_group``; none = no support).
HHI_GROUPS = ("near_poor", "farming", "student", "elderly_no_pension")
#: Defaults of the optional keys, for sets stored before the keys existed (the published
#: rules of docs/premiums.md; a new set states its own).
SUPPORT_CAP_MONTHS = 120
PAY_WITHIN = {"1": 1, "3": 3, "6": 4, "12": 7}
START_AHEAD_MONTHS = 12
PARAM_KEYS = ("base_salary", "poverty_line", "vsi_rate_bp", "vsi_ceiling_multiple",
              "vsi_support_bp", "vsi_periods", "hhi_rate_bp", "hhi_ladder_bp", "hhi_periods")
BP = 10_000
#: Common denominator: bp × bp × bp (HHI gross with a province share has three factors).
DEN = BP ** 3

DIGITS_RE = re.compile(r"[0-9]{1,15}")

# English source strings; the PWA (premium.js) returns the same msgids for its catalog.
MSG_SCHEME = "Choose the scheme: voluntary social insurance or household health insurance."
MSG_MONTH = "Enter the start month as YYYY-MM."
MSG_NO_SET = "No premium parameters are in force for %(month)s."
MSG_PERIOD = "Choose a payment period allowed for this scheme: %(periods)s months."
MSG_GROUP = "Choose the support group."
MSG_INCOME = "Enter the chosen monthly income in whole đồng."
MSG_FLOOR = "The chosen monthly income must be at least %(floor)s (the rural poverty line)."
MSG_CEILING = "The chosen monthly income must be at most %(ceiling)s (%(multiple)s × the reference level)."
MSG_MEMBER = "Enter the member's order in the household: 1 for the first, 5 for the fifth or later."
MSG_HHI_GROUP = "Choose a health insurance support group, or none."


class PremiumError(ValueError):
    """An input the calculator refuses; ``field`` is the enrollment field to blame.

    ``message`` is translated when read (in the request's language); ``msgid`` and ``params``
    are the untranslated parts, the same ones premium.js returns.
    """

    def __init__(self, field, msgid, **params):
        super().__init__(field, msgid % params)
        self.field, self.msgid, self.params = field, msgid, params

    @property
    def message(self):
        if has_request_context():
            return gettext(self.msgid, **self.params)
        return self.msgid % self.params

    def __str__(self):
        return f"{self.field}: {self.message}"


@dataclass(frozen=True, slots=True)
class Premium:
    monthly_gross: int
    monthly_support: int
    monthly_amount: int
    amount_due: int
    set_id: int | None
    effective_from: date
    #: Months of the period with State support (fewer than the period past the VSI cap).
    supported_months: int = 0
    #: The cap in force (VSI), to say why support stopped.
    cap_months: int | None = None


@dataclass(frozen=True, slots=True)
class ParamSet:
    id: int | None
    effective_from: date
    params: dict


def round_half_up(numerator, denominator):
    """numerator / denominator (both ≥ 0) to the nearest integer, halves up."""
    return (2 * numerator + denominator) // (2 * denominator)


def check_params(params):
    """The problems of a params dict as a list of strings (empty when it is usable)."""
    problems = [f"missing {key}" for key in PARAM_KEYS if key not in params]
    if problems:
        return problems

    def whole(value, minimum=0):
        return isinstance(value, int) and not isinstance(value, bool) and value >= minimum

    for key in ("base_salary", "poverty_line", "vsi_rate_bp", "vsi_ceiling_multiple",
                "hhi_rate_bp"):
        if not whole(params[key], 1):
            problems.append(f"{key} must be a positive integer")
    support = params["vsi_support_bp"]
    if not isinstance(support, dict) or set(support) != set(SUPPORT_GROUPS) or not all(
            whole(v) and v <= BP for v in support.values()):
        problems.append("vsi_support_bp needs every support group, 0..10000 bp")
    ladder = params["hhi_ladder_bp"]
    if not isinstance(ladder, list) or not ladder or not all(whole(v) and v <= BP for v in ladder):
        problems.append("hhi_ladder_bp must be a list of 0..10000 bp")
    for key in ("vsi_periods", "hhi_periods"):
        value = params[key]
        if not isinstance(value, list) or not value or not all(whole(v, 1) for v in value):
            problems.append(f"{key} must be a list of positive month counts")
    hhi_support = params.get("hhi_support_bp", {})
    if not isinstance(hhi_support, dict) or not set(hhi_support) <= set(HHI_GROUPS) or not all(
            whole(v) and v <= BP for v in hhi_support.values()):
        problems.append("hhi_support_bp holds HHI groups only, 0..10000 bp")
    for key in ("vsi_support_cap_months", "vsi_start_ahead_months"):
        if key in params and not whole(params[key]):
            problems.append(f"{key} must be a whole number of months")
    within = params.get("vsi_pay_within", PAY_WITHIN)
    if not isinstance(within, dict) or not all(
            isinstance(k, str) and k.isdigit() and whole(v, 1) for k, v in within.items()):
        problems.append("vsi_pay_within must map periods to a number of months")
    extra = params.get("province_support") or {}
    if not isinstance(extra, dict):
        problems.append("province_support must be an object")
        extra = {}
    for code, schemes in extra.items():
        if not isinstance(schemes, dict) or not set(schemes) <= {"vsi_bp", "hhi_bp"}:
            problems.append(f"province_support.{code} holds only vsi_bp and hhi_bp")
            continue
        for table in schemes.values():
            if not isinstance(table, dict) or not all(whole(v) and v <= BP for v in table.values()):
                problems.append(f"province_support.{code} shares must be 0..10000 bp")
    return problems


def national_part(params):
    """The numbers every province shares (all but ``province_support``), in a form two sets
    can be compared by: a ladder without repeats of its last entry, periods sorted."""
    out = {key: params[key] for key in PARAM_KEYS}
    ladder = list(out["hhi_ladder_bp"])
    while len(ladder) > 1 and ladder[-1] == ladder[-2]:
        ladder.pop()
    out["hhi_ladder_bp"] = ladder
    for key in ("vsi_periods", "hhi_periods"):
        out[key] = sorted(set(out[key]))
    out["vsi_support_bp"] = dict(out["vsi_support_bp"])
    out["hhi_support_bp"] = {g: v for g, v in (params.get("hhi_support_bp") or {}).items() if v}
    out["vsi_support_cap_months"] = params.get("vsi_support_cap_months", SUPPORT_CAP_MONTHS)
    out["vsi_pay_within"] = dict(params.get("vsi_pay_within") or PAY_WITHIN)
    out["vsi_start_ahead_months"] = params.get("vsi_start_ahead_months", START_AHEAD_MONTHS)
    return out


def provinces_changed(old, new):
    """Codes of the provinces whose own support differs between two params dicts."""
    def tables(params):
        return {code: {key: dict(table) for key, table in schemes.items() if table}
                for code, schemes in (params.get("province_support") or {}).items()}

    a, b = tables(old), tables(new)
    return {code for code in set(a) | set(b) if a.get(code, {}) != b.get(code, {})}


def _as_int(value):
    """An int from an int or a string of digits; None otherwise (bools and floats too)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and DIGITS_RE.fullmatch(value.strip()):
        return int(value.strip())
    return None


def _periods_text(periods):
    return ", ".join(str(p) for p in periods)


class PolicyBook:
    """The parameter sets, sorted, ready to answer many ``compute`` calls without the DB."""

    def __init__(self, sets):
        """``sets``: dicts shaped like ``parameter_sets()`` (plus an optional ``id``) or
        ``PolicyParameterSet`` rows."""
        items = []
        for s in sets:
            if isinstance(s, dict):
                params = {k: v for k, v in s.items() if k not in ("id", "effective_from")}
                when, set_id = s["effective_from"], s.get("id")
            else:
                params, when, set_id = s.params, s.effective_from, s.id
            if isinstance(when, str):
                when = date.fromisoformat(when)
            problems = check_params(params)
            if problems:
                raise ValueError(f"parameter set {when}: {'; '.join(problems)}")
            items.append(ParamSet(set_id, when, params))
        items.sort(key=lambda p: p.effective_from)
        self.sets = items
        self._starts = [p.effective_from for p in items]
        self._by_month = {}

    @classmethod
    def load(cls):
        """Every set in the database (one query)."""
        from ..extensions import db
        from ..models import PolicyParameterSet

        return cls(db.session.scalars(db.select(PolicyParameterSet)).all())

    def set_for(self, start_month):
        """The set in force on the 1st of ``start_month`` ('YYYY-MM'), or PremiumError."""
        if not isinstance(start_month, str):
            raise PremiumError("start_month", MSG_MONTH)
        found = self._by_month.get(start_month)
        if found is not None:
            return found
        match = MONTH_RE.fullmatch(start_month)
        if not match or match[1] == "0000":
            raise PremiumError("start_month", MSG_MONTH)
        first = date(int(match[1]), int(match[2]), 1)
        index = bisect.bisect_right(self._starts, first) - 1
        if index < 0:
            raise PremiumError("start_month", MSG_NO_SET, month=start_month)
        found = self._by_month[start_month] = self.sets[index]
        return found

    def compute(self, scheme, start_month, period_months, monthly_income=None,
                support_group=None, member_order=None, province=None, hhi_group=None,
                supported_before=0):
        """The premium of one enrollment, or PremiumError naming the field to fix.

        ``supported_before``: months of VSI State support the person had before this period
        (syncserver/checks.py counts them over their accepted enrollments)."""
        if scheme not in SCHEMES:
            raise PremiumError("scheme", MSG_SCHEME)
        pset = self.set_for(start_month)
        p = pset.params
        periods = p["vsi_periods"] if scheme == "vsi" else p["hhi_periods"]
        period = _as_int(period_months)
        if period not in periods:
            raise PremiumError("period_months", MSG_PERIOD, periods=_periods_text(periods))
        extra = {}
        if province and isinstance(province, str):
            extra = (p.get("province_support") or {}).get(province) or {}
        cap = None
        if scheme == "vsi":
            gross, support = self._vsi(p, monthly_income, support_group, extra)
            cap = p.get("vsi_support_cap_months", SUPPORT_CAP_MONTHS)
            before = max(0, _as_int(supported_before) or 0)
            supported = max(0, min(period, cap - before))
        else:
            gross, support = self._hhi(p, member_order, hhi_group, extra)
            supported = period
        support = min(support, gross)
        monthly = round_half_up(gross - support, DEN)
        monthly_support = round_half_up(support, DEN)
        monthly_gross = monthly + monthly_support
        due = monthly * supported + monthly_gross * (period - supported)
        return Premium(monthly_gross, monthly_support, monthly, due, pset.id, pset.effective_from,
                       supported, cap)

    @staticmethod
    def _vsi(p, monthly_income, support_group, extra):
        if not isinstance(support_group, str) or support_group not in p["vsi_support_bp"]:
            raise PremiumError("support_group", MSG_GROUP)
        income = _as_int(monthly_income)
        if income is None:
            raise PremiumError("monthly_income", MSG_INCOME)
        floor = p["poverty_line"]
        ceiling = p["vsi_ceiling_multiple"] * p["base_salary"]
        if income < floor:
            raise PremiumError("monthly_income", MSG_FLOOR, floor=format_money(floor))
        if income > ceiling:
            raise PremiumError("monthly_income", MSG_CEILING, ceiling=format_money(ceiling),
                               multiple=p["vsi_ceiling_multiple"])
        rate = p["vsi_rate_bp"]
        share = p["vsi_support_bp"][support_group] + extra.get("vsi_bp", {}).get(support_group, 0)
        return income * rate * BP * BP, share * rate * floor * BP

    @staticmethod
    def _hhi(p, member_order, hhi_group, extra):
        order = _as_int(member_order)
        if order is None or order < 1:
            raise PremiumError("member_order", MSG_MEMBER)
        if hhi_group is not None and hhi_group not in HHI_GROUPS:
            raise PremiumError("hhi_group", MSG_HHI_GROUP)
        ladder = p["hhi_ladder_bp"]
        gross = p["base_salary"] * p["hhi_rate_bp"] * ladder[min(order, len(ladder)) - 1]
        share = 0
        if hhi_group:
            share = (p.get("hhi_support_bp") or {}).get(hhi_group, 0) \
                + extra.get("hhi_bp", {}).get(hhi_group, 0)
        return gross * BP, gross * share


def parameter_sets():
    """Every set as plain JSON, oldest first: what /api/v1/bootstrap sends to devices."""
    return [{"effective_from": p.effective_from.isoformat(), **p.params}
            for p in PolicyBook.load().sets]


def _seed_sets():
    """The published sets (docs/premiums.md §1). Support 30/25/10/10 % ran 2018-01-01 to 2025-06-30, with
    ethnic minorities counted as "other"; 50/40/30/20 % from 2025-07-01."""
    common = {
        "poverty_line": 1_500_000, "vsi_rate_bp": 2200, "vsi_ceiling_multiple": 20,
        "vsi_periods": [1, 3, 6, 12], "hhi_rate_bp": 450,
        "hhi_ladder_bp": [10000, 7000, 6000, 5000, 4000], "hhi_periods": [3, 6, 12],
        "province_support": {},
    }
    old = {"poor": 3000, "near_poor": 2500, "ethnic_minority": 1000, "other": 1000}
    new = {"poor": 5000, "near_poor": 4000, "ethnic_minority": 3000, "other": 2000}
    # HHI national minimum shares (Decree 146/2018; 188/2025 raised pupils and students to 50%).
    hhi_old = {"near_poor": 7000, "farming": 3000, "student": 3000, "elderly_no_pension": 0}
    hhi_new = {**hhi_old, "student": 5000}
    common.update(vsi_support_cap_months=SUPPORT_CAP_MONTHS, vsi_pay_within=dict(PAY_WITHIN),
                  vsi_start_ahead_months=START_AHEAD_MONTHS)
    return [
        (date(2022, 1, 1), {**common, "base_salary": 1_490_000, "vsi_support_bp": old,
                            "hhi_support_bp": hhi_old}),
        (date(2023, 7, 1), {**common, "base_salary": 1_800_000, "vsi_support_bp": old,
                            "hhi_support_bp": hhi_old}),
        (date(2024, 7, 1), {**common, "base_salary": 2_340_000, "vsi_support_bp": old,
                            "hhi_support_bp": hhi_old}),
        (date(2025, 7, 1), {**common, "base_salary": 2_340_000, "vsi_support_bp": new,
                            "hhi_support_bp": hhi_new}),
    ]


def seed_parameters():
    """Add the published sets whose date has no set yet; returns how many were added.

    Idempotent, and it never touches an existing set (an admin may have replaced the
    numbers by a newer set). Adds to the session; the caller commits.
    """
    from ..extensions import db
    from ..models import PolicyParameterSet
    from . import audit

    have = set(db.session.scalars(db.select(PolicyParameterSet.effective_from)))
    added = 0
    for when, params in _seed_sets():
        if when in have:
            continue
        row = PolicyParameterSet(effective_from=when, params=params, note="published rates")
        db.session.add(row)
        db.session.flush()
        audit.record("create", "policy_parameter_set", row.id, after=audit.values_of(row))
        added += 1
    return added
