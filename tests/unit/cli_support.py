"""Helpers for the command-line tests: CSV files on disk, the sample files, counting rows."""
from pathlib import Path

import pytest

from sqlalchemy import func, select

from fieldapp.extensions import db

SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "samples"


def write_csv(tmp_path, name, text, bom=False, encoding="utf-8"):
    """Write ``text`` (lines joined by newlines) as the file ``name``; returns its path."""
    path = tmp_path / name
    data = text.encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def count(app, model, *where):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def invoke(app, *args, **kwargs):
    """Run a flask command in-process; returns click's Result (output has stdout + stderr)."""
    return app.test_cli_runner().invoke(args=[str(a) for a in args], **kwargs)


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
