"""A personal ID held outside the caller's areas (issue #9, point 8).

The rule stays: an ID belongs to one person in the whole country. But a collector who types
IDs into a script must not learn where they are registered, and probing must show up: the
answer only says "already registered — ask your supervisor", and each such refusal goes to the
audit log with the user, the device and the time. The record alone is refused, never its batch.
"""
import pytest
from sqlalchemy import select

from fieldapp.extensions import db
from fieldapp.models import Area, AuditEntry, Person
from sync import protocol as P
from tests.api.conftest import device_of
from tests.records import household, person

ELSEWHERE_VI = "Số định danh cá nhân này đã được đăng ký — hãy hỏi cán bộ quản lý của bạn."
HERE_VI = "Số định danh cá nhân này đã được đăng ký cho người khác."
PID = "001080012345"


@pytest.fixture
def far_holder(api):
    """Commune 31002 (col_b) registers PID; col_a's areas are 31001."""
    h = household(area="31002-1")
    p = person(h["id"], personal_id=PID)
    api("col_b").accepted([h, p])
    return p["id"]


def _audited(app, **where):
    with app.app_context():
        query = select(AuditEntry).where(AuditEntry.action == "id_refused").order_by(AuditEntry.id)
        for name, value in where.items():
            query = query.where(getattr(AuditEntry, name) == value)
        return [(e.user_id, e.entity, e.entity_id, e.at, e.after, e.area_id)
                for e in db.session.scalars(query)]


def test_an_id_held_elsewhere_is_refused_without_saying_where(api, far_holder):
    col = api("col_a")
    h = household()
    mine = person(h["id"], personal_id=PID)
    other = person(h["id"])
    results = col.push_ok([h, mine, other])
    assert [r["status"] for r in results] == [P.ACCEPTED, P.REJECTED, P.ACCEPTED]
    assert results[1]["errors"] == {"personal_id": [ELSEWHERE_VI]}


def test_the_english_wording(app, world, client, far_holder):
    token_device = device_of(app, world.users["col_a"])
    h = household()
    resp = client.post("/api/v1/sync/push", json={"protocol": 1, "records": [
        h, person(h["id"], personal_id=PID)]},
        headers={**token_device.headers, "X-Fieldapp-Lang": "en"})
    assert resp.status_code == 200
    assert resp.get_json()["results"][1]["errors"] == {
        "personal_id": ["This personal ID is already registered — ask your supervisor."]}


def test_an_id_held_in_the_callers_areas_keeps_its_plain_message(api):
    col = api("col_a")
    h = household()
    col.accepted([h, person(h["id"], personal_id=PID)])
    [result] = col.push_ok([person(h["id"], personal_id=PID)])
    assert result["errors"] == {"personal_id": [HERE_VI]}


def test_each_refusal_is_audited_with_user_device_and_time(app, world, far_holder):
    phone = device_of(app, world.users["col_a"], name="probe phone")
    h = household()
    probes = [person(h["id"], personal_id=PID) for _ in range(3)]
    results = phone.push_ok([h, *probes])
    assert [r["status"] for r in results] == [P.ACCEPTED] + [P.REJECTED] * 3
    with app.app_context():
        device_id = db.session.scalar(select(AuditEntry.entity_id).where(
            AuditEntry.entity == "device", AuditEntry.action == "id_refused"))
    rows = _audited(app, entity_id=device_id)
    assert len(rows) == 3
    with app.app_context():
        village = db.session.scalar(select(Area.id).where(Area.code == "31001-1"))
    for (user_id, entity, _, at, after, area_id), probe in zip(rows, probes, strict=True):
        assert (user_id, entity) == (world.users["col_a"], "device")
        assert at is not None
        assert after["record"] == probe["id"]
        assert after["personal_id"] == "••••••••2345"  # the ID itself stays out of the log
        assert after["area"] == "31001-1"
        assert area_id == village  # so the admins of that area read the probing (#9 point 5)
    # ... while the holder's record is untouched and no second holder exists
    with app.app_context():
        assert db.session.scalars(select(Person.id).where(Person.personal_id == PID)).all() == [
            far_holder]


def test_a_batch_of_refusals_alone_is_audited_too(app, world, api, far_holder):
    """No accepted record in the batch: the audit entries are still written."""
    col = api("col_a")
    h = household()
    col.accepted([h])
    [result] = col.push_ok([person(h["id"], personal_id=PID)])
    assert result["status"] == P.REJECTED
    assert len(_audited(app, user_id=world.users["col_a"])) == 1


def test_refusals_in_the_callers_areas_are_not_probes(app, world, api):
    col = api("col_a")
    h = household()
    col.accepted([h, person(h["id"], personal_id=PID)])
    col.push_ok([person(h["id"], personal_id=PID)])
    assert _audited(app) == []
