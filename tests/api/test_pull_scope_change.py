"""A user's areas change (an admin reassigns a collector): the device's next pull starts the
feed again with ``reset: true`` (docs/protocol.md §13), so records of the new area that were
written long before come, and the device drops what it may no longer see."""
from fieldapp.extensions import db
from fieldapp.models import Area, User
from tests.records import household


def _areas(app, world, username, codes):
    with app.app_context():
        user = db.session.get(User, world.users[username])
        user.areas = [db.session.get(Area, world.areas[c]) for c in codes]
        db.session.commit()


def test_reassigned_collector_gets_a_reset_page(app, world, api):
    ours, theirs = household(area="31001-1"), household(area="31002-1")
    api("col_a").push_ok([ours])
    api("col_b").push_ok([theirs])
    device = api("col_a")
    changes, cursor = device.pull_all()
    assert {c["id"] for c in changes} == {ours["id"]}

    # Unchanged areas: the cursor simply continues.
    resp = device.pull(cursor)
    assert resp.status_code == 200 and "reset" not in resp.get_json()

    _areas(app, world, "col_a", ["31002"])
    page = device.pull(cursor).get_json()
    assert page["reset"] is True
    assert {c["id"] for c in page["changes"]} == {theirs["id"]}
    # The new cursor belongs to the new areas: no second reset.
    again = device.pull(page["cursor"]).get_json()
    assert "reset" not in again and again["changes"] == []

    # A retried request with the old cursor (a lost reply) resets again: still safe.
    assert device.pull(cursor).get_json()["reset"] is True


def test_cursor_from_before_scope_keys_continues(app, world, api):
    from sync.cursor import CursorCodec

    api("col_a").push_ok([household()])
    device = api("col_a")
    _changes, cursor = device.pull_all()
    codec = CursorCodec(app.config["SECRET_KEY"])
    old_style = codec.encode(codec.decode(cursor))  # seq only, as session-1 servers made
    resp = device.pull(old_style)
    assert resp.status_code == 200
    assert "reset" not in resp.get_json() and resp.get_json()["changes"] == []
