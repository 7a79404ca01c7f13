"""The one place that answers "may this user see / write this area or record?".

Every view, the sync API and the reports ask here. A user is assigned areas; they reach
those areas and everything below them. Roles then narrow what they may do there:

- admin, supervisor: see everything in their subtree, write nothing through sync;
- collector: the shared register (households, persons), referrals, outreach and tasks of
  their subtree; visits, enrollments and payments only their own;
- village_head: their own referrals in their village, and the households of that village.

``ROLE_RULES`` says this once. ``Scope`` answers from it in Python (pushes, views) and the
change feed builds its SQL from it (pulls: syncserver/feed.py), so the two cannot drift;
tests/api/test_access_rules.py holds them to each other and to the list above.
"""
from dataclasses import dataclass
from functools import wraps
from types import MappingProxyType

from flask import abort, g
from flask_login import current_user

from sync.protocol import RECORD_TYPES

from .areatree import area_tree

#: How far a role reaches records of one type in its areas: every one (AREA) or those its
#: user created (OWN). Writing OWN: new records, and updates of the user's own.
AREA, OWN = "area", "own"


@dataclass(frozen=True)
class RoleRules:
    """{record type: AREA | OWN} a role may read, and may write; a type absent is refused."""

    read: MappingProxyType
    write: MappingProxyType


def _rules(read, write):
    return RoleRules(MappingProxyType(dict(read)), MappingProxyType(dict(write)))


_EVERYTHING = dict.fromkeys(RECORD_TYPES, AREA)
# Listed in this order so the feed's SQL reads as it always did (same text, same plans).
_COLLECTOR = {"household": AREA, "person": AREA, "referral": AREA, "outreach": AREA,
              "visit": OWN, "enrollment": OWN,
              # #15: the payments a collector took; the server's tasks of their area, which
              # they may only mark done (syncserver/checks.py task_only_done).
              "payment": OWN, "task": AREA}

#: The rules of each of ``models.ROLES``. The roles with a ``write`` are exactly
#: sync.protocol.PUSH_ROLES (a test checks it).
ROLE_RULES = MappingProxyType({
    "admin": _rules(read=_EVERYTHING, write={}),
    "supervisor": _rules(read=_EVERYTHING, write={}),
    "collector": _rules(read=_COLLECTOR, write=_COLLECTOR),
    "village_head": _rules(read={"household": AREA, "referral": OWN}, write={"referral": OWN}),
})
#: An unknown role reads and writes nothing.
NO_RULES = _rules({}, {})


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
        self.user_id = user.id
        self.assigned_ids = {a.id for a in user.areas}
        self.area_ids = frozenset(subtree_ids(self.assigned_ids))
        rules = ROLE_RULES.get(self.role, NO_RULES)
        self._read, self._write = rules.read, rules.write

    def sees_area(self, area_id):
        return area_id in self.area_ids

    @property
    def national(self):
        """Does this user reach every province (every top of the area tree)? Only such an
        admin reads audit entries of no area and changes the national premium parameters."""
        parents = _area_parent_map()
        return all(area in self.area_ids for area, parent in parents.items() if parent is None)

    @property
    def province_codes(self):
        """Codes of the provinces this user reaches whole (assigned the province or above)."""
        nodes = area_tree().by_id
        return frozenset(nodes[a].code for a in self.area_ids
                         if a in nodes and nodes[a].level == "province")

    def sees_record(self, record_type, record):
        """May this user read ``record`` (anything with ``area_id`` and ``created_by_id``,
        e.g. a model instance) of ``record_type``?"""
        if record.area_id not in self.area_ids:
            return False
        reach = self._read.get(record_type)
        return reach == AREA or (reach == OWN and record.created_by_id == self.user_id)

    def may_write(self, record_type, area_id, existing=None):
        """May this user push ``record_type`` into ``area_id`` (over ``existing``, if any)?"""
        if area_id not in self.area_ids:
            return False
        reach = self._write.get(record_type)
        return reach == AREA or (reach == OWN and (existing is None
                                                   or existing.created_by_id == self.user_id))


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
