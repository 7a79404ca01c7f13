"""A stand-in for requests.Session: answers come from a function, every request is kept.

Unit tests of the client's outbox logic need a server that fails on cue; a function that sees
each request and returns (status, body[, headers]) or raises a requests exception is enough.
"""
import json as jsonlib

import requests

from tests import records


class StubResponse:
    def __init__(self, status, body=None, headers=None):
        self.status_code = status
        self._body = body
        self.headers = dict(headers or {})
        self.reason = {200: "OK", 201: "Created", 204: "No Content"}.get(status, "Error")

    def json(self):
        if self._body is None:
            raise ValueError("no JSON body")
        return jsonlib.loads(jsonlib.dumps(self._body))

    @property
    def content(self):
        return b"" if self._body is None else jsonlib.dumps(self._body).encode()


class StubSession:
    def __init__(self, answer):
        self.answer = answer
        self.headers = {}
        self.requests = []
        # What the transport sets up on a real requests.Session.
        self.proxies, self.verify, self.trust_env = {}, True, True

    def request(self, method, url, json=None, data=None, params=None, headers=None,
                timeout=None):
        if data is not None:  # the transport sends JSON it encoded itself
            json = jsonlib.loads(data)
        req = {"method": method, "path": url.split("/api/v1", 1)[1], "json": json,
               "params": dict(params or {}), "headers": dict(headers or {})}
        self.requests.append(req)
        out = self.answer(req)
        if isinstance(out, BaseException):
            raise out
        return StubResponse(*out)

    def close(self):
        pass

    def pushes(self):
        return [r for r in self.requests if r["path"] == "/sync/push"]


def receipts(status="accepted"):
    """An answer function that gives every pushed record the same status."""
    def answer(req):
        if req["path"] != "/sync/push":
            return 404, {"error": {"code": "not_found", "message": "nope"}}
        recs = req["json"]["records"]
        return 200, {"results": [{"id": r["id"], "status": status,
                                  "version": 1 if status in ("accepted", "duplicate") else 0}
                                 for r in recs],
                     "server_time": "2026-11-25T02:30:00+00:00"}
    return answer


def down():
    return requests.ConnectionError("connection refused")


def make_client(tmp_path, answer, **kw):
    """A paired SyncClient on a stub session that never really sleeps (waits are recorded)."""
    from sync.client import SyncClient

    session = StubSession(answer)
    waits = []
    kw.setdefault("rand", lambda: 0.0)
    client = SyncClient("http://sync.test", tmp_path / "outbox.db", token="tok",
                        session=session, sleep=waits.append, **kw)
    client.waits = waits
    client.session = session
    return client


def household(n, area="31001-1"):
    """A household typed from paper: no id, so the client makes one from its content."""
    rec = records.household(area, address=f"Số {n}", head_name=f"Hộ {n}")
    return {"type": rec["type"], "data": rec["data"]}
