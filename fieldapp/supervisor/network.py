"""Mạng lưới thu: the collection network of the user's subtree, on one page.

Organizations, their collection points, the collectors attached to them, the three-party
coordination agreements per commune (with the share of communes covered per province), and
the collectors' devices. Users are created and changed on the user pages (admin/users_views.py),
which supervisors reach for the collectors and village heads of their subtree; devices are
revoked by admin.device_revoke, which sends back here.
"""
from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ..admin.people import managed_users
from ..db.tx import begin_write
from ..extensions import db
from ..forms.network import KIND_LABELS, AgreementForm, CollectionPointForm, OrganizationForm
from ..models import Area, CollectionPoint, CoordinationProgram, Organization, User
from ..reports.network import agreement_coverage, devices_of
from ..reports.network_table import to_xlsx
from ..reports.synthesis import visible_organizations
from ..rules import audit
from ..rules.access import roles_required, scope_of
from . import bp

DESK = ("admin", "supervisor")


def _organizations(scope):
    stmt = visible_organizations(scope.area_ids, scope.national).order_by(Organization.name)
    return db.session.scalars(stmt.options(selectinload(Organization.area))).all()


def _org_choices(form, orgs):
    form.organization.choices = [("", "—")] + [(str(o.id), f"{o.name} ({o.code})") for o in orgs]


def _forms(orgs):
    scope = scope_of(current_user)
    forms = {"org_form": OrganizationForm(prefix="org"), "point_form": CollectionPointForm(prefix="pt"),
             "agreement_form": AgreementForm(prefix="ag")}
    for form in forms.values():
        form.scope = scope
    _org_choices(forms["point_form"], orgs)
    _org_choices(forms["agreement_form"], orgs)
    return forms


def _network(scope):
    """The page's tables (for the page and its workbook): organizations, points, people,
    programs, the programs' coverage and the devices, all within ``scope``."""
    ids = sorted(scope.area_ids) or [-1]
    orgs = _organizations(scope)
    points = db.session.execute(
        select(CollectionPoint, Area).join(Area, Area.id == CollectionPoint.area_id)
        .where(CollectionPoint.area_id.in_(ids))
        .options(selectinload(CollectionPoint.organization))
        .order_by(Area.code, CollectionPoint.code)).all()
    people = db.session.scalars(
        select(User).where(managed_users(scope), User.role.in_(("collector", "village_head")))
        .options(selectinload(User.organization), selectinload(User.collection_point))
        .order_by(User.role, User.username)).all()
    agreements = db.session.execute(
        select(CoordinationProgram, Area).join(Area, Area.id == CoordinationProgram.area_id)
        .where(CoordinationProgram.area_id.in_(ids))
        .options(selectinload(CoordinationProgram.organization))
        .order_by(Area.code)).all()
    return {"orgs": orgs, "points": points, "people": people, "agreements": agreements,
            "coverage": agreement_coverage(scope.area_ids), "devices": devices_of(managed_users(scope))}


def _page(forms=None, status=200):
    net = _network(scope_of(current_user))
    forms = forms or _forms(net["orgs"])
    return render_template("supervisor/network.html", kinds=KIND_LABELS, **net, **forms), status


@bp.route("/network")
@roles_required(*DESK)
def network():
    """The organizations, points, collectors, agreements and devices of the user's subtree."""
    return _page()


@bp.route("/network.xlsx")
@roles_required(*DESK)
def network_xlsx():
    """"Tải Excel": the page's tables, a sheet each, for the same scope."""
    body = to_xlsx(_network(scope_of(current_user)), KIND_LABELS)
    return Response(body, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": 'attachment; filename="mang-luoi-thu.xlsx"',
                             "Cache-Control": "no-store"})


def _post(form_name, save, taken, anchor):
    """Validate one of the page's forms; on success save it and come back to its section,
    else show the page with the errors (400). ``taken(form)`` -> (field, message) for a row
    that already exists (found by ``save`` raising IntegrityError, or by the database)."""
    orgs = _organizations(scope_of(current_user))
    forms = _forms(orgs)
    form = forms[form_name]
    if form.validate_on_submit():
        begin_write()
        try:
            message = save(form)
            db.session.commit()
        except IntegrityError:  # a row with this key exists, or was saved a moment ago
            db.session.rollback()
            field, error = taken(form)
            field.errors = list(field.errors) + [error]
        else:
            flash(message, "success")
            return redirect(url_for("supervisor.network") + anchor)
    return _page(forms, 400)


@bp.route("/network/organizations", methods=["POST"])
@roles_required(*DESK)
def organization_new():
    """Add a collection service organization based in one of the user's areas."""
    def save(form):
        org = Organization(code=form.code.data, name=form.name.data, kind=form.kind.data,
                           area_id=form.area_obj.id, active=True)
        db.session.add(org)
        db.session.flush()
        audit.record("create", "organization", org.id, after=audit.values_of(org),
                     user_id=current_user.id, area_id=org.area_id)
        return _("Organization %(name)s added.", name=org.name)
    return _post("org_form", save, lambda f: (f.code, _("An organization with this code already exists.")),
                 "#organizations")


@bp.route("/network/points", methods=["POST"])
@roles_required(*DESK)
def point_new():
    """Add a collection point; its code is unique within its commune (refused naming the code)."""
    def save(form):
        commune = form.commune_obj
        taken = db.session.scalar(select(CollectionPoint.id).where(
            CollectionPoint.area_id == commune.id, CollectionPoint.code == form.code.data))
        if taken is not None:
            raise IntegrityError("collection point code taken", None, Exception())
        point = CollectionPoint(organization_id=int(form.organization.data), area_id=commune.id,
                                code=form.code.data, name=form.name.data,
                                address=form.address.data or None)
        db.session.add(point)
        db.session.flush()
        audit.record("create", "collection_point", point.id, after=audit.values_of(point),
                     user_id=current_user.id, area_id=commune.id)
        return _("Collection point %(code)s added.", code=point.code)

    def taken(form):
        return form.code, _("Code %(code)s is already used by another collection point in commune "
                            "%(commune)s.", code=form.code.data, commune=form.commune.data)
    return _post("point_form", save, taken, "#points")


@bp.route("/network/agreements", methods=["POST"])
@roles_required(*DESK)
def agreement_save():
    """Record a commune's three-party coordination program, or change the one recorded."""
    def save(form):
        org_id, commune = int(form.organization.data), form.commune_obj
        row = db.session.scalar(select(CoordinationProgram).where(
            CoordinationProgram.area_id == commune.id, CoordinationProgram.organization_id == org_id))
        before = audit.values_of(row)
        if row is None:
            row = CoordinationProgram(area_id=commune.id, organization_id=org_id)
            db.session.add(row)
        row.signed = bool(form.signed.data)
        row.signed_on = form.signed_on.data
        row.document_ref = form.document_ref.data or None
        db.session.flush()
        audit.record("update" if before else "create", "coordination_program", row.id,
                     before=before, after=audit.values_of(row), user_id=current_user.id,
                     area_id=commune.id)
        return _("Coordination program of %(commune)s saved.", commune=commune.name)
    return _post("agreement_form", save,
                 lambda f: (f.commune, _("Saved by someone else a moment ago: try again.")), "#agreements")

