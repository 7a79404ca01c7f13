"""The language switch sticks: across requests, through sign-in and sign-out, and on the
user, so their next browser opens in the language they chose (issue #2)."""
from fieldapp.extensions import db
from fieldapp.models import User
from tests.conftest import login


def lang_of(client, path="/login"):
    page = client.get(path).get_data(as_text=True)
    return page.split('<html lang="', 1)[1].split('"', 1)[0]


def test_vietnamese_by_default(client, world):
    assert lang_of(client) == "vi"
    assert "Đăng nhập" in client.get("/login").get_data(as_text=True)


def test_switch_sticks_across_requests_and_sign_in(app, client, world):
    resp = client.post("/lang/en", data={"next": "/login"})
    assert resp.status_code == 302 and resp.headers["Location"] == "/login"
    assert lang_of(client) == "en"
    assert login(client, "sup_a").status_code == 302
    assert lang_of(client, "/home") == "en"
    assert "Your areas" in client.get("/home").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, world.users["sup_a"]).locale == "en"


def test_choice_made_when_signed_in_is_kept_on_the_user(app, world, login_as):
    client = login_as("sup_a")
    client.post("/lang/en")
    with app.app_context():
        assert db.session.get(User, world.users["sup_a"]).locale == "en"
    other_browser = app.test_client()
    assert lang_of(other_browser) == "vi"
    login(other_browser, "sup_a")
    assert lang_of(other_browser, "/home") == "en"


def test_sign_out_keeps_the_language(world, login_as):
    client = login_as("sup_a")
    client.post("/lang/en")
    client.post("/logout")
    assert lang_of(client) == "en"


def test_switch_back_to_vietnamese(world, login_as):
    client = login_as("sup_a")
    client.post("/lang/en")
    client.post("/lang/vi")
    assert lang_of(client, "/home") == "vi"


def test_unknown_language_is_404_and_changes_nothing(client, world):
    assert client.post("/lang/fr").status_code == 404
    assert lang_of(client) == "vi"


def test_switch_never_redirects_to_another_site(client):
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:x"):
        resp = client.post("/lang/en", data={"next": target})
        assert resp.status_code == 302
        assert resp.headers["Location"] == "/", target


def test_sign_in_never_redirects_to_another_site(client, world):
    resp = client.post("/login?next=//evil.example/", data={"username": "sup_a", "password": "pw"})
    assert resp.headers["Location"] == "/home"
