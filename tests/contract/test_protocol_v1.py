"""Sync protocol v1 from the outside: docs/protocol.md and docs/records.md pinned sentence by sentence.

Longer than our usual test module on purpose: it follows the contract top to bottom (errors,
pairing, bootstrap, push, judging, records of §5, pull), so a reader can hold it against
docs/protocol.md in one pass and see which sentence each test pins. It speaks only HTTP/JSON through
the test client (tests/device.py), never the application's modules.

How ambiguous sentences are read here (see the report of issue #3):
- "fields only for validation": an error body may carry ``fields`` only as a 400
  ``bad_request``; never for 401/403/404/405/409/413/415/429 or ``invalid_json``.
- A record that is not an object has no id to echo: its result carries ``"id": null``.
- "size (413)" in the check order is the body's length in bytes; the record count can only
  be known after parsing, so its order against ``protocol`` is not pinned.
- ``protocol`` present with any value other than the integer 1 (2, "1", null, true) is
  "another value" -> 409.
- "a record pushed earlier in the same batch or still waiting in a later one" means later in
  the same batch: the next sentence allows unseen references only within the batch.
- A referral's area is a village, like a household's: §4 speaks of "a household or referral
  moved to another village"; an outreach session may be held for a commune or a village.
- Ids that point at records are ids too: either case is accepted and they are pulled back
  in lowercase.
"""
import json
import re
from datetime import datetime

import pytest

from tests.conftest import make_app
from tests.device import API, Device, checked, error_of, pair_raw
from tests.records import (
    hhi_enrollment,
    household,
    made_in,
    new_id,
    one_of_each,
    outreach,
    person,
    record,
    referral,
    visit,
    vsi_enrollment,
)

STATUSES = {"duplicate", "rejected", "conflict", "accepted"}
NO_FIELDS_STATUSES = {401, 403, 404, 405, 409, 413, 415, 429}


def _instant(text):
    return datetime.fromisoformat(text)


def _has_offset(text):
    return _instant(text).utcoffset() is not None


def _assert_field_errors(errors):
    assert isinstance(errors, dict) and errors, errors
    for name, messages in errors.items():
        assert isinstance(name, str)
        assert isinstance(messages, list) and messages, errors
        assert all(isinstance(m, str) and m.strip() for m in messages), errors


def _rejected(result, *fields):
    assert result["status"] == "rejected", result
    _assert_field_errors(result["errors"])
    for name in fields:
        assert name in result["errors"], (name, result["errors"])
    assert "current" not in result
    return result


def _change_shape(change):
    assert set(change) == {"id", "type", "version", "deleted", "data", "server"}, change
    assert isinstance(change["version"], int) and not isinstance(change["version"], bool)
    assert change["deleted"] in (True, False)
    assert isinstance(change["server"], dict)
    if change["deleted"]:
        assert change["data"] is None
    else:
        assert isinstance(change["data"], dict)
    return change


def _same_data(pushed, pulled):
    """Every pushed field comes back under the same name with the same value (times as the
    same instant, phone numbers as pushed here already in national form)."""
    for name, value in pushed.items():
        assert name in pulled, (name, pulled)
        if isinstance(value, str) and "T" in value and value[:4].isdigit() and name.endswith("_at"):
            assert _instant(pulled[name]) == _instant(value), (name, pulled[name], value)
            assert _has_offset(pulled[name])
        else:
            assert pulled[name] == value, (name, pulled[name], value)


# == Errors (docs/protocol.md §2) ===========================================================

@pytest.mark.parametrize("path", [f"{API}/no-such-thing", "/api/v2/sync/pull"])
def test_error_shape_and_json_for_an_unknown_api_path(client, dev, path):
    for headers in (dev("col_a").headers, {}):  # with or without a token: not found first
        resp = checked(client.get(path, headers=headers))
        assert resp.mimetype == "application/json"
        error = error_of(resp, 404, "not_found")
        assert "fields" not in error


@pytest.mark.parametrize("method,path", [
    ("GET", "/sync/push"), ("PUT", "/sync/push"), ("POST", "/sync/pull"), ("PUT", "/sync/pull"),
    ("POST", "/bootstrap"), ("GET", "/devices"), ("PUT", "/devices"),
    ("GET", "/devices/current"),
])
def test_method_not_allowed_is_405(client, dev, method, path):
    for headers in (dev("col_a").headers, {}):  # with or without a token
        resp = checked(client.open(f"{API}{path}", method=method, headers=headers,
                                   json={"protocol": 1, "records": []}))
        assert resp.mimetype == "application/json"
        assert "fields" not in error_of(resp, 405, "method_not_allowed")


def test_error_messages_are_sentences_in_the_users_language(app, client, dev):
    """Vietnamese by default; English once the user picked English (same user, same device)."""
    device = dev("col_a")

    def messages():
        request = error_of(device.push([], protocol=2), 409, "protocol_version")["message"]
        [result] = device.push_ok([household(head_name="")])
        return request, result["errors"]["head_name"][0]

    vi = messages()
    web = app.test_client()  # a browser of the same user, apart from the device's client
    assert web.post("/login", data={"username": "col_a", "password": "pw"}).status_code == 302
    web.post("/lang/en")
    en = messages()
    for vi_message, en_message in zip(vi, en):
        assert vi_message != en_message
        assert re.search(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]",
                         vi_message.lower()), vi_message
        assert en_message.isascii(), en_message


# == Authorization ============================================================================

@pytest.fixture
def revoked_token(client, pair):
    device = pair("col_a")
    assert checked(client.delete(f"{API}/devices/current", headers=device.headers)).status_code \
        in (200, 204)
    return device.token


@pytest.mark.parametrize("auth", ["none", "empty", "bare", "unknown", "long", "basic", "revoked",
                                  "no_scheme"])
@pytest.mark.parametrize("method,path", [
    ("GET", "/bootstrap"), ("POST", "/sync/push"), ("GET", "/sync/pull"),
    ("DELETE", "/devices/current"),
])
def test_no_valid_bearer_token_is_401_everywhere(client, revoked_token, auth, method, path):
    header = {"none": None, "empty": "Bearer ", "bare": "Bearer",
              "unknown": "Bearer not-a-token-of-this-server", "long": "Bearer " + "x" * 5000,
              "basic": "Basic Y29sX2E6cHc=", "revoked": f"Bearer {revoked_token}",
              "no_scheme": revoked_token}[auth]
    headers = {"Authorization": header} if header is not None else {}
    resp = checked(client.open(f"{API}{path}", method=method, headers=headers,
                               json={"protocol": 1, "records": []}))
    assert "fields" not in error_of(resp, 401, "unauthorized")
    assert resp.headers["WWW-Authenticate"].startswith("Bearer")


def test_the_api_is_exempt_from_csrf(tmp_path, world):
    """With CSRF on (as in production), a device pairs and pushes with no cookie or token."""
    csrf_app = make_app(tmp_path, WTF_CSRF_ENABLED=True)  # the same database as `world`
    web = csrf_app.test_client()
    refused = web.post("/login", data={"username": "col_a", "password": "pw"})
    assert refused.status_code == 400  # the supervisor pages are not exempt
    resp = pair_raw(web, "col_a")
    assert resp.status_code == 201, resp.get_data(as_text=True)
    assert "Set-Cookie" not in resp.headers
    device = Device(web, resp.get_json()["token"], resp.get_json())
    assert device.push_ok([household()])[0]["status"] == "accepted"
    resp = checked(web.delete(f"{API}/devices/current", headers=device.headers))
    assert resp.status_code in (200, 204)


def test_the_api_sets_no_cookies(client, world):
    resp = pair_raw(client, "col_a")
    assert "Set-Cookie" not in resp.headers
    device = Device(client, resp.get_json()["token"], resp.get_json())
    for resp in (device.bootstrap(), device.push([household()]), device.pull(),
                 device.push([], protocol=2)):
        assert "Set-Cookie" not in resp.headers, resp.headers


# == Pairing ==================================================================================

@pytest.mark.parametrize("username,role,areas", [
    ("col_a", "collector", ["31001"]), ("head_a", "village_head", ["31001-1"]),
    ("sup_b", "supervisor", ["31002"]), ("admin", "admin", ["31"]),
])
def test_pairing_answers_201_with_device_token_and_user(client, world, username, role, areas):
    resp = pair_raw(client, username)
    assert resp.status_code == 201
    assert resp.mimetype == "application/json"
    body = resp.get_json()
    assert set(body) == {"device_id", "token", "user"}
    assert isinstance(body["device_id"], str) and body["device_id"]
    assert isinstance(body["token"], str) and len(body["token"]) >= 16
    assert body["user"] == {"username": username, "full_name": username.upper(), "role": role,
                            "areas": areas}
    device = Device(client, body["token"], body)
    assert device.bootstrap().status_code == 200


def test_each_pairing_gets_its_own_token_and_the_token_is_not_shown_again(client, pair):
    first, second = pair("col_a"), pair("col_a")
    assert first.token != second.token
    assert first.pairing["device_id"] != second.pairing["device_id"]
    for device in (first, second):
        assert device.token not in device.bootstrap().get_data(as_text=True)
        assert device.token not in device.pull().get_data(as_text=True)


@pytest.mark.parametrize("username,password", [
    ("col_a", "wrong"), ("col_a", ""), ("nobody", "pw"), ("", "pw"), ("", ""),
    ("col\x00a", "pw"),
])
def test_pairing_with_wrong_credentials_is_401(client, world, username, password):
    resp = pair_raw(client, username, password)
    assert "fields" not in error_of(resp, 401, "unauthorized")


@pytest.mark.parametrize("body", [
    {}, {"password": "pw", "device_name": "x"}, {"username": "col_a", "device_name": "x"},
    {"username": "col_a", "password": "pw"}, {"username": 5, "password": "pw", "device_name": "x"},
    {"username": "col_a", "password": None, "device_name": "x"},
    {"username": None, "password": "pw", "device_name": "x"},
    {"username": "col_a", "password": 1, "device_name": "x"},
    {"username": "col_a", "password": "pw", "device_name": ["x"]},
    ["col_a", "pw", "x"], "col_a", 42, None,
])
def test_pairing_without_the_three_strings_is_400_bad_request(client, world, body):
    resp = checked(client.post(f"{API}/devices", data=json.dumps(body),
                               content_type="application/json"))
    error_of(resp, 400, "bad_request")


@pytest.mark.parametrize("username,password,device_name", [
    ("\ud800", "pw", "phone"),
    ("col_a", "\ud800", "phone"),
    ("col_a", "pw", "\ud800"),
    ("col_a\u0000", "pw", "phone"), ("x" * 10000, "pw", "phone"),
])
def test_pairing_with_odd_strings_never_answers_5xx(client, world, username, password,
                                                     device_name):
    body = json.dumps({"username": username, "password": password, "device_name": device_name})
    resp = checked(client.post(f"{API}/devices", data=body, content_type="application/json"))
    assert resp.status_code in (201, 400, 401), resp.status_code
    if resp.status_code != 201:
        error_of(resp, resp.status_code, resp.get_json()["error"]["code"])


def test_pairing_with_a_body_that_is_not_json(client, world):
    resp = checked(client.post(f"{API}/devices", data="{username", content_type="application/json"))
    error_of(resp, 400, "invalid_json")
    resp = checked(client.post(f"{API}/devices", data="username=col_a&password=pw",
                               content_type="application/x-www-form-urlencoded"))
    error_of(resp, 415, "unsupported_media_type")


def _retry_after(resp):
    value = resp.headers.get("Retry-After", "")
    assert value.isdigit() and 0 < int(value) <= 15 * 60, value
    return int(value)


def test_an_eleventh_failed_pairing_for_one_username_is_429(client, world):
    for attempt in range(10):
        resp = pair_raw(client, "col_a", f"wrong{attempt}")
        error_of(resp, 401, "unauthorized")
    resp = pair_raw(client, "col_a", "wrong again")
    assert "fields" not in error_of(resp, 429, "rate_limited")
    _retry_after(resp)
    # Read here: the lock is on the username, so the right password waits too (else a
    # guesser would still learn when a guess is right).
    error_of(pair_raw(client, "col_a"), 429, "rate_limited")
    # Another user from the same address is not locked out by col_a's failures.
    assert pair_raw(client, "col_b").status_code == 201


def test_a_thirty_first_failed_pairing_from_one_address_is_429(client, world):
    addr = {"environ_base": {"REMOTE_ADDR": "10.9.8.7"}}
    for n in range(30):
        resp = pair_raw(client, f"ghost{n // 5}", "wrong", **addr)  # 5 per username: none hits 10
        error_of(resp, 401, "unauthorized")
    resp = pair_raw(client, "col_a2", "wrong", **addr)
    error_of(resp, 429, "rate_limited")
    _retry_after(resp)
    error_of(pair_raw(client, "col_a", **addr), 429, "rate_limited")  # the right password too
    assert pair_raw(client, "col_a", environ_base={"REMOTE_ADDR": "10.9.8.8"}).status_code == 201


def test_revoking_the_current_device_signs_only_it_out(client, pair):
    leaving, staying = pair("col_a"), pair("col_a")
    resp = checked(client.delete(f"{API}/devices/current", headers=leaving.headers))
    assert resp.status_code in (200, 204)
    error_of(leaving.bootstrap(), 401, "unauthorized")
    error_of(leaving.pull(), 401, "unauthorized")
    error_of(leaving.push([]), 401, "unauthorized")
    error_of(checked(client.delete(f"{API}/devices/current", headers=leaving.headers)),
             401, "unauthorized")
    assert staying.bootstrap().status_code == 200
    assert staying.push_ok([household()])[0]["status"] == "accepted"
    assert pair("col_a").bootstrap().status_code == 200  # the user may pair again


# == Bootstrap ================================================================================

def _bootstrap(device):
    resp = device.bootstrap()
    assert resp.status_code == 200 and resp.mimetype == "application/json"
    return resp.get_json()


def test_bootstrap_keys(dev):
    body = _bootstrap(dev("col_a"))
    assert {"protocol", "server_time", "user", "areas", "policy", "choices", "labels"} <= set(body)
    assert body["protocol"] == 1
    assert _has_offset(body["server_time"])
    assert body["user"] == {"username": "col_a", "full_name": "COL_A", "role": "collector",
                            "areas": ["31001"]}


@pytest.mark.parametrize("username,expected", [
    ("col_a", {"31": None, "31001": "31", "31001-1": "31001", "31001-2": "31001"}),
    ("head_a", {"31": None, "31001": "31", "31001-1": "31001"}),
    ("sup_b", {"31": None, "31002": "31", "31002-1": "31002"}),
    ("admin", {"31": None, "31001": "31", "31001-1": "31001", "31001-2": "31001",
               "31002": "31", "31002-1": "31002"}),
])
def test_bootstrap_areas_are_assigned_below_and_ancestors(dev, username, expected):
    areas = _bootstrap(dev(username))["areas"]
    for area in areas:
        assert set(area) >= {"code", "name", "level", "parent"}, area
        assert isinstance(area["name"], str) and area["name"]
    assert {a["code"]: a["parent"] for a in areas} == expected
    levels = {a["code"]: a["level"] for a in areas}
    assert levels["31"] == "province"
    assert all(levels[c] == "commune" for c in ("31001", "31002") if c in levels)
    assert all(levels[c] == "village" for c in levels if "-" in c)
    names = {a["code"]: a["name"] for a in areas}
    assert names["31"] == "Thành phố Hải Phòng"


def test_bootstrap_policy_is_every_parameter_set_with_effective_from(dev):
    policy = _bootstrap(dev("col_a"))["policy"]
    assert isinstance(policy, list) and len(policy) >= 2  # the published sets: before and after 2025-07
    dates = [p["effective_from"] for p in policy]
    for value in dates:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", value), value
    assert len(set(dates)) == len(dates)


CHOICES = {
    "outcome": {"not_home", "not_interested", "interested", "enrolled", "already_covered",
                "moved_away", "refused"},
    "topics": {"vsi", "hhi"},
    "sex": {"male", "female"},
    "relation": {"head", "spouse", "child", "parent", "other"},
    "coverage": {"none", "compulsory_si", "voluntary_si", "household_hi", "other_hi", "unknown"},
    "scheme": {"vsi", "hhi"},
    "support_group": {"poor", "near_poor", "ethnic_minority", "other"},
    "hhi_group": {"near_poor", "farming", "student", "elderly_no_pension"},
    "reason": {"informal_worker", "farmer", "no_health_insurance", "lapsed", "other"},
    "kind": {"conference", "small_group"},
}


def test_bootstrap_choices_are_flat_lists_of_the_section_5_values(dev):
    choices = _bootstrap(dev("col_a"))["choices"]
    assert isinstance(choices, dict)
    for name, values in choices.items():
        assert isinstance(values, list) and all(isinstance(v, str) for v in values), name
    for name, expected in CHOICES.items():
        assert set(choices[name]) == expected, name


def test_bootstrap_labels_translate_every_choice_into_the_users_language(app, dev):
    device = dev("col_a")
    body = _bootstrap(device)
    labels, choices = body["labels"], body["choices"]
    for name, values in choices.items():
        assert set(labels[name]) >= set(values), name
        assert all(isinstance(labels[name][v], str) and labels[name][v] for v in values)
    web = app.test_client()
    assert web.post("/login", data={"username": "col_a", "password": "pw"}).status_code == 302
    web.post("/lang/en")
    english = _bootstrap(device)["labels"]
    assert english["sex"]["female"] != labels["sex"]["female"]
    assert labels["outcome"]["interested"] == "Quan tâm, hẹn lại"
    assert english["outcome"]["interested"] == "Interested, follow up"


@pytest.mark.parametrize("username", ["head_a", "sup_a"])
def test_bootstrap_for_every_role(dev, username):
    assert _bootstrap(dev(username))["user"]["username"] == username


# == Push: the request (docs/protocol.md §6, check order) ========================================

def test_push_of_no_records_answers_no_results(dev):
    resp = dev("col_a").push([])
    assert resp.status_code == 200 and resp.mimetype == "application/json"
    body = resp.get_json()
    assert set(body) == {"results", "server_time"}
    assert body["results"] == []
    assert _has_offset(body["server_time"])


def test_push_with_and_without_the_heartbeat(dev):
    device = dev("col_a")
    resp = device.push([household()], device={"outbox": 12, "app_version": "2026.11.1"})
    assert resp.status_code == 200 and resp.get_json()["results"][0]["status"] == "accepted"
    assert device.push_ok([household()])[0]["status"] == "accepted"


@pytest.mark.parametrize("content_type", [
    None, "text/plain", "text/plain; charset=utf-8", "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=xyz", "text/json", "application/jsonl", "application/jsonx",
    "",
])
def test_push_body_that_is_not_application_json_is_415(dev, content_type):
    resp = dev("col_a").push_raw(json.dumps({"protocol": 1, "records": []}), content_type)
    assert "fields" not in error_of(resp, 415, "unsupported_media_type")


@pytest.mark.parametrize("content_type", [
    "application/json", "application/json; charset=utf-8", "application/json;charset=UTF-8",
    "Application/JSON",
])
def test_push_accepts_application_json_with_a_charset(dev, content_type):
    resp = dev("col_a").push_raw(json.dumps({"protocol": 1, "records": []}), content_type)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    assert resp.get_json()["results"] == []


def test_pairing_with_text_plain_is_415(client, world):
    body = json.dumps({"username": "col_a", "password": "pw", "device_name": "x"})
    resp = checked(client.post(f"{API}/devices", data=body, content_type="text/plain"))
    error_of(resp, 415, "unsupported_media_type")
    resp = checked(client.post(f"{API}/devices", data=body))
    error_of(resp, 415, "unsupported_media_type")


MIB2 = 2 * 1024 * 1024


def _body_of_bytes(size, char="x"):
    """A push body of exactly ``size`` bytes (UTF-8), padded inside one record's note."""
    h = household()
    h["data"]["note"] = ""
    empty = json.dumps({"protocol": 1, "records": [h]}, ensure_ascii=False).encode()
    room = size - len(empty)
    per = len(char.encode())
    h["data"]["note"] = char * (room // per) + "x" * (room % per)
    body = json.dumps({"protocol": 1, "records": [h]}, ensure_ascii=False).encode()
    assert len(body) == size
    return body


def test_a_body_of_exactly_2_mib_is_not_too_large(dev):
    resp = dev("col_a").push_raw(_body_of_bytes(MIB2))
    assert resp.status_code == 200, resp.get_data(as_text=True)[:300]


def test_a_body_over_2_mib_in_bytes_is_413_even_under_2_mib_in_characters(dev):
    body = _body_of_bytes(MIB2 + 3, "ệ")  # three bytes a character
    assert len(body.decode()) < MIB2
    resp = dev("col_a").push_raw(body)
    assert "fields" not in error_of(resp, 413, "too_large")


@pytest.mark.parametrize("size,status", [(MIB2 + 1, 413), (MIB2, 200)])
def test_a_chunked_body_without_content_length_is_measured_by_its_bytes(dev, size, status):
    import io

    device = dev("col_a")
    headers = dict(device.headers, **{"Content-Type": "application/json",
                                      "Transfer-Encoding": "chunked"})
    resp = checked(device.client.post(f"{API}/sync/push", headers=headers,
                                      input_stream=io.BytesIO(_body_of_bytes(size)),
                                      environ_overrides={"wsgi.input_terminated": True}))
    assert resp.status_code == status, resp.get_data(as_text=True)[:300]
    if status == 413:
        error_of(resp, 413, "too_large")


def test_more_than_500_records_is_413(dev):
    device = dev("col_a")
    error_of(device.push([household() for _ in range(501)]), 413, "too_large")
    assert device.pull_page()["changes"] == []  # nothing of it stored


def test_500_records_are_one_push(dev):
    results = dev("col_a").push_ok([household() for _ in range(500)])
    assert {r["status"] for r in results} == {"accepted"}


@pytest.mark.parametrize("raw", [
    b"", b"{", b"{\"protocol\": 1,}", b"nul", b"NaN", b"{'protocol': 1}", b"\xff\xfe{}",
    b"{\"protocol\": 1, \"records\": []} trailing", b"[1,]", b'{"protocol": NaN, "records": []}',
    b"[" * 100000 + b"]" * 100000, b"1" * 5000,
])
def test_a_body_that_is_not_json_is_400_invalid_json(dev, raw):
    resp = dev("col_a").push_raw(raw)
    assert "fields" not in error_of(resp, 400, "invalid_json")


@pytest.mark.parametrize("body", [{"records": []}, {}, [], {"Protocol": 1, "records": []},
                                  "text", 1, None])
def test_protocol_missing_is_400_bad_request(dev, body):
    error_of(dev("col_a").push_raw(json.dumps(body)), 400, "bad_request")


@pytest.mark.parametrize("value", [2, 0, -1, "1", None, True, 1.5, [1], {"v": 1}])
def test_protocol_of_another_value_is_409(dev, value):
    resp = dev("col_a").push_raw(json.dumps({"protocol": value, "records": []}))
    assert "fields" not in error_of(resp, 409, "protocol_version")


def test_protocol_is_checked_before_the_records(dev):
    resp = dev("col_a").push_raw(json.dumps({"protocol": 2, "records": "not a list"}))
    error_of(resp, 409, "protocol_version")


@pytest.mark.parametrize("records", ["x", None, {"id": new_id()}, 5])
def test_records_that_are_not_a_list_answer_a_4xx_error(dev, records):
    resp = dev("col_a").push_raw(json.dumps({"protocol": 1, "records": records}))
    assert 400 <= resp.status_code < 500
    error_of(resp, resp.status_code, resp.get_json()["error"]["code"])


def test_request_check_order(client, dev):
    """token 401, role 403, content type 415, size 413, JSON 400, protocol 400/409."""
    big_bad = b"{" + b"x" * (MIB2 + 10)
    collector, supervisor = dev("col_a"), dev("sup_a")

    def post(device, data, content_type):
        headers = device.headers if device else {}
        if content_type:
            headers = dict(headers, **{"Content-Type": content_type})
        return checked(client.post(f"{API}/sync/push", data=data, headers=headers))

    error_of(post(None, big_bad, "text/plain"), 401, "unauthorized")
    error_of(post(supervisor, big_bad, "text/plain"), 403, "forbidden")
    error_of(post(collector, big_bad, "text/plain"), 415, "unsupported_media_type")
    error_of(post(collector, big_bad, "application/json"), 413, "too_large")
    error_of(post(collector, b"{", "application/json"), 400, "invalid_json")
    error_of(post(collector, b'{"records": []}', "application/json"), 400, "bad_request")
    error_of(post(collector, b'{"protocol": 2, "records": [42]}', "application/json"),
             409, "protocol_version")


@pytest.mark.parametrize("username", ["sup_a", "admin"])
def test_supervisors_and_admins_push_nothing_even_an_empty_batch(dev, username):
    device = dev(username)
    assert "fields" not in error_of(device.push([]), 403, "forbidden")
    error_of(device.push([household()]), 403, "forbidden")
    assert device.pull_page()["changes"] == []


# == Push: results and the judging order ======================================================

def _result_shape(result):
    assert set(result) <= {"id", "status", "version", "errors", "current"}, result
    assert {"id", "status", "version"} <= set(result), result
    assert result["status"] in STATUSES
    assert isinstance(result["version"], int) and not isinstance(result["version"], bool)
    return result


def test_every_type_is_accepted_at_version_1_one_result_per_record_in_order(dev):
    records = list(one_of_each().values())
    results = dev("col_a").push_ok(records)
    for rec, result in zip(records, results):
        _result_shape(result)
        assert result["id"] == rec["id"]
        assert result["status"] == "accepted" and result["version"] == 1
        assert "errors" not in result and "current" not in result


def test_results_keep_the_order_of_a_mixed_batch(dev):
    device = dev("col_a")
    dup, stale = household(), household()
    device.accepted([dup, stale, household(id=stale["id"], version=1, address="Số 9")])
    fresh_a, fresh_b = household(), household()
    bad = household(head_name="")
    conflicting = household(id=stale["id"], version=1, address="Số 10")
    batch = [fresh_a, bad, dup, conflicting, fresh_b]
    results = device.push_ok(batch)
    assert [r["id"] for r in results] == [r["id"] for r in batch]
    assert [r["status"] for r in results] == ["accepted", "rejected", "duplicate", "conflict",
                                             "accepted"]
    for result in results:
        _result_shape(result)


def test_one_bad_record_never_rejects_its_batch(dev):
    device = dev("col_a")
    good_a, good_b = household(), household()
    results = device.push_ok([good_a, household(area="nowhere"), good_b])
    assert [r["status"] for r in results] == ["accepted", "rejected", "accepted"]
    assert set(device.latest()) == {good_a["id"], good_b["id"]}


# -- 1. duplicate ---------------------------------------------------------------------------

@pytest.mark.parametrize("retry_version", [0, 1, 2, 99])
def test_a_retry_is_duplicate_whatever_its_version_and_changes_nothing(dev, retry_version):
    device = dev("col_a")
    h = household()
    device.accepted([h])
    _, cursor = device.pull_all()
    retry = dict(h, version=retry_version)
    [result] = device.push_ok([retry])
    assert result == {"id": h["id"], "status": "duplicate", "version": 1}
    assert device.pull_page(cursor)["changes"] == []


def test_a_retry_of_an_updated_record_returns_the_stored_version(dev):
    device = dev("col_a")
    h = household()
    edit = household(id=h["id"], version=1, address="Số 99")
    device.accepted([h, edit])
    _, cursor = device.pull_all()
    [result] = device.push_ok([edit])
    assert result == {"id": h["id"], "status": "duplicate", "version": 2}
    assert device.pull_page(cursor)["changes"] == []


def test_duplicate_compares_data_not_its_key_order(dev):
    device = dev("col_a")
    h = household()
    device.accepted([h])
    reordered = dict(h, data=dict(reversed(list(h["data"].items()))))
    assert device.push_ok([reordered])[0]["status"] == "duplicate"


def test_a_shared_record_retried_by_another_collector_of_the_area_is_duplicate(dev):
    h = household()
    dev("col_a").accepted([h])
    assert dev("col_a2").push_ok([h])[0] == {"id": h["id"], "status": "duplicate", "version": 1}


def test_a_copy_pushed_by_someone_who_may_not_see_it_is_not_duplicate(dev):
    h = household()
    v = visit(h["id"])
    dev("col_a").accepted([h, v])
    assert dev("col_b").push_ok([h])[0]["status"] == "rejected"
    assert dev("col_a2").push_ok([v])[0]["status"] == "rejected"  # visits: only their own
    assert dev("col_b").pull_page()["changes"] == []


# -- 2. rejected ----------------------------------------------------------------------------

@pytest.mark.parametrize("raw", [42, "text", None, [], True, [{"id": "x"}]])
def test_a_record_that_is_not_an_object_is_rejected_naming_id(dev, raw):
    [result] = dev("col_a").push_ok([raw])
    _rejected(result, "id")
    assert result["id"] is None
    assert result["version"] == 0


@pytest.mark.parametrize("given", [
    "missing", None, 123, "", "abc", [1, 2], {"a": 1}, " {u}", "{u}\n", "{{{u}}}",
    "urn:uuid:{u}", "{hex}", "{u}0", "{short}", "ghijklmn-0000-4000-8000-000000000000",
])
def test_a_record_without_a_canonical_uuid_id_is_rejected_with_the_id_echoed(dev, given):
    u = new_id()
    if isinstance(given, str):
        given = given.format(u=u, hex=u.replace("-", ""), short=u[:-1])
    rec = household()
    if given == "missing":
        del rec["id"]
        echoed = None
    else:
        rec["id"] = echoed = given
    [result] = dev("col_a").push_ok([rec])
    _rejected(result, "id")
    assert result["id"] == echoed
    assert result["version"] == 0
    assert dev("col_a").pull_page()["changes"] == []


@pytest.mark.parametrize("kind", ["user", "parcel", "Household", "households", "", None, 7, True,
                                  ["visit"], {"visit": 1}])
def test_a_record_of_an_unknown_type_is_rejected_naming_type(dev, kind):
    rec = household()
    rec["type"] = kind
    [result] = dev("col_a").push_ok([rec])
    _rejected(result, "type")
    assert result["id"] == rec["id"] and result["version"] == 0


def test_an_id_that_exists_with_another_type_names_type_and_the_stored_version(dev):
    device = dev("col_a")
    h = household()
    device.accepted([h, household(id=h["id"], version=1, address="Số 2")])
    as_referral = referral(id=h["id"])
    [result] = device.push_ok([as_referral])
    _rejected(result, "type")
    assert result["version"] == 2
    as_referral["version"] = 2
    _rejected(device.push_ok([as_referral])[0], "type")


@pytest.mark.parametrize("version", [1, 7, -1, "1", "0", 1.5, None, True, [0]])
def test_a_base_version_other_than_0_for_an_unknown_id_names_version(dev, version):
    device = dev("col_a")
    [result] = device.push_ok([household(version=version)])
    _rejected(result, "version")
    assert result["version"] == 0
    assert device.pull_page()["changes"] == []


def test_a_rejected_update_answers_the_stored_version_and_stores_nothing(dev):
    device = dev("col_a")
    h = household()
    device.accepted([h])
    _, cursor = device.pull_all()
    [result] = device.push_ok([household(id=h["id"], version=1, head_name="")])
    _rejected(result, "head_name")
    assert result["version"] == 1
    assert device.pull_page(cursor)["changes"] == []


def test_a_stale_record_that_is_also_invalid_is_rejected_not_conflict(dev):
    device = dev("col_a")
    h = household()
    device.accepted([h, household(id=h["id"], version=1, address="Số 3")])
    [result] = device.push_ok([household(id=h["id"], version=1, phone="123")])
    _rejected(result, "phone")
    assert result["version"] == 2


# -- 3. conflict ----------------------------------------------------------------------------

def test_a_stale_base_version_is_a_conflict_with_the_server_copy_as_a_pull_change(dev):
    device = dev("col_a")
    h = household()
    device.accepted([h, household(id=h["id"], version=1, address="Số 5")])
    _, cursor = device.pull_all()
    [result] = device.push_ok([household(id=h["id"], version=1, address="Số 6")])
    assert result["status"] == "conflict" and result["version"] == 2
    assert result["id"] == h["id"] and "errors" not in result
    current = _change_shape(result["current"])
    assert current == device.latest()[h["id"]]
    assert current["version"] == 2 and current["data"]["address"] == "Số 5"
    assert device.pull_page(cursor)["changes"] == []  # nothing changed


def test_version_0_for_an_id_that_exists_is_stale(dev):
    device = dev("col_a")
    h = household()
    device.accepted([h])
    [result] = device.push_ok([household(id=h["id"], address="Số khác")])
    assert result["status"] == "conflict" and result["version"] == 1
    assert _change_shape(result["current"])["data"]["address"] == h["data"]["address"]


def test_a_base_version_ahead_of_the_stored_one_is_a_conflict(dev):
    device = dev("col_a")
    h = household()
    device.accepted([h])
    [result] = device.push_ok([household(id=h["id"], version=5, address="Số 8")])
    assert result["status"] == "conflict" and result["version"] == 1


def test_a_conflicting_visit_carries_its_server_fields(dev):
    device = dev("col_a")
    h = household()
    v = visit(h["id"])
    device.accepted([h, v])
    [result] = device.push_ok([visit(h["id"], id=v["id"], outcome="refused", follow_up_on=None)])
    assert result["status"] == "conflict"
    assert result["current"]["server"]["review"]["status"] == "pending"
    assert result["current"] == device.latest()[v["id"]]


# -- 4. accepted ----------------------------------------------------------------------------

def test_accepted_versions_start_at_1_and_add_1_per_write(dev):
    device = dev("col_a")
    h = household()
    versions = [device.push_ok([h])[0]["version"]]
    for n in range(2, 5):
        edit = household(id=h["id"], version=n - 1, address=f"Số {n}")
        [result] = device.push_ok([edit])
        assert result["status"] == "accepted"
        versions.append(result["version"])
    assert versions == [1, 2, 3, 4]
    latest = device.latest()[h["id"]]
    assert latest["version"] == 4 and latest["data"]["address"] == "Số 4"


# -- the same id twice in one batch ---------------------------------------------------------

@pytest.mark.parametrize("second,expected", [
    (lambda h: household(id=h["id"], version=1, address="Số 2"),
     [("accepted", 1), ("accepted", 2)]),
    (lambda h: dict(h), [("accepted", 1), ("duplicate", 1)]),
    (lambda h: household(id=h["id"], address="Số 2"), [("accepted", 1), ("conflict", 1)]),
    (lambda h: household(id=h["id"], version=1, head_name=""),
     [("accepted", 1), ("rejected", 1)]),
], ids=["edit", "retry", "stale", "invalid"])
def test_the_same_id_twice_in_a_batch_is_judged_against_the_first(dev, second, expected):
    device = dev("col_a")
    h = household()
    results = device.push_ok([h, second(h)])
    assert [(r["status"], r["version"]) for r in results] == expected
    if expected[1][0] == "conflict":
        assert results[1]["current"]["version"] == 1
        assert results[1]["current"]["data"]["address"] == h["data"]["address"]
    latest = device.latest()[h["id"]]
    assert latest["version"] == expected[1][1]
    assert latest["data"]["address"] == ("Số 2" if expected[1][0] == "accepted"
                                         else h["data"]["address"])


def test_a_rejected_first_copy_leaves_the_second_judged_as_new(dev):
    device = dev("col_a")
    h = household()
    results = device.push_ok([household(id=h["id"], head_name=""), h])
    assert [(r["status"], r["version"]) for r in results] == [("rejected", 0), ("accepted", 1)]
    other = household()
    results = device.push_ok([household(id=other["id"], head_name=""),
                              household(id=other["id"], version=1)])
    _rejected(results[1], "version")  # nothing stored by the first: version 1 is unknown


# -- ids ------------------------------------------------------------------------------------

def test_an_uppercase_id_is_accepted_stored_and_pulled_lowercase(dev):
    device = dev("col_a")
    h = household()
    upper = dict(h, id=h["id"].upper())
    [result] = device.push_ok([upper])
    assert result["status"] == "accepted" and result["id"].lower() == h["id"]
    assert list(device.latest()) == [h["id"]]
    assert device.push_ok([h])[0]["status"] == "duplicate"  # the same id in lowercase
    [again] = device.push_ok([upper])
    assert again == {"id": upper["id"], "status": "duplicate", "version": 1}  # echoed as given


def test_references_in_either_case_point_at_the_same_record_and_come_back_lowercase(dev):
    device = dev("col_a")
    h = household()
    device.accepted([h])
    p = person(h["id"].upper())
    p["id"] = p["id"].upper()
    device.accepted([p])
    pulled = device.latest()[p["id"].lower()]
    assert pulled["data"]["household"] == h["id"]


@pytest.mark.parametrize("rid", [
    "6ba7b810-9dad-11d1-80b4-00c04fd430c8",  # version 1
    "017f22e2-79b0-7cc3-98c4-dc0c0c07398f",  # version 7
    "00000000-0000-0000-0000-000000000000",  # nil
    "A1B2C3D4-e5f6-A7B8-c9d0-E1F2A3B4C5D6",  # mixed case, no version bits
])
def test_any_uuid_version_in_canonical_form_is_an_id(dev, rid):
    device = dev("col_a")
    assert device.push_ok([household(id=rid)])[0]["status"] == "accepted"
    assert list(device.latest()) == [rid.lower()]


# == Records of docs/records.md =====================================================================

FIELDS = {  # the table of §5, every field of each type
    "household": {"area", "address", "head_name", "phone", "note"},
    "person": {"household", "full_name", "birth_date", "sex", "personal_id", "si_code", "phone",
               "relation", "coverage"},
    "visit": {"household", "visited_at", "outcome", "topics", "follow_up_on", "referral", "note",
              "location"},
    "enrollment": {"person", "scheme", "start_month", "period_months", "amount_due", "visit",
                   "monthly_income", "support_group", "member_order", "hhi_group", "receipt_no",
                   "paid"},
    "referral": {"area", "contact_name", "reason", "household", "contact_phone", "address",
                 "note", "close_reason"},
    "outreach": {"area", "kind", "held_at", "attendees", "leads", "note"},
}


def test_pushed_data_comes_back_in_the_pull_under_the_form_field_names(dev):
    device = dev("col_a")
    records = one_of_each()
    records["visit"]["data"]["location"] = {"lat": 20.8561, "lon": 106.6822, "accuracy_m": 12.5}
    records["enrollment"]["data"].update(receipt_no="BL-0001", paid=True)
    records["person"]["data"]["si_code"] = "3101234567"
    records["outreach"]["data"]["note"] = "Hội nghị khách hàng"
    device.accepted(list(records.values()))
    latest = device.latest()
    for kind, rec in records.items():
        change = _change_shape(latest[rec["id"]])
        assert change["type"] == kind and change["version"] == 1 and change["deleted"] is False
        _same_data(rec["data"], change["data"])
        assert set(change["data"]) == FIELDS[kind], kind
        unsent = {name: change["data"][name] for name in FIELDS[kind] - set(rec["data"])}
        assert all(value is None for value in unsent.values()), (kind, unsent)  # null


REQUIRED = [
    ("household", "area"), ("household", "address"), ("household", "head_name"),
    ("person", "household"), ("person", "full_name"), ("person", "birth_date"), ("person", "sex"),
    ("visit", "household"), ("visit", "visited_at"), ("visit", "outcome"),
    ("vsi", "person"), ("vsi", "scheme"), ("vsi", "start_month"), ("vsi", "period_months"),
    ("vsi", "amount_due"), ("vsi", "monthly_income"), ("vsi", "support_group"),
    ("hhi", "member_order"), ("hhi", "amount_due"),
    ("referral", "area"), ("referral", "contact_name"), ("referral", "reason"),
    ("outreach", "area"), ("outreach", "kind"), ("outreach", "held_at"),
    ("outreach", "attendees"),
]


def _batch_for(which, h_id, p_id, **data):
    """The record of ``which`` (vsi/hhi: an enrollment) built on stored household/person."""
    build = {"household": lambda: household(**data), "person": lambda: person(h_id, **data),
             "visit": lambda: visit(h_id, **data), "vsi": lambda: vsi_enrollment(p_id, **data),
             "hhi": lambda: hhi_enrollment(p_id, **data), "referral": lambda: referral(**data),
             "outreach": lambda: outreach(**data)}
    return build[which]()


@pytest.fixture
def stored(dev):
    """A household and a person of col_a, already stored."""
    h = household()
    p = person(h["id"])
    dev("col_a").accepted([h, p])
    return h["id"], p["id"]


@pytest.mark.parametrize("how", ["missing", "null", "empty"])
@pytest.mark.parametrize("kind,field", REQUIRED)
def test_a_required_field_left_out_is_rejected_by_name(dev, stored, kind, field, how):
    rec = _batch_for(kind, *stored)
    if how == "missing":
        del rec["data"][field]
    else:
        rec["data"][field] = None if how == "null" else ""
    _rejected(dev("col_a").push_ok([rec])[0], field)


INVALID = [
    ("household", "area", "31001"),  # a commune, not a village
    ("household", "area", "31009-9"), ("household", "phone", "12345"),
    ("household", "phone", "+1 555 123 4567"), ("household", "head_name", 42),
    ("household", "address", ["Số 7"]), ("household", "address", "x" * 301),
    ("person", "birth_date", "1985-02-30"), ("person", "birth_date", "14/03/1985"),
    ("person", "birth_date", "1985-3-14"),
    ("person", "sex", "other"), ("person", "personal_id", "03118500012"),
    ("person", "personal_id", "03118500012a"), ("person", "si_code", "123456789"),
    ("person", "relation", "cousin"), ("person", "coverage", "full"),
    ("person", "phone", "0912 345 67"),
    ("visit", "visited_at", "2026-11-25T09:30:00"), ("visit", "visited_at", "2026-11-25"),
    ("visit", "visited_at", "yesterday"), ("visit", "outcome", "maybe"),
    ("visit", "topics", ["pension"]),
    ("visit", "topics", "vsi"), ("visit", "topics", ["vsi", "golf"]),
    ("visit", "follow_up_on", "2026-13-01"),
    ("vsi", "scheme", "pension"), ("vsi", "start_month", "2025-9"),
    ("vsi", "start_month", "2025-09-01"), ("vsi", "support_group", "rich"),
    ("vsi", "amount_due", 792000.5), ("vsi", "amount_due", "792.000"),
    ("hhi", "member_order", 0), ("hhi", "member_order", 6),
    ("vsi", "paid", "yes"), ("vsi", "paid", 1),
    ("referral", "reason", "bored"), ("referral", "area", "99999"),
    ("referral", "contact_phone", "999"),
    ("outreach", "kind", "party"), ("outreach", "attendees", 0), ("outreach", "attendees", -3),
    ("outreach", "attendees", 2.5), ("outreach", "leads", -1), ("outreach", "leads", 41),
    ("outreach", "area", "00000"),
    ("outreach", "held_at", "2026-11-20 08:00"),
    # ASCII digits over the whole value; no bidirectional overrides in names (#9)
    ("person", "personal_id", "031185000123\n"), ("person", "personal_id", "0311 85000123"),
    ("person", "personal_id", "\uff10\uff13\uff11\uff11\uff18\uff15\uff10\uff10\uff10\uff11\uff12\uff13"),
    ("person", "si_code", "3112345678\n"),
    ("person", "si_code", "\u0663\u0661\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668"),
    ("person", "phone", "0912345678\n"), ("household", "phone", "09\u0661\u0662345678"),
    ("outreach", "attendees", "\u0661\u0662"), ("vsi", "period_months", "\uff13"),
    ("household", "head_name", "Ph\u1ea1m \u202eV\u0103n"), ("referral", "address", "\u2067S\u1ed1 7"),
]


@pytest.mark.parametrize("kind,field,value", INVALID)
def test_an_invalid_value_is_rejected_naming_its_field(dev, stored, kind, field, value):
    rec = _batch_for(kind, *stored, **{field: value})
    result = _rejected(dev("col_a").push_ok([rec])[0], field)
    named = set(result["errors"])
    if field == "attendees":
        named.discard("leads")  # the leads of the record may now exceed its attendees
    assert named == {field}  # and no other field


def test_every_invalid_field_of_a_record_is_named(dev, stored):
    h_id, _ = stored
    results = dev("col_a").push_ok([household(head_name="", phone="12345"),
                                    person(h_id, sex="other", personal_id="12345")])
    assert [set(r["errors"]) for r in results] == [{"head_name", "phone"}, {"sex", "personal_id"}]


def test_follow_up_on_is_required_when_the_outcome_is_interested(dev, stored):
    device = dev("col_a")
    h_id, _ = stored
    _rejected(device.push_ok([visit(h_id, follow_up_on=None)])[0], "follow_up_on")
    assert device.push_ok([visit(h_id, outcome="not_home", topics=[],
                                 follow_up_on=None)])[0]["status"] == "accepted"


@pytest.mark.parametrize("location", [
    {"lat": 200, "lon": 106.7, "accuracy_m": 10}, {"lat": 91, "lon": 106.6},
    {"lat": 20.8, "lon": -500, "accuracy_m": 10},
    {"lat": "north", "lon": 106.7, "accuracy_m": 10}, {"lat": 20.8},
    "20.8,106.7", [20.8, 106.7, 5],
])
def test_an_invalid_location_is_rejected_naming_it(dev, stored, location):
    [result] = dev("col_a").push_ok([visit(stored[0], location=location)])
    _rejected(result)
    assert any(name.startswith("location") for name in result["errors"]), result["errors"]


def test_every_value_of_every_choice_is_accepted(dev, stored):
    h_id, p_id = stored
    records = []
    for outcome in CHOICES["outcome"]:
        follow = "2026-12-01" if outcome == "interested" else None
        records.append(visit(h_id, outcome=outcome, follow_up_on=follow, topics=["hhi"]))
    records += [person(h_id, relation=v, sex="male") for v in CHOICES["relation"]]
    records += [person(h_id, coverage=v) for v in CHOICES["coverage"]]
    records += [referral(reason=v) for v in CHOICES["reason"]]
    records += [outreach(kind=v, attendees=1, leads=0) for v in CHOICES["kind"]]
    amounts = {"poor": 495000, "near_poor": 594000, "ethnic_minority": 693000, "other": 792000}
    for g in CHOICES["support_group"]:  # one person each: one person's periods never overlap
        member = person(h_id)
        records += [member, vsi_enrollment(member["id"], support_group=g, amount_due=amounts[g])]
    # HHI support groups, members 1-4 of the household in order (the State's minimum shares).
    hhi_amounts = {"near_poor": 379080, "farming": 619164, "student": 379080,
                   "elderly_no_pension": 631800}
    assert set(hhi_amounts) == CHOICES["hhi_group"]
    for place, g in enumerate(hhi_amounts, 1):
        member = person(h_id)
        records += [member, hhi_enrollment(member["id"], member_order=place, hhi_group=g,
                                           amount_due=hhi_amounts[g])]
    dev("col_a").accepted(records)


def test_a_time_in_utc_with_z_is_a_time_with_an_offset(dev, stored):
    device = dev("col_a")
    v = visit(stored[0], visited_at="2026-11-25T02:30:00Z")
    device.accepted([v])
    pulled = device.latest()[v["id"]]["data"]["visited_at"]
    assert _instant(pulled) == _instant("2026-11-25T09:30:00+07:00")


@pytest.mark.parametrize("raw,stored_as", [
    ("+84 912 345 678", "0912345678"), ("0912.345.678", "0912345678"),
    ("091-234-5678", "0912345678"), ("+84912345678", "0912345678"),
    ("0912345678", "0912345678"), ("0225 3842 123", "02253842123"),
    ("+84 225 3842 123", "02253842123"),
])
def test_phone_numbers_are_stored_as_national_digits(dev, raw, stored_as):
    device = dev("col_a")
    h = household(phone=raw)
    p = person(h["id"], phone=raw)
    r = referral(contact_phone=raw)
    device.accepted([h, p, r])
    latest = device.latest()
    assert latest[h["id"]]["data"]["phone"] == stored_as
    assert latest[p["id"]]["data"]["phone"] == stored_as
    assert latest[r["id"]]["data"]["contact_phone"] == stored_as


# -- references -----------------------------------------------------------------------------

def test_records_may_point_at_records_later_in_the_same_batch(dev):
    device = dev("col_a")
    rs = one_of_each()
    batch = [rs["enrollment"], rs["visit"], rs["referral"], rs["person"], rs["household"]]
    rs["visit"]["data"]["referral"] = rs["referral"]["id"]
    device.accepted(batch)
    latest = device.latest()
    assert latest[rs["visit"]["id"]]["data"]["referral"] == rs["referral"]["id"]
    assert latest[rs["enrollment"]["id"]]["data"]["visit"] == rs["visit"]["id"]


def test_records_may_point_at_records_of_an_earlier_batch(dev):
    device = dev("col_a")
    rs = one_of_each()
    device.accepted([rs["household"], rs["referral"]])
    device.accepted([rs["person"]])
    device.accepted([rs["visit"], rs["enrollment"]])


REFERENCES = [
    ("person", "household"), ("visit", "household"), ("visit", "referral"),
    ("vsi", "person"), ("vsi", "visit"), ("referral", "household"),
]


@pytest.mark.parametrize("kind,field", REFERENCES)
def test_a_reference_to_an_unknown_record_outside_the_batch_is_rejected(dev, stored, kind, field):
    rec = _batch_for(kind, *stored, **{field: new_id()})
    _rejected(dev("col_a").push_ok([rec])[0], field)


@pytest.mark.parametrize("kind,field", REFERENCES)
def test_a_reference_to_a_record_of_another_type_is_rejected(dev, stored, kind, field):
    o = outreach()
    dev("col_a").accepted([o])
    rec = _batch_for(kind, *stored, **{field: o["id"]})
    _rejected(dev("col_a").push_ok([rec])[0], field)


def test_a_reference_to_a_record_sent_in_a_later_batch_is_rejected(dev):
    device = dev("col_a")
    h = household()
    p = person(h["id"])
    _rejected(device.push_ok([p])[0], "household")
    assert [r["status"] for r in device.push_ok([h, p])] == ["accepted", "accepted"]


def test_records_pointing_at_a_record_rejected_in_the_same_batch_are_rejected(dev):
    device = dev("col_a")
    h = household(head_name="")
    p = person(h["id"])
    v = visit(h["id"])
    e = vsi_enrollment(p["id"])
    r = referral(household=h["id"])
    results = device.push_ok([p, h, v, e, r])
    _rejected(results[0], "household")
    _rejected(results[1], "head_name")
    _rejected(results[2], "household")
    _rejected(results[3], "person")
    _rejected(results[4], "household")
    assert [list(r["errors"]) for r in results] == [
        ["household"], ["head_name"], ["household"], ["person"], ["household"]]
    assert device.pull_page()["changes"] == []


def test_a_reference_to_a_record_the_caller_may_not_see_is_rejected(dev):
    theirs = household("31002-1")
    member = person(theirs["id"])
    dev("col_b").accepted([theirs, member])
    _rejected(dev("col_a").push_ok([person(theirs["id"])])[0], "household")
    _rejected(dev("col_a").push_ok([vsi_enrollment(member["id"])])[0], "person")


# -- premiums (worked examples, tests/fixtures/premiums.json) -----------------------------

WORKED = [
    ({"scheme": "vsi", "start_month": "2025-09", "monthly_income": 1500000,
      "support_group": "other", "period_months": 3}, 792000),
    ({"scheme": "vsi", "start_month": "2025-09", "monthly_income": 5000000,
      "support_group": "poor", "period_months": 6}, 5610000),
    ({"scheme": "vsi", "start_month": "2025-01", "monthly_income": 1500000,
      "support_group": "near_poor", "period_months": 12}, 2970000),
    ({"scheme": "hhi", "start_month": "2025-09", "member_order": 1, "period_months": 12}, 1263600),
    ({"scheme": "hhi", "start_month": "2025-09", "member_order": 3, "period_months": 6}, 379080),
    ({"scheme": "hhi", "start_month": "2024-03", "member_order": 1, "period_months": 12}, 972000),
    ({"scheme": "hhi", "start_month": "2025-09", "member_order": 2, "period_months": 3}, 221130),
    ({"scheme": "hhi", "start_month": "2025-09", "member_order": 4, "period_months": 6}, 315900),
    ({"scheme": "hhi", "start_month": "2025-09", "member_order": 5, "period_months": 12}, 505440),
    ({"scheme": "vsi", "start_month": "2025-09", "monthly_income": 46800000,
      "support_group": "other", "period_months": 3}, 30690000),  # at the ceiling
]


#: 3 months of HHI from 2025-09 for member 1, 2, 3, 4 (signed up before a worked example's).
EARLIER_MEMBERS = [315900, 221130, 189540, 157950]


def _enrollment(p_id, inputs, amount):
    """The sign-up made in its start month (in the start window of every period)."""
    data = {"person": p_id, "amount_due": amount, **inputs}
    return record("enrollment", data, client_time=made_in(inputs["start_month"]))


def _earlier_members(dev, stored, inputs):
    """An HHI example for member N: members 1..N-1 of the household sign up first, in order
    (the place is the household's: §5)."""
    if inputs["scheme"] != "hhi":
        return
    for place in range(1, inputs["member_order"]):
        other = person(stored[0])
        dev("col_a").accepted([other, _enrollment(other["id"], {
            "scheme": "hhi", "start_month": inputs["start_month"], "member_order": place,
            "period_months": 3}, EARLIER_MEMBERS[place - 1])])


@pytest.mark.parametrize("inputs,amount", WORKED)
def test_the_worked_examples_are_accepted_with_their_amount(dev, stored, inputs, amount):
    _earlier_members(dev, stored, inputs)
    [result] = dev("col_a").push_ok([_enrollment(stored[1], inputs, amount)])
    assert result["status"] == "accepted", result


@pytest.mark.parametrize("delta", [-1, 1, -1000])
@pytest.mark.parametrize("inputs,amount", WORKED)
def test_a_wrong_amount_due_is_rejected_holding_the_expected_amount(dev, stored, inputs, amount,
                                                                    delta):
    _earlier_members(dev, stored, inputs)
    [result] = dev("col_a").push_ok([_enrollment(stored[1], inputs, amount + delta)])
    _rejected(result, "amount_due")
    assert f"expected {amount}" in result["errors"]["amount_due"], result["errors"]


@pytest.mark.parametrize("income", [1000000, 1499999, 46800001, 0])
def test_an_income_outside_floor_and_ceiling_names_monthly_income(dev, stored, income):
    inputs = dict(WORKED[0][0], monthly_income=income)
    _rejected(dev("col_a").push_ok([_enrollment(stored[1], inputs, 792000)])[0], "monthly_income")


@pytest.mark.parametrize("scheme,period", [("vsi", 2), ("vsi", 5), ("vsi", 7), ("hhi", 5),
                                           ("hhi", 1), ("vsi", 0), ("hhi", 0)])
def test_a_period_not_allowed_names_period_months(dev, stored, scheme, period):
    inputs = dict(WORKED[0][0] if scheme == "vsi" else WORKED[3][0], period_months=period)
    _rejected(dev("col_a").push_ok([_enrollment(stored[1], inputs, 100000)])[0], "period_months")


@pytest.mark.parametrize("kind,area", [
    ("household", "31009-1"), ("household", "31001-7"), ("household", "xyz"),
    ("referral", "99999"),
    ("outreach", "00000"), ("outreach", "31001-9"),
])
def test_an_unknown_area_names_area(dev, kind, area):
    rec = {"household": household, "referral": referral, "outreach": outreach}[kind](area)
    _rejected(dev("col_a").push_ok([rec])[0], "area")


# -- who may write what --------------------------------------------------------------------

def test_a_collector_writes_every_type_in_their_areas_and_below(dev):
    commune_level = one_of_each("31001-2", "31001")
    dev("col_a").accepted(list(commune_level.values()))
    dev("col_a").accepted([outreach("31001-1")])
    # A referral, like a household, belongs to a village (§4: "moved to another village").
    _rejected(dev("col_a").push_ok([referral("31001")])[0], "area")


def test_a_collector_writes_nothing_outside_their_areas(dev):
    device = dev("col_a")
    for rec in (household("31002-1"), referral("31002-1"), outreach("31002"), outreach("31")):
        _rejected(device.push_ok([rec])[0], "area")
    assert device.pull_page()["changes"] == []
    h = household()
    device.accepted([h, household("31001-2", id=h["id"], version=1)])  # moved within: fine
    _rejected(device.push_ok([household("31002-1", id=h["id"], version=2)])[0], "area")


def test_households_and_persons_are_a_shared_register_of_the_area(dev):
    h = household()
    p = person(h["id"])
    dev("col_a").accepted([h, p])
    edits = [household(id=h["id"], version=1, address="Số 11"),
             person(h["id"], id=p["id"], version=1, full_name="Phạm Thị Lan Anh")]
    assert [r["version"] for r in dev("col_a2").accepted(edits)] == [2, 2]
    dev("col_a2").accepted([visit(h["id"]), vsi_enrollment(p["id"])])


def test_visits_and_enrollments_are_written_only_by_their_collector(dev):
    h = household()
    p = person(h["id"])
    v = visit(h["id"])
    e = vsi_enrollment(p["id"])
    dev("col_a").accepted([h, p, v, e])
    edits = [visit(h["id"], id=v["id"], version=1, note="sửa"),
             vsi_enrollment(p["id"], id=e["id"], version=1, paid=True)]
    for result in dev("col_a2").push_ok(edits):
        _rejected(result, "_")
    assert dev("col_a").latest()[v["id"]]["version"] == 1


def test_a_village_head_writes_only_their_own_referrals_in_their_village(dev):
    head = dev("head_a")
    own = referral("31001-1")
    [result] = head.push_ok([own])
    assert result["status"] == "accepted"
    head.accepted([referral("31001-1", id=own["id"], version=1, note="đã gọi điện")])
    theirs = referral("31001-1")
    dev("col_a").accepted([theirs])
    for rec in (referral("31001-2"), referral("31001"), referral("31002-1")):
        _rejected(head.push_ok([rec])[0], "area")
    for rec in (household(), outreach("31001-1")):
        _rejected(head.push_ok([rec])[0], "_")
    for rec in (person(new_id()), visit(new_id()),
                referral("31001-1", id=theirs["id"], version=1, note="của tôi")):
        assert head.push_ok([rec])[0]["status"] == "rejected", rec


# == Pull (docs/protocol.md §9-§11) ==================================================================

def test_pull_shape(dev):
    device = dev("col_a")
    device.accepted([household()])
    resp = device.pull()
    assert resp.status_code == 200 and resp.mimetype == "application/json"
    body = resp.get_json()
    assert set(body) == {"changes", "cursor", "more"}
    assert isinstance(body["cursor"], str) and body["more"] is False
    [change] = body["changes"]
    _change_shape(change)


@pytest.mark.parametrize("limit", ["0", "1001", "99999", "abc", "-1", "1.5", "10000000000000",
                                   "1e2", " 5", "10x", "５"])
def test_a_limit_outside_1_to_1000_or_not_an_integer_is_400(dev, limit):
    resp = dev("col_a").pull(query={"limit": limit})
    error_of(resp, 400, "bad_request")


@pytest.mark.parametrize("query", [{"cursor": ""}, {"limit": ""}, {"cursor": "", "limit": ""},
                                   {}, {"limit": "1000"}, {"limit": "1"}])
def test_empty_cursor_and_limit_mean_the_beginning_and_the_default(dev, query):
    device = dev("col_a")
    ids = [r["id"] for r in device.accepted([household() for _ in range(3)])]
    resp = device.pull(query=query)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    got = {c["id"] for c in resp.get_json()["changes"]}
    if query.get("limit") == "1":
        assert len(got) == 1 and got <= set(ids)
    else:
        assert got == set(ids)


def test_the_default_limit_is_500(dev):
    device = dev("col_a")
    device.accepted([household() for _ in range(500)])
    device.accepted([household()])
    page = device.pull_page()
    assert len(page["changes"]) == 500 and page["more"] is True
    rest = device.pull_page(page["cursor"])
    assert len(rest["changes"]) == 1 and rest["more"] is False


def test_a_cursor_this_server_did_not_make_is_400(tmp_path, dev):
    device = dev("col_a")
    device.accepted([household(), household()])
    first = device.pull_page(limit=1)
    cursor = first["cursor"]
    other = make_app(tmp_path, SECRET_KEY="another installation")  # same database
    foreign = Device.paired(other.test_client(), "col_a")
    foreign_cursor = foreign.pull_page(limit=1)["cursor"]
    altered = cursor[:-1] + ("A" if cursor[-1] != "A" else "B")
    for bad in ("abc", "0", "1", "-1", "5.AAAA", "0.x", "∞", "1" * 500, altered, cursor + "x",
                foreign_cursor, "\u00e9"):
        error_of(device.pull(cursor=bad), 400, "bad_request")


def test_paging_with_more(dev):
    device = dev("col_a")
    ids = {r["id"] for r in device.accepted([household() for _ in range(5)])}
    pages, cursor = [], None
    while True:
        page = device.pull_page(cursor, limit=2)
        pages.append(page)
        assert len(page["changes"]) <= 2
        cursor = page["cursor"]
        if not page["more"]:
            break
    assert [len(p["changes"]) for p in pages] in ([2, 2, 1], [2, 2, 1, 0])
    assert [p["more"] for p in pages][:-1] == [True] * (len(pages) - 1)
    seen = [c["id"] for p in pages for c in p["changes"]]
    assert sorted(seen) == sorted(ids)
    end = device.pull_page(cursor)
    assert end == {"changes": [], "cursor": end["cursor"], "more": False}
    assert device.pull_page(end["cursor"])["changes"] == []  # the cursor of an empty page


def test_changes_come_in_commit_order(dev):
    device = dev("col_a")
    a, b = household(), household()
    device.accepted([a])
    device.accepted([b])
    assert list(device.latest()) == [a["id"], b["id"]]
    device.accepted([household(id=a["id"], version=1, address="Số 4")])
    assert list(device.latest()) == [b["id"], a["id"]]


def test_a_record_changed_many_times_appears_once_in_a_page_at_its_latest_version(dev):
    device = dev("col_a")
    h = household()
    device.accepted([h])
    for n in range(1, 4):
        device.accepted([household(id=h["id"], version=n, address=f"Số {n}")])
    page = device.pull_page(limit=1000)
    assert [(c["id"], c["version"]) for c in page["changes"]] == [(h["id"], 4)]


def test_after_a_cursor_a_record_changed_n_times_appears_1_to_n_times_last_at_its_latest(dev):
    device = dev("col_a")
    quiet, busy = household(), household()
    device.accepted([quiet, busy])
    _, cursor = device.pull_all()
    for n in range(1, 4):
        device.accepted([household(id=busy["id"], version=n, address=f"Số {n}")])
    for limit in (1, 2, 1000):
        changes, _ = device.pull_all(cursor, limit=limit)
        seen = [c for c in changes if c["id"] == busy["id"]]
        assert 1 <= len(seen) <= 3
        if limit == 1000:  # one page: never twice in it
            assert len(seen) == 1
        assert seen[-1]["version"] == 4 and seen[-1]["data"]["address"] == "Số 3"
        assert quiet["id"] not in {c["id"] for c in changes}


def test_a_cursor_can_be_asked_again_after_a_lost_reply(dev):
    device = dev("col_a")
    device.accepted([household() for _ in range(5)])
    first = device.pull_page(limit=2)
    assert device.pull_page(limit=2)["changes"] == first["changes"]  # no cursor, asked again
    second = device.pull_page(first["cursor"], limit=2)
    again = device.pull_page(first["cursor"], limit=2)  # the reply to `second` was lost
    assert again["changes"] == second["changes"] and again["more"] == second["more"]
    rest, _ = device.pull_all(again["cursor"], limit=2)
    every = first["changes"] + again["changes"] + rest
    assert len({c["id"] for c in every}) == 5


def test_a_new_record_has_its_server_fields(dev):
    device = dev("col_a")
    rs = one_of_each()
    device.accepted(list(rs.values()))
    latest = device.latest()
    assert latest[rs["visit"]["id"]]["server"] == {
        "review": {"status": "pending", "note": None, "by": None, "at": None}}
    # A collector's own referral is assigned to them at once (routing).
    server = latest[rs["referral"]["id"]]["server"]
    assert (server["status"], server["assigned_to"]) == ("assigned", "col_a")
    assert set(server["dates"]) == {"new", "assigned", "visited", "enrolled", "closed"}
    assert server["dates"]["assigned"] is not None and server["dates"]["visited"] is None
    # The sign-up's kind (the person's first VSI period: new) and the month it was made in
    # (its client time's), which the start window is judged from.
    assert latest[rs["enrollment"]["id"]]["server"] == {"kind": "new", "made_month": "2025-09"}
    # #15: whether the person no longer pays (set at the desk), null while they do.
    assert latest[rs["person"]["id"]]["server"] == {"ended": {"reason": None, "on": None}}
    for kind in ("household", "outreach"):
        assert latest[rs[kind]["id"]]["server"] == {}, kind


def test_the_village_head_sees_the_status_of_their_referral(dev):
    head = dev("head_a")
    r = referral()
    head.accepted([r])
    # Two collectors cover 31001-1: the referral waits for the supervisor.
    server = head.latest()[r["id"]]["server"]
    assert (server["status"], server["assigned_to"]) == ("new", None)
    assert server["dates"]["new"] is not None and server["dates"]["assigned"] is None


# -- scope of a pull -----------------------------------------------------------------------

@pytest.fixture
def spread(dev):
    """Records of every type written by col_a, col_a2, head_a (commune 31001) and col_b."""
    made = {}
    made["a"] = one_of_each("31001-1", "31001")
    made["a2"] = one_of_each("31001-2", "31001")
    made["b"] = one_of_each("31002-1", "31002")
    made["head"] = referral("31001-1")
    dev("col_a").accepted(list(made["a"].values()))
    dev("col_a2").accepted(list(made["a2"].values()))
    dev("col_b").accepted(list(made["b"].values()))
    dev("head_a").accepted([made["head"]])
    return made


def _ids(records, *kinds):
    return {records[k]["id"] for k in kinds}


SHARED = ("household", "person", "referral", "outreach")
OWN = ("visit", "enrollment")


def test_a_collector_pulls_the_area_register_and_only_their_own_visits(dev, spread):
    seen = set(dev("col_a").latest())
    assert seen == (_ids(spread["a"], *SHARED, *OWN) | _ids(spread["a2"], *SHARED)
                    | {spread["head"]["id"]})


def test_a_village_head_pulls_their_referrals_and_their_villages_households(dev, spread):
    latest = dev("head_a").latest()
    assert set(latest) == {spread["head"]["id"], spread["a"]["household"]["id"]}
    assert latest[spread["head"]["id"]]["server"]["status"] == "new"


@pytest.mark.parametrize("username,parts", [
    ("sup_a", ("a", "a2")), ("sup_b", ("b",)), ("admin", ("a", "a2", "b")),
])
def test_supervisors_and_admins_pull_everything_in_their_subtree(dev, spread, username, parts):
    expected = set()
    for part in parts:
        expected |= {rec["id"] for rec in spread[part].values()}
    if "a" in parts:
        expected.add(spread["head"]["id"])
    assert set(dev(username).latest()) == expected


# -- leaving scope -------------------------------------------------------------------------

def test_a_household_moved_to_another_village_is_deleted_for_the_village_head(dev):
    h = household("31001-1")
    dev("col_a").accepted([h])
    head = dev("head_a")
    assert h["id"] in head.latest()
    _, cursor = head.pull_all()
    dev("col_a").accepted([household("31001-2", id=h["id"], version=1)])
    [change] = head.pull_all(cursor)[0]
    _change_shape(change)
    assert change["id"] == h["id"] and change["type"] == "household"
    assert change["deleted"] is True and change["data"] is None
    assert change["version"] == 2 and change["server"] == {}
    moved = dev("col_a").latest()[h["id"]]  # still in the collector's area: a plain change
    assert moved["deleted"] is False and moved["data"]["area"] == "31001-2"


def test_a_referral_moved_out_of_the_village_is_deleted_for_its_village_head(dev):
    head = dev("head_a")
    r = referral("31001-1")
    head.accepted([r])
    _, cursor = head.pull_all()
    dev("col_a").accepted([referral("31001-2", id=r["id"], version=1)])
    [change] = head.pull_all(cursor)[0]
    assert (change["id"], change["deleted"], change["data"]) == (r["id"], True, None)


def test_a_household_moved_to_another_commune_is_deleted_for_the_first_communes_devices(
        client, runner, dev):
    made = runner.invoke(args=["create-user", "mover", "--role", "collector", "--area", "31001",
                               "--area", "31002", "--password", "mover-pass-1"])
    assert made.exit_code == 0, made.output
    mover = Device.paired(client, "mover", "mover-pass-1")
    h = household("31001-1")
    mover.accepted([h])
    cursors = {name: dev(name).pull_all()[1] for name in ("col_a", "sup_a", "col_b", "sup_b")}
    mover.accepted([household("31002-1", id=h["id"], version=1)])
    for name in ("col_a", "sup_a"):
        [change] = dev(name).pull_all(cursors[name])[0]
        assert (change["id"], change["deleted"], change["data"]) == (h["id"], True, None), name
    for name in ("col_b", "sup_b"):
        [change] = dev(name).pull_all(cursors[name])[0]
        assert (change["id"], change["deleted"], change["version"]) == (h["id"], False, 2), name
        assert change["data"]["area"] == "31002-1"


def test_a_moved_record_is_not_deleted_for_a_caller_who_still_sees_it(dev):
    h = household("31001-1")
    dev("col_a").accepted([h])
    sup = dev("sup_a")
    _, cursor = sup.pull_all()
    dev("col_a").accepted([household("31001-2", id=h["id"], version=1)])
    changes, _ = sup.pull_all(cursor)
    assert [(c["id"], c["deleted"], c["version"]) for c in changes] == [(h["id"], False, 2)]


# == Server-owned fields on the demo city (reviews and referral statuses made on the server) ==

@pytest.fixture
def demo(app, client, runner):
    result = runner.invoke(args=["seed-demo", "--password", "demo-pass"])
    assert result.exit_code == 0, result.output

    def _pair(username):
        return Device.paired(client, username, "demo-pass")

    return _pair


def test_reviews_reach_the_collector_and_never_bump_the_version(demo):
    collector = demo("collector1")
    changes, _ = collector.pull_all()
    visits = [c for c in changes if c["type"] == "visit"]
    reviewed = [c for c in visits if c["server"]["review"]["status"] != "pending"]
    assert reviewed, "the demo city has reviewed visits"
    for change in visits:
        review = change["server"]["review"]
        assert set(review) == {"status", "note", "by", "at"}
        assert review["status"] in ("pending", "approved", "flagged")
        if review["status"] == "pending":
            assert review["by"] is None and review["at"] is None
        else:
            assert isinstance(review["by"], str) and _has_offset(review["at"])
    target = reviewed[0]
    assert target["version"] == 1
    edit = record("visit", dict(target["data"], note="Đã sửa sau khi duyệt"), id=target["id"],
                  version=target["version"])
    [result] = collector.push_ok([edit])
    assert (result["status"], result["version"]) == ("accepted", 2), result
    assert collector.latest()[target["id"]]["server"]["review"]["status"] == "pending"


def test_referral_status_and_assignee_reach_the_village_head(demo):
    head = demo("village1")
    referrals = [c for c in head.pull_all()[0] if c["type"] == "referral"]
    assert referrals
    for change in referrals:
        server = change["server"]
        assert {"status", "assigned_to"} <= set(server)  # and "dates", an extension (#11)
        assert server["status"] in ("new", "assigned", "visited", "enrolled", "closed")
        assert server["assigned_to"] is None or isinstance(server["assigned_to"], str)
    assert any(c["server"]["assigned_to"] for c in referrals)
    assert all(c["version"] == 1 for c in referrals)
    assert all(c["type"] in ("referral", "household") for c in head.pull_all()[0])


# == Odd inputs never answer 5xx ==============================================================

ODD = [
    {"type": "household", "version": 0, "data": None},
    {"type": "household", "version": 0, "data": []},
    {"type": "household", "version": 0, "data": "area=31001-1"},
    {"type": "household", "version": 0},
    {"type": "visit", "version": 0,
     "data": {"household": {"id": 1}, "visited_at": 5, "outcome": ["x"], "location": "here"}},
    {"type": "visit", "version": 0,
     "data": {"household": new_id(), "visited_at": "2026-11-25T09:30:00+99:00",
              "outcome": "not_home", "location": {"lat": "north", "lon": 1e300}}},
    {"type": "enrollment", "version": 0,
     "data": {"person": None, "scheme": "vsi", "amount_due": 1e308, "period_months": 10**30,
              "monthly_income": -10**20, "start_month": "9999-99"}},
    {"type": "person", "version": 10**30, "data": {}},
    {"type": "household", "version": 0, "client_time": "nonsense",
     "data": {"area": ["31001-1"], "address": "\u0000", "head_name": "\ud800"}},
]


@pytest.mark.parametrize("odd", ODD)
def test_odd_records_are_rejected_never_a_server_error(dev, odd):
    [result] = dev("col_a").push_ok([dict(odd, id=new_id())])
    assert result["status"] == "rejected"


# == No change skipped while others push (§4 "even while other devices push concurrently") ===
# Pinned by tests/api/test_feed_completeness.py: only from inside can the writers be made to
# hold their sequence numbers long enough for late commits to be common.
