"""The plans page: the year's targets per area, organization and scheme, and uploads of plan
files and official counts files.

Uploads go through the same importers as ``import-plans`` and ``import-counts``
(data/importers.py): the whole file is judged before anything is stored, every problem
names its line and column, and a file with an area outside the uploader's subtree is refused
whole, in the same words as an unknown code.
"""
import tempfile
from pathlib import Path

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select
from werkzeug.utils import secure_filename

from ..data.csvfile import ImportFailed
from ..db.tx import begin_write
from ..extensions import db
from ..forms.progress import PlanForm, UploadForm
from ..models import Area, Organization, Plan
from ..rules import audit
from ..rules.access import ancestor_ids, require_area, roles_required, scope_of
from ..web.paging import int_arg
from . import bp
from .progress import DESK, scope_nodes, this_month
from .upload_words import say_problem

MAX_UPLOAD = 5 * 1024 * 1024

bp.add_app_template_filter(say_problem, "upload_problem")
MONTH_KEYS = [f"{m:02d}" for m in range(1, 13)]


def _organizations(scope):
    """Organizations a supervisor may plan for: those based in their subtree or above it."""
    reach = set(scope.area_ids) | ancestor_ids(scope.assigned_ids)
    return list(db.session.scalars(
        select(Organization).where(Organization.active.is_(True),
                                   or_(Organization.area_id.in_(reach),
                                       Organization.area_id.is_(None)))
        .order_by(Organization.code)))


def _plan_form(scope, formdata=None):
    form = PlanForm(formdata)
    form.area.choices = [(n.code, f"{n.code} · {n.name}") for n in scope_nodes(scope)]
    form.organization.choices = [("", _("— the area's own plan —"))] + [
        (o.code, f"{o.code} · {o.name}") for o in _organizations(scope)]
    return form


def _plans_of(scope, year):
    ids = list(scope.area_ids)
    if not ids:
        return []
    return db.session.execute(
        select(Plan, Area, Organization).outerjoin(Area, Area.id == Plan.area_id)
        .outerjoin(Organization, Organization.id == Plan.organization_id)
        .where(Plan.year == year, Plan.area_id.in_(ids))
        .order_by(Area.code, Organization.code.nulls_first(), Plan.scheme)).all()


def _render(scope, year, form=None, upload=None, problems=None, status=200):
    form = form or _plan_form(scope)
    if form.year.data is None:
        form.year.data = year
    return render_template("supervisor/plans.html", year=year, plans=_plans_of(scope, year),
                           form=form, upload=upload or UploadForm(), problems=problems,
                           months=MONTH_KEYS), status


@bp.route("/plans")
@roles_required(*DESK)
def plans():
    """The year's plans in the user's subtree, a form to set one, and the uploads."""
    year = int_arg("year", default=int(this_month()[:4]), minimum=2000, maximum=2100)
    return _render(scope_of(current_user), year)


@bp.route("/plans", methods=["POST"])
@roles_required(*DESK)
def set_plan():
    """Create or replace one plan (area or organization in an area, year, scheme)."""
    scope = scope_of(current_user)
    form = _plan_form(scope, request.form)
    if not form.validate():
        year = form.year.data if isinstance(form.year.data, int) else int(this_month()[:4])
        return _render(scope, year, form=form, status=400)
    area = db.session.scalar(select(Area).where(Area.code == form.area.data))
    require_area(area.id)
    org = None
    if form.organization.data:
        org = db.session.scalar(select(Organization).where(Organization.code == form.organization.data))
    monthly = {key: getattr(form, f"m{key}").data for key in MONTH_KEYS
               if getattr(form, f"m{key}").data is not None}
    # An organization has no count of its own: its plan is its "new" target, the total may be 0.
    if org is None and form.new_participants.data is not None \
            and form.new_participants.data > form.target.data:
        form.new_participants.errors.append(_("Cannot be more than the target of participants."))
        return _render(scope, form.year.data, form=form, status=400)
    begin_write()
    plan = db.session.scalar(select(Plan).where(
        Plan.area_id == area.id, Plan.year == form.year.data, Plan.scheme == form.scheme.data,
        Plan.organization_id == org.id if org else Plan.organization_id.is_(None)))
    before = audit.values_of(plan) if plan else None
    if plan is None:
        plan = Plan(area_id=area.id, organization_id=org.id if org else None,
                    year=form.year.data, scheme=form.scheme.data)
        db.session.add(plan)
    plan.target, plan.new_participants = form.target.data, form.new_participants.data
    plan.monthly = monthly or None
    db.session.flush()
    audit.record("update" if before else "create", "plan", plan.id, before=before,
                 after=audit.values_of(plan), user_id=current_user.id, area_id=area.id)
    db.session.commit()
    flash(_("Plan saved: %(area)s, %(year)s.", area=area.name, year=plan.year), "success")
    return redirect(url_for("supervisor.plans", year=plan.year))


@bp.route("/plans/upload", methods=["POST"])
@roles_required(*DESK)
def upload_plans():
    """A plan file or an official counts file, judged whole; nothing stored from a bad one."""
    from ..data.importers import import_counts, import_plans

    scope = scope_of(current_user)
    upload = UploadForm(request.form)
    year = int(this_month()[:4])
    if not upload.validate():
        return _render(scope, year, upload=upload, status=400)
    sent = request.files.get("file")
    if sent is None or not sent.filename:
        upload.file.errors = [_("Choose a CSV file.")]
        return _render(scope, year, upload=upload, status=400)
    name = secure_filename(sent.filename) or "upload.csv"
    importer = import_plans if upload.kind.data == "plans" else import_counts
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        data = sent.stream.read(MAX_UPLOAD + 1)
        if len(data) > MAX_UPLOAD:
            upload.file.errors = [_("The file is larger than %(mb)s MB.", mb=MAX_UPLOAD // 2**20)]
            return _render(scope, year, upload=upload, status=400)
        path.write_bytes(data)
        try:
            result = importer(path, allowed_area_ids=scope.area_ids, user_id=current_user.id)
        except ImportFailed as failed:
            return _render(scope, year, upload=upload, problems=failed, status=400)
    flash(_("%(file)s: %(rows)s rows; %(created)s created, %(updated)s updated, %(unchanged)s "
            "unchanged.", file=result.filename, rows=result.rows, created=result.created,
            updated=result.updated, unchanged=result.unchanged), "success")
    return redirect(url_for("supervisor.plans", year=year))
