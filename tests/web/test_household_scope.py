"""A supervisor opens households of their own communes only (403 elsewhere); issue #2."""
from tests.web import records


def test_supervisor_of_31001_cannot_open_a_household_of_31002(app, world, login_as):
    theirs = records.household(app, world.areas["31002-1"], "Lê Văn Cường")
    client = login_as("sup_a")
    assert client.get(f"/supervisor/households/{theirs}").status_code == 403


def test_supervisor_of_31001_opens_their_own_household(app, world, login_as):
    own = records.household(app, world.areas["31001-2"], "Nguyễn Văn An")
    client = login_as("sup_a")
    resp = client.get(f"/supervisor/households/{own}")
    assert resp.status_code == 200
    assert "Nguyễn Văn An" in resp.get_data(as_text=True)


def test_register_lists_only_households_in_scope(app, world, login_as):
    records.household(app, world.areas["31001-1"], "Nguyễn Văn An")
    records.household(app, world.areas["31002-1"], "Lê Văn Cường")
    page = login_as("sup_b").get("/supervisor/households").get_data(as_text=True)
    assert "Lê Văn Cường" in page
    assert "Nguyễn Văn An" not in page


def test_filtering_by_an_area_outside_scope_is_refused(app, world, login_as):
    client = login_as("sup_a")
    assert client.get("/supervisor/households?area=31002").status_code == 403
    assert client.get("/supervisor/households?area=31001-2").status_code == 200


def test_unknown_household_is_404(app, world, login_as):
    client = login_as("sup_a")
    assert client.get("/supervisor/households/6f1c0a52-1111-4e3a-9a59-0c5f0f7d2b10").status_code == 404
    assert client.get("/supervisor/households/not-a-uuid").status_code == 404


def test_admin_of_the_province_opens_households_of_every_commune(app, world, login_as):
    theirs = records.household(app, world.areas["31002-1"], "Lê Văn Cường")
    assert login_as("admin").get(f"/supervisor/households/{theirs}").status_code == 200
