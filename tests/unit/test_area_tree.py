"""The area tree is read once per process and read again only after areas change."""
from sqlalchemy import select

from fieldapp.extensions import db
from fieldapp.models import Area, Counter
from fieldapp.rules import areatree
from tests.api.conftest import make_token
from tests.records import household


def _reads(monkeypatch):
    calls = []
    real = areatree._read

    def counting():
        calls.append(1)
        return real()

    monkeypatch.setattr(areatree, "_read", counting)
    return calls


def _push(client, token, record):
    resp = client.post("/api/v1/sync/push", json={"protocol": 1, "records": [record]},
                       headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return resp.get_json()["results"][0]


def test_requests_reuse_the_tree_until_an_area_changes(app, client, world, monkeypatch):
    token = make_token(app, world.users["col_a"])
    reads = _reads(monkeypatch)
    for _ in range(3):
        assert _push(client, token, household())["status"] == "accepted"
    assert len(reads) == 1

    # A new village under the collector's commune: the next push may use it at once.
    with app.app_context():
        commune = db.session.get(Area, world.areas["31001"])
        db.session.add(Area(code="31001-3", name="Tổ dân phố 3", level="village", parent=commune))
        db.session.commit()
    assert _push(client, token, household(area="31001-3"))["status"] == "accepted"
    assert len(reads) == 2

    # A renamed code is seen too (an update, not only an insert, changes the stamp).
    with app.app_context():
        village = db.session.scalar(select(Area).where(Area.code == "31001-3"))
        village.code = "31001-9"
        db.session.commit()
    result = _push(client, token, household(area="31001-3"))
    assert result["status"] == "rejected" and "area" in result["errors"]
    assert _push(client, token, household(area="31001-9"))["status"] == "accepted"
    assert len(reads) == 3


def test_stamp_is_new_on_every_change(app, world):
    with app.app_context():
        first = db.session.scalar(select(Counter.value).where(Counter.name == areatree.STAMP))
        area = db.session.get(Area, world.areas["31001-1"])
        area.name = "Tổ dân phố Một"
        db.session.commit()
        second = db.session.scalar(select(Counter.value).where(Counter.name == areatree.STAMP))
    assert first is not None and second is not None and first != second


def test_without_a_stamp_the_tree_is_read_every_time(app, client, world, monkeypatch):
    with app.app_context():
        db.session.execute(Counter.__table__.delete().where(Counter.name == areatree.STAMP))
        db.session.commit()
    token = make_token(app, world.users["col_a"])
    reads = _reads(monkeypatch)
    for _ in range(2):
        assert _push(client, token, household())["status"] == "accepted"
    assert len(reads) == 2
