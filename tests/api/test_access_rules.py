"""Who may read and write what: the rules written out, and the feed's SQL held to them.

Python (``Scope.sees_record`` / ``may_write``) judges pushes and views; the feed's SQL
(``syncserver/feed.py``) decides what a pull returns. Both come from one role table, and
this file checks every role x record type x relation: once against the rules as the docs
state them (so the table keeps today's behaviour), once Python against the SQL (so the two
generated halves never drift apart).

A relation is where a record sits from the user's point of view and who created it:
places are the user's village (31001-1), another village of the same commune (31001-2),
the commune itself (31001) and a village of another commune (31002-1).
"""
import itertools
import uuid
from collections import namedtuple

import pytest
from sqlalchemy import select

from fieldapp.extensions import db
from fieldapp.models import ROLES, Change, User
from fieldapp.rules.access import ROLE_RULES, Scope
from fieldapp.syncserver import feed
from sync import protocol as P

Rec = namedtuple("Rec", "area_id created_by_id")

#: One user per role; each reaches village 31001-1.
USERS = {"admin": "admin", "supervisor": "sup_a", "collector": "col_a",
         "village_head": "head_a"}
PLACES = {"village": "31001-1", "same_commune": "31001-2", "commune": "31001",
          "other_commune": "31002-1"}
OWNERS = ("own", "other")
SHARED = ("household", "person", "referral", "outreach", "task")
RELATIONS = list(itertools.product(OWNERS, PLACES))


def expected_read(role, kind, owner, place):
    """The pull scope as documented (rules/access.py docstring, the sync protocol docs)."""
    if role == "admin":
        return True
    if role == "supervisor":
        return place != "other_commune"
    if role == "collector":
        if place == "other_commune":
            return False
        return kind in SHARED or owner == "own"
    if role == "village_head":
        if place != "village":
            return False
        return kind == "household" or (kind == "referral" and owner == "own")
    raise AssertionError(role)


def expected_write(role, kind, existing, place):
    """Push rules: ``existing`` is None (a new record), "own" or "other" (an update)."""
    if role in ("admin", "supervisor"):
        return False
    if role == "collector":
        if place == "other_commune":
            return False
        return not (kind in ("visit", "enrollment", "payment") and existing == "other")
    if role == "village_head":
        return place == "village" and kind == "referral" and existing != "other"
    raise AssertionError(role)


@pytest.fixture
def scopes(app, world):
    """{role: Scope}, inside an app context that stays open for the test."""
    with app.app_context():
        yield {role: Scope(db.session.get(User, world.users[name]))
               for role, name in USERS.items()}


def _owner_id(world, role, owner):
    return world.users[USERS[role]] if owner == "own" else world.users["col_a2"]


def test_the_table_names_every_role_and_only_record_types():
    assert set(ROLE_RULES) == set(USERS) == set(ROLES)
    for rules in ROLE_RULES.values():
        assert set(rules.read) <= set(P.RECORD_TYPES)
        assert set(rules.write) <= set(P.RECORD_TYPES)


def test_roles_that_may_push_are_the_protocols():
    assert tuple(role for role, rules in ROLE_RULES.items() if rules.write) == P.PUSH_ROLES


@pytest.mark.parametrize("role", USERS)
def test_reading_follows_the_documented_rules(scopes, world, role):
    scope = scopes[role]
    wrong = []
    for kind, (owner, place) in itertools.product(P.RECORD_TYPES, RELATIONS):
        rec = Rec(world.areas[PLACES[place]], _owner_id(world, role, owner))
        if scope.sees_record(kind, rec) != expected_read(role, kind, owner, place):
            wrong.append((kind, owner, place))
    assert wrong == []


@pytest.mark.parametrize("role", USERS)
def test_writing_follows_the_documented_rules(scopes, world, role):
    scope = scopes[role]
    wrong = []
    for kind, existing, place in itertools.product(P.RECORD_TYPES, (None, *OWNERS), PLACES):
        area_id = world.areas[PLACES[place]]
        prior = None if existing is None else Rec(area_id, _owner_id(world, role, existing))
        if scope.may_write(kind, area_id, prior) != expected_write(role, kind, existing, place):
            wrong.append((kind, existing, place))
    assert wrong == []


@pytest.fixture
def feed_world(app, world, scopes):
    """A live change row for every record type at every relation to every role's user:
    {record id: (kind, Rec)}. Each role's scope is then checked against all of them."""
    rows, where = [], {}
    for role, kind, (owner, place) in itertools.product(USERS, P.RECORD_TYPES, RELATIONS):
        rid = str(uuid.uuid4())
        rec = Rec(world.areas[PLACES[place]], _owner_id(world, role, owner))
        rows.append((kind, rid, rec.area_id, rec.created_by_id))
        where[rid] = (kind, rec)
    feed.write(db.session.connection(), rows)
    db.session.commit()
    return where


def _sql_visible(scope, how):
    """Record ids the feed's SQL shows ``scope``: through a pull page, or the condition
    ``visible`` on its own."""
    conn = db.session.connection()
    if how in ("area_pages", "seq_pages"):
        return {row[2] for row in feed.PullFeed(conn, scope, None).changes_after(0, 10_000)}
    condition = feed.visible(Change, scope.role, by_area=how == "visible_by_area")
    return set(conn.scalars(select(Change.record_id).where(condition),
                            feed.scope_params(scope)))


@pytest.mark.parametrize("how", ["area_pages", "seq_pages", "visible", "visible_by_area"])
def test_the_feeds_sql_agrees_with_python(scopes, world, feed_world, monkeypatch, how):
    if how == "seq_pages":  # every caller reads the feed in seq order, not area by area
        monkeypatch.setattr(feed, "AREA_PAGES_UP_TO", 0)
    names = {area_id: code for code, area_id in world.areas.items()}
    disagree = []
    for role, scope in scopes.items():
        seen = _sql_visible(scope, how)
        if role != "admin":  # not trivial: the role sees some rows and misses others
            assert 0 < len(seen) < len(feed_world), role
        for rid, (kind, rec) in feed_world.items():
            if scope.sees_record(kind, rec) != (rid in seen):
                mine = "own" if rec.created_by_id == scope.user.id else "other"
                disagree.append((role, kind, mine, names[rec.area_id], rid in seen))
    assert disagree == []
