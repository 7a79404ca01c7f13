"""One bad record never rejects its batch: the others are stored."""
from fieldapp.extensions import db
from fieldapp.models import Household, Person
from tests.api.conftest import household, person


def test_one_invalid_record_stores_the_rest(app, api):
    good1, bad, good2 = household(), household(area=""), household(head_name="Lê Thị Hoa")
    p = person(good1["id"])
    results = api("col_a").push_ok([good1, bad, good2, p])
    assert [r["status"] for r in results] == ["accepted", "rejected", "accepted", "accepted"]
    assert "area" in results[1]["errors"]
    with app.app_context():
        assert db.session.get(Household, good1["id"]) is not None
        assert db.session.get(Household, good2["id"]).head_name == "Lê Thị Hoa"
        assert db.session.get(Household, bad["id"]) is None
        assert db.session.get(Person, p["id"]).household_id == good1["id"]
