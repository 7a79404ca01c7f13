"""Figures of the collection network: agreement coverage per province, devices to watch.

A province aims at every commune that has a collection point also having a signed
three-party coordination program; the office follows the share and chases the communes
missing one. The database says, per commune with a point in scope, whether a signed
program exists (one grouped query); the communes are then added up under their province.
"""
from datetime import timedelta

from sqlalchemy import and_, exists, or_, select

from ..extensions import db
from ..models import Area, CollectionPoint, CoordinationProgram, Device, User
from ..models.base import utcnow
from ..rules.areatree import area_tree

#: A device holding records that has not synced for this long gets a warning.
STALE_AFTER = timedelta(days=3)


def agreement_coverage(area_ids):
    """[{province, communes, covered, share, missing: [Area]}] for communes with a collection
    point in ``area_ids``, by province code; ``share`` is covered ÷ communes."""
    ids = sorted(area_ids) or [-1]
    signed = exists().where(CoordinationProgram.area_id == Area.id, CoordinationProgram.signed.is_(True))
    with_point = exists().where(CollectionPoint.area_id == Area.id)
    rows = db.session.execute(
        select(Area, signed.label("covered"))
        .where(Area.id.in_(ids), Area.level == "commune", with_point)
        .order_by(Area.code)).all()
    tree = area_tree()
    out = {}
    for area, covered in rows:
        code = tree.province_code(area.id) or ""
        province = tree.by_code.get(code)
        slot = out.setdefault(code, {"province": province, "communes": 0, "covered": 0, "missing": []})
        slot["communes"] += 1
        if covered:
            slot["covered"] += 1
        else:
            slot["missing"].append(area)
    for slot in out.values():
        slot["share"] = slot["covered"] / slot["communes"]
    return [out[k] for k in sorted(out)]


def devices_of(managed):
    """(Device, User, warn) of the users matching the SQL condition ``managed``, devices in use
    first; ``warn``: records waiting and no sync for STALE_AFTER."""
    since = utcnow() - STALE_AFTER
    stale = and_(Device.outbox_depth > 0,
                 or_(Device.last_sync_at.is_(None), Device.last_sync_at < since))
    stmt = (select(Device, User, stale.label("warn")).join(User, User.id == Device.user_id)
            .where(managed)
            .order_by(Device.revoked_at.is_not(None), User.username, Device.created_at.desc()))
    return [(d, u, bool(w) and d.revoked_at is None) for d, u, w in db.session.execute(stmt)]
