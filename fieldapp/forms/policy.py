"""The form for a new premium parameter set (admin). Field keys map onto rules/policy.py's params.

Amounts are typed as people write them (``2.340.000``), percentages with a comma or a point
(``4,5``); both are stored exactly: whole đồng and basis points.
"""
import re
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from ..rules.policy import HHI_GROUPS, SUPPORT_CAP_MONTHS, SUPPORT_GROUPS, check_params

DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
PERCENT_RE = re.compile(r"([0-9]{1,3})(?:[.,]([0-9]{1,2}))?")
# Plain digits, or groups of three split by dots, commas or spaces; a trailing currency sign.
MONEY_RE = re.compile(r"([0-9]+|[0-9]{1,3}(?:([., ])[0-9]{3})(?:\2[0-9]{3})*)\s*(?:₫|đ|VND)?",
                      re.IGNORECASE)
PROVINCE_LINE_RE = re.compile(r"([0-9]{2})\s+(vsi|hhi)\s+([a-z][a-z0-9_]{0,31})\s+(\S+)")
HHI_MEMBERS = 5


def bp_text(bp):
    """2200 -> '22', 450 -> '4,5', 1250 -> '12,5' (Vietnamese decimal comma)."""
    whole, frac = divmod(int(bp), 100)
    return f"{whole},{frac:02d}".rstrip("0").rstrip(",") if frac else str(whole)


def money_text(value):
    return f"{int(value):,}".replace(",", ".")


def parse_bp(text):
    """'4,5' -> 450; None when it is not a percentage of 0..100 with at most 2 decimals."""
    match = PERCENT_RE.fullmatch((text or "").strip().rstrip("%").strip())
    if not match:
        return None
    bp = int(match[1]) * 100 + int((match[2] or "0").ljust(2, "0"))
    return bp if bp <= 10_000 else None


class MoneyField(StringField):
    """Whole đồng, at least 1; dots, spaces and '₫' are allowed while typing."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": "numeric", "autocomplete": "off"})
        super().__init__(label, validators or [InputRequired()], **kwargs)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return money_text(self.data) if isinstance(self.data, int) else ""

    def process_formdata(self, valuelist):
        self.data = None
        if valuelist and valuelist[0].strip():
            match = MONEY_RE.fullmatch(valuelist[0].strip())
            digits = re.sub(r"[., ]", "", match[1]) if match else ""
            if not digits or len(digits) > 12 or int(digits) < 1:
                raise ValueError(_l("Enter an amount in whole đồng, e.g. 2.340.000."))
            self.data = int(digits)


class PercentField(StringField):
    """A percentage 0..100 with up to two decimals, kept as basis points."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": "decimal", "autocomplete": "off"})
        super().__init__(label, validators or [InputRequired()], **kwargs)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return bp_text(self.data) if isinstance(self.data, int) else ""

    def process_formdata(self, valuelist):
        self.data = None
        if valuelist and valuelist[0].strip():
            self.data = parse_bp(valuelist[0])
            if self.data is None:
                raise ValueError(_l("Enter a percentage from 0 to 100, e.g. 22 or 4,5."))


class PeriodsField(StringField):
    """Allowed payment periods in months: '1, 3, 6, 12'."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", {"autocomplete": "off"})
        super().__init__(label, validators or [InputRequired()], **kwargs)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return ", ".join(str(m) for m in self.data) if isinstance(self.data, list) else ""

    def process_formdata(self, valuelist):
        self.data = None
        if valuelist and valuelist[0].strip():
            parts = [p for p in re.split(r"[\s,;]+", valuelist[0].strip()) if p]
            if not all(p.isascii() and p.isdigit() and 1 <= int(p) <= 120 for p in parts):
                raise ValueError(_l("List the months separated by commas, e.g. 1, 3, 6, 12."))
            self.data = sorted({int(p) for p in parts})


class ProvinceSupportField(TextAreaField):
    """Provinces' own support, one line each: province code, scheme, group, percent."""

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        lines = []
        for code, tables in sorted((self.data or {}).items()):
            for key in ("vsi_bp", "hhi_bp"):
                for group, bp in sorted(tables.get(key, {}).items()):
                    lines.append(f"{code} {key[:3]} {group} {bp_text(bp)}")
        return "\n".join(lines)

    def process_formdata(self, valuelist):
        self.data = {}
        text = valuelist[0] if valuelist else ""
        seen = set()
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            match = PROVINCE_LINE_RE.fullmatch(line.strip())
            bp = parse_bp(match[4]) if match else None
            groups = SUPPORT_GROUPS if match and match[2] == "vsi" else HHI_GROUPS
            if bp is None or match[3] not in groups:
                raise ValueError(_l("Line %(n)d: write the province code, vsi or hhi, the group "
                                    "and the percentage, e.g. “01 vsi poor 20”.", n=number))
            key = (match[1], match[2], match[3])
            if key in seen:
                raise ValueError(_l("Line %(n)d repeats an earlier line.", n=number))
            seen.add(key)
            table = self.data.setdefault(match[1], {}).setdefault(f"{match[2]}_bp", {})
            table[match[3]] = bp


class PolicySetForm(FlaskForm):
    """A new parameter set; ``params()`` gives the JSON stored and sent to devices.

    ``kept``: keys of the set it was prefilled from that the form has no field for (the VSI
    start window), carried into the new set unchanged."""

    kept = {}

    effective_from = StringField(_l("Takes effect on"), validators=[InputRequired()],
                                 render_kw={"type": "date"})
    base_salary = MoneyField(_l("Base salary (reference level), đồng a month"))
    poverty_line = MoneyField(_l("Rural poverty line (lowest VSI income), đồng a month"))
    vsi_rate = PercentField(_l("VSI contribution rate, %"))
    vsi_ceiling_multiple = StringField(
        _l("Highest VSI income, times the base salary"), validators=[InputRequired()],
        render_kw={"inputmode": "numeric", "autocomplete": "off"})
    support_poor = PercentField(_l("State support, poor household, %"))
    support_near_poor = PercentField(_l("State support, near-poor household, %"))
    support_ethnic_minority = PercentField(_l("State support, ethnic minority, %"))
    support_other = PercentField(_l("State support, other participants, %"))
    vsi_periods = PeriodsField(_l("VSI payment periods, months"))
    hhi_rate = PercentField(_l("HHI rate of the base salary, first member, %"))
    hhi_member_1 = PercentField(_l("HHI, 1st member pays, % of the first member's amount"))
    hhi_member_2 = PercentField(_l("HHI, 2nd member pays, %"))
    hhi_member_3 = PercentField(_l("HHI, 3rd member pays, %"))
    hhi_member_4 = PercentField(_l("HHI, 4th member pays, %"))
    hhi_member_5 = PercentField(_l("HHI, 5th and later members pay, %"))
    hhi_periods = PeriodsField(_l("HHI payment periods, months"))
    # Optional: blank is no State share (HHI) or the published 120 months (VSI cap).
    hhi_support_near_poor = PercentField(_l("HHI State support, near-poor household, %"),
                                         [Optional()])
    hhi_support_farming = PercentField(
        _l("HHI State support, farming, forestry, fishery or salt-making household, %"),
        [Optional()])
    hhi_support_student = PercentField(_l("HHI State support, pupil or student, %"), [Optional()])
    hhi_support_elderly_no_pension = PercentField(
        _l("HHI State support, aged 60 to 74 without a pension, %"), [Optional()])
    vsi_support_cap_months = StringField(
        _l("VSI State support, at most this many months per person"),
        validators=[Optional()], render_kw={"inputmode": "numeric", "autocomplete": "off"})
    province_support = ProvinceSupportField(
        _l("Support added by provinces (optional)"), validators=[Optional()],
        render_kw={"rows": 4, "spellcheck": "false"})
    note = TextAreaField(_l("Note (the legal basis, e.g. the decree)"),
                         validators=[Optional(), Length(max=500)], render_kw={"rows": 2})

    def validate_effective_from(self, field):
        text = field.data.strip()
        try:
            when = date.fromisoformat(text) if DATE_RE.fullmatch(text) else None
        except ValueError:
            when = None
        if when is None or not 2000 <= when.year <= 2100:
            raise ValidationError(_l("Enter a date as YYYY-MM-DD."))
        if when.day != 1:
            raise ValidationError(_l("Parameter sets take effect on the first day of a month."))
        field.data = when

    def validate_vsi_ceiling_multiple(self, field):
        text = field.data.strip()
        if not (text.isascii() and text.isdigit() and 1 <= int(text) <= 100):
            raise ValidationError(_l("Enter a whole number from 1 to 100."))
        field.data = int(text)

    def validate_vsi_support_cap_months(self, field):
        text = (field.data or "").strip() or str(SUPPORT_CAP_MONTHS)
        if not (text.isascii() and text.isdigit() and 0 <= int(text) <= 1200):
            raise ValidationError(_l("Enter a whole number from 0 to 1200."))
        field.data = int(text)

    def params(self):
        """The params dict of rules/policy.py (only after validate())."""
        params = {
            "base_salary": self.base_salary.data,
            "poverty_line": self.poverty_line.data,
            "vsi_rate_bp": self.vsi_rate.data,
            "vsi_ceiling_multiple": self.vsi_ceiling_multiple.data,
            "vsi_support_bp": {g: getattr(self, f"support_{g}").data for g in SUPPORT_GROUPS},
            "vsi_periods": self.vsi_periods.data,
            "hhi_rate_bp": self.hhi_rate.data,
            "hhi_ladder_bp": [getattr(self, f"hhi_member_{n}").data
                              for n in range(1, HHI_MEMBERS + 1)],
            "hhi_periods": self.hhi_periods.data,
            "province_support": self.province_support.data or {},
            "hhi_support_bp": {g: getattr(self, f"hhi_support_{g}").data or 0 for g in HHI_GROUPS},
            "vsi_support_cap_months": (self.vsi_support_cap_months.data
                                       if isinstance(self.vsi_support_cap_months.data, int)
                                       else SUPPORT_CAP_MONTHS),
        }
        for key in ("vsi_pay_within", "vsi_start_ahead_months"):  # no field yet: kept as read
            if key in self.kept:
                params[key] = self.kept[key]
        problems = check_params(params)
        if problems:  # the fields above should make this unreachable; never store a bad set
            raise ValueError("; ".join(problems))
        return params

    @staticmethod
    def initial(params):
        """Form data prefilled from an existing set's params."""
        data = {
            "base_salary": params["base_salary"], "poverty_line": params["poverty_line"],
            "vsi_rate": params["vsi_rate_bp"],
            "vsi_ceiling_multiple": str(params["vsi_ceiling_multiple"]),
            "vsi_periods": list(params["vsi_periods"]), "hhi_rate": params["hhi_rate_bp"],
            "hhi_periods": list(params["hhi_periods"]),
            "province_support": params.get("province_support") or {},
            "vsi_support_cap_months": str(params.get("vsi_support_cap_months", SUPPORT_CAP_MONTHS)),
        }
        for group in HHI_GROUPS:
            data[f"hhi_support_{group}"] = (params.get("hhi_support_bp") or {}).get(group, 0)
        for group in SUPPORT_GROUPS:
            data[f"support_{group}"] = params["vsi_support_bp"][group]
        ladder = params["hhi_ladder_bp"]
        for n in range(1, HHI_MEMBERS + 1):
            data[f"hhi_member_{n}"] = ladder[min(n, len(ladder)) - 1]
        return data
