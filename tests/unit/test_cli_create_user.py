"""`create-user` adds a user by the admin form's rules and says clearly what is wrong (#2)."""
import pytest
from sqlalchemy import select

from fieldapp.extensions import db
from fieldapp.models import AuditEntry, User
from tests.unit.cli_support import count, invoke


def test_create_user_with_areas_and_password(app, world):
    result = invoke(app, "create-user", "lan", "--role", "collector", "--area", "31001",
                    "--area", "31002", "--password", "s3cret-pass", "--full-name",
                    "Nguyễn Thị Lan", "--phone", "0912 345 678", "--organization", "BD31")
    assert result.exit_code == 0, result.output
    assert "Created collector lan" in result.output
    with app.app_context():
        user = db.session.scalars(select(User).where(User.username == "lan")).one()
        assert user.check_password("s3cret-pass")
        assert sorted(a.code for a in user.areas) == ["31001", "31002"]
        assert (user.full_name, user.phone, user.organization_id) == (
            "Nguyễn Thị Lan", "0912345678", world.org_id)
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.entity == "user")).one()
        assert entry.action == "create" and entry.entity_id == str(user.id)
        assert "password_hash" not in entry.after


def test_create_user_prompts_for_the_password_twice(app, world):
    result = invoke(app, "create-user", "root2", "--role", "admin",
                    input="first-try-1\nmismatch-2\nlong-enough-pw\nlong-enough-pw\n")
    assert result.exit_code == 0, result.output
    assert "do not match" in result.output
    assert "long-enough-pw" not in result.output  # hidden input is never echoed
    with app.app_context():
        user = db.session.scalars(select(User).where(User.username == "root2")).one()
        assert user.check_password("long-enough-pw") and user.full_name == "root2"


@pytest.mark.parametrize("args, message", [
    (["x1", "--role", "boss", "--area", "31001"], "'boss' is not one of"),
    (["x1", "--role", "collector", "--area", "99999"], "Unknown area code: 99999"),
    (["col_a", "--role", "collector", "--area", "31001"], "already taken"),
    (["x1", "--role", "collector", "--area", "31001", "--password", "short"], "password"),
    (["x1", "--role", "collector"], "at least one area"),
    (["x1", "--role", "village_head", "--area", "31001"], "villages only"),
    (["Bad Name!", "--role", "collector", "--area", "31001"], "username"),
    (["x1", "--role", "collector", "--area", "31001", "--organization", "NOPE"],
     "no organization has the code NOPE"),
    (["x1", "--role", "collector", "--area", "31001", "--phone", "12345"], "phone"),
])
def test_create_user_refuses_bad_input(app, world, args, message):
    if "--password" not in args:
        args = args + ["--password", "a-good-password"]
    before = count(app, User)
    result = invoke(app, "create-user", *args)
    assert result.exit_code != 0
    assert message in result.output
    assert count(app, User) == before
