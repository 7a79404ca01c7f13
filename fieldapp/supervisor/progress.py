"""Tiến độ kế hoạch: progress against the year's plan, for one area of the user's subtree.

The figures come from reports/progress.py (SQL), the sentence from
reports/progress_sentence.py, the charts from web/svgchart.py; this module only reads the GET
form, checks scope and hands the rows to the template (or to the XLSX download).
"""
from datetime import UTC, datetime
from io import BytesIO

from flask import abort, render_template, request, send_file
from flask_babel import gettext as _
from flask_login import current_user

from sync.protocol import SCHEMES

from ..extensions import db
from ..forms.progress import ProgressFilter
from ..i18n import local_zone
from ..models import Area
from ..reports.progress import latest_counted_month, previous_december, progress
from ..reports.progress_sentence import (
    area_label,
    format_count,
    format_ratio,
    month_label,
    scheme_label,
    sentence,
)
from ..rules.access import require_area, roles_required, scope_of
from ..rules.areatree import area_tree
from ..web import svgchart
from . import bp

DESK = ("admin", "supervisor")
LEVEL_RANK = {"province": 0, "district": 1, "commune": 2, "village": 3}


def scope_nodes(scope):
    """The areas of the user's subtree from the cached tree, by code (the area picker)."""
    nodes = area_tree().by_id
    return sorted((nodes[a] for a in scope.area_ids if a in nodes), key=lambda n: n.code)


def default_area(scope):
    """The highest of the user's own areas (their province, or their first commune)."""
    nodes = area_tree().by_id
    mine = [nodes[a] for a in scope.assigned_ids if a in nodes]
    if not mine:
        return None
    return min(mine, key=lambda n: (LEVEL_RANK.get(n.level, 9), n.code))


def this_month():
    return datetime.now(UTC).strftime("%Y-%m")


def picker_nodes(scope, chosen):
    """The area picker's choices: every area of the subtree above village level, and the
    villages beside and below the chosen area (a province has thousands of villages: listing
    them all would make the page heavy and the list unusable; a village link in the table
    or ``?area=<code>`` reaches any of them)."""
    tree = area_tree()
    near = set()
    if chosen is not None:
        near = {chosen.id, chosen.parent_id, *tree.children().get(chosen.id, ())}
        near |= set(tree.children().get(chosen.parent_id, ()))
    return [n for n in scope_nodes(scope) if n.level != "village" or n.id in near]


def read_filter(scope):
    """(form, area node, month, scheme, valid) from the query string, scope checked."""
    form = ProgressFilter(request.args)
    chosen = request.args.get("area", "").strip()
    if chosen:
        node = area_tree().by_code.get(chosen)
        if node is None:
            abort(404)
        require_area(node.id)
    else:
        node = default_area(scope)
        if node is None:
            form.area.choices = []
            return form, None, None, "vsi", True
        form.area.data = node.code
    form.area.choices = [(n.code, f"{n.code} · {n.name}") for n in picker_nodes(scope, node)]
    valid = form.validate()
    scheme = form.scheme.data if form.scheme.data in SCHEMES else "vsi"
    month = form.month.data if valid and form.month.data else None
    if month is None:
        month = latest_counted_month(node.id, scheme) or this_month()
        if valid:
            form.month.data = month
    return form, node, month, scheme, valid


@bp.route("/progress")
@roles_required(*DESK)
def progress_page():
    """Participants against the year's plan for an area, month and scheme, with charts."""
    scope = scope_of(current_user)
    form, node, month, scheme, valid = read_filter(scope)
    if node is None:
        return render_template("supervisor/progress.html", form=form, area=None)
    area = db.session.get(Area, node.id)
    tree = area_tree()
    child_ids = sorted((c for c in tree.children().get(node.id, ()) if scope.sees_area(c)),
                       key=lambda c: tree.by_id[c].code)
    report = progress(node.id, child_ids, month, scheme)
    names = {c: tree.by_id[c].name for c in child_ids}
    codes = {c: tree.by_id[c].code for c in child_ids}
    if request.args.get("format") == "xlsx" and valid:
        return _xlsx(area, report, names, month, scheme)
    return render_template(
        "supervisor/progress.html", form=form, area=area, month=month, scheme=scheme,
        valid=valid, report=report, names=names, codes=codes,
        text=sentence(report["area"], area_label(area, area.central_city)),
        charts=_charts(area, report, names, month, scheme), month_name=month_label(month),
        december_name=month_label(previous_december(month)),
        scheme_name=scheme_label(scheme), count=format_count, ratio=format_ratio), 200 if valid else 400


def _charts(area, report, names, month, scheme):
    year = month[:4]
    no_figure = _("no figures")
    line = report["line"]
    values = [p["value"] for p in line]
    plan_values = [p["plan"] for p in line]
    last = next((p for p in reversed(line) if p["value"] is not None), None)
    desc = _("Participants at each month's end of %(year)s against the plan line, up to "
             "%(month)s: %(n)s participants, plan for the year %(target)s. Rings are "
             "provisional months.", year=year,
             month=month_label(month),
             n=format_count(last["value"]) if last else no_figure,
             target=format_count(report["full_year_plan"]) if report["full_year_plan"] else no_figure)
    legend = {_("Participants"): _("Participants"), _("Plan"): _("Plan")}
    cumulative = svgchart.line_chart(
        "chart-year", _("Participants and plan, %(year)s", year=year), desc,
        [f"{n:02d}" for n in range(1, 13)],
        [(_("Participants"), svgchart.BLUE, values, False),
         (_("Plan"), svgchart.ORANGE, plan_values, True)], format_count, legend,
        hollow={i for i, p in enumerate(line) if p["provisional"]})
    children = sorted(report["children"], key=lambda r: (r["of_plan"] is None, -(r["of_plan"] or 0),
                                                         names[r["area_id"]]))
    bars = [(names[r["area_id"]], r["of_plan"]) for r in children]
    bar_desc = "; ".join(f"{label}: {format_ratio(v) if v is not None else no_figure}"
                         for label, v in bars) or _("No sub-areas.")
    sub_areas = svgchart.bar_chart(
        "chart-areas", _("Percentage of the plan by sub-area, %(month)s", month=month_label(month)),
        bar_desc, bars, lambda v: format_ratio(v) if v is not None else no_figure) if bars else None
    weeks = [(start.astimezone(local_zone()).strftime("%d/%m"), n) for start, n in report["weeks"]]
    week_desc = _("Sign-ups per week over the last 12 weeks: %(list)s.",
                  list="; ".join(f"{label}: {format_count(n)}" for label, n in weeks))
    weekly = svgchart.column_chart(
        "chart-weeks", _("Sign-ups per week, last 12 weeks"), week_desc, weeks, format_count)
    return {"year": cumulative, "areas": sub_areas, "weeks": weekly}


def _xlsx(area, report, names, month, scheme):
    """The sub-area table as a spreadsheet, the same figures as the page."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = month
    ws.append([_("Area"), _("Participants"), _("Provisional"), _("Plan"), _("Percent of plan"),
               _("Change on previous month"), _("Change since December"),
               _("Change on a year earlier"), _("New sign-ups"), _("New target")])
    rows = [(area.name, report["area"])] + [(names[r["area_id"]], r) for r in report["children"]]
    for name, r in rows:
        ws.append([name, r["participants"], bool(r["provisional"]), r["target"],
                   None if r["of_plan"] is None else round(r["of_plan"] * 100, 2),
                   r["previous"]["n"] if r["previous"] else None,
                   r["december"]["n"] if r["december"] else None,
                   r["year_ago"]["n"] if r["year_ago"] else None, r["new"], r["target_new"]])
    out = BytesIO()
    wb.save(out)
    out.seek(0)
    return send_file(out, as_attachment=True, download_name=f"tien-do-{area.code}-{month}-{scheme}.xlsx",
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
