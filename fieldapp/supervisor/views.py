"""Supervisor views: the overview of the areas and the household register."""
from flask import abort, render_template
from flask_login import current_user

from sync.protocol import UUID_RE

from ..extensions import db
from ..models import Area, Household
from ..reports.overview import commune_figures, month_bounds
from ..rules.access import require_area, roles_required, scope_of
from ..web.paging import int_arg, paginate, text_arg
from . import bp
from .register import areas_under, household_detail, household_query, scope_areas

DESK = ("admin", "supervisor")


@bp.route("/")
@roles_required(*DESK)
def overview():
    """Each commune in the user's areas: households, persons, and this month's work."""
    scope = scope_of(current_user)
    rows, totals = commune_figures(scope)
    _start, _end, month = month_bounds()
    assigned = sorted(current_user.areas, key=lambda a: a.code)
    return render_template("supervisor/overview.html", rows=rows, totals=totals, month=month,
                           assigned=assigned)


@bp.route("/households")
@roles_required(*DESK)
def households():
    """The household register of the user's areas: search, filter by area, pages."""
    scope = scope_of(current_user)
    q = text_arg("q")
    area_code = text_arg("area", max_len=32)
    area = None
    ids = set(scope.area_ids)
    if area_code:
        area = db.session.query(Area).filter_by(code=area_code).one_or_none()
        if area is None:
            abort(404)
        require_area(area.id)
        ids = areas_under(area.id, scope)
    page = paginate(household_query(ids, q), int_arg("page"))
    return render_template("supervisor/households.html", page=page, q=q, area=area,
                           areas=scope_areas(scope))


@bp.route("/households/<household_id>")
@roles_required(*DESK)
def household(household_id):
    """One household: its members, visits and sign-ups."""
    record = None
    if UUID_RE.match(household_id):
        record = db.session.get(Household, household_id.lower())
    if record is None:
        abort(404)
    require_area(record.area_id)
    members, visits, enrollments = household_detail(record)
    return render_template("supervisor/household.html", household=record, members=members,
                           visits=visits, enrollments=enrollments)
