"""The household register: search without diacritics, by address or phone, filter by area,
pages; one household with members, visits and sign-ups (issue #2)."""
from datetime import UTC, datetime

import pytest

from tests.web import records


@pytest.fixture
def register(app, world):
    a = records.household(app, world.areas["31001-1"], "Nguyễn Văn Đức", address="Số 12, ngõ Hoà Bình",
                          phone="0912345678")
    b = records.household(app, world.areas["31001-2"], "Trần Thị Bình", address="Tổ 2, phố Lạch Tray",
                          phone="0243826111")
    c = records.household(app, world.areas["31002-1"], "Nguyễn Văn Đông", address="Thôn Đông")
    return {"duc": a, "binh": b, "dong": c}


def names(client, query):
    page = client.get(f"/supervisor/households?{query}").get_data(as_text=True)
    return {n for n in ("Nguyễn Văn Đức", "Trần Thị Bình", "Nguyễn Văn Đông") if n in page}


@pytest.mark.parametrize("query,expected", [
    ("q=nguyen+van+duc", {"Nguyễn Văn Đức"}),
    ("q=NGUYEN", {"Nguyễn Văn Đức"}),             # sup_a does not see 31002
    ("q=Đức", {"Nguyễn Văn Đức"}),
    ("q=tran+thi", {"Trần Thị Bình"}),
    ("q=lach+tray", {"Trần Thị Bình"}),           # address, folded
    ("q=ngõ", {"Nguyễn Văn Đức"}),
    ("q=0912+345+678", {"Nguyễn Văn Đức"}),
    ("q=%2B84912345678", {"Nguyễn Văn Đức"}),
    ("q=3826", {"Trần Thị Bình"}),
    ("q=100%25", set()),                          # a LIKE wildcard is searched for literally
    ("q=_", set()),
    ("area=31001-2", {"Trần Thị Bình"}),
    ("area=31001", {"Nguyễn Văn Đức", "Trần Thị Bình"}),
    ("area=31001-1&q=binh", {"Nguyễn Văn Đức"}),  # "Hoà Bình" in the address
    ("area=31001-1&q=tran", set()),
    ("", {"Nguyễn Văn Đức", "Trần Thị Bình"}),
])
def test_search_and_filter(register, login_as, query, expected):
    assert names(login_as("sup_a"), query) == expected


def test_pages(app, world, login_as):
    for n in range(55):
        records.household(app, world.areas["31001-1"], f"Hộ số {n:03d}")
    client = login_as("sup_a")
    first = client.get("/supervisor/households").get_data(as_text=True)
    assert "Hộ số 000" in first and "Hộ số 049" in first and "Hộ số 050" not in first
    assert "Trang 1 / 2" in first
    second = client.get("/supervisor/households?page=2").get_data(as_text=True)
    assert "Hộ số 050" in second and "Hộ số 054" in second and "Hộ số 000" not in second
    beyond = client.get("/supervisor/households?page=99").get_data(as_text=True)
    assert "Trang 2 / 2" in beyond


def test_household_page_shows_members_visits_and_sign_ups(app, world, register, login_as):
    head = records.person(app, register["duc"], "Nguyễn Văn Đức", personal_id="031090001234")
    records.person(app, register["duc"], "Lê Thị Hoa", relation="spouse")
    records.visit(app, register["duc"], datetime(2026, 11, 20, 2, 30, tzinfo=UTC),
                  world.users["col_a"])
    records.enrollment(app, head, datetime(2026, 11, 20, 3, 0, tzinfo=UTC),
                       world.users["col_a"])
    page = login_as("sup_a").get(f"/supervisor/households/{register['duc']}").get_data(as_text=True)
    assert "Lê Thị Hoa" in page
    assert "20/11/2026 09:30" in page           # visit time in Vietnam
    assert "COL_A" in page                      # who visited
    assert "792.000 ₫" in page                  # amount due
    assert "11/2026" in page                    # start month


def test_personal_id_is_masked_for_supervisors_and_shown_to_admins(app, world, register, login_as):
    records.person(app, register["duc"], "Nguyễn Văn Đức", personal_id="031090001234",
                   si_code="3112345678")
    url = f"/supervisor/households/{register['duc']}"
    supervisor_page = login_as("sup_a").get(url).get_data(as_text=True)
    assert "••••••••1234" in supervisor_page
    assert "031090001234" not in supervisor_page
    assert "3112345678" not in supervisor_page
    admin = app.test_client()
    admin.post("/login", data={"username": "admin", "password": "pw"})
    assert "031090001234" in admin.get(url).get_data(as_text=True)
