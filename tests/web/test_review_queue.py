"""The review queue and a visit's review page (#11): filters, counts, decisions from the page
and from a row, bulk approve with its confirmation, what changed since a send-back, and
scope (another commune's supervisor sees and does nothing, through any page or filter)."""
import re

import pytest
from sqlalchemy import func, select

from fieldapp.extensions import db
from fieldapp.models import AuditEntry, Visit
from tests.api.conftest import make_token
from tests.conftest import login
from tests.device import Device
from tests.records import household, visit


@pytest.fixture
def pushed(app, world, client):
    """col_a's household in 31001-1 with two visits, col_a2's in 31001-2 with one, col_b's
    in 31002-1 with one (pushed through the API, so the audit log holds their data)."""
    def push(username, area, head, outcomes):
        device = Device(client, make_token(app, world.users[username]))
        h = household(area=area, head_name=head)
        vs = [visit(h["id"], outcome=o, visited_at=f"2026-11-{20 + n}T09:30:00+07:00")
              for n, o in enumerate(outcomes)]
        device.push_ok([h, *vs])
        return device, h, vs

    out = {"a": push("col_a", "31001-1", "Phạm Văn Hải", ["interested", "enrolled"]),
           "a2": push("col_a2", "31001-2", "Lê Thị Hoa", ["not_home"]),
           "b": push("col_b", "31002-1", "Trần Văn Bình", ["refused"])}
    return out


def ids_on(html):
    return set(re.findall(r'id="visit-([0-9a-f-]{36})"', html))


def all_ids(pushed, *keys):
    return {v["id"] for k in keys for v in pushed[k][2]}


def test_queue_lists_pending_visits_of_the_subtree_only(app, world, login_as, pushed):
    html = login_as("sup_a").get("/supervisor/review").get_data(as_text=True)
    assert ids_on(html) == all_ids(pushed, "a", "a2")
    assert 'data-status="pending">3<' in html


def test_queue_filters_by_village_collector_outcome_and_dates(app, world, login_as, pushed):
    client = login_as("sup_a")
    get = lambda q: ids_on(client.get(f"/supervisor/review?{q}").get_data(as_text=True))  # noqa: E731
    assert get("area=31001-2") == all_ids(pushed, "a2")
    assert get("area=31001") == all_ids(pushed, "a", "a2")
    assert get("collector=col_a") == all_ids(pushed, "a")
    assert get("outcome=enrolled") == {pushed["a"][2][1]["id"]}
    assert get("from=2026-11-21&to=2026-11-21") == {pushed["a"][2][1]["id"]}
    assert get("from=21/11/2026") == {pushed["a"][2][1]["id"]}


def test_bad_filter_values_are_named_not_5xx(app, world, login_as, pushed):
    client = login_as("sup_a")
    resp = client.get("/supervisor/review?from=31-31-2026&outcome=xyz&collector=col_b")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert "Thăm từ ngày: hãy ghi" in html
    assert 'id="from-error"' in html and 'id="outcome-error"' in html and 'id="collector-error"' in html


def test_another_communes_supervisor_sees_and_does_nothing(app, world, login_as, pushed):
    client = login_as("sup_b")
    theirs = pushed["a"][2][0]["id"]
    assert ids_on(client.get("/supervisor/review?status=all").get_data(as_text=True)) == all_ids(pushed, "b")
    assert client.get("/supervisor/review?area=31001").status_code == 404
    assert client.get("/supervisor/review?area=31001-1").status_code == 404
    assert client.get(f"/supervisor/review/{theirs}").status_code == 404
    assert client.post(f"/supervisor/review/{theirs}",
                       data={"decision": "approve"}).status_code == 404
    resp = client.post("/supervisor/review/bulk", data={"visit": [theirs], "confirm": "1"})
    assert resp.status_code == 404
    with app.app_context():
        assert db.session.get(Visit, theirs).review_status == "pending"
        assert db.session.scalar(select(func.count()).select_from(AuditEntry)
                                 .where(AuditEntry.action == "review")) == 0


def test_send_back_without_a_note_names_the_note(app, world, login_as, pushed):
    vid = pushed["a"][2][0]["id"]
    resp = login_as("sup_a").post(f"/supervisor/review/{vid}", data={"decision": "send_back", "note": " "})
    assert resp.status_code == 400
    html = resp.get_data(as_text=True)
    assert 'id="note-error"' in html and "Ghi chú" in html
    with app.app_context():
        assert db.session.get(Visit, vid).review_status == "pending"


def test_send_back_then_approve_from_a_row(app, world, login_as, pushed):
    client = login_as("sup_a")
    vid = pushed["a"][2][0]["id"]
    resp = client.post(f"/supervisor/review/{vid}",
                       data={"decision": "send_back", "note": "Thiếu ngày hẹn", "next": "visit"})
    assert resp.status_code == 302
    with app.app_context():
        row = db.session.get(Visit, vid)
        assert (row.review_status, row.review_note, row.reviewed_by_id) == (
            "flagged", "Thiếu ngày hẹn", world.users["sup_a"])
    flagged = client.get("/supervisor/review?status=flagged").get_data(as_text=True)
    assert ids_on(flagged) == {vid}
    resp = client.post(f"/supervisor/review/{vid}", data={"decision": "approve", "status": "flagged"})
    assert resp.status_code == 302 and "status=flagged" in resp.headers["Location"]
    with app.app_context():
        assert db.session.get(Visit, vid).review_status == "approved"


def test_bulk_approve_of_the_filtered_list_confirms_the_count(app, world, login_as, pushed):
    client = login_as("sup_a")
    confirm = client.post("/supervisor/review/bulk", data={"all": "1", "area": "31001-1"})
    assert confirm.status_code == 200
    assert "Duyệt đạt 2 lượt thăm?" in confirm.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Visit)
                                 .where(Visit.review_status == "approved")) == 0
    done = client.post("/supervisor/review/bulk", data={"all": "1", "area": "31001-1", "confirm": "1"})
    assert done.status_code == 302
    with app.app_context():
        approved = set(db.session.scalars(select(Visit.id).where(Visit.review_status == "approved")))
        assert approved == all_ids(pushed, "a")
        assert db.session.scalar(select(func.count()).select_from(AuditEntry)
                                 .where(AuditEntry.action == "review")) == 2


def test_bulk_approve_of_a_selection(app, world, login_as, pushed):
    client = login_as("sup_a")
    pick = pushed["a2"][2][0]["id"]
    confirm = client.post("/supervisor/review/bulk", data={"visit": [pick]})
    assert "Duyệt đạt 1 lượt thăm?" in confirm.get_data(as_text=True)
    client.post("/supervisor/review/bulk", data={"visit": [pick], "confirm": "1"})
    with app.app_context():
        assert set(db.session.scalars(select(Visit.id).where(Visit.review_status == "approved"))) == {pick}


def test_visit_page_shows_what_changed_since_the_send_back(app, world, login_as, pushed):
    client = login_as("sup_a")
    device, _h, vs = pushed["a"]
    v = vs[0]
    page = client.get(f"/supervisor/review/{v['id']}").get_data(as_text=True)
    assert "Phạm Văn Hải" in page and 'id="since-send-back"' not in page
    client.post(f"/supervisor/review/{v['id']}", data={"decision": "send_back", "note": "Sai kết quả"})
    device.push_ok([dict(v, version=1, data=dict(v["data"], outcome="enrolled", note="Đã đăng ký"))])
    page = client.get(f"/supervisor/review/{v['id']}").get_data(as_text=True)
    section = page.split('id="since-send-back"')[1].split("</section>")[0]
    assert "Sai kết quả" in section
    assert re.search(r"Kết quả.*<del>Quan tâm, hẹn lại</del>.*<ins>Đã đăng ký</ins>", section, re.S)
    assert "<del>Hẹn quay lại</del>" in section
    assert "Thời gian thăm" not in section  # unchanged fields are not listed
    assert ids_on(client.get("/supervisor/review").get_data(as_text=True)) >= {v["id"]}


def test_admin_of_the_province_reviews_every_commune(app, world, login_as, pushed):
    html = login_as("admin").get("/supervisor/review").get_data(as_text=True)
    assert ids_on(html) == all_ids(pushed, "a", "a2", "b")


def test_excel_download_holds_the_filtered_list_in_scope(app, world, login_as, pushed):
    from io import BytesIO

    from openpyxl import load_workbook

    def ids_in(resp):
        assert resp.status_code == 200
        assert resp.headers["Content-Type"].startswith("application/vnd.openxmlformats")
        sheet = load_workbook(BytesIO(resp.data)).active
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0][0] == "Hộ gia đình"
        return {row[-1] for row in rows[1:]}

    client = login_as("sup_a")
    assert ids_in(client.get("/supervisor/review.xlsx")) == all_ids(pushed, "a", "a2")
    assert ids_in(client.get("/supervisor/review.xlsx?collector=col_a2")) == all_ids(pushed, "a2")
    other = app.test_client()
    login(other, "sup_b")
    assert ids_in(other.get("/supervisor/review.xlsx?status=all")) == all_ids(pushed, "b")
    assert other.get("/supervisor/review.xlsx?area=31001").status_code == 404


class _Deadlock(Exception):
    """What psycopg raises when PostgreSQL cancels one of two deadlocked transactions."""
    sqlstate = "40P01"


@pytest.mark.parametrize("bulk", [False, True])
def test_a_deadlocked_review_is_run_again_whole_not_a_5xx(app, world, login_as, pushed, monkeypatch,
                                                          bulk):
    """A review cancelled by the database after it wrote (as PostgreSQL does to one side of a
    deadlock with a push updating the same counts) is rolled back and run again: the visit is
    approved once, with one audit entry, and the supervisor sees no error."""
    from sqlalchemy.exc import OperationalError

    from fieldapp.rules import review as reviewing

    real, calls = reviewing.review, []

    def cancelled_once(*args, **kwargs):
        done = real(*args, **kwargs)
        calls.append(done)
        if len(calls) == 1:
            raise OperationalError("UPDATE review_counts", {}, _Deadlock("deadlock detected"))
        return done

    monkeypatch.setattr(reviewing, "review", cancelled_once)
    client = login_as("sup_a")
    vid = pushed["a"][2][0]["id"]
    if bulk:
        resp = client.post("/supervisor/review/bulk", data={"visit": [vid], "confirm": "1"})
    else:
        resp = client.post(f"/supervisor/review/{vid}", data={"decision": "approve"})
    assert resp.status_code == 302 and calls == [1, 1]
    with app.app_context():
        assert db.session.get(Visit, vid).review_status == "approved"
        assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "review", AuditEntry.entity_id == vid)) == 1
