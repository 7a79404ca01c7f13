"""The review of visits seen from the sync API (#11): a decision reaches the collector's pull
under ``server.review`` at the same version; an edit of a reviewed visit resets the review
whole and says so in the audit log; a supervisor of another commune can act on nothing."""
import pytest
from sqlalchemy import select

from fieldapp.extensions import db
from fieldapp.models import AuditEntry, User, Visit
from fieldapp.rules import review as reviewing
from fieldapp.rules.access import Scope
from tests.records import household, visit

PENDING = {"status": "pending", "note": None, "by": None, "at": None}


def decide(app, username, ids, decision, note=None):
    with app.app_context():
        user = db.session.scalars(select(User).where(User.username == username)).one()
        count = reviewing.review(Scope(user), user, ids, decision, note)
        db.session.commit()
        return count


def synced_visit(api):
    col = api("col_a")
    h = household()
    v = visit(h["id"])
    col.push_ok([h, v])
    return col, h, v


def test_send_back_reaches_the_pull_without_a_version_bump(app, world, api):
    col, _h, v = synced_visit(api)
    _, cursor = col.pull_all()
    assert decide(app, "sup_a", [v["id"]], "send_back", "Thiếu số điện thoại") == 1
    changes, cursor = col.pull_all(cursor)
    assert [(c["id"], c["version"]) for c in changes] == [(v["id"], 1)]
    review = changes[0]["server"]["review"]
    assert (review["status"], review["note"], review["by"]) == ("flagged", "Thiếu số điện thoại", "sup_a")
    assert review["at"].endswith("+07:00")
    decide(app, "sup_a", [v["id"]], "approve")
    changes, _ = col.pull_all(cursor)
    assert changes[0]["version"] == 1
    assert changes[0]["server"]["review"]["status"] == "approved"
    assert changes[0]["server"]["review"]["note"] is None


def test_each_decision_is_audited_with_the_review_before_and_after(app, world, api):
    _col, _h, v = synced_visit(api)
    decide(app, "sup_a", [v["id"]], "send_back", "Sai kết quả")
    decide(app, "sup_a", [v["id"]], "approve", "Đã sửa")
    with app.app_context():
        rows = db.session.scalars(select(AuditEntry).where(
            AuditEntry.entity_id == v["id"], AuditEntry.action == "review").order_by(AuditEntry.id)).all()
        assert [r.before["review"]["status"] for r in rows] == ["pending", "flagged"]
        assert [r.after["review"]["status"] for r in rows] == ["flagged", "approved"]
        assert rows[1].before["review"]["note"] == "Sai kết quả"
        assert rows[1].after["review"]["note"] == "Đã sửa"
        assert {r.user_id for r in rows} == {world.users["sup_a"]}
        assert {r.area_id for r in rows} == {world.areas["31001-1"]}


def test_an_edit_resets_the_whole_review_and_audits_the_reset(app, world, api):
    col, _h, v = synced_visit(api)
    decide(app, "sup_a", [v["id"]], "send_back", "Ghi lại kết quả")
    _, cursor = col.pull_all()
    edited = dict(v, version=1, data=dict(v["data"], outcome="enrolled"))
    col.push_ok([edited])
    with app.app_context():
        row = db.session.get(Visit, v["id"])
        assert (row.review_status, row.review_note, row.reviewed_by_id, row.reviewed_at) == (
            "pending", None, None, None)
        reset = db.session.scalars(select(AuditEntry).where(
            AuditEntry.entity_id == v["id"], AuditEntry.action == "review_reset")).one()
        assert reset.before["review"]["status"] == "flagged"
        assert reset.before["review"]["note"] == "Ghi lại kết quả"
        assert reset.before["review"]["by"] == "sup_a"
        assert reset.after == {"review": PENDING}
        assert reset.user_id == world.users["col_a"]
    changes, _ = col.pull_all(cursor)
    assert changes[0]["version"] == 2
    assert changes[0]["server"]["review"] == PENDING


def test_an_edit_of_a_pending_visit_writes_no_reset(app, world, api):
    col, _h, v = synced_visit(api)
    col.push_ok([dict(v, version=1, data=dict(v["data"], note="Thêm ghi chú"))])
    with app.app_context():
        assert db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "review_reset")).all() == []


def test_a_supervisor_of_another_commune_can_act_on_nothing(app, world, api):
    _col, _h, v = synced_visit(api)
    with pytest.raises(reviewing.NotInScope):
        decide(app, "sup_b", [v["id"]], "approve")
    with app.app_context():
        assert db.session.get(Visit, v["id"]).review_status == "pending"
        assert db.session.scalars(select(AuditEntry).where(AuditEntry.action == "review")).all() == []


def test_a_collector_pull_of_another_commune_never_carries_the_review(app, world, api):
    _col, _h, v = synced_visit(api)
    other = api("col_b")
    _, cursor = other.pull_all()
    decide(app, "sup_a", [v["id"]], "send_back", "Thiếu ảnh")
    changes, _ = other.pull_all(cursor)
    assert v["id"] not in {c["id"] for c in changes}


def test_send_back_needs_a_note_and_names_the_field(app, world, api):
    _col, _h, v = synced_visit(api)
    with app.test_request_context(), pytest.raises(reviewing.ReviewError) as err:
        decide(app, "sup_a", [v["id"]], "send_back", "   ")
    assert err.value.field == "note"
    with app.app_context():
        assert db.session.get(Visit, v["id"]).review_status == "pending"
