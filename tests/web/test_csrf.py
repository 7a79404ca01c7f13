"""With CSRF on (as in production), forms posted without their token are refused (400) and
change nothing (issue #2)."""
import re

import pytest

from fieldapp.extensions import db
from fieldapp.models import AuditEntry, User
from tests.conftest import build_world, make_app, reset_schema


@pytest.fixture
def csrf_app(tmp_path):
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True)
    reset_schema(app)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def token_from(page):
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)


def test_sign_in_without_token_is_refused(csrf_app):
    build_world(csrf_app)
    client = csrf_app.test_client()
    resp = client.post("/login", data={"username": "sup_a", "password": "pw"})
    assert resp.status_code == 400
    assert client.get("/home").status_code == 302  # not signed in


def test_sign_in_with_token_works(csrf_app):
    build_world(csrf_app)
    client = csrf_app.test_client()
    token = token_from(client.get("/login").get_data(as_text=True))
    resp = client.post("/login", data={"username": "sup_a", "password": "pw", "csrf_token": token})
    assert resp.status_code == 302
    assert client.get("/home").status_code == 200


def _signed_in(app, username):
    client = app.test_client()
    token = token_from(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"username": username, "password": "pw", "csrf_token": token})
    return client


def test_language_switch_without_token_is_refused(csrf_app):
    world = build_world(csrf_app)
    client = _signed_in(csrf_app, "sup_a")
    resp = client.post("/lang/en")
    assert resp.status_code == 400
    assert "Biểu mẫu đã hết hạn" in resp.get_data(as_text=True)
    assert '<html lang="vi">' in client.get("/home").get_data(as_text=True)
    with csrf_app.app_context():
        assert db.session.get(User, world.users["sup_a"]).locale is None


def test_language_switch_with_token_works(csrf_app):
    build_world(csrf_app)
    client = _signed_in(csrf_app, "sup_a")
    token = token_from(client.get("/home").get_data(as_text=True))
    assert client.post("/lang/en", data={"csrf_token": token}).status_code == 302
    assert '<html lang="en">' in client.get("/home").get_data(as_text=True)


def test_creating_a_user_without_token_is_refused(csrf_app):
    build_world(csrf_app)
    client = _signed_in(csrf_app, "admin")
    with csrf_app.app_context():
        entries = db.session.query(AuditEntry).count()
    resp = client.post("/admin/users/new", data={
        "username": "newbie", "full_name": "Người Mới", "role": "collector",
        "areas": "31001", "password": "long-enough"})
    assert resp.status_code == 400
    with csrf_app.app_context():
        assert db.session.query(User).filter_by(username="newbie").count() == 0
        assert db.session.query(AuditEntry).count() == entries


def test_sign_out_without_token_is_refused(csrf_app):
    build_world(csrf_app)
    client = _signed_in(csrf_app, "sup_a")
    assert client.post("/logout").status_code == 400
    assert client.get("/home").status_code == 200
