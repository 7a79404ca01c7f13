"""The plans page (#12): set a year's targets (total, new, monthly split) per area and
organization; upload a plan file or an official counts file, judged whole as by the CLI."""
import io

from sqlalchemy import select

from fieldapp.extensions import db
from fieldapp.models import AuditEntry, ParticipantCount, Plan


def _plans(app):
    with app.app_context():
        return {(p.area.code if p.area else None, p.organization_id, p.year, p.scheme):
                (p.target, p.new_participants, p.monthly) for p in db.session.scalars(select(Plan))}


def test_set_a_plan_with_a_monthly_split_then_replace_it(app, world, login_as):
    client = login_as("sup_a")
    form = {"area": "31001", "organization": "", "year": "2025", "scheme": "vsi",
            "target": "1500", "new_participants": "300", "m06": "1300", "m12": "1500"}
    resp = client.post("/supervisor/plans", data=form)
    assert resp.status_code == 302
    assert _plans(app) == {("31001", None, 2025, "vsi"): (1500, 300, {"06": 1300, "12": 1500})}
    client.post("/supervisor/plans", data=dict(form, target="1600", m06="", m12=""))
    assert _plans(app) == {("31001", None, 2025, "vsi"): (1600, 300, None)}
    page = client.get("/supervisor/plans?year=2025").get_data(as_text=True)
    assert "1.600" in page
    with app.app_context():
        assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.entity == "plan")
                                 .order_by(AuditEntry.id.desc()).limit(1)) == "update"


def test_an_organization_plan_in_an_area(app, world, login_as):
    resp = login_as("admin").post("/supervisor/plans", data={
        "area": "31001", "organization": "BD31", "year": "2025", "scheme": "hhi", "target": "0",
        "new_participants": "25"})
    assert resp.status_code == 302
    assert _plans(app) == {("31001", world.org_id, 2025, "hhi"): (0, 25, None)}


def test_bad_plan_fields_are_named(app, world, login_as):
    resp = login_as("sup_a").post("/supervisor/plans", data={
        "area": "31001", "organization": "", "year": "20x5", "scheme": "vsi", "target": "-1",
        "new_participants": "5"})
    assert resp.status_code == 400
    html = resp.get_data(as_text=True)
    assert 'id="year-error"' in html and 'id="target-error"' in html
    resp = login_as("sup_a").post("/supervisor/plans", data={
        "area": "31001", "organization": "", "year": "2025", "scheme": "vsi", "target": "10",
        "new_participants": "11"})
    assert resp.status_code == 400
    assert "Không được lớn hơn kế hoạch số người tham gia." in resp.get_data(as_text=True)
    assert _plans(app) == {}


def _upload(client, kind, text):
    return client.post("/supervisor/plans/upload", data={
        "kind": kind, "file": (io.BytesIO(text.encode()), "ke-hoach 2025.csv")},
        content_type="multipart/form-data")


def test_upload_a_plan_file_with_new_targets(app, world, login_as):
    resp = _upload(login_as("sup_a"), "plans", "area_code,year,scheme,participants,new_participants\n"
                                               "31001,2025,vsi,1500,300\n31001-1,2025,vsi,600,\n")
    assert resp.status_code == 302
    assert _plans(app) == {("31001", None, 2025, "vsi"): (1500, 300, None),
                           ("31001-1", None, 2025, "vsi"): (600, None, None)}
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.entity == "plans"))
        assert entry.user_id == world.users["sup_a"] and entry.after["rows"] == 2


def test_upload_a_counts_file(app, world, login_as):
    resp = _upload(login_as("sup_a"), "counts", "area_code,month,scheme,participants\n"
                                                "31001,2024-10,vsi,1200\n31001,2024-10,hhi,5000\n")
    assert resp.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(ParticipantCount.participants).where(
            ParticipantCount.scheme == "hhi")) == 5000


def test_a_bad_upload_lists_every_problem_and_stores_nothing(app, world, login_as):
    client = login_as("sup_a")
    resp = _upload(client, "counts", "area_code,month,scheme,participants\n"
                                     "31001,2024-10,vsi,1200\n31001,2024-13,vsi,1\n"
                                     "31001,2024-10,bhxh,một\n")
    assert resp.status_code == 400
    html = resp.get_data(as_text=True)
    assert "ke-hoach_2025.csv: chưa nhập dữ liệu nào (3 lỗi)." in html
    assert "<td>3</td><td>month</td><td>phải là tháng dạng YYYY-MM, ví dụ 2026-10.</td>" in html
    assert ("<td>4</td><td>scheme</td><td>phải là vsi (BHXH tự nguyện) hoặc hhi "
            "(BHYT hộ gia đình).</td>") in html
    assert "<td>4</td><td>participants</td><td>phải là số nguyên ≥ 0" in html
    with app.app_context():
        assert db.session.scalar(select(ParticipantCount).limit(1)) is None
    client.post("/lang/en", data={"next": "/"})
    html = _upload(client, "plans", "area_code,year,scheme\n31001,2025,vsi\n").get_data(as_text=True)
    assert "<td>1</td><td>—</td><td>missing columns: participants.</td>" in html


def test_an_upload_without_a_file_is_named(app, world, login_as):
    resp = login_as("sup_a").post("/supervisor/plans/upload", data={"kind": "plans"},
                                  content_type="multipart/form-data")
    assert resp.status_code == 400
    assert 'id="file-error"' in resp.get_data(as_text=True)
