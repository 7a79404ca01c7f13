"""Web sign-ins, successful and failed, are in the audit log: whose account (or the username
tried), from which address, when (issue #9, point 3)."""
from sqlalchemy import select

from fieldapp.extensions import db
from fieldapp.models import AuditEntry, User
from fieldapp.models.base import utcnow
from tests.conftest import login


def _sign_ins(app):
    with app.app_context():
        rows = db.session.scalars(select(AuditEntry).where(AuditEntry.action.like("sign_in%"))
                                  .order_by(AuditEntry.id)).all()
        return [(r.action, r.entity, r.entity_id, r.user_id, r.after, r.at) for r in rows]


def test_a_successful_sign_in_is_audited(app, client, world):
    before = utcnow()
    assert login(client, "SUP_A ").status_code == 302
    [(action, entity, entity_id, user_id, after, at)] = _sign_ins(app)
    assert (action, entity, entity_id, user_id) == ("sign_in", "sign_in", str(world.users["sup_a"]),
                                                    world.users["sup_a"])
    assert after == {"username": "SUP_A", "address": "127.0.0.1", "via": "web"}
    assert before <= at <= utcnow()


def test_a_wrong_password_is_audited_against_the_account(app, client, world):
    assert login(client, "sup_a", "wrong").status_code == 401
    [(action, entity, entity_id, user_id, after, _at)] = _sign_ins(app)
    assert (action, entity, entity_id, user_id) == ("sign_in_failed", "sign_in",
                                                    str(world.users["sup_a"]), world.users["sup_a"])
    assert after == {"username": "sup_a", "address": "127.0.0.1", "via": "web"}


def test_an_unknown_username_is_audited_with_the_name_tried(app, client, world):
    assert login(client, "no.such.user", "pw").status_code == 401
    [(action, entity, entity_id, user_id, after, _at)] = _sign_ins(app)
    assert (action, entity_id, user_id) == ("sign_in_failed", "no.such.user", None)
    assert after["username"] == "no.such.user" and after["address"] == "127.0.0.1"


def test_a_deactivated_account_is_audited_as_failed(app, client, world):
    with app.app_context():
        db.session.get(User, world.users["col_b"]).active = False
        db.session.commit()
    assert login(client, "col_b", "pw").status_code == 401
    assert [row[0] for row in _sign_ins(app)] == ["sign_in_failed"]


def test_sign_ins_show_in_the_audit_page(app, client, world, login_as):
    login(app.test_client(), "sup_a", "wrong")
    admin = login_as("admin")
    page = admin.get("/admin/audit?entity=sign_in").get_data(as_text=True)
    assert "Đăng nhập không thành công" in page
    assert "127.0.0.1" in page


def test_the_audit_page_links_a_sign_in_to_its_account_only(app, client, world, login_as):
    login(app.test_client(), str(world.users["col_b"]), "pw")  # a username that looks like an id
    login(app.test_client(), "col_a", "wrong")
    page = login_as("admin").get("/admin/audit?entity=sign_in").get_data(as_text=True)
    assert f'href="/admin/users/{world.users["col_a"]}"' in page
    assert f'href="/admin/users/{world.users["col_b"]}"' not in page
