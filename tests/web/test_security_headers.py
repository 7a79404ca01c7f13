"""The Content-Security-Policy (no inline script or style) and the other security headers are
on every answer: HTML pages, error pages and JSON (issue #2)."""
import pytest

from tests.web import records


def _csp(resp):
    policy = resp.headers.get("Content-Security-Policy", "")
    directives = dict((d.strip().split(" ", 1) + [""])[:2] for d in policy.split(";") if d.strip())
    return directives


def assert_strict(resp):
    csp = _csp(resp)
    assert csp.get("script-src") == "'self'"
    assert csp.get("style-src") == "'self'"
    assert csp.get("default-src") == "'self'"
    assert csp.get("frame-ancestors") == "'none'"
    assert "unsafe-inline" not in resp.headers["Content-Security-Policy"]
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("path", ["/login", "/no-such-page"])
def test_html_for_visitors(client, path):
    resp = client.get(path)
    assert resp.mimetype == "text/html"
    assert_strict(resp)


def test_html_pages_when_signed_in(app, world, login_as):
    hid = records.household(app, world.areas["31001-1"], "Nguyễn Văn An")
    client = login_as("admin")
    for path in ("/home", "/supervisor/", f"/supervisor/households/{hid}", "/admin/users"):
        resp = client.get(path)
        assert resp.status_code == 200
        assert_strict(resp)


@pytest.mark.parametrize("path", ["/api/v1/no-such-thing", "/api/"])
def test_json_errors(client, path):
    resp = client.get(path)
    assert resp.mimetype == "application/json"
    assert_strict(resp)


def test_session_cookie_is_httponly_and_samesite(client, world):
    resp = client.post("/login", data={"username": "sup_a", "password": "pw"})
    cookie = resp.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_secure_cookie_behind_https(tmp_path, monkeypatch):
    from tests.conftest import make_app

    monkeypatch.setenv("SESSION_COOKIE_SECURE", "1")
    app = make_app(tmp_path)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    resp = app.test_client().get("/login")
    assert resp.headers["Strict-Transport-Security"].startswith("max-age=")


def test_desk_pages_and_api_answers_are_not_stored(app, world, login_as, client):
    """Pages and sync answers hold personal data: no browser or proxy may keep them (#9)."""
    from tests.api.conftest import make_token
    from tests.device import Device

    hid = records.household(app, world.areas["31001-1"], "Nguyễn Văn An")
    device = Device(app.test_client(), make_token(app, world.users["col_a"]))
    answers = [client.get("/login"), device.bootstrap(), device.pull(),
               app.test_client().get("/api/v1/bootstrap")]  # 401 too
    admin = login_as("admin")
    answers += [admin.get(p) for p in ("/home", "/supervisor/", f"/supervisor/households/{hid}",
                                       "/admin/users", "/admin/audit", "/no-such-page")]
    for resp in answers:
        assert resp.headers.get("Cache-Control") == "no-store", (resp.request.path, resp.status)


def test_static_files_and_the_app_shell_keep_their_own_caching(client):
    """The app shell and service worker must stay cacheable for offline use."""
    for path in ("/app/", "/sw.js", "/app/i18n/vi.json", "/app/forms/vi.html"):
        resp = client.get(path)
        assert resp.status_code == 200, path
        assert "no-store" not in resp.headers.get("Cache-Control", ""), path
        assert "no-cache" in resp.headers["Cache-Control"], path
    static = client.get("/static/sw.js")
    assert static.status_code == 200
    assert "no-store" not in static.headers.get("Cache-Control", "")
