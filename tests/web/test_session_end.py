"""Signing out and a password reset end the user's web sessions, copies of the cookie
included; a session unused for FIELDAPP_SESSION_IDLE_HOURS is refused (issue #9, point 2).

The session cookie is signed, not stored on the server: before, only Flask-Login's
User-Agent check stood between a copied cookie and the account, after sign-out too.
"""
import time

from fieldapp.extensions import db
from fieldapp.models import User
from tests.api.conftest import make_token
from tests.conftest import login
from tests.device import Device


def _signed_in(app, username):
    client = app.test_client()
    assert login(client, username).status_code == 302
    assert client.get("/home").status_code == 200
    return client


def _copy(app, client):
    """A second browser holding a copy of ``client``'s session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def _refused(resp):
    return resp.status_code == 302 and "/login" in resp.headers["Location"]


def test_a_copied_cookie_works_while_signed_in_and_fails_after_sign_out(app, world):
    client = _signed_in(app, "sup_a")
    thief = _copy(app, client)
    assert thief.get("/home").status_code == 200  # a copy is as good as the original...
    assert client.post("/logout").status_code == 302
    assert _refused(thief.get("/home"))  # ...until sign-out
    assert _refused(thief.get("/supervisor/"))
    assert _refused(client.get("/home"))


def test_sign_out_ends_the_users_other_browsers_too(app, world):
    office, laptop = _signed_in(app, "sup_a"), _signed_in(app, "sup_a")
    other_user = _signed_in(app, "sup_b")
    office.post("/logout")
    assert _refused(laptop.get("/home"))
    assert other_user.get("/home").status_code == 200


def test_sign_in_again_after_sign_out_works(app, world):
    client = _signed_in(app, "sup_a")
    client.post("/logout")
    assert login(client, "sup_a").status_code == 302
    assert client.get("/home").status_code == 200


def test_a_web_sign_out_leaves_the_users_devices_paired(app, world, client):
    device = Device(client, make_token(app, world.users["col_a"]))
    web = _signed_in(app, "col_a")
    web.post("/logout")
    assert device.bootstrap().status_code == 200


def test_a_password_reset_ends_the_users_sessions(app, world):
    victim = _signed_in(app, "col_a")
    thief = _copy(app, victim)
    admin = _signed_in(app, "admin")
    resp = admin.post(f"/admin/users/{world.users['col_a']}/password",
                      data={"password": "mat-khau-moi-123"})
    assert resp.status_code == 302
    assert _refused(thief.get("/home"))
    assert _refused(victim.get("/home"))
    assert admin.get("/home").status_code == 200  # the admin's own session is not touched
    assert login(app.test_client(), "col_a", "mat-khau-moi-123").status_code == 302


def test_an_admin_resetting_their_own_password_stays_signed_in_here_only(app, world):
    here, elsewhere = _signed_in(app, "admin"), _signed_in(app, "admin")
    resp = here.post(f"/admin/users/{world.users['admin']}/password",
                     data={"password": "mat-khau-moi-123"})
    assert resp.status_code == 302
    assert here.get("/home").status_code == 200
    assert _refused(elsewhere.get("/home"))


def test_a_password_reset_leaves_devices_paired(app, world, client):
    device = Device(client, make_token(app, world.users["col_a"]))
    admin = _signed_in(app, "admin")
    admin.post(f"/admin/users/{world.users['col_a']}/password",
               data={"password": "mat-khau-moi-123"})
    assert device.bootstrap().status_code == 200


def _age(client, seconds):
    with client.session_transaction() as sess:
        sess["seen"] = int(time.time()) - seconds


def test_a_session_unused_for_eight_hours_is_refused(app, world):
    assert app.config["SESSION_IDLE_HOURS"] == 8
    client = _signed_in(app, "sup_a")
    _age(client, 8 * 3600 + 60)
    resp = client.get("/supervisor/")
    assert _refused(resp)
    assert "next=" in resp.headers["Location"]
    assert login(client, "sup_a").status_code == 302  # signing in again works
    assert client.get("/home").status_code == 200


def test_a_session_used_within_the_limit_stays_and_is_kept_alive(app, world):
    client = _signed_in(app, "sup_a")
    _age(client, 7 * 3600)
    assert client.get("/home").status_code == 200  # used now: the clock starts again
    with client.session_transaction() as sess:
        assert int(time.time()) - sess["seen"] < 60


def test_the_idle_limit_is_configurable(tmp_path, monkeypatch):
    from tests.conftest import build_world, make_app, reset_schema

    monkeypatch.setenv("FIELDAPP_SESSION_IDLE_HOURS", "1")
    app = make_app(tmp_path)
    reset_schema(app)
    build_world(app)
    try:
        client = _signed_in(app, "sup_a")
        _age(client, 3600 + 60)
        assert _refused(client.get("/home"))
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_a_deactivated_user_is_refused_at_once(app, world):
    client = _signed_in(app, "sup_a")
    with app.app_context():
        db.session.get(User, world.users["sup_a"]).active = False
        db.session.commit()
    assert _refused(client.get("/home"))
