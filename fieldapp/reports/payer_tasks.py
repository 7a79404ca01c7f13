"""Follow-up tasks for payers (#15): made at the desk in one click, pulled by the collectors of
the payer's area (the ``task`` record type), marked done on the phone.

Making them is a bulk insert through syncserver/bulk.py, so devices learn of them through
the change feed like any record; a payer who already has an open task of the same kind gets
no second one. The audit log gets one entry per click (what list, how many tasks).
"""
from sqlalchemy import select

from ..extensions import db
from ..models import Task
from ..rules import audit
from ..syncserver import bulk

#: Which task a list makes.
KIND_OF_LIST = {"due": "payment_due", "lapsed_month": "lapsed", "lapsed_earlier": "lapsed"}


def payer_key(payer):
    """The id a page names a payer by: the person (VSI) or the household (HHI)."""
    return f"{payer.scheme}:{payer.person_id or payer.household_id}"


def open_tasks(household_ids):
    """{(household id, person id or None, kind)} of tasks not yet done."""
    out = set()
    ids = sorted(set(household_ids))
    for start in range(0, len(ids), 500):
        out.update(db.session.execute(
            select(Task.household_id, Task.person_id, Task.kind)
            .where(Task.household_id.in_(ids[start:start + 500]), Task.done.is_(False))).all())
    return {tuple(row) for row in out}


def make_tasks(payers, kind, user, note=None):
    """One open task of ``kind`` per payer that has none yet; returns how many were made.

    The task lives in the household's area (its village), so the collectors of that area
    pull it; its ``due_on`` is the payer's deadline and ``amount`` the next payment's."""
    existing = open_tasks(p.household_id for p in payers)
    rows, seen = [], set()
    for payer in payers:
        key = (payer.household_id, payer.person_id, kind)
        if key in existing or key in seen:
            continue
        seen.add(key)
        rows.append({"id": bulk.new_id(), "kind": kind, "household_id": payer.household_id,
                     "person_id": payer.person_id, "due_on": payer.deadline,
                     "amount": payer.amount, "note": note, "done": False,
                     "area_id": payer.area_id,  # the sign-up's: its person's village
                     "created_by_id": user.id})
    if not rows:
        return 0
    entries = bulk.insert_records(Task, rows)
    audit.record("create", "task", rows[0]["id"],
                 after={"kind": kind, "tasks": len(rows), "ids": [r["id"] for r in rows]},
                 user_id=user.id, area_id=rows[0]["area_id"])
    bulk.register_changes(entries)
    return len(rows)
