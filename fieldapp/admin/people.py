"""Whose account and devices a user may manage.

An administrator manages every user whose areas all lie in the administrator's subtree (and
users with no area yet). A supervisor manages only the devices of the collectors and village
heads working inside the supervisor's subtree (docs/security.md: tokens are revocable by the user's
supervisor).
"""
from sqlalchemy import and_, false

from ..models import Area, User

MANAGERS = ("admin", "supervisor")


def managed_users(scope):
    """SQL condition on User: the users ``scope`` manages."""
    ids = list(scope.area_ids)
    inside = ~User.areas.any(Area.id.not_in(ids)) if ids else ~User.areas.any()
    if scope.role == "admin":
        return inside
    if scope.role == "supervisor":
        return and_(User.role.in_(("collector", "village_head")), User.areas.any(), inside)
    return false()


def manages(scope, user):
    """Python form of ``managed_users`` for one loaded user."""
    area_ids = {a.id for a in user.areas}
    inside = area_ids <= set(scope.area_ids)
    if scope.role == "admin":
        return inside
    if scope.role == "supervisor":
        return user.role in ("collector", "village_head") and bool(area_ids) and inside
    return False

