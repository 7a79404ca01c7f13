"""Server-owned fields (review, referral status) changed on the server reach devices in their
next pull, without bumping the version."""
from datetime import UTC, datetime

from fieldapp.extensions import db
from fieldapp.models import Referral, Visit
from fieldapp.syncserver.feed import touch
from tests.records import household, referral, visit


def _review(app, world, visit_id, status, note):
    with app.app_context():
        v = db.session.get(Visit, visit_id)
        v.review_status, v.review_note = status, note
        v.reviewed_by_id = world.users["sup_a"]
        v.reviewed_at = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)
        db.session.flush()
        touch("visit", [visit_id])
        db.session.commit()


def test_review_appears_in_the_next_pull_at_the_same_version(app, world, api):
    col = api("col_a")
    h = household()
    v = visit(h["id"])
    col.push_ok([h, v])
    _, cursor = col.pull_all()
    _review(app, world, v["id"], "flagged", "Thiếu ngày hẹn")
    changes, _ = col.pull_all(cursor)
    assert [c["id"] for c in changes] == [v["id"]]
    assert changes[0]["version"] == 1
    assert changes[0]["server"]["review"] == {
        "status": "flagged", "note": "Thiếu ngày hẹn", "by": "sup_a",
        "at": "2026-11-26T10:00:00+07:00"}


def test_referral_status_and_assignee_appear_for_the_village_head(app, world, api):
    head = api("head_a")
    r = referral()
    head.push_ok([r])
    _, cursor = head.pull_all()
    with app.app_context():
        row = db.session.get(Referral, r["id"])
        row.status, row.assigned_to_id = "assigned", world.users["col_a"]
        db.session.flush()
        touch("referral", [r["id"]])
        db.session.commit()
    changes, _ = head.pull_all(cursor)
    assert [(c["id"], c["version"], c["server"]["status"], c["server"]["assigned_to"])
            for c in changes] == [(r["id"], 1, "assigned", "col_a")]
