"""The review queue (*Duyệt lượt thăm*): pages and forms only; the decision itself is
rules/review.py (review, audit, feed), the queries supervisor/review_queue.py.

Scope: every visit is looked up through the user's areas; a visit outside them answers 404
whether it is viewed, reviewed or named in a bulk selection, so its existence is not told.
"""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from sync.protocol import REVIEW_STATUSES, UUID_RE

from ..db.tx import commit_retrying
from ..extensions import db
from ..forms.choices import CHOICES
from ..models import User, Visit
from ..rules import review as reviewing
from ..rules.access import roles_required, scope_of
from ..web.paging import int_arg
from . import bp
from .review_queue import (
    SORTS,
    Filters,
    area_by_code,
    collectors_of,
    parse_date,
    queue_ids,
    queue_page,
    queue_statement,
    status_counts,
    visit_detail,
)

DESK = ("admin", "supervisor")
#: Query arguments that make up the queue's filters (kept across forms and redirects).
FILTER_ARGS = ("area", "collector", "outcome", "from", "to", "status", "sort", "dir")


def _filters(args, scope):
    """Filters from ``args`` (a request's args or form); unknown values are reported by
    field in ``errors`` and left out rather than answered with an error page."""
    f = Filters(area_ids=set(scope.area_ids))
    errors = f.errors
    # No control characters: PostgreSQL refuses a NUL in a string (a 500, not a 404).
    code = "".join(c for c in (args.get("area") or "") if c >= " ").strip()[:32]
    if code:
        f.area, ids = area_by_code(code, scope)
        if f.area is None:
            abort(404)
        f.area_ids = ids
    name = "".join(c for c in (args.get("collector") or "") if c >= " ").strip()[:64]
    if name:
        user = db.session.query(User).filter_by(username=name).one_or_none()
        if user is None or user.id not in {u.id for u in collectors_of(scope)}:
            errors["collector"] = _("Collector: not one of your areas' collectors.")
        else:
            f.collector = user
    outcome = (args.get("outcome") or "").strip()
    if outcome:
        if outcome in dict(CHOICES["outcome"]):
            f.outcome = outcome
        else:
            errors["outcome"] = _("Outcome: choose one from the list.")
    wrong = {"from": _("Visited from: write the date as DD/MM/YYYY."),
             "to": _("Visited until: write the date as DD/MM/YYYY.")}
    for key, attr in (("from", "date_from"), ("to", "date_to")):
        raw = (args.get(key) or "").strip()[:10]
        if raw:
            value = parse_date(raw)
            if value is None:
                errors[key] = wrong[key]
            setattr(f, attr, value)
    status = args.get("status", "pending")
    f.status = status if status in REVIEW_STATUSES else ""
    sort = args.get("sort", "")
    f.sort = sort if sort in SORTS else "synced"
    f.ascending = args.get("dir") == "asc"
    return f


def _filter_args(args):
    return {k: args[k] for k in FILTER_ARGS if args.get(k)}


@bp.route("/review")
@roles_required(*DESK)
def review_queue():
    """Synced visits of the user's areas awaiting (or past) review, newest synced first."""
    scope = scope_of(current_user)
    filters = _filters(request.args, scope)
    counts = status_counts(filters)
    page = queue_page(filters, int_arg("page"), counts)
    from .register import scope_areas

    args = _filter_args(request.args)
    sort_urls = {}
    for key in SORTS:
        flip = "asc" if filters.sort == key and not filters.ascending else "desc"
        sort_urls[key] = url_for("supervisor.review_queue", **{**args, "sort": key, "dir": flip})
    status_urls = {s: url_for("supervisor.review_queue", **{**args, "status": s})
                   for s in REVIEW_STATUSES}
    return render_template("supervisor/review.html", page=page, filters=filters, counts=counts,
                           areas=scope_areas(scope), collectors=collectors_of(scope),
                           outcomes=CHOICES["outcome"], args=args, statuses=REVIEW_STATUSES,
                           sort_urls=sort_urls, status_urls=status_urls,
                           outcome_labels={k: str(v) for k, v in CHOICES["outcome"]},
                           status_labels={k: str(v) for k, v in CHOICES["review"]})


#: Rows in one download; past it the file says so in its last row (filter to narrow it).
XLSX_ROWS = 50_000


@bp.route("/review.xlsx")
@roles_required(*DESK)
def review_xlsx():
    """"Tải Excel": the filtered queue (same filters, order and scope as the page)."""
    from io import BytesIO

    from flask import send_file
    from openpyxl import Workbook

    from ..i18n import format_datetime

    filters = _filters(request.args, scope_of(current_user))
    outcome = {k: str(v) for k, v in CHOICES["outcome"]}
    status = {k: str(v) for k, v in CHOICES["review"]}
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Review visits")[:31])
    sheet.append([_("Household"), _("Village"), _("Visited at"), _("Outcome"), _("Collector"),
                  _("Synced at"), _("Review"), _("Note"), "id"])
    rows = db.session.execute(queue_statement(filters).limit(XLSX_ROWS + 1)).all()
    for visit, head_name, village, username, _full_name in rows[:XLSX_ROWS]:
        sheet.append([head_name, village, format_datetime(visit.visited_at),
                      outcome.get(visit.outcome, visit.outcome), username,
                      format_datetime(visit.received_at),
                      status.get(visit.review_status, visit.review_status),
                      visit.review_note or "", visit.id])
    if len(rows) > XLSX_ROWS:
        sheet.append([_("Only the first %(num)s rows: narrow the filters.", num=XLSX_ROWS)])
    out = BytesIO()
    book.save(out)
    out.seek(0)
    return send_file(out, as_attachment=True, download_name="duyet-luot-tham.xlsx",
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _visit_in_scope(visit_id):
    visit = db.session.get(Visit, visit_id.lower()) if UUID_RE.match(visit_id) else None
    if visit is None or not scope_of(current_user).sees_record("visit", visit):
        abort(404)
    return visit


def _render_visit(visit, error=None, note="", status=200):
    from ..i18n import local_zone
    from ..syncserver.shapes import Shaper, fetch

    shaped = fetch(db.session.connection(), Shaper(local_zone()), {"visit": [visit.id]})[visit.id]
    answered = reviewing.since_send_back(visit.id, shaped["data"])
    if answered:
        answered["changes"] = [(_field_label(name), _shown(name, before), _shown(name, after))
                               for name, before, after in answered["changes"]]
    return render_template("supervisor/review_visit.html", visit=visit, detail=visit_detail(visit),
                           error=error, note=note, answered=answered,
                           back=_filter_args(request.form or request.args)), status


def _field_label(name):
    from ..records.forms import VisitForm

    bound = VisitForm()._fields.get(name)
    return str(bound.label.text) if bound is not None else name


def _shown(name, value):
    """A visit field's value as the page shows it (labels, local dates), for before/after."""
    from datetime import datetime

    from ..i18n import format_date, format_datetime
    from ..web.labels import choice_label

    if value in (None, "", []):
        return "—"
    if isinstance(value, list):
        return ", ".join(choice_label(name, v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items() if v is not None)
    if name in CHOICES:
        return choice_label(name, value)
    text = str(value)
    try:
        if len(text) == 10:
            return format_date(datetime.strptime(text, "%Y-%m-%d").date())
        if len(text) > 10 and text[10] == "T":
            return format_datetime(datetime.fromisoformat(text))
    except ValueError:
        pass
    return text


@bp.route("/review/<visit_id>")
@roles_required(*DESK)
def review_visit(visit_id):
    """One visit with all a reviewer needs, and the approve / send back form."""
    return _render_visit(_visit_in_scope(visit_id))


@bp.route("/review/<visit_id>", methods=["POST"])
@roles_required(*DESK)
def review_decide(visit_id):
    """Approve or send back one visit (from its page or a queue row)."""
    visit = _visit_in_scope(visit_id)
    decision, note = request.form.get("decision", ""), request.form.get("note", "")
    scope = scope_of(current_user)
    try:
        commit_retrying(lambda: reviewing.review(scope, current_user, [visit.id], decision, note))
    except reviewing.ReviewError as err:
        return _render_visit(visit, error=err, note=note[:reviewing.NOTE_MAX], status=400)
    except reviewing.NotInScope:
        abort(404)
    flash(_("Visit approved.") if decision == "approve" else _("Visit sent back to the collector."),
          "success")
    if request.form.get("next") == "visit":
        return redirect(url_for("supervisor.review_visit", visit_id=visit.id))
    return redirect(url_for("supervisor.review_queue", **_filter_args(request.form)))


@bp.route("/review/bulk", methods=["POST"])
@roles_required(*DESK)
def review_bulk():
    """Approve a selection (``visit`` checkboxes) or the whole filtered list (``all=1``):
    first a confirmation saying how many, then (``confirm=1``) the approval."""
    scope = scope_of(current_user)
    args = _filter_args(request.form)
    if request.form.get("all") == "1":
        ids = queue_ids(_filters(request.form, scope))
    else:
        ids = sorted({v.lower() for v in request.form.getlist("visit") if UUID_RE.match(v)})
    if not ids:
        flash(_("Select at least one visit to approve."), "error")
        return redirect(url_for("supervisor.review_queue", **args))
    if request.form.get("confirm") != "1":
        return render_template("supervisor/review_confirm.html", count=len(ids),
                               everything=request.form.get("all") == "1",
                               ids=ids, args=args, note=request.form.get("note", ""))
    note = request.form.get("note")
    try:
        count = commit_retrying(lambda: reviewing.review(scope, current_user, ids, "approve", note))
    except reviewing.NotInScope:
        abort(404)
    except reviewing.ReviewError as err:
        flash(err.message, "error")
        return redirect(url_for("supervisor.review_queue", **args))
    flash(ngettext("%(num)s visit approved.", "%(num)s visits approved.", count), "success")
    return redirect(url_for("supervisor.review_queue", **args))

