"""Pairing a device and revoking it (DESIGN §4 "Pairing")."""
import pytest

from fieldapp.extensions import db
from fieldapp.models import Device, hash_token
from tests.conftest import build_world, make_app, reset_schema

DEVICES = "/api/v1/devices"


def _pair(client, username="col_a", password="pw", name="Điện thoại của An", **kw):
    return client.post(DEVICES, json={"username": username, "password": password,
                                      "device_name": name}, **kw)


def test_pairing_returns_a_token_once_and_stores_only_its_hash(app, client, world):
    resp = _pair(client)
    assert resp.status_code == 201
    body = resp.get_json()
    assert set(body) == {"device_id", "token", "user"}
    assert body["user"] == {"username": "col_a", "full_name": "COL_A", "role": "collector",
                            "areas": ["31001"]}
    with app.app_context():
        device = db.session.get(Device, body["device_id"])
        assert device.token_hash == hash_token(body["token"])
        assert body["token"] not in device.token_hash
        assert device.name == "Điện thoại của An"
    auth = {"Authorization": f"Bearer {body['token']}"}
    assert client.get("/api/v1/bootstrap", headers=auth).status_code == 200


def test_username_is_not_case_sensitive(client, world):
    assert _pair(client, username="COL_A").status_code == 201


@pytest.mark.parametrize("username, password", [("col_a", "wrong"), ("nobody", "pw"),
                                                ("", ""), ("col\x00a", "pw")])
def test_wrong_credentials_are_401(client, world, username, password):
    resp = _pair(client, username=username, password=password)
    assert resp.status_code == 401
    assert resp.get_json()["error"]["code"] == "unauthorized"


@pytest.mark.parametrize("body", [{}, {"username": "col_a", "password": "pw"},
                                  {"username": "col_a", "password": 1, "device_name": "x"},
                                  {"username": None, "password": "pw", "device_name": "x"},
                                  [], "col_a"])
def test_body_without_the_three_strings_is_400(client, world, body):
    resp = client.post(DEVICES, json=body)
    assert resp.status_code == 400
    assert resp.get_json()["error"]["code"] == "bad_request"


def test_pairing_body_must_be_json(client, world):
    resp = client.post(DEVICES, data={"username": "col_a", "password": "pw", "device_name": "x"})
    assert resp.status_code == 415


def test_more_than_10_failures_for_one_username_is_429(client, world):
    for _ in range(10):
        assert _pair(client, password="wrong").status_code == 401
    resp = _pair(client)  # even the right password now waits
    assert resp.status_code == 429
    assert resp.get_json()["error"]["code"] == "rate_limited"
    assert int(resp.headers["Retry-After"]) > 0
    assert _pair(client, username="col_a2").status_code == 201  # another user is unaffected


def test_more_than_30_failures_from_one_address_is_429(client, world):
    for n in range(30):
        resp = _pair(client, username=f"user{n}", password="wrong",
                     environ_base={"REMOTE_ADDR": "10.0.0.9"})
        assert resp.status_code == 401
    blocked = _pair(client, environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert blocked.status_code == 429 and "Retry-After" in blocked.headers
    assert _pair(client, environ_base={"REMOTE_ADDR": "10.0.0.10"}).status_code == 201


def test_revoking_the_current_device_signs_it_out_everywhere(client, world):
    token = _pair(client).get_json()["token"]
    auth = {"Authorization": f"Bearer {token}"}
    resp = client.delete(f"{DEVICES}/current", headers=auth)
    assert resp.status_code == 204
    for method, path in (("get", "/api/v1/bootstrap"), ("get", "/api/v1/sync/pull"),
                         ("delete", f"{DEVICES}/current")):
        again = getattr(client, method)(path, headers=auth)
        assert again.status_code == 401
    other = _pair(client).get_json()["token"]
    assert client.get("/api/v1/bootstrap",
                      headers={"Authorization": f"Bearer {other}"}).status_code == 200


def test_no_cookies_and_no_csrf_needed(tmp_path):
    strict = make_app(tmp_path, WTF_CSRF_ENABLED=True)
    reset_schema(strict)
    build_world(strict)
    client = strict.test_client()
    resp = _pair(client)
    assert resp.status_code == 201
    assert "Set-Cookie" not in resp.headers
    token = resp.get_json()["token"]
    push = client.post("/api/v1/sync/push", json={"protocol": 1, "records": []},
                       headers={"Authorization": f"Bearer {token}"})
    assert push.status_code == 200
    with strict.app_context():
        db.session.remove()
        db.engine.dispose()
