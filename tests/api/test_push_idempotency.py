"""Retrying a batch (a lost reply) stores nothing new: every record comes back duplicate."""
from sqlalchemy import func, select

from fieldapp.extensions import db
from fieldapp.models import AuditEntry, Change, Enrollment, Household, Person, Visit
from tests.api.conftest import enrollment, household, person, visit


def _counts(app):
    with app.app_context():
        return {m.__name__: db.session.scalar(select(func.count()).select_from(m))
                for m in (Household, Person, Visit, Enrollment, AuditEntry, Change)}


def test_retried_batch_is_all_duplicates_and_stores_nothing(app, api):
    col = api("col_a")
    h = household()
    p = person(h["id"])
    batch = [h, p, visit(h["id"]), enrollment(p["id"])]
    first = col.push_ok(batch)
    assert [r["status"] for r in first] == ["accepted"] * 4
    before = _counts(app)
    again = col.push_ok(batch)
    assert [r["status"] for r in again] == ["duplicate"] * 4
    assert [r["version"] for r in again] == [1] * 4
    assert _counts(app) == before


def test_retry_after_an_edit_is_still_a_duplicate(app, api):
    col = api("col_a")
    h = household()
    col.push_ok([h])
    edit = household(id=h["id"], version=1, note="đã đổi")
    col.push_ok([edit])
    before = _counts(app)
    [result] = col.push_ok([edit])
    assert result == {"id": h["id"], "status": "duplicate", "version": 2}
    assert _counts(app) == before


def test_uppercase_id_is_the_same_record(app, api):
    col = api("col_a")
    h = household()
    col.push_ok([h])
    [result] = col.push_ok([dict(h, id=h["id"].upper())])
    assert result["status"] == "duplicate"
    assert result["id"] == h["id"].upper()  # echoed as given
    with app.app_context():
        assert db.session.get(Household, h["id"]) is not None
