"""Personal data stays out of logs and other users' reach (issue #9, point 7): database errors
carry no values, the SQLite database and the analyst's export are created mode 0600, and
every export is audited."""
import logging
import os
import sqlite3
import stat

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from fieldapp.extensions import db
from fieldapp.models import AuditEntry, Household
from tests.conftest import make_app
from tests.unit.cli_support import count, invoke

PID = "001080012345"
NAME = "Nguyễn Văn Bí Mật"


@pytest.fixture
def loose_umask():
    old = os.umask(0o022)  # the usual default: files world-readable unless made otherwise
    yield
    os.umask(old)


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_database_error_carries_no_values(app, caplog):
    with app.app_context():
        insert = text("INSERT INTO areas (id, code, name, level) VALUES (:id, :code, :name, 'village')")
        db.session.execute(insert, {"id": 1, "code": PID, "name": NAME})
        with pytest.raises(IntegrityError) as caught:
            db.session.execute(insert, {"id": 2, "code": PID, "name": NAME})
        db.session.rollback()
        logging.getLogger("fieldapp.test").exception("database error", exc_info=caught.value)
    message = str(caught.value) + caplog.text
    assert "INSERT INTO areas" in message
    assert PID not in message and NAME not in message


def test_init_db_creates_the_sqlite_file_for_its_owner_only(tmp_path, loose_umask):
    path = tmp_path / "instance" / "fieldapp.db"
    app = make_app(tmp_path, SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}")
    result = invoke(app, "init-db")
    assert result.exit_code == 0, result.output
    with app.app_context():  # a write leaves the WAL and shared-memory files beside it
        db.session.execute(text("INSERT INTO areas (code, name, level) VALUES ('01', 'HN', 'province')"))
        db.session.commit()
        companions = [p for p in (f"{path}-wal", f"{path}-shm") if os.path.exists(p)]
        assert companions
        for file in (path, *companions):
            assert mode(file) == 0o600, file
        db.engine.dispose()


def test_a_relative_database_path_is_made_private_in_the_instance_folder(tmp_path, loose_umask):
    from fieldapp.db.engine import private_sqlite_file

    path = private_sqlite_file("sqlite:///data/fieldapp.db", tmp_path)
    assert path == tmp_path / "data" / "fieldapp.db"
    assert mode(path) == 0o600
    assert private_sqlite_file("sqlite://", tmp_path) is None  # in memory: no file
    assert private_sqlite_file("postgresql+psycopg://u@h/db", tmp_path) is None


def test_an_existing_database_file_keeps_its_mode(tmp_path, loose_umask):
    path = tmp_path / "old.db"
    sqlite3.connect(path).close()
    os.chmod(path, 0o640)
    make_app(tmp_path, SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}")
    assert mode(path) == 0o640


def test_the_export_is_private_and_audited(app, tmp_path, loose_umask):
    assert invoke(app, "seed-demo").exit_code == 0
    out = tmp_path / "export.db"
    out.write_bytes(b"")
    os.chmod(out, 0o644)
    result = invoke(app, "export-sqlite", out, "--force")
    assert result.exit_code == 0, result.output
    assert mode(out) == 0o600
    assert not list(tmp_path.glob(".export.db.*"))
    with app.app_context():
        [entry] = db.session.scalars(select(AuditEntry).filter_by(entity="export")).all()
    assert entry.action == "export" and entry.entity_id == "export.db"
    assert entry.after["file"] == str(out.resolve())
    assert entry.after["rows"]["households"] == count(app, Household) > 0
    assert entry.after["system_user"]
    assert entry.at is not None and entry.area_id is None  # read by national admins only
