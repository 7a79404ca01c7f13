"""Records leaving and re-entering a caller's scope: fresh devices, members and visits that
follow their household, a move back (the tombstones themselves: the contract suite)."""
from fieldapp.extensions import db
from fieldapp.models import Person, Visit
from tests.records import household, person, visit


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
