"""Every non-2xx answer under /api/ has the one JSON error shape, also 404 and 405."""
import pytest


@pytest.mark.parametrize("method, path, status, code", [
    ("get", "/api/v1/nothing-here", 404, "not_found"),
    ("get", "/api/v2/sync/pull", 404, "not_found"),
    ("get", "/api/v1/sync/push", 405, "method_not_allowed"),
    ("put", "/api/v1/sync/pull", 405, "method_not_allowed"),
    ("get", "/api/v1/devices", 405, "method_not_allowed"),
])
def test_json_404_and_405(client, method, path, status, code):
    resp = getattr(client, method)(path)
    assert resp.status_code == status
    assert resp.mimetype == "application/json"
    body = resp.get_json()
    assert body["error"]["code"] == code and body["error"]["message"]


def test_405_says_which_methods_are_allowed(client):
    resp = client.get("/api/v1/sync/push")
    assert "POST" in resp.headers["Allow"]
