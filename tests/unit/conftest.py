"""Fixtures of the unit tests (the app, world and runner fixtures are tests/conftest.py's)."""
import pytest
from sqlalchemy import select

from fieldapp.extensions import db


@pytest.fixture
def places(app):
    """The areas of conftest's ``world`` and its organization, without the users (whose
    password hashing is most of that fixture's cost): {code: id}, plus "org" -> id."""
    from fieldapp.models import Area, Organization

    with app.app_context():
        prov = Area(code="31", name="Thành phố Hải Phòng", level="province")
        ca = Area(code="31001", name="Phường Hồng Bàng", level="commune", parent=prov)
        cb = Area(code="31002", name="Xã An Lão", level="commune", parent=prov)
        db.session.add_all([
            prov, ca, cb, Area(code="31001-1", name="Tổ dân phố 1", level="village", parent=ca),
            Area(code="31001-2", name="Tổ dân phố 2", level="village", parent=ca),
            Area(code="31002-1", name="Thôn Đông", level="village", parent=cb),
            Organization(code="BD31", name="Bưu điện Hải Phòng", kind="post_office", area=prov)])
        db.session.commit()
        ids = dict(db.session.execute(select(Area.code, Area.id)).all())
        ids["org"] = db.session.scalar(select(Organization.id))
        return ids


@pytest.fixture
def node_js():
    """The JS twins' tests need Node: skipped without it, failed under CI (missing_tool)."""
    import shutil

    from tests.conftest import missing_tool

    if shutil.which("node") is None:
        missing_tool("node is not installed (apt-get install nodejs, as make setup-dev does)")


@pytest.fixture(scope="module")
def sets(tmp_path_factory):
    """The published premium parameter sets, as the phone receives them, from a fresh schema."""
    from fieldapp.rules.policy import parameter_sets, seed_parameters
    from tests.conftest import make_app, reset_schema

    app = make_app(tmp_path_factory.mktemp("sets"))
    reset_schema(app)
    with app.app_context():
        seed_parameters()
        db.session.commit()
        out = parameter_sets()
        db.session.remove()
        db.engine.dispose()
    return out
