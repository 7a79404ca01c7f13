"""The money trail at the desk (#15): cash held per collector, hand-overs (remittances) and
the monthly reconciliation of a collection organization; printable, CSV and XLSX.

HTTP only: the figures are fieldapp/reports/money.py.
"""
import csv
import io
from datetime import UTC, date, datetime

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..extensions import db
from ..i18n import local_zone
from ..models import Organization, User
from ..reports import money
from ..rules.access import ancestor_ids, roles_required, scope_of
from ..web.paging import text_arg
from . import bp

DESK = ("admin", "supervisor")


def _today():
    return datetime.now(UTC).astimezone(local_zone()).date()


def _organizations(scope):
    """The organizations the user may reconcile: those of an area they reach, or of an area
    above theirs (a province's post office serves the user's commune)."""
    reach = set(scope.area_ids) | ancestor_ids(scope.assigned_ids)
    return [o for o in db.session.scalars(select(Organization).order_by(Organization.name))
            if o.area_id is None and scope.national or o.area_id in reach]


def _areas(scope):
    """The areas whose money the user sees: all for a national user, else their subtree."""
    return None if scope.national else scope.area_ids


def _chosen(scope):
    organizations = _organizations(scope)
    wanted = request.values.get("org", type=int)
    if wanted is None:
        return organizations, (organizations[0] if organizations else None)
    found = next((o for o in organizations if o.id == wanted), None)
    if found is None:
        abort(404)
    return organizations, found


def _month():
    text = text_arg("month", max_len=7)
    if not text:
        today = _today()
        return today.year, today.month
    try:
        year, month = int(text[:4]), int(text[5:7])
        date(year, month, 1)
    except ValueError:
        abort(400)
    return year, month


def _table(rec):
    """The reconciliation as (label, value) rows: the page, the CSV and the XLSX read it."""
    return [
        (_("Receipts"), rec.receipts),
        (_("Collected"), rec.collected),
        (_("of which cash"), rec.cash),
        (_("of which transfer"), rec.transfer),
        (_("Handed to the organization"), rec.to_organization),
        (_("Handed to the social-insurance office"), rec.to_office),
        (_("Outstanding"), rec.outstanding),
        (_("Receipts not yet handed over"), len(rec.unaccounted)),
        (_("Cash held longer than the limit"), len(rec.held_too_long)),
    ]


@bp.route("/money")
@roles_required(*DESK)
def money_page():
    """Reconciliation of one organization for a month, the cash its collectors hold, and
    the forms to record a hand-over."""
    scope = scope_of(current_user)
    organizations, org = _chosen(scope)
    if org is None:
        return render_template("supervisor/money.html", organizations=[], org=None)
    areas = _areas(scope)
    year, month = _month()
    rec = money.reconcile(org, year, month, _today(), areas)
    fmt = text_arg("format", max_len=8)
    if fmt in ("csv", "xlsx"):
        return _download(rec, fmt)
    collector = None
    name = text_arg("collector", max_len=64)
    if name:
        collector = db.session.scalar(select(User).where(User.username == name,
                                                         User.organization_id == org.id))
        if collector is None:
            abort(404)
    pending = money.unremitted(org.id, collector.id if collector else None,
                               to_office=collector is None, areas=areas)
    collectors = [u for u in db.session.scalars(select(User).where(User.organization_id == org.id,
                                                                   User.role == "collector")
                                                .order_by(User.username))
                  if areas is None or any(a.id in areas for a in u.areas)]
    return render_template("supervisor/money.html", organizations=organizations, org=org,
                           rec=rec, table=_table(rec), held=money.cash_held(org.id, areas=areas),
                           pending=pending, collector=collector, collectors=collectors,
                           month=f"{year:04d}-{month:02d}", today=_today())


@bp.route("/money/remit", methods=["POST"])
@roles_required(*DESK)
def money_remit():
    """Record a hand-over: a collector's cash to the organization, or the organization's to
    the office."""
    scope = scope_of(current_user)
    _organizations_list, org = _chosen(scope)
    if org is None:
        abort(404)
    name = (request.form.get("collector") or "").strip()
    collector = None
    if name:
        collector = db.session.scalar(select(User).where(User.username == name,
                                                         User.organization_id == org.id))
        if collector is None:
            abort(404)
    back = url_for("supervisor.money_page", org=org.id, collector=name or None,
                   month=request.form.get("month") or None)
    try:
        day = date.fromisoformat(request.form.get("remitted_on", ""))
        amount = int(request.form.get("amount", ""))
    except ValueError:
        flash(_("Enter the date and the amount of the hand-over."), "error")
        return redirect(back)
    try:
        money.record_remittance(org.id, collector.id if collector else None, day, amount,
                                (request.form.get("reference") or "").strip()[:100],
                                request.form.getlist("payment"), current_user, _areas(scope))
    except money.RemittanceError as err:
        db.session.rollback()
        flash(str(err.message), "error")
        return redirect(back)
    db.session.commit()
    flash(_("Hand-over recorded."), "success")
    return redirect(back)


def _download(rec, fmt):
    rows = [(str(label), value) for label, value in _table(rec)]
    details = [(str(_("Receipt not yet handed over")), p.receipt_no, p.paid_on.isoformat(), p.amount)
               for p in rec.unaccounted]
    details += [(str(_("Cash held longer than the limit")), p.receipt_no, p.paid_on.isoformat(),
                 p.amount, days) for p, days in rec.held_too_long]
    name = f"reconciliation-{rec.organization.code}-{rec.month}"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerows(rows)
        writer.writerow([])
        writer.writerows(details)
        data = io.BytesIO(("\ufeff" + out.getvalue()).encode("utf-8"))  # Excel reads the BOM
        return send_file(data, download_name=f"{name}.csv", as_attachment=True,
                         mimetype="text/csv")
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = rec.month
    for row in rows:
        sheet.append(row)
    sheet.append([])
    for row in details:
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    return send_file(data, download_name=f"{name}.xlsx", as_attachment=True,
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
