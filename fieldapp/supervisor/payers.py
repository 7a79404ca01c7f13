"""*Đến hạn / dừng đóng* (#15): payers due, lapsed this month, lapsed earlier and not visited;
per area, collection organization and collector; follow-up tasks in one click; XLSX.

HTTP only: the states and lists are fieldapp/reports/payers.py, the tasks
fieldapp/reports/payer_tasks.py.
"""
import io
from datetime import UTC, date, datetime

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from ..extensions import db
from ..i18n import local_zone
from ..models import Area, Organization, User
from ..reports import payer_tasks, payers
from ..rules.access import require_area, roles_required, scope_of
from ..web.paging import Page, int_arg, text_arg
from . import bp
from .register import areas_under, scope_areas

DESK = ("admin", "supervisor")
LISTS = {"due": _l("Due in the next 30 days"), "lapsed_month": _l("Stopped paying this month"),
         "lapsed_earlier": _l("Stopped paying earlier, not visited since")}
SORTS = ("deadline", "name", "amount", "village")
PER_PAGE = 200


def _today():
    """Today as lived in Vietnam, or the ``day`` asked for (to look ahead)."""
    asked = text_arg("day", max_len=10)
    if asked:
        try:
            return date.fromisoformat(asked)
        except ValueError:
            abort(400)
    return datetime.now(UTC).astimezone(local_zone()).date()


def _filters(scope):
    """(list name, area ids, area, organization, collector) from the query string, each
    checked against the user's scope."""
    which = text_arg("list", max_len=20) or "due"
    if which not in LISTS:
        abort(404)
    ids, area = set(scope.area_ids), None
    code = text_arg("area", max_len=32)
    if code:
        area = db.session.scalar(select(Area).where(Area.code == code))
        if area is None:
            abort(404)
        require_area(area.id)
        ids = areas_under(area.id, scope)
    org = request.args.get("org", type=int)
    organization = db.session.get(Organization, org) if org else None
    if org and organization is None:
        abort(404)
    name = text_arg("collector", max_len=64)
    collector = None
    if name:
        collector = db.session.scalar(select(User).where(User.username == name,
                                                         User.role == "collector"))
        if collector is None or not any(scope.sees_area(a.id) for a in collector.areas):
            abort(404)
    return which, ids, area, organization, collector


def _asked(scope):
    """The list, filters, day and sort asked for, checked against the user's scope."""
    which, ids, area, organization, collector = _filters(scope)
    sort = text_arg("sort", max_len=10) or "deadline"
    if sort not in SORTS:
        sort = "deadline"
    return {"which": which, "ids": ids, "area": area, "organization": organization,
            "collector": collector, "today": _today(), "sort": sort}


def _rows(found):
    """The whole list ``_asked`` found, sorted, with each payer's state and dates (enough for the
    tasks' keys and every sort but ``amount``): the download, the tasks and the amount sort.
    Amounts and last payments are filled by ``_detail`` for the rows that show them; sorting
    by amount needs every row's amount first."""
    organization, collector = found["organization"], found["collector"]
    rows = payers.payer_list(found["which"], found["ids"], found["today"],
                             organization and organization.id, collector and collector.id)
    if found["sort"] == "amount":
        payers.with_amounts(rows, found["today"])
    # The deadline is the last day of the month before ``lapse_month``: ordering by the month
    # orders by the day without building a date per row. (reports/payers.py ``ORDERS`` are
    # the same orders in SQL, for the page.)
    key = {"deadline": lambda p: (p.lapse_month, p.name),
           "name": lambda p: (p.name, p.lapse_month),
           "amount": lambda p: (-(p.amount or 0), p.name),
           "village": lambda p: (p.area_id, p.name)}[found["sort"]]
    rows.sort(key=key)
    return dict(found, rows=rows)


def _page(scope):
    """(what ``_asked`` found, the page of the list asked for). The database counts, sorts
    and cuts the list (reports/payers.py ``payer_page``), except by amount, which only
    Python works out for every row (``_rows``)."""
    found = _asked(scope)
    if found["sort"] == "amount":
        found = _rows(found)
        rows = found["rows"]
        number = min(int_arg("page"), max(1, -(-len(rows) // PER_PAGE)))
        items, total = rows[(number - 1) * PER_PAGE:number * PER_PAGE], len(rows)
    else:
        organization, collector = found["organization"], found["collector"]
        total, number, items = payers.payer_page(
            found["which"], found["ids"], found["today"], found["sort"], int_arg("page"),
            PER_PAGE, organization and organization.id, collector and collector.id)
    return found, Page(items=items, page=number, per_page=PER_PAGE, total=total)


def _detail(found, rows, last_payments=True):
    """Fill the amounts (unless the sort already did, for every row) and the last payments of
    ``rows``, the part of ``found["rows"]`` shown, downloaded or made into tasks."""
    if found["sort"] != "amount":
        payers.with_amounts(rows, found["today"])
    if last_payments:
        payers.with_last_payments(rows)
    return rows


def _names(rows):
    """{area id: name} and {user id: full name} of the rows (one query each)."""
    areas = {a.id: a.name for a in db.session.scalars(
        select(Area).where(Area.id.in_({r.area_id for r in rows})))} if rows else {}
    users = {u.id: u.full_name or u.username for u in db.session.scalars(
        select(User).where(User.id.in_({r.collector_id for r in rows if r.collector_id})))} \
        if rows else {}
    return areas, users


@bp.route("/payers")
@roles_required(*DESK)
def payers_list():
    """The payers of one list, filtered; a selection or the whole list becomes tasks."""
    scope = scope_of(current_user)
    if text_arg("format", max_len=8) == "xlsx":
        found = _rows(_asked(scope))
        _detail(found, found["rows"])
        return _xlsx(found)
    found, page = _page(scope)
    shown = _detail(found, page.items)
    areas, users = _names(shown)
    tasks = payer_tasks.open_tasks(p.household_id for p in shown)
    organizations = db.session.scalars(select(Organization).order_by(Organization.name)).all()
    collectors = db.session.scalars(
        select(User).where(User.role == "collector", User.active.is_(True))
        .order_by(User.username)).all()
    collectors = [u for u in collectors if any(scope.sees_area(a.id) for a in u.areas)]
    args = {k: v for k, v in request.args.items() if k in ("list", "area", "org", "collector",
                                                            "day", "sort")}
    return render_template(
        "supervisor/payers.html", lists=LISTS, areas=scope_areas(scope), names=areas,
        users=users, organizations=organizations, collectors=collectors, args=args,
        tasks=tasks, kind=payer_tasks.KIND_OF_LIST[found["which"]], key=payer_tasks.payer_key,
        ended_reasons=ENDED_REASONS, page=page, shown=shown, **found)


@bp.route("/payers/tasks", methods=["POST"])
@roles_required(*DESK)
def payers_tasks():
    """Follow-up tasks for the chosen payers (``key``), or for the whole filtered list."""
    scope = scope_of(current_user)
    found = _rows(_asked(scope))
    chosen = set(request.form.getlist("key"))
    rows = found["rows"]
    if request.form.get("all") != "1":
        rows = [p for p in rows if payer_tasks.payer_key(p) in chosen]
    _detail(found, rows, last_payments=False)  # a task carries the next payment's amount
    note = (request.form.get("note") or "").strip()[:1000] or None
    made = payer_tasks.make_tasks(rows, payer_tasks.KIND_OF_LIST[found["which"]], current_user,
                                  note)
    db.session.commit()
    flash(_("%(num)d tasks made for the collectors.", num=made) if made else
          _("No new task: choose payers without an open task."), "info")
    return redirect(url_for("supervisor.payers_list", **request.args))


#: The XLSX's columns: (header, value of a payer).
def _columns(areas, users):
    return [
        (_("Name"), lambda p: p.name),
        (_("Scheme"), lambda p: p.scheme.upper()),
        (_("Village"), lambda p: areas.get(p.area_id, "")),
        (_("Phone"), lambda p: p.phone or ""),
        (_("Last payment"), lambda p: p.last_paid_on),
        (_("Last amount"), lambda p: p.last_amount),
        (_("Next period"), lambda p: p.next_start),
        (_("Next payment"), lambda p: p.amount),
        (_("Deadline"), lambda p: p.deadline),
        (_("Collector"), lambda p: users.get(p.collector_id, "")),
    ]


def _xlsx(found):
    """The whole list (not only the page shown) as a spreadsheet."""
    from openpyxl import Workbook

    rows = found["rows"]
    areas, users = _names(rows)
    columns = _columns(areas, users)
    book = Workbook()
    sheet = book.active
    sheet.title = found["which"]
    sheet.append([str(header) for header, _get in columns])
    for payer in rows:
        sheet.append([get(payer) for _header, get in columns])
    for cell in sheet["E"][1:] + sheet["I"][1:]:
        cell.number_format = "DD/MM/YYYY"
    for cell in sheet["F"][1:] + sheet["H"][1:]:
        cell.number_format = "#,##0"
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    name = f"payers-{found['which']}-{found['today'].isoformat()}.xlsx"
    return send_file(out, download_name=name, as_attachment=True,
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


ENDED_REASONS = {"moved_away": _l("Moved away"), "died": _l("Died"),
                 "compulsory_si": _l("Joined compulsory social insurance")}


@bp.route("/payers/ended", methods=["POST"])
@roles_required(*DESK)
def payers_ended():
    """Record that a person no longer pays (moved away, died, joined compulsory SI): they
    leave the lists as *ended*, and devices pull it with the person (``server.ended``)."""
    from ..models import Person
    from ..rules import audit
    from ..syncserver import feed, payerchains

    person = db.session.get(Person, (request.form.get("person") or "").lower()[:36])
    if person is None:
        abort(404)
    require_area(person.area_id)
    reason = request.form.get("reason")
    try:
        day = date.fromisoformat(request.form.get("ended_on", ""))
    except ValueError:
        day = None
    back = url_for("supervisor.payers_list", **request.args.to_dict())
    if reason not in ENDED_REASONS or day is None:
        flash(_("Choose why the person stopped and since when."), "error")
        return redirect(back)
    before = {"ended_reason": person.ended_reason, "ended_on": person.ended_on and
              person.ended_on.isoformat()}
    person.ended_reason, person.ended_on = reason, day
    audit.record("update", "person", person.id, before=before,
                 after={"ended_reason": reason, "ended_on": day.isoformat()},
                 user_id=current_user.id, area_id=person.area_id)
    db.session.flush()
    # The payer rows copy the end (syncserver/payerchains.py), before the feed's counter.
    payerchains.refresh(db.session.connection(), [person.id])
    feed.touch("person", [person.id])
    db.session.commit()
    flash(_("%(name)s no longer pays: recorded.", name=person.full_name), "success")
    return redirect(back)
