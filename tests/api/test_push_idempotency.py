"""Retrying a batch (a lost reply) stores nothing new, not even an audit entry or a change."""
from sqlalchemy import func, select

from fieldapp.extensions import db
from fieldapp.models import AuditEntry, Change, Enrollment, Household, Person, Visit
from tests.records import household, person, visit, vsi_enrollment


def _counts(app):
    with app.app_context():
        return {m.__name__: db.session.scalar(select(func.count()).select_from(m))
                for m in (Household, Person, Visit, Enrollment, AuditEntry, Change)}


def test_retried_batch_is_all_duplicates_and_stores_nothing(app, api):
    col = api("col_a")
    h = household()
    p = person(h["id"])
    batch = [h, p, visit(h["id"]), vsi_enrollment(p["id"])]
    first = col.push_ok(batch)
    assert [r["status"] for r in first] == ["accepted"] * 4
    before = _counts(app)
    again = col.push_ok(batch)
    assert [r["status"] for r in again] == ["duplicate"] * 4
    assert [r["version"] for r in again] == [1] * 4
    assert _counts(app) == before
