"""Fixtures for the sync API tests: paired devices, a small API client, record builders."""
import secrets
import uuid

import pytest

from fieldapp.extensions import db
from fieldapp.models import Device, hash_token


def make_token(app, user_id, name="test phone"):
    """Pair a device straight in the database (pairing itself has its own tests)."""
    token = secrets.token_urlsafe(24)
    with app.app_context():
        db.session.add(Device(id=str(uuid.uuid4()), user_id=user_id, name=name,
                              token_hash=hash_token(token)))
        db.session.commit()
    return token


class Api:
    """A device talking to the app through a Flask test client."""

    def __init__(self, client, token):
        self.client, self.token = client, token

    @property
    def headers(self):
        return {"Authorization": f"Bearer {self.token}"}

    def push(self, records, protocol=1, **extra):
        body = {"protocol": protocol, "records": records, **extra}
        return self.client.post("/api/v1/sync/push", json=body, headers=self.headers)

    def push_ok(self, records, **extra):
        resp = self.push(records, **extra)
        assert resp.status_code == 200, resp.get_data(as_text=True)
        return resp.get_json()["results"]

    def pull(self, cursor=None, limit=None):
        query = {}
        if cursor is not None:
            query["cursor"] = cursor
        if limit is not None:
            query["limit"] = limit
        return self.client.get("/api/v1/sync/pull", query_string=query, headers=self.headers)

    def pull_all(self, cursor=None, limit=None):
        """Follow the cursor to the end: (changes, last cursor)."""
        changes = []
        while True:
            resp = self.pull(cursor, limit)
            assert resp.status_code == 200, resp.get_data(as_text=True)
            page = resp.get_json()
            changes += page["changes"]
            cursor = page["cursor"]
            if not page["more"]:
                return changes, cursor


@pytest.fixture
def api(app, client, world):
    """api("col_a") -> an Api for a fresh device of that user."""
    cache = {}

    def for_user(username):
        if username not in cache:
            cache[username] = Api(client, make_token(app, world.users[username]))
        return cache[username]

    return for_user


def new_id():
    return str(uuid.uuid4())


def record(kind, data, id=None, version=0, **extra):
    return {"id": id or new_id(), "type": kind, "version": version,
            "client_time": "2026-11-25T09:30:00+07:00", "data": data, **extra}


def household(area="31001-1", id=None, version=0, **data):
    base = {"area": area, "address": "Số 12, thôn Đông", "head_name": "Nguyễn Văn An",
            "phone": "0912 345 678"}
    base.update(data)
    return record("household", base, id, version)


def person(household_id, id=None, version=0, **data):
    base = {"household": household_id, "full_name": "Trần Thị Bình", "birth_date": "1980-05-01",
            "sex": "female", "relation": "spouse", "coverage": "none"}
    base.update(data)
    return record("person", base, id, version)


def visit(household_id, id=None, version=0, **data):
    base = {"household": household_id, "visited_at": "2026-11-25T09:30:00+07:00",
            "outcome": "interested", "topics": ["vsi"], "follow_up_on": "2026-11-30"}
    base.update(data)
    return record("visit", base, id, version)


def enrollment(person_id, id=None, version=0, **data):
    base = {"person": person_id, "scheme": "vsi", "start_month": "2025-09", "period_months": 3,
            "amount_due": 792000, "monthly_income": 1500000, "support_group": "other"}
    base.update(data)
    return record("enrollment", base, id, version)


def referral(area="31001-1", id=None, version=0, **data):
    base = {"area": area, "contact_name": "Lê Văn Cường", "reason": "farmer",
            "contact_phone": "+84 912 000 111"}
    base.update(data)
    return record("referral", base, id, version)


def outreach(area="31001", id=None, version=0, **data):
    base = {"area": area, "kind": "small_group", "held_at": "2026-11-20T14:00:00+07:00",
            "attendees": 12, "leads": 3}
    base.update(data)
    return record("outreach", base, id, version)
