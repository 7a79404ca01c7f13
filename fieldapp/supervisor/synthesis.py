"""Tổng hợp tháng: the monthly synthesis page, its print view, and its CSV and XLSX downloads.

All four are written from the same report (reports/synthesis.py) and the same table
(reports/synthesis_table.py), for the month and area asked, cut to the user's Scope.
"""
from datetime import datetime

from flask import Response, abort, current_app, render_template
from flask_babel import gettext as _
from flask_login import current_user

from ..extensions import db
from ..i18n import local_zone
from ..models import Area
from ..records.textfold import fold
from ..reports.synthesis import month_bounds_of, monthly_synthesis, weights_of
from ..reports.synthesis_table import COLUMNS, table, text_rows, to_csv, to_xlsx
from ..rules.access import require_area, roles_required, scope_of
from ..web.labels import format_month
from ..web.paging import text_arg
from . import bp
from .register import areas_under, scope_areas

DESK = ("admin", "supervisor")


def _this_month():
    return datetime.now(local_zone()).strftime("%Y-%m")


def _request_args():
    """(month, area or None, area ids, error): the month and area asked, checked and scoped."""
    scope = scope_of(current_user)
    month = text_arg("month", max_len=16) or _this_month()
    error = None
    try:
        month_bounds_of(month)
    except (ValueError, TypeError):
        error = _("Month: write it as YYYY-MM, e.g. 2026-11.")
        month = _this_month()
    code = text_arg("area", max_len=32)
    area, ids = None, set(scope.area_ids)
    if code:
        area = db.session.query(Area).filter_by(code=code).one_or_none()
        if area is None:
            abort(404)
        require_area(area.id)
        ids = areas_under(area.id, scope)
    return month, area, ids, error


def _build():
    month, area, ids, error = _request_args()
    scope = scope_of(current_user)
    result = monthly_synthesis(ids, month, weights_of(current_app.config), national=scope.national)
    return month, area, result, table(result), error


def _area_label(area):
    if area is not None:
        return f"{area.name} ({area.code})"
    assigned = sorted(current_user.areas, key=lambda a: a.code)
    return ", ".join(f"{a.name} ({a.code})" for a in assigned)


def _file_name(area, month, ext):
    """``tong-hop-thang_31001_phuong-hong-bang_2026-11.xlsx``: the area and month in the name."""
    areas = [area] if area is not None else sorted(current_user.areas, key=lambda a: a.code)
    parts = ["tong-hop-thang"]
    for a in areas[:3]:
        parts.append(f"{a.code}_{'-'.join(fold(a.name).split())}")
    parts.append(month)
    safe = "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "-" for c in "_".join(parts))
    return f"{safe}.{ext}"


def _context(print_view=False):
    month, area, result, rows, error = _build()
    return {"month": month, "area": area, "result": result, "rows": rows, "error": error,
            "columns": COLUMNS,
            "lines": [(kind, texts, [row[key] for key, _h, _t in COLUMNS])
                      for (kind, row), texts in zip(rows, text_rows(rows))],
            "today": datetime.now(local_zone()).date(),
            "areas": scope_areas(scope_of(current_user)), "area_label": _area_label(area),
            "weights": result.weights, "print_view": print_view,
            "args": {k: v for k, v in (("month", month), ("area", area.code if area else None)) if v}}


@bp.route("/synthesis")
@roles_required(*DESK)
def synthesis():
    """Per organization and collection point: the month's work, sign-ups, conversion, ranking."""
    ctx = _context()
    return render_template("supervisor/synthesis.html", **ctx), 400 if ctx["error"] else 200


@bp.route("/synthesis/print")
@roles_required(*DESK)
def synthesis_print():
    """The same table on a page of its own, without the menu, laid out for A4 landscape."""
    ctx = _context(print_view=True)
    return render_template("supervisor/synthesis_print.html", **ctx), 400 if ctx["error"] else 200


def _title_lines(month, area):
    return [[_("Monthly synthesis"), format_month(month)],
            [_("Area"), _area_label(area)],
            [_("Made on"), datetime.now(local_zone()).date()]]


def _download(kind):
    month, area, _result, rows, error = _build()
    if error:
        abort(400, error)
    lines = _title_lines(month, area)
    if kind == "csv":
        body = to_csv(rows, [[v if isinstance(v, str) else v.strftime("%d/%m/%Y") for v in line]
                             for line in lines])
        mime = "text/csv; charset=utf-8"
    else:
        body = to_xlsx(rows, lines)
        mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    name = _file_name(area, month, kind)
    return Response(body, mimetype=mime,
                    headers={"Content-Disposition": f'attachment; filename="{name}"',
                             "Cache-Control": "no-store"})


@bp.route("/synthesis.csv")
@roles_required(*DESK)
def synthesis_csv():
    """The table of the page as CSV (the figures as the page prints them)."""
    return _download("csv")


@bp.route("/synthesis.xlsx")
@roles_required(*DESK)
def synthesis_xlsx():
    """The table of the page as XLSX (numbers as numbers, dates as dates)."""
    return _download("xlsx")

