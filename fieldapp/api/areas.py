"""The area tree, read once per request for the sync API (codes <-> ids, levels, provinces)."""
from dataclasses import dataclass

from flask import g
from sqlalchemy import select

from ..extensions import db
from ..models import Area


@dataclass(frozen=True, slots=True)
class Node:
    id: int
    code: str
    name: str
    level: str
    parent_id: int | None


class AreaIndex:
    def __init__(self, nodes):
        self.by_id = {n.id: n for n in nodes}
        self.by_code = {n.code: n for n in nodes}

    def province_code(self, area_id):
        """The code of the province above (or at) ``area_id``; premiums may depend on it."""
        node = self.by_id.get(area_id)
        seen = 0
        while node is not None and node.level != "province" and seen < 64:
            node = self.by_id.get(node.parent_id)
            seen += 1
        return node.code if node is not None and node.level == "province" else None

    def parents(self):
        return {n.id: n.parent_id for n in self.by_id.values()}


def area_index():
    """The AreaIndex of this request (one query; a province is a few thousand rows)."""
    index = g.get("_api_area_index")
    if index is None:
        rows = db.session.execute(select(Area.id, Area.code, Area.name, Area.level, Area.parent_id))
        index = g._api_area_index = AreaIndex([Node(*row) for row in rows])
        # access.py reads the same tree for scopes: hand it over instead of a second query.
        g._area_parents = index.parents()
    return index
