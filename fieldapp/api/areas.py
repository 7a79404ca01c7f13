"""The area tree for the sync API: see fieldapp/areatree.py (cached per process)."""
from ..areatree import AreaIndex, Node, area_tree

__all__ = ["AreaIndex", "Node", "area_index"]


def area_index():
    """The AreaIndex of this request (codes <-> ids, levels, provinces)."""
    return area_tree()
