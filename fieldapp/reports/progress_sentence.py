"""The sentence the office writes each month about its progress, in Vietnamese or English.

Why a module of its own: the words are the office's ("Đến hết tháng 10/2024, toàn thành phố
có 36.421 người tham gia BHXH tự nguyện, đạt 89,93% kế hoạch; ...") and must come out exactly
so, in either language, from the figures reports/progress.py computes. Numbers follow the
language of the sentence: ``36.421`` and ``89,93%`` in Vietnamese, ``36,421`` and ``89.93%`` in
English (a report sent on in English is read by people who write numbers that way).
Phrases live in translations/vi/progress.po.
"""
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import get_locale
from flask_babel import gettext as _

MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")


def _lang():
    locale = get_locale()
    return locale.language if locale is not None else "vi"


def format_count(n, lang=None):
    """36421 -> '36.421' (vi) or '36,421' (en)."""
    text = f"{int(n):,}"
    return text.replace(",", ".") if (lang or _lang()) == "vi" else text


def format_ratio(value, lang=None):
    """0.899283... -> '89,93%' (vi) or '89.93%' (en); halves round up, as by hand."""
    if value is None:
        return ""
    text = str(Decimal(repr(value * 100)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
    return (text.replace(".", ",") if (lang or _lang()) == "vi" else text) + "%"


def month_label(month):
    """'2024-10' -> 'tháng 10/2024' / 'October 2024'."""
    number = int(month[5:7])
    return _("%(name)s %(year)s", name=_(MONTH_NAMES[number - 1]), number=number,
             year=month[:4])


def area_label(area, central_city=False):
    """How an office names the area in its report: the whole city, the whole province, or
    the area's own name below that."""
    if area.level == "province":
        return _("the whole city") if central_city else _("the whole province")
    return area.name


def scheme_label(scheme):
    return _("voluntary social insurance") if scheme == "vsi" else _("household health insurance")


def sentence(row, area_name):
    """The office's sentence for one area's row of reports.progress.area_figures."""
    month, scheme = row["month"], scheme_label(row["scheme"])
    if row["participants"] is None:
        return _("By the end of %(month)s, %(area)s had no figures yet for %(scheme)s "
                 "participants.", month=month_label(month), area=area_name, scheme=scheme)
    values = {"month": month_label(month), "area": area_name, "scheme": scheme,
              "n": format_count(row["participants"])}
    if row["provisional"]:
        head = _("By the end of %(month)s (provisional), %(area)s had %(n)s %(scheme)s "
                 "participants", **values)
    else:
        head = _("By the end of %(month)s, %(area)s had %(n)s %(scheme)s participants", **values)
    if row["of_plan"] is not None:
        head += _(", %(ratio)s of the plan", ratio=format_ratio(row["of_plan"]))
    else:
        head += _(", no plan for %(year)s yet", year=month[:4])
    clauses = [_previous(row["previous"]),
               _on_month(row["december"], row["months"]["december"]),
               _year_ago(row["year_ago"], row["months"]["year_ago"])]
    return head + "; " + _join(clauses) + "."


def _join(clauses):
    if len(clauses) == 1:
        return clauses[0]
    return ", ".join(clauses[:-1]) + _(" and ") + clauses[-1]


def _previous(change):
    if change is None:
        return _("no figure for the previous month")
    n, ratio = format_count(abs(change["n"])), format_ratio(abs(change["ratio"] or 0))
    if change["n"] > 0:
        return _("up %(n)s (%(ratio)s) on the previous month", n=n, ratio=ratio)
    if change["n"] < 0:
        return _("down %(n)s (%(ratio)s) on the previous month", n=n, ratio=ratio)
    return _("unchanged on the previous month")


def _on_month(change, month):
    if change is None:
        return _("no figure for %(month)s", month=month_label(month))
    n = format_count(abs(change["n"]))
    if change["n"] > 0:
        return _("up %(n)s on %(month)s", n=n, month=month_label(month))
    if change["n"] < 0:
        return _("down %(n)s on %(month)s", n=n, month=month_label(month))
    return _("unchanged on %(month)s", month=month_label(month))


def _year_ago(change, month):
    if change is None:
        return _("no figure for the same period a year earlier")
    n = format_count(abs(change["n"]))
    if change["n"] > 0:
        return _("up %(n)s on the same period a year earlier", n=n)
    if change["n"] < 0:
        return _("down %(n)s on the same period a year earlier", n=n)
    return _("unchanged on the same period a year earlier")
