"""The areas a report is asked for, in SQL (fieldapp/reports/area_list.py): one array on
PostgreSQL, a list on SQLite, the same rows either way."""
import pytest
from sqlalchemy import func, select

from fieldapp.extensions import db
from fieldapp.models import Area
from fieldapp.reports.area_list import areas_text, in_areas


@pytest.fixture
def ctx(app, world):
    with app.app_context():
        yield world
        db.session.rollback()


def test_in_areas_keeps_exactly_the_areas_asked_for(ctx):
    every = set(db.session.scalars(select(Area.id)))
    asked = sorted(every)[::2] + [10**6]  # every other area, and one that does not exist
    kept = set(db.session.scalars(select(Area.id).where(in_areas(Area.id, asked))))
    assert kept == every & set(asked) and 0 < len(kept) < len(every)
    others = set(db.session.scalars(select(Area.id).where(~in_areas(Area.id, asked))))
    assert others == every - set(asked)


def test_areas_text_binds_the_list(ctx):
    every = sorted(db.session.scalars(select(Area.id)))
    asked = every[:3]
    stmt = areas_text("SELECT COUNT(*) FROM areas a WHERE a.id IN :areas AND a.id > :floor")
    assert db.session.scalar(stmt, {"areas": asked, "floor": asked[0]}) == 2
    assert db.session.scalar(select(func.count()).where(in_areas(Area.id, []))) == 0
