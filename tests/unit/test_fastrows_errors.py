"""fastrows' COPY (several new rows on PostgreSQL) fails the way any statement does: a
SQLAlchemy ``DBAPIError`` carrying the driver's error, which the sync push classifies for a
retry (syncserver/service.py); the rows themselves (personal data) stay out of the message."""
import uuid

import pytest
from sqlalchemy.exc import IntegrityError

from fieldapp.db.fastrows import insert_rows
from fieldapp.extensions import db
from fieldapp.models import AuditEntry
from fieldapp.models.base import utcnow


def test_a_unique_violation_in_a_copy_is_an_integrity_error_with_its_sqlstate(app):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("PostgreSQL only: several rows go by COPY there")
        secret = "Nguyễn Bí Mật 001080012345"
        rows = [{"id": n, "action": "create", "entity": "person", "entity_id": str(uuid.uuid4()),
                 "before": None, "after": {"full_name": secret}, "user_id": None, "at": utcnow()}
                for n in (1, 2)]
        conn = db.session.connection()
        insert_rows(conn, AuditEntry.__table__, rows)
        with pytest.raises(IntegrityError) as caught:
            insert_rows(conn, AuditEntry.__table__, rows)
        db.session.rollback()
    assert caught.value.orig.sqlstate == "23505"
    assert "COPY" in str(caught.value) and secret not in str(caught.value)
