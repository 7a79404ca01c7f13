"""The area tree, kept per process and checked on each request against a stamp.

Why: every sync request and most pages need the tree (codes <-> ids for pushed records,
parents for scope). A province has a few thousand areas, so reading the whole table on
every request cost more than a day's push from one phone. Areas change rarely (imports,
demo data, admin), always through the ORM: a ``before_flush`` hook gives the 'areas' row
of ``counters`` a new random stamp in the same transaction as the change. A request reads
that one row and reuses the tree it already has while the stamp is unchanged.

The stamp is random, not a count, so a database recreated from scratch (tests, a fresh
``init-db``) never matches a tree cached from its predecessor. A database whose areas were
never written through the ORM has no stamp: its tree is read on every request, as before.
"""
import secrets
from dataclasses import dataclass
from itertools import chain

from flask import current_app, g
from sqlalchemy import event, insert, select, update
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import Area, Counter

STAMP = "areas"
_CACHE_KEY = "fieldapp.area_tree"


@dataclass(frozen=True, slots=True)
class Node:
    id: int
    code: str
    name: str
    level: str
    parent_id: int | None


class AreaIndex:
    """The whole tree: nodes by id and by code, and {id: parent id}."""

    def __init__(self, nodes):
        self.by_id = {n.id: n for n in nodes}
        self.by_code = {n.code: n for n in nodes}
        self.parent_of = {n.id: n.parent_id for n in nodes}
        self._children = None

    def province_code(self, area_id):
        """The code of the province above (or at) ``area_id``; premiums may depend on it."""
        node = self.by_id.get(area_id)
        seen = 0
        while node is not None and node.level != "province" and seen < 64:
            node = self.by_id.get(node.parent_id)
            seen += 1
        return node.code if node is not None and node.level == "province" else None

    def parents(self):
        return self.parent_of

    def children(self):
        """{id: [child ids]}, built once per tree (a scope is built on every request)."""
        if self._children is None:
            children = {}
            for child, parent in self.parent_of.items():
                children.setdefault(parent, []).append(child)
            self._children = children
        return self._children


def _read():
    rows = db.session.execute(select(Area.id, Area.code, Area.name, Area.level, Area.parent_id))
    return AreaIndex([Node(*row) for row in rows])


def area_tree():
    """The AreaIndex as this request's transaction sees it (once per request)."""
    index = g.get("_area_tree")
    if index is not None:
        return index
    # The stamp first, then the tree: a change committed in between leaves a newer tree
    # under an older stamp, which the next request replaces (never the other way round).
    if "_area_stamp" in g:  # read with the sync API's device check
        stamp = g.pop("_area_stamp")
    else:
        stamp = db.session.execute(select(Counter.value).where(Counter.name == STAMP)).scalar()
    cache = current_app.extensions.setdefault(_CACHE_KEY, {})
    cached = cache.get("tree")
    if stamp is not None and cached is not None and cached[0] == stamp:
        index = cached[1]
    else:
        index = _read()
        if stamp is not None:
            cache["tree"] = (stamp, index)
    g._area_tree = index
    return index


def stamp_column():
    """The stamp as a column of another statement: a request that reads it along with
    something else (the sync API's device check) saves a round trip; hand the value to
    ``remember_stamp``."""
    return select(Counter.value).where(Counter.name == STAMP).scalar_subquery()


def remember_stamp(value):
    """The stamp this request read with ``stamp_column``; ``area_tree`` uses it."""
    g._area_stamp = value


def _new_stamp(session):
    value = secrets.randbits(62)
    conn = session.connection()
    table = Counter.__table__
    done = conn.execute(update(table).where(table.c.name == STAMP).values(value=value))
    if not done.rowcount:
        conn.execute(insert(table).values(name=STAMP, value=value))


@event.listens_for(Session, "before_flush")
def _areas_changed(session, _flush_context, _instances):
    if any(isinstance(obj, Area) for obj in chain(session.new, session.dirty, session.deleted)):
        _new_stamp(session)
