"""Error pages 403, 404, 429 and 500 in Vietnamese (default) and English; the JSON error shape
of docs/protocol.md under /api/ (issue #2)."""
import pytest
from flask import abort

PAGES = {
    403: ("Không có quyền truy cập", "Access denied"),
    404: ("Không tìm thấy trang", "Page not found"),
    429: ("Quá nhiều lần thử", "Too many attempts"),
    500: ("Lỗi máy chủ", "Server error"),
}


@pytest.fixture
def failing_app(app):
    """The app with pages that fail on purpose (added before its first request)."""
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def boom():
        raise RuntimeError("a bug")

    app.add_url_rule("/test/boom", "test_boom", boom)
    app.add_url_rule("/test/abort/<int:code>", "test_abort", lambda code: abort(code))
    app.add_url_rule("/api/test-only", "test_api_get", lambda: {"ok": True})
    app.add_url_rule("/api/test-boom", "test_api_boom", boom)
    return app


def _url(status):
    return "/test/boom" if status == 500 else f"/test/abort/{status}"


def test_404_is_in_vietnamese_by_default(client):
    resp = client.get("/no-such-page")
    assert resp.status_code == 404
    page = resp.get_data(as_text=True)
    assert '<html lang="vi">' in page
    assert "Không tìm thấy trang" in page
    assert "Về trang chủ" in page


def test_404_is_in_english_after_the_switch(client):
    assert client.post("/lang/en", data={"next": "/login"}).status_code == 302
    resp = client.get("/no-such-page")
    assert resp.status_code == 404
    page = resp.get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Page not found" in page
    assert "The page or record was not found." in page


@pytest.mark.parametrize("status", sorted(PAGES))
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_error_pages_in_both_languages(failing_app, status, lang):
    client = failing_app.test_client()
    client.post(f"/lang/{lang}")
    resp = client.get(_url(status))
    assert resp.status_code == status
    assert resp.mimetype == "text/html"
    page = resp.get_data(as_text=True)
    vi, en = PAGES[status]
    assert (vi if lang == "vi" else en) in page
    assert (en if lang == "vi" else vi) not in page
    assert "Traceback" not in page and "a bug" not in page
    if status == 429:
        assert int(resp.headers["Retry-After"]) > 0


def test_api_404_answers_the_json_shape(client):
    resp = client.get("/api/v1/no-such-thing")
    assert resp.status_code == 404
    assert resp.get_json() == {"error": {"code": "not_found",
                                         "message": "Không tìm thấy trang hoặc bản ghi."}}


def test_api_405_answers_the_json_shape_with_allow(failing_app):
    resp = failing_app.test_client().post("/api/test-only", json={})
    assert resp.status_code == 405
    body = resp.get_json()
    assert body["error"]["code"] == "method_not_allowed"
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert "GET" in resp.headers["Allow"]


def test_api_500_answers_json_without_details(failing_app):
    resp = failing_app.test_client().get("/api/test-boom")
    assert resp.status_code == 500
    assert resp.get_json()["error"]["code"] == "server_error"
    assert "a bug" not in resp.get_data(as_text=True)


def test_api_message_follows_the_language_header(client):
    resp = client.get("/api/v1/no-such-thing", headers={"X-Fieldapp-Lang": "en"})
    assert resp.get_json()["error"]["message"] == "The page or record was not found."
