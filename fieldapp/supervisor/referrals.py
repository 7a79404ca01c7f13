"""The supervisor's referral page (Giới thiệu): open referrals by age, village and referrer,
assigning them to a collector, and what each referrer's referrals came to (CSV and XLSX).

HTTP only: the figures are fieldapp/reports/referrals.py, the assignment
fieldapp/syncserver/referrals.py. Every read is cut to the caller's areas; a referral or an
area outside them answers 404 or 403, whichever page, filter or download asked.
"""
import csv
import io
from datetime import UTC, datetime

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from sync.protocol import UUID_RE

from ..extensions import db
from ..models import Area, Referral, User
from ..reports import referrals as report
from ..rules.access import require_area, roles_required, scope_of
from ..syncserver.referrals import AssignError, assign
from ..web.labels import choice_label
from ..web.paging import PER_PAGE, Page, int_arg, page_of, text_arg
from . import bp
from .register import areas_under, scope_areas

DESK = ("admin", "supervisor")


def _now():
    return datetime.now(UTC)


def _filters():
    """(area or None, area ids to read, status filter) from the query string, in scope."""
    scope = scope_of(current_user)
    ids = set(scope.area_ids)
    area = None
    code = text_arg("area", max_len=32)
    if code:
        area = db.session.query(Area).filter_by(code=code).one_or_none()
        if area is None:
            abort(404)
        require_area(area.id)
        ids = areas_under(area.id, scope)
    status = text_arg("status", max_len=16)
    return area, ids, (status if status in report.OPEN else "")


@bp.route("/referrals")
@roles_required(*DESK)
def referrals():
    """Open referrals oldest first with their age, by village and referrer; referrer figures.

    Every table is a page of ``TABLE_ROWS`` rows with its own pager (``page``, ``village_page``,
    ``referrer_page``, ``stats_page``): a province has hundreds of villages and referrers, and
    rendering them all cost more than the whole budget while no one reads 650 rows on one
    screen. The figures are still added up over every row (the summary is exact, the order is
    the whole list's) and the downloads stay whole."""
    area, ids, status = _filters()
    now = _now()
    sort = text_arg("sort", max_len=16)
    sort = sort if sort in report.REFERRER_SORTS else "conversion"
    fig = report.figures(ids, now, status, sort)
    page = _page(report.open_referrals(ids, status), int_arg("page"), fig.open_count)
    villages = {row[0].area_id for row in page.items}
    labels = [_("%(first)s–%(last)s days", first=first, last=last) if last is not None
              else _("More than 14 days") for _key, first, last in report.BUCKETS]
    return render_template(
        "supervisor/referrals.html", area=area, status=status, sort=sort,
        areas=scope_areas(scope_of(current_user)), page=page, now=now, fig=fig,
        by_village=page_of(fig.by_village, int_arg("village_page"), TABLE_ROWS,
                           "village_page", "by-village"),
        by_referrer=page_of(fig.by_referrer, int_arg("referrer_page"), TABLE_ROWS,
                            "referrer_page", "by-referrer"),
        stats=page_of(fig.stats, int_arg("stats_page"), TABLE_ROWS, "stats_page", "referrers"),
        buckets=report.BUCKETS, bucket_labels=labels,
        collectors=report.collectors_covering(villages), statuses=report.OPEN,
        reason_labels=_labels("reason"), status_labels=_labels("referral_status"))


def _labels(field):
    """{value: label} of a choice list, translated once per page (not once per row)."""
    from ..forms.choices import CHOICES

    return {value: str(label) for value, label in CHOICES[field]}


def _page(stmt, number, total):
    """One page of the open list; the total is already counted (``figures``)."""
    pages = max(1, -(-total // PER_PAGE))
    number = min(max(number, 1), pages)
    rows = db.session.execute(stmt.limit(PER_PAGE).offset((number - 1) * PER_PAGE)).all()
    return Page(items=rows, page=number, per_page=PER_PAGE, total=total, anchor="open")


#: Rows of each of the page's tables shown at once (the open list pages by PER_PAGE).
TABLE_ROWS = PER_PAGE


@bp.route("/referrals/<referral_id>/assign", methods=["POST"])
@roles_required(*DESK)
def assign_referral(referral_id):
    """Give an open referral to a collector who covers its village (POST form)."""
    record = db.session.get(Referral, referral_id.lower()) if UUID_RE.match(referral_id) else None
    if record is None or not scope_of(current_user).sees_area(record.area_id):
        abort(404)
    username = (request.form.get("collector") or "").strip()[:64]
    collector = db.session.query(User).filter_by(username=username).one_or_none() if username else None
    try:
        changed = assign(db.session, record, collector, current_user, _now())
    except AssignError as exc:
        db.session.rollback()
        if exc.args[0] == "status":
            message = _("This referral is no longer open: it cannot be assigned.")
        else:
            message = _("Choose a collector who covers the referral's village.")
        flash(message, "error")
        return redirect(_back()), 303
    db.session.commit()
    if changed:
        flash(_("Referral assigned to %(name)s.", name=collector.full_name or collector.username))
    return redirect(_back()), 303


def _back():
    """The page the form was on (only our own referral page), else the referral page."""
    target = request.form.get("next", "")
    base = url_for("supervisor.referrals")
    return target if target.startswith(base) and "//" not in target else base


# -- downloads ------------------------------------------------------------------------------

def _age_headers():
    return [_("0–3 days"), _("4–7 days"), _("8–14 days"), _("More than 14 days"), _("Total")]


def _table(name, ids, now, sort):
    """(title, headers, rows) of one of the page's tables, as plain numbers and text."""
    if name in ("referrers", "villages"):
        fig = report.figures(ids, now, "", sort)
    if name == "referrers":
        headers = [_("Referrer"), _("Username"), _("Referred"), _("Visited"), _("Enrolled"),
                   _("Conversion")]
        rows = [[full or user, user, n, v, e, round(c, 4)]
                for user, full, _role, n, v, e, c in fig.stats]
        return _("Referrers"), headers, rows
    if name == "villages":
        headers = [_("Village code"), _("Village")] + _age_headers()
        rows = [[code, vname, *counts] for code, vname, *counts in fig.by_village]
        return _("Open referrals by village"), headers, rows
    if name == "open":
        headers = [_("Received"), _("Age (days)"), _("Village"), _("Name of the person referred"),
                   _("Reason"), _("Phone"), _("Address"), _("Referrer"), _("Status"), _("Collector")]
        rows = [[r.received_at.date().isoformat(), (now - r.received_at).days, vname,
                 r.contact_name, choice_label("reason", r.reason), r.contact_phone or "",
                 r.address or "", referrer or "", choice_label("referral_status", r.status),
                 assignee or ""]
                for r, _code, vname, referrer, assignee in db.session.execute(
                    report.open_referrals(ids)).all()]
        return _("Open referrals"), headers, rows
    abort(404)


@bp.route("/referrals.<fmt>")
@roles_required(*DESK)
def referrals_download(fmt):
    """One of the page's tables (``table``: referrers, villages, open) as CSV or XLSX."""
    if fmt not in ("csv", "xlsx"):
        abort(404)
    _area, ids, _status = _filters()
    sort = text_arg("sort", max_len=16)
    name = text_arg("table", max_len=16) or "referrers"
    title, headers, rows = _table(name, ids, _now(), sort if sort in report.REFERRER_SORTS
                                  else "conversion")
    filename = f"gioi-thieu-{name}.{fmt}"
    if fmt == "csv":
        out = io.StringIO()
        out.write("\ufeff")  # Excel opens UTF-8 with its mark
        writer = csv.writer(out)
        writer.writerow(headers)
        writer.writerows(rows)
        body, mime = out.getvalue().encode("utf-8"), "text/csv; charset=utf-8"
    else:
        body, mime = _xlsx(title, headers, rows, name), \
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(body, mimetype=mime,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _xlsx(title, headers, rows, name):
    """The table as a workbook: real numbers (conversion a fraction shown as a percentage).
    Written in openpyxl's streaming mode: a province's open list is tens of thousands of
    rows."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    sheet.append(headers)
    for row in rows:
        if name == "referrers":
            cell = WriteOnlyCell(sheet, value=row[-1])
            cell.number_format = "0.00%"
            row = [*row[:-1], cell]
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
