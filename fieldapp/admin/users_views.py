"""Admin views: users (list, create, change, new password) and devices (list, revoke).

Supervisors use the same pages for the collectors and village heads of their subtree
(admin/people.py says whom each manages; forms/users.py refuses other roles for them), reached
from the collection network page. Every change goes through audit.record in the same
transaction as the change itself.
"""
from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from sync.protocol import UUID_RE

from ..auth import sessions
from ..auth.views import _safe_next
from ..db.tx import begin_write
from ..extensions import db
from ..forms.users import SUPERVISED, PasswordResetForm, UserCreateForm, UserEditForm, role_choices
from ..models import ROLES, Area, CollectionPoint, Device, Organization, User
from ..models.base import utcnow
from ..rules import audit
from ..rules.access import roles_required, scope_of
from ..web.paging import int_arg, paginate, text_arg
from . import bp
from .people import MANAGERS, managed_users, manages

#: Columns of a user written to the audit log (never the password hash).
USER_FIELDS = ("username", "full_name", "phone", "role", "organization_id", "collection_point_id",
               "active")


def user_values(user):
    """A user as the audit log's ``before`` / ``after`` holds it: USER_FIELDS and area codes."""
    values = {f: getattr(user, f) for f in USER_FIELDS}
    values["areas"] = sorted(a.code for a in user.areas)
    return values


def devices_by_user(user_ids):
    """{user_id: [Device, ...]} newest first, in one query."""
    out = {uid: [] for uid in user_ids}
    if user_ids:
        stmt = (select(Device).where(Device.user_id.in_(user_ids))
                .order_by(Device.revoked_at.is_not(None), Device.created_at.desc()))
        for device in db.session.scalars(stmt):
            out[device.user_id].append(device)
    return out


def _organization_choices(form):
    """Organizations and collection points the acting user may attach someone to: all for an
    admin of the whole country, else those working in (points: lying in) their subtree."""
    from ..reports.synthesis import visible_organizations

    scope = scope_of(current_user)
    stmt = select(Organization) if scope.national else visible_organizations(scope.area_ids)
    orgs = db.session.scalars(stmt.order_by(Organization.name)).all()
    form.organization.choices = [("", "—")] + [(str(o.id), o.name) for o in orgs]
    points = db.session.execute(
        select(CollectionPoint, Area.code).join(Area, Area.id == CollectionPoint.area_id)
        .where(CollectionPoint.area_id.in_(sorted(scope.area_ids) or [-1]),
               CollectionPoint.organization_id.in_([o.id for o in orgs] or [-1]))
        .order_by(Area.code, CollectionPoint.code)).all()
    names = {o.id: o.name for o in orgs}
    form.collection_point.choices = [("", "—")] + [
        (str(p.id), f"{code} · {p.code} {p.name} ({names[p.organization_id]})") for p, code in points]
    form.point_orgs = {str(p.id): str(p.organization_id) for p, _code in points}
    if scope.role == "supervisor":  # the form refuses other roles for them too
        form.role.choices = [c for c in role_choices() if c[0] in SUPERVISED]


def _managed_user_or_404(user_id):
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    if not manages(scope_of(current_user), user):
        abort(403)
    return user


@bp.route("/users")
@roles_required(*MANAGERS)
def users():
    """Users the admin manages, with their devices: last sync, app version, outbox."""
    scope = scope_of(current_user)
    q, role = text_arg("q"), text_arg("role", max_len=16)
    stmt = (select(User).where(managed_users(scope))
            .options(selectinload(User.organization), selectinload(User.areas)))
    if role in ROLES:
        stmt = stmt.where(User.role == role)
    if q:
        stmt = stmt.where(or_(func.lower(User.username).contains(q.lower(), autoescape=True),
                              func.lower(User.full_name).contains(q.lower(), autoescape=True)))
    page = paginate(stmt.order_by(User.role, User.username), int_arg("page"))
    page.items = [row[0] for row in page.items]
    return render_template("admin/users.html", page=page, q=q, role=role if role in ROLES else "",
                           roles=ROLES, devices=devices_by_user([u.id for u in page.items]))


@bp.route("/users/new", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def user_new():
    """Create a user with a first password (given to them in person)."""
    form = UserCreateForm()
    form.scope = scope_of(current_user)
    _organization_choices(form)
    if form.validate_on_submit():
        begin_write()
        user = User(username=form.username.data, full_name=form.full_name.data,
                    phone=form.phone.data, role=form.role.data,
                    organization_id=form.organization_id(),
                    collection_point_id=form.collection_point_id(), active=True)
        user.set_password(form.password.data)
        user.areas = list(form.area_objects)
        db.session.add(user)
        try:
            db.session.flush()
            audit.record("create", "user", user.id, None, user_values(user), current_user.id)
            db.session.commit()
        except IntegrityError:  # the same username created a moment ago by someone else
            db.session.rollback()
            form.username.errors = [_("This username is already taken.")]
        else:
            flash(_("User %(name)s created.", name=user.username), "success")
            return redirect(url_for("admin.user_edit", user_id=user.id))
    status = 400 if request.method == "POST" else 200
    return render_template("admin/user_new.html", form=form), status


@bp.route("/users/<int(max=2147483647):user_id>", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def user_edit(user_id):
    """Change a user's name, phone, role, organization, areas and whether they may sign in."""
    user = _managed_user_or_404(user_id)
    form = UserEditForm(obj=user if request.method == "GET" else None)
    form.scope = scope_of(current_user)
    _organization_choices(form)
    if request.method == "GET":
        form.areas.data = sorted(a.code for a in user.areas)
        form.organization.data = str(user.organization_id or "")
        form.collection_point.data = str(user.collection_point_id or "")
    status = 200
    if form.validate_on_submit():
        if user.id == current_user.id and (form.role.data != "admin" or not form.active.data):
            form.active.errors = list(form.active.errors) + [
                _("You cannot remove your own administrator rights or deactivate yourself.")]
            status = 400
        else:
            begin_write()
            user = db.session.get(User, user_id)
            before = user_values(user)
            user.full_name, user.phone = form.full_name.data, form.phone.data
            user.role, user.organization_id = form.role.data, form.organization_id()
            user.collection_point_id = form.collection_point_id()
            user.active = form.active.data
            user.areas = list(form.area_objects)
            after = user_values(user)
            if after != before:
                audit.record("update", "user", user.id, before, after, current_user.id)
            db.session.commit()
            flash(_("Changes saved."), "success")
            return redirect(url_for("admin.user_edit", user_id=user.id))
    elif request.method == "POST":
        status = 400
    devices = devices_by_user([user.id])[user.id]
    return render_template("admin/user_edit.html", user=user, form=form, devices=devices,
                           password_form=PasswordResetForm()), status


@bp.route("/users/<int(max=2147483647):user_id>/password", methods=["POST"])
@roles_required(*MANAGERS)
def user_password(user_id):
    """Set a new password (the user forgot theirs): their web sessions end (an admin resetting
    their own keeps this one), their devices stay paired."""
    user = _managed_user_or_404(user_id)
    form = PasswordResetForm()
    if not form.validate_on_submit():
        for error in form.password.errors:
            flash(f"{form.password.label.text}: {error}", "error")
        return redirect(url_for("admin.user_edit", user_id=user.id))
    begin_write()
    user = db.session.get(User, user_id)
    user.set_password(form.password.data)
    sessions.end_all(user.id)
    audit.record("update", "user", user.id, {"password": "old"}, {"password": "new"},
                 current_user.id)
    db.session.commit()
    if user.id == current_user.id:
        session["sv"] = user.session_version
    flash(_("New password set for %(name)s. Give it to them in person.", name=user.username),
          "success")
    return redirect(url_for("admin.user_edit", user_id=user.id))


@bp.route("/devices")
@roles_required(*MANAGERS)
def devices():
    """Paired devices of the people this user manages; a lost phone is revoked here."""
    scope = scope_of(current_user)
    show = text_arg("show", max_len=16)
    stmt = (select(Device, User).join(User, User.id == Device.user_id)
            .where(managed_users(scope)))
    if show != "all":
        stmt = stmt.where(Device.revoked_at.is_(None))
    q = text_arg("q")
    if q:
        stmt = stmt.where(or_(func.lower(User.username).contains(q.lower(), autoescape=True),
                              func.lower(User.full_name).contains(q.lower(), autoescape=True),
                              func.lower(Device.name).contains(q.lower(), autoescape=True)))
    stmt = stmt.order_by(User.username, Device.created_at.desc())
    page = paginate(stmt, int_arg("page"))
    return render_template("admin/devices.html", page=page, q=q, show_all=show == "all")


@bp.route("/devices/<device_id>/revoke", methods=["POST"])
@roles_required(*MANAGERS)
def device_revoke(device_id):
    """Revoke a device: its token stops working at once (401 on its next sync)."""
    device = db.session.get(Device, device_id) if UUID_RE.match(device_id) else None
    if device is None:
        abort(404)
    if not manages(scope_of(current_user), device.user):
        abort(403)
    if device.revoked_at is None:
        begin_write()
        device = db.session.get(Device, device.id)
        before = {"revoked_at": None}
        device.revoked_at = utcnow()
        audit.record("update", "device", device.id, before,
                     {"revoked_at": device.revoked_at.isoformat()}, current_user.id)
        db.session.commit()
        flash(_("Device %(name)s revoked. It must be paired again to sync.", name=device.name),
              "success")
    return redirect(_safe_next(request.form.get("next")) or url_for("admin.devices"))
