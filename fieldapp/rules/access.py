"""The one place that answers "may this user see / write this area or record?".

Every view, the sync API and the reports ask here. A user is assigned areas; they reach
those areas and everything below them. Roles then narrow what they may do there:

- admin, supervisor: see everything in their subtree, write nothing through sync;
- collector: the shared register (households, persons), referrals and outreach of their
  subtree; visits and enrollments only their own;
- village_head: their own referrals in their village, and the households of that village.
"""
from functools import wraps

from flask import abort, g
from flask_login import current_user

from .areatree import area_tree


class ScopeError(Exception):
    """The user may not touch that area or record."""


def _area_parent_map():
    """{area_id: parent_id} for the whole tree (areatree.py beside it: cached, checked per request)."""
    return area_tree().parents()


def _has_g():
    from flask import has_app_context

    return has_app_context()


def subtree_ids(area_ids):
    """The given areas and every area below them."""
    children = area_tree().children()
    out, stack = set(), list(area_ids)
    while stack:
        area = stack.pop()
        if area in out:
            continue
        out.add(area)
        stack.extend(children.get(area, ()))
    return out


def ancestor_ids(area_ids):
    """Every area above the given ones (not including them)."""
    parents = _area_parent_map()
    out = set()
    for area in area_ids:
        parent = parents.get(area)
        while parent is not None and parent not in out:
            out.add(parent)
            parent = parents.get(parent)
    return out


class Scope:
    """What one user reaches. Built once per request via ``scope_of``."""

    def __init__(self, user):
        self.user = user
        self.role = user.role
        self.assigned_ids = {a.id for a in user.areas}
        self.area_ids = frozenset(subtree_ids(self.assigned_ids))

    def sees_area(self, area_id):
        return area_id in self.area_ids

    def sees_record(self, record_type, record):
        """May this user read ``record`` (a model instance of ``record_type``)?"""
        if record.area_id not in self.area_ids:
            return False
        if self.role in ("admin", "supervisor"):
            return True
        mine = record.created_by_id == self.user.id
        if self.role == "collector":
            if record_type in ("visit", "enrollment"):
                return mine
            return record_type in ("household", "person", "referral", "outreach")
        if self.role == "village_head":
            if record_type == "referral":
                return mine
            return record_type == "household"
        return False

    def may_write(self, record_type, area_id, existing=None):
        """May this user push ``record_type`` into ``area_id`` (over ``existing``, if any)?"""
        if area_id not in self.area_ids:
            return False
        if self.role == "collector":
            if record_type in ("visit", "enrollment") and existing is not None:
                return existing.created_by_id == self.user.id
            return record_type in ("household", "person", "visit", "enrollment", "referral",
                                   "outreach")
        if self.role == "village_head":
            if record_type != "referral":
                return False
            return existing is None or existing.created_by_id == self.user.id
        return False

    def check_area(self, area_id):
        if not self.sees_area(area_id):
            raise ScopeError(area_id)


def scope_of(user):
    """The Scope of ``user``, cached for the request."""
    if _has_g():
        cache = g.setdefault("_scopes", {})
        if user.id not in cache:
            cache[user.id] = Scope(user)
        return cache[user.id]
    return Scope(user)


def roles_required(*roles):
    """View decorator: signed in (else sent to sign-in) and one of ``roles`` (else 403)."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                from ..extensions import login_manager

                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorate


def require_area(area_id):
    """Abort 403 unless the signed-in user reaches ``area_id``."""
    if not scope_of(current_user).sees_area(area_id):
        abort(403)
