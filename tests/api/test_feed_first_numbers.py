"""The change feed's first numbers start at 1 on an empty database (no block lost on PostgreSQL)."""
from fieldapp.extensions import db
from fieldapp.syncserver import feed


def test_first_block_starts_at_one(app):
    with app.app_context():
        with db.engine.begin() as conn:
            first = feed.take_seqs(conn, 5)
        with db.engine.begin() as conn:
            second = feed.take_seqs(conn, 3)
    assert (first, second) == (1, 6)
