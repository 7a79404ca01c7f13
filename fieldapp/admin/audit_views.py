"""Admin views: the audit log, newest first, filtered by entity and by user.

An admin reads the entries of the areas they reach; entries of no area (users, devices,
premium parameters, imports, exports) only an admin whose areas include every province.
"""
import json

from flask import render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from ..extensions import db
from ..models import AuditEntry, User
from ..rules.access import roles_required, scope_of
from ..web.paging import int_arg, paginate, text_arg
from . import bp

#: Longest value shown in a change line; the full JSON stays in the database.
SHOWN = 80

#: Entities whose rows link to a page showing the record.
LINKS = {
    "user": lambda entity_id: url_for("admin.user_edit", user_id=int(entity_id)),
    "household": lambda entity_id: url_for("supervisor.household", household_id=entity_id),
}


def _show(value):
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= SHOWN else text[:SHOWN - 1] + "…"


def changes(entry):
    """[(field, before, after)] that differ; a creation lists what was set, a deletion what was."""
    before, after = entry.before or {}, entry.after or {}
    if not isinstance(before, dict) or not isinstance(after, dict):
        return [("", _show(before), _show(after))]
    fields = sorted(set(before) | set(after))
    return [(f, _show(before.get(f)) if f in before else "", _show(after.get(f)) if f in after else "")
            for f in fields if before.get(f) != after.get(f) or f not in before or f not in after]


def _link(entry):
    if entry.entity == "sign_in":  # the account used or tried; none for an unknown username
        return url_for("admin.user_edit", user_id=entry.user_id) if entry.user_id else None
    make = LINKS.get(entry.entity)
    if make is None:
        return None
    try:
        return make(entry.entity_id)
    except (ValueError, TypeError):
        return None


@bp.route("/audit")
@roles_required("admin")
def audit():
    """Who changed what and when, newest first."""
    entity = text_arg("entity", max_len=32)
    username = text_arg("user", max_len=64)
    stmt = select(AuditEntry, User).outerjoin(User, User.id == AuditEntry.user_id)
    kinds = select(AuditEntry.entity).distinct().order_by(AuditEntry.entity)
    scope = scope_of(current_user)
    if not scope.national:
        mine = AuditEntry.area_id.in_(sorted(scope.area_ids))
        stmt, kinds = stmt.where(mine), kinds.where(mine)
    if entity:
        stmt = stmt.where(AuditEntry.entity == entity)
    if username:
        stmt = stmt.where(User.username == username.lower())
    page = paginate(stmt.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()), int_arg("page"))
    rows = [{"entry": e, "user": u, "changes": changes(e), "link": _link(e)} for e, u in page.items]
    entities = db.session.scalars(kinds).all()
    return render_template("admin/audit.html", page=page, rows=rows, entity=entity,
                           username=username, entities=entities)
