"""Scope of the progress and plans pages (#12): a supervisor never sees another subtree's
numbers through the page, its pickers, its charts, its download, the plans list or an upload."""
import io

import pytest
from sqlalchemy import select

from fieldapp.extensions import db
from fieldapp.models import ParticipantCount, Plan
from tests.web import progress_data as data

SECRET_COUNT, SECRET_PLAN = 12345, 67890  # 31001's figures: sup_b (31002) must never see them


@pytest.fixture
def two_subtrees(app, world):
    data.counts(app, world.areas["31001"], {"2024-10": SECRET_COUNT})
    data.plan(app, world.areas["31001"], 2024, SECRET_PLAN, new=4321)
    data.counts(app, world.areas["31002"], {"2024-10": 900})
    data.plan(app, world.areas["31002"], 2024, 1000, new=150)
    data.plan(app, None, 2024, 0, new=55, organization_id=world.org_id)  # org based in 31
    people = data.people(app, world.areas["31001-1"], 3)
    for p in people:
        data.signup(app, p, "2024-10", world.users["col_a"])
    return world


def _no_secrets(html):
    for text in ("12.345", "12,345", "67.890", "67,890", "4.321", "Phường Hồng Bàng", "31001",
                 "Bưu điện"):
        assert text not in html, text


def test_the_page_of_another_supervisor_shows_only_their_subtree(two_subtrees, login_as):
    client = login_as("sup_b")
    html = client.get("/supervisor/progress").get_data(as_text=True)
    assert "Đến hết tháng 10/2024, Xã An Lão có 900 người" in html
    _no_secrets(html)
    for month in ("2024-10", "2024-11", "2023-10"):
        for scheme in ("vsi", "hhi"):
            page = client.get(f"/supervisor/progress?month={month}&scheme={scheme}")
            assert page.status_code == 200
            _no_secrets(page.get_data(as_text=True))


@pytest.mark.parametrize("area", ["31001", "31", "31001-1"])
def test_another_subtree_is_refused(two_subtrees, login_as, area):
    client = login_as("sup_b")
    assert client.get(f"/supervisor/progress?area={area}").status_code == 403
    assert client.get(f"/supervisor/progress?area={area}&month=2024-10&format=xlsx").status_code == 403


def test_an_unknown_area_is_not_found(two_subtrees, login_as):
    assert login_as("sup_b").get("/supervisor/progress?area=99999").status_code == 404


def test_collectors_and_village_heads_have_no_progress_page(two_subtrees, login_as):
    assert login_as("col_a").get("/supervisor/progress").status_code == 403


def test_plans_page_lists_only_the_subtree(two_subtrees, login_as):
    html = login_as("sup_b").get("/supervisor/plans?year=2024").get_data(as_text=True)
    assert "1.000" in html
    _no_secrets(html.replace("Bưu điện Hải Phòng", ""))  # the organization may be planned for


def test_a_plan_for_another_subtree_is_refused(two_subtrees, login_as, app):
    resp = login_as("sup_b").post("/supervisor/plans", data={
        "area": "31001", "organization": "", "year": "2024", "scheme": "vsi", "target": "1"})
    assert resp.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(Plan.target).where(
            Plan.area_id == two_subtrees.areas["31001"], Plan.year == 2024)) == SECRET_PLAN


def _upload(client, kind, text, name="file.csv"):
    return client.post("/supervisor/plans/upload", data={
        "kind": kind, "file": (io.BytesIO(text.encode()), name)},
        content_type="multipart/form-data")


@pytest.mark.parametrize("kind, header, row", [
    ("plans", "area_code,year,scheme,participants", "31001,2024,vsi,1"),
    ("counts", "area_code,month,scheme,participants", "31001,2024-10,vsi,1"),
])
def test_an_upload_touching_another_subtree_stores_nothing(two_subtrees, login_as, app, kind,
                                                           header, row):
    client = login_as("sup_b")
    good = row.replace("31001", "31002")
    resp = _upload(client, kind, "\n".join([header, good, row]))
    assert resp.status_code == 400
    html = resp.get_data(as_text=True)
    # Named by line and column; the same words as a code that does not exist at all.
    assert "<td>3</td><td>area_code</td><td>không có địa bàn nào của bạn có mã 31001.</td>" in html
    unknown = _upload(client, kind, "\n".join([header, good, row.replace("31001", "39999")]))
    assert "không có địa bàn nào của bạn có mã 39999." in unknown.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(ParticipantCount.participants).where(
            ParticipantCount.area_id == two_subtrees.areas["31002"])) == 900
        assert db.session.scalar(select(Plan.target).where(
            Plan.area_id == two_subtrees.areas["31002"])) == 1000
