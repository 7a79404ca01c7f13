"""A paired device speaking sync protocol v1 over HTTP/JSON: the one API helper of the tests.

Nothing here imports the application, so the black-box contract suite and the white-box API
tests drive the API the same way, the way the PWA or a third-party client does. ``client`` is
anything with the Flask test client's ``get``/``post``/``delete``/``open``.

Every response goes through ``checked``: the protocol calls a 5xx always a bug, so no test can
pass by accident on a server error.
"""

API = "/api/v1"


def checked(resp):
    assert resp.status_code < 500, f"{resp.status_code}: {resp.get_data(as_text=True)[:500]}"
    return resp


def error_of(resp, status, code):
    """The error object of ``resp`` after checking its status, code and shape (sync protocol v1)."""
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
    """One paired device: its token and the calls of sync protocol v1 (``pairing``: the body of the
    pairing answer, when the device was paired through the API)."""

    def __init__(self, client, token, pairing=None):
        self.client, self.token, self.pairing = client, token, pairing

    @classmethod
    def paired(cls, client, username, password="pw"):
        """Pair through ``POST /devices``; the pairing must succeed."""
        resp = pair_raw(client, username, password)
        assert resp.status_code == 201, resp.get_data(as_text=True)
        body = resp.get_json()
        return cls(client, body["token"], body)

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

    def push_ok(self, records, **extra):
        resp = self.push(records, **extra)
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
