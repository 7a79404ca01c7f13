"""A device that knows only DESIGN §4/§5: it pairs with a password and speaks HTTP/JSON.

Nothing here imports the application: the contract tests must pass against any server that
keeps the contract, so they see it the way the PWA or a third-party client does. The only
shared pieces are the fixtures of tests/conftest.py (an app on a fresh database, a test
client, the small world of areas and users with the password "pw").

Every response goes through ``checked``: a 5xx is always a bug (DESIGN §4), so no test can
pass by accident on a server error.
"""
import random
import uuid

import pytest

API = "/api/v1"
VALID_TIME = "2026-11-25T09:30:00+07:00"


def checked(resp):
    assert resp.status_code < 500, f"{resp.status_code}: {resp.get_data(as_text=True)[:500]}"
    return resp


def error_of(resp, status, code):
    """The error object of ``resp`` after checking its status, code and shape (DESIGN §4)."""
    assert resp.status_code == status, f"{resp.status_code}: {resp.get_data(as_text=True)[:500]}"
    body = resp.get_json()
    assert isinstance(body, dict) and set(body) == {"error"}, body
    error = body["error"]
    assert set(error) <= {"code", "message", "fields"}, error
    assert error["code"] == code, error
    assert isinstance(error["message"], str) and error["message"].strip(), error
    return error


def pair_raw(client, username, password="pw", device_name="contract phone", **kw):
    body = {"username": username, "password": password, "device_name": device_name}
    return checked(client.post(f"{API}/devices", json=body, **kw))


class Device:
    """One paired device: its token and the calls of DESIGN §4."""

    def __init__(self, client, token, pairing):
        self.client, self.token, self.pairing = client, token, pairing

    @property
    def headers(self):
        return {"Authorization": f"Bearer {self.token}"}

    def bootstrap(self):
        return checked(self.client.get(f"{API}/bootstrap", headers=self.headers))

    def push(self, records, protocol=1, **extra):
        body = {"protocol": protocol, "records": records, **extra}
        return checked(self.client.post(f"{API}/sync/push", json=body, headers=self.headers))

    def push_raw(self, data, content_type="application/json", headers=None):
        all_headers = dict(self.headers, **(headers or {}))
        if content_type is not None:
            all_headers["Content-Type"] = content_type
        return checked(self.client.post(f"{API}/sync/push", data=data, headers=all_headers))

    def push_ok(self, records):
        resp = self.push(records)
        assert resp.status_code == 200, resp.get_data(as_text=True)[:1000]
        results = resp.get_json()["results"]
        assert len(results) == len(records)
        return results

    def accepted(self, records):
        """Push records that must all be accepted; returns their results."""
        results = self.push_ok(records)
        assert [r["status"] for r in results] == ["accepted"] * len(records), results
        return results

    def pull(self, cursor=None, limit=None, query=None):
        if query is None:
            query = {}
            if cursor is not None:
                query["cursor"] = cursor
            if limit is not None:
                query["limit"] = limit
        return checked(self.client.get(f"{API}/sync/pull", query_string=query,
                                       headers=self.headers))

    def pull_page(self, cursor=None, limit=None):
        resp = self.pull(cursor, limit)
        assert resp.status_code == 200, resp.get_data(as_text=True)[:1000]
        return resp.get_json()

    def pull_all(self, cursor=None, limit=None):
        """Follow ``more`` to the end: (changes, last cursor)."""
        changes = []
        for _ in range(10_000):
            page = self.pull_page(cursor, limit)
            changes += page["changes"]
            cursor = page["cursor"]
            if not page["more"]:
                return changes, cursor
        raise AssertionError("pull never said more=false")

    def latest(self, cursor=None):
        """{id: last change} of everything pulled after ``cursor``."""
        changes, _ = self.pull_all(cursor)
        return {c["id"]: c for c in changes}


@pytest.fixture
def pair(client, world):
    """pair("col_a") -> a Device freshly paired through POST /api/v1/devices."""

    def _pair(username, password=None, on=None):
        resp = pair_raw(on or client, username, password or world.password)
        assert resp.status_code == 201, resp.get_data(as_text=True)
        body = resp.get_json()
        return Device(on or client, body["token"], body)

    return _pair


@pytest.fixture
def dev(pair):
    """dev("col_a") -> the one device of that user in this test (paired on first use)."""
    cache = {}

    def _dev(username):
        if username not in cache:
            cache[username] = pair(username)
        return cache[username]

    return _dev


# -- records of DESIGN §5, valid unless a test changes them --------------------------------

def new_id():
    return str(uuid.uuid4())


def record(kind, data, id=None, version=0):
    return {"id": id or new_id(), "type": kind, "version": version,
            "client_time": VALID_TIME, "data": data}


def household(area="31001-1", id=None, version=0, **data):
    base = {"area": area, "address": "Số 7, ngõ 3, Hồng Bàng", "head_name": "Phạm Văn Hải",
            "phone": "0912345678", "note": None}
    base.update(data)
    return record("household", base, id, version)


def personal_id():
    """A fresh 12-digit personal ID: two persons never share one."""
    return "031" + "".join(random.choices("0123456789", k=9))


def person(household_id, id=None, version=0, **data):
    base = {"household": household_id, "full_name": "Phạm Thị Lan", "birth_date": "1985-03-14",
            "sex": "female", "personal_id": personal_id(), "relation": "spouse",
            "coverage": "none"}
    base.update(data)
    return record("person", base, id, version)


def visit(household_id, id=None, version=0, **data):
    base = {"household": household_id, "visited_at": VALID_TIME, "outcome": "interested",
            "topics": ["vsi", "hhi"], "follow_up_on": "2026-12-02", "note": "Hẹn quay lại"}
    base.update(data)
    return record("visit", base, id, version)


def vsi_enrollment(person_id, id=None, version=0, **data):
    base = {"person": person_id, "scheme": "vsi", "start_month": "2025-09", "period_months": 3,
            "amount_due": 792000, "monthly_income": 1500000, "support_group": "other"}
    base.update(data)
    return record("enrollment", base, id, version)


def hhi_enrollment(person_id, id=None, version=0, **data):
    base = {"person": person_id, "scheme": "hhi", "start_month": "2025-09", "period_months": 12,
            "amount_due": 1263600, "member_order": 1}
    base.update(data)
    return record("enrollment", base, id, version)


def referral(area="31001-1", id=None, version=0, **data):
    base = {"area": area, "contact_name": "Đỗ Văn Nam", "reason": "informal_worker",
            "contact_phone": "0987654321"}
    base.update(data)
    return record("referral", base, id, version)


def outreach(area="31001", id=None, version=0, **data):
    base = {"area": area, "kind": "conference", "held_at": "2026-11-20T08:00:00+07:00",
            "attendees": 40, "leads": 5}
    base.update(data)
    return record("outreach", base, id, version)


def one_of_each(area_village="31001-1", area_commune="31001"):
    """A household with a member, a visit, an enrollment, a referral and an outreach."""
    h = household(area_village)
    p = person(h["id"])
    v = visit(h["id"])
    e = vsi_enrollment(p["id"], visit=v["id"])
    r = referral(area_village, household=h["id"])
    o = outreach(area_commune)
    return {"household": h, "person": p, "visit": v, "enrollment": e, "referral": r,
            "outreach": o}
