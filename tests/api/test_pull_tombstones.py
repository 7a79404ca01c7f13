"""A record leaving the caller's scope reaches them as deleted, so the device drops it."""
from fieldapp.extensions import db
from fieldapp.models import Person, Visit
from tests.api.conftest import household, person, referral, visit


def test_household_moved_to_another_village_is_deleted_for_the_old_village_head(api):
    col, head = api("col_a"), api("head_a")
    h = household("31001-1")
    col.push_ok([h])
    seen, cursor = head.pull_all()
    assert [c["id"] for c in seen] == [h["id"]]
    col.push_ok([household("31001-2", id=h["id"], version=1)])
    changes, _ = head.pull_all(cursor)
    assert changes == [{"id": h["id"], "type": "household", "version": 2, "deleted": True,
                        "data": None, "server": {}}]


def test_a_caller_who_still_sees_the_record_gets_it_once_not_deleted(api):
    col = api("col_a")
    h = household("31001-1")
    col.push_ok([h])
    _, cursor = col.pull_all()
    col.push_ok([household("31001-2", id=h["id"], version=1)])
    changes, _ = col.pull_all(cursor)
    assert [(c["id"], c["deleted"], c["data"]["area"]) for c in changes] == [
        (h["id"], False, "31001-2")]
    everything, _ = col.pull_all()
    assert [c["id"] for c in everything] == [h["id"]]


def test_a_fresh_device_of_the_old_village_is_told_at_most_to_drop_it(api):
    col = api("col_a")
    h = household("31001-1")
    col.push_ok([h])
    col.push_ok([household("31001-2", id=h["id"], version=1)])
    changes, _ = api("head_a").pull_all()
    assert all(c["deleted"] for c in changes)


def test_members_and_visits_follow_their_household(app, api):
    col = api("col_a")
    h = household("31001-1")
    p = person(h["id"])
    v = visit(h["id"])
    col.push_ok([h, p, v])
    _, cursor = col.pull_all()
    col.push_ok([household("31001-2", id=h["id"], version=1)])
    changes, _ = col.pull_all(cursor)
    assert {c["id"]: c["version"] for c in changes} == {h["id"]: 2, p["id"]: 1, v["id"]: 1}
    assert not any(c["deleted"] for c in changes)
    with app.app_context():
        village2 = db.session.get(Person, p["id"]).area_id
        assert db.session.get(Visit, v["id"]).area_id == village2


def test_moving_back_shows_the_record_again(api):
    col, head = api("col_a"), api("head_a")
    h = household("31001-1")
    col.push_ok([h])
    col.push_ok([household("31001-2", id=h["id"], version=1)])
    _, cursor = head.pull_all()
    col.push_ok([household("31001-1", id=h["id"], version=2)])
    changes, _ = head.pull_all(cursor)
    assert [(c["id"], c["deleted"], c["version"]) for c in changes] == [(h["id"], False, 3)]
    fresh, _ = head.pull_all()
    assert [(c["id"], c["deleted"]) for c in fresh] == [(h["id"], False)]


def test_referral_moved_out_of_the_village_is_deleted_for_its_head(api):
    head = api("head_a")
    r = referral("31001-1")
    head.push_ok([r])
    _, cursor = head.pull_all()
    api("col_a").push_ok([referral("31001-2", id=r["id"], version=1)])
    changes, _ = head.pull_all(cursor)
    assert [(c["id"], c["deleted"], c["data"]) for c in changes] == [(r["id"], True, None)]
