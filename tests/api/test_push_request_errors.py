"""Request-level errors of a push, and the order they are checked in (DESIGN §4)."""
import json

import pytest

from fieldapp.extensions import db
from fieldapp.models import Device
from fieldapp.models.base import utcnow
from tests.api.conftest import household

PUSH = "/api/v1/sync/push"


def _error(resp, status, code):
    assert resp.status_code == status, resp.get_data(as_text=True)
    body = resp.get_json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body["error"]


def _post(client, body, token=None, content_type="application/json", headers=None):
    h = dict(headers or {})
    if token:
        h["Authorization"] = f"Bearer {token}"
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return client.post(PUSH, data=data, content_type=content_type, headers=h)


def test_missing_token_is_401(client, world):
    resp = _post(client, {"protocol": 1, "records": []})
    _error(resp, 401, "unauthorized")
    assert resp.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", ["Bearer nope", "Bearer", "Basic dXNlcjpwdw==", "token",
                                    "Bearer " + "x" * 5000])
def test_unknown_or_malformed_token_is_401(client, world, header):
    resp = client.post(PUSH, json={"protocol": 1, "records": []},
                       headers={"Authorization": header})
    _error(resp, 401, "unauthorized")


def test_revoked_token_is_401(app, api):
    col = api("col_a")
    with app.app_context():
        for device in Device.query.all():
            device.revoked_at = utcnow()
        db.session.commit()
    _error(col.push([]), 401, "unauthorized")
    _error(col.pull(), 401, "unauthorized")


def test_inactive_user_is_401(app, world, api):
    from fieldapp.models import User

    col = api("col_a")
    with app.app_context():
        db.session.get(User, world.users["col_a"]).active = False
        db.session.commit()
    _error(col.push([]), 401, "unauthorized")


@pytest.mark.parametrize("username", ["sup_a", "admin"])
def test_supervisors_and_admins_push_nothing_even_an_empty_batch(api, username):
    _error(api(username).push([]), 403, "forbidden")


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded",
                                          "application/jsonx", "multipart/form-data", ""])
def test_body_that_is_not_json_content_is_415(api, content_type):
    col = api("col_a")
    resp = _post(col.client, {"protocol": 1, "records": []}, col.token, content_type)
    _error(resp, 415, "unsupported_media_type")


def test_no_content_type_is_415(api):
    col = api("col_a")
    resp = col.client.post(PUSH, data=b'{"protocol": 1, "records": []}', headers=col.headers)
    _error(resp, 415, "unsupported_media_type")


def test_json_with_a_charset_is_fine(api):
    col = api("col_a")
    resp = _post(col.client, {"protocol": 1, "records": []}, col.token,
                 "application/json; charset=utf-8")
    assert resp.status_code == 200


@pytest.mark.parametrize("body", [b"", b"{", b"{'protocol': 1}", b"[1,]", b"\xff\xfe",
                                  b'{"protocol": NaN, "records": []}',
                                  b"[" * 100000 + b"]" * 100000, b"1" * 5000])
def test_invalid_json_is_400_invalid_json(api, body):
    col = api("col_a")
    _error(_post(col.client, body, col.token), 400, "invalid_json")


@pytest.mark.parametrize("body", [[], '"text"', 1, None, {"records": []},
                                  {"protocol": 1}, {"protocol": 1, "records": {}},
                                  {"protocol": 1, "records": "x"}])
def test_body_without_protocol_or_records_list_is_400_bad_request(api, body):
    col = api("col_a")
    _error(_post(col.client, body, col.token), 400, "bad_request")


@pytest.mark.parametrize("protocol", [2, 0, "1", 1.5, True, None, [1]])
def test_another_protocol_is_409(api, protocol):
    _error(api("col_a").push([], protocol=protocol), 409, "protocol_version")


def test_more_than_500_records_is_413(api):
    records = [household() for _ in range(501)]
    _error(api("col_a").push(records), 413, "too_large")


def test_exactly_500_records_is_fine(api):
    assert api("col_a").push([household() for _ in range(500)]).status_code == 200


def test_body_over_2_mib_is_413(api):
    col = api("col_a")
    body = json.dumps({"protocol": 1, "records": [household(note="x" * 1000)],
                       "padding": "y" * (2 * 1024 * 1024)})
    _error(_post(col.client, body, col.token), 413, "too_large")


def test_body_of_exactly_2_mib_is_not_too_large(api):
    col = api("col_a")
    prefix = '{"protocol": 1, "records": [], "padding": "'
    body = prefix + "y" * (2 * 1024 * 1024 - len(prefix) - 2) + '"}'
    assert len(body.encode()) == 2 * 1024 * 1024
    assert _post(col.client, body, col.token).status_code == 200


def test_size_is_judged_by_content_length_before_reading(api):
    col = api("col_a")
    resp = col.client.post(PUSH, data=b'{"protocol": 1, "records": []}',
                           content_type="application/json", headers=col.headers,
                           environ_overrides={"CONTENT_LENGTH": str(3 * 1024 * 1024)})
    _error(resp, 413, "too_large")


def test_checks_come_in_the_documented_order(api, client):
    sup, col = api("sup_a"), api("col_a")
    oversize_text = "x" * (2 * 1024 * 1024 + 1)
    # token before everything
    _error(_post(client, oversize_text, None, "text/plain"), 401, "unauthorized")
    # role before content type
    _error(_post(client, oversize_text, sup.token, "text/plain"), 403, "forbidden")
    # content type before size
    _error(_post(client, oversize_text, col.token, "text/plain"), 415, "unsupported_media_type")
    # size before JSON
    _error(_post(client, oversize_text, col.token), 413, "too_large")
    # JSON before protocol
    _error(_post(client, b"{nope", col.token), 400, "invalid_json")
    # protocol before records
    _error(_post(client, {"protocol": 2, "records": "x"}, col.token), 409, "protocol_version")
