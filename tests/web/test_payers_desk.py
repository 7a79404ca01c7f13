"""*Đến hạn / dừng đóng* (#15): the desk lists, the XLSX equal to the page, and follow-up
tasks made in one click, pulled by the collectors of the area only, done on the phone."""
import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook

from fieldapp.extensions import db
from fieldapp.models import Task, Visit
from tests import payers_data as D
from tests.device import Device

DAY = "2026-12-07"


@pytest.fixture
def three_due(app, world):
    """Three VSI payers in 31001 who paid Sep-Feb and signed up for Mar-Aug (6 months) without
    paying yet; one paying payer; one due payer in 31002 (outside sup_a's and col_a's areas)."""
    with app.app_context():
        due = []
        for village, name in (("31001-1", "An"), ("31001-2", "Bình"), ("31001-1", "Cường")):
            hid = D.household(world, village, head=f"Chủ hộ {name}")
            pid = D.person(world, hid, name=f"Nguyễn Văn {name}", village=village)
            D.enrollment(world, pid, "2025-09", 3, village=village, paid_on=date(2025, 9, 5))
            D.enrollment(world, pid, "2025-12", 3, village=village, kind="renewed",
                         paid_on=date(2025, 12, 3))
            D.enrollment(world, pid, "2026-03", 6, village=village, kind="renewed", paid=False)
            due.append(pid)
        _h, paying, _e = D.vsi_payer(world, "2026-11", 12)
        hid = D.household(world, "31002-1")
        D.enrollment(world, D.person(world, hid, name="Trần Văn Xa", village="31002-1"),
                     "2026-03", 6, village="31002-1", collector="col_b", paid=False)
        db.session.commit()
        return due


def _names(html):
    """The payers' names in the table, in order."""
    body = html.split("<tbody>", 1)[1] if "<tbody>" in html else ""
    return re.findall(r"<strong>([^<]+)</strong>", body)


def test_the_due_list_shows_due_payers_in_scope_with_their_amounts(login_as, three_due):
    # Sep-Feb paid, Mar-Aug (6 months) signed up unpaid: due from March to the end of June.
    client = login_as("sup_a")
    html = client.get("/supervisor/payers?list=due&day=2026-04-15&sort=name").get_data(True)
    assert _names(html) == ["Nguyễn Văn An", "Nguyễn Văn Bình", "Nguyễn Văn Cường"]
    assert "1.584.000 ₫" in html and "30/06/2026" in html and "03/12/2025" in html
    # After the 4-month window: lapsed this month (July), no longer due.
    html = client.get("/supervisor/payers?list=due&day=2026-07-01").get_data(True)
    assert _names(html) == []
    html = client.get("/supervisor/payers?list=lapsed_month&day=2026-07-01").get_data(True)
    assert len(_names(html)) == 3


def test_filters_by_area_and_collector(login_as, three_due):
    client = login_as("sup_a")
    html = client.get("/supervisor/payers?list=due&day=2026-04-15&area=31001-2").get_data(True)
    assert _names(html) == ["Nguyễn Văn Bình"]
    html = client.get("/supervisor/payers?list=due&day=2026-04-15&collector=col_a2").get_data(True)
    assert _names(html) == []
    assert client.get("/supervisor/payers?area=31002").status_code == 403


def test_the_xlsx_equals_the_page(login_as, three_due):
    client = login_as("sup_a")
    query = "list=due&day=2026-04-15&sort=name"
    html = client.get(f"/supervisor/payers?{query}").get_data(True)
    resp = client.get(f"/supervisor/payers?{query}&format=xlsx")
    assert resp.status_code == 200
    sheet = load_workbook(io.BytesIO(resp.data)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == _names(html)
    assert [r[7] for r in rows] == [1584000] * 3
    assert {r[8].date() for r in rows} == {date(2026, 6, 30)}


def test_lapsed_earlier_lists_only_those_not_visited_since(app, world, login_as, three_due):
    client = login_as("sup_a")
    url = "/supervisor/payers?list=lapsed_earlier&day=2026-09-10"
    assert len(_names(client.get(url).get_data(True))) == 3
    with app.app_context():
        from fieldapp.models import Person
        household = db.session.get(Person, three_due[0]).household_id
        db.session.add(Visit(id="0" * 8 + "-0000-4000-8000-" + "0" * 12, household_id=household,
                             area_id=world.areas["31001-1"], visited_at=_at("2026-08-20"),
                             outcome="not_home", created_by_id=world.users["col_a"]))
        db.session.commit()
    assert _names(client.get(url).get_data(True)) == ["Nguyễn Văn Bình", "Nguyễn Văn Cường"]


def _at(day):
    from datetime import UTC, datetime
    return datetime.fromisoformat(day + "T03:00:00").replace(tzinfo=UTC)


def test_one_click_tasks_pulled_by_the_right_collectors_and_done_on_the_phone(
        app, client, world, three_due):
    col_a, col_b = Device.paired(client, "col_a"), Device.paired(client, "col_b")
    _all, cursor_a = col_a.pull_all()
    _all, cursor_b = col_b.pull_all()
    desk = app.test_client()
    from tests.conftest import login
    login(desk, "sup_a")
    query = "list=due&day=2026-04-15"
    resp = desk.post(f"/supervisor/payers/tasks?{query}", data={"all": "1", "note": "Nhắc đóng"})
    assert resp.status_code == 302
    with app.app_context():
        assert db.session.query(Task).count() == 3
    # A second click makes no duplicates.
    desk.post(f"/supervisor/payers/tasks?{query}", data={"all": "1"})
    with app.app_context():
        assert db.session.query(Task).count() == 3
    assert desk.get(f"/supervisor/payers?{query}").get_data(True).count('data-task="open"') == 3

    tasks = [c for c in col_a.latest(cursor_a).values() if c["type"] == "task"]
    assert len(tasks) == 3
    assert {t["data"]["amount"] for t in tasks} == {1584000}
    assert {t["data"]["due_on"] for t in tasks} == {"2026-06-30"}
    assert {t["data"]["kind"] for t in tasks} == {"payment_due"}
    assert not [c for c in col_b.latest(cursor_b).values() if c["type"] == "task"]

    # Done on the phone: only "done" may change.
    task = tasks[0]
    bad = {"id": task["id"], "type": "task", "version": task["version"],
           "data": dict(task["data"], amount=1, done=True)}
    (result,) = col_a.push_ok([bad])
    assert result["status"] == "rejected" and list(result["errors"]) == ["amount"]
    done = dict(bad, data=dict(task["data"], done=True))
    col_a.accepted([done])
    assert desk.get(f"/supervisor/payers?{query}").get_data(True).count('data-task="open"') == 2
    # A collector cannot make a task.
    new = dict(done, id="11111111-1111-4111-8111-111111111111", version=0)
    (result,) = col_a.push_ok([new])
    assert result["status"] == "rejected" and list(result["errors"]) == ["_"]


def test_the_chosen_payers_only(app, login_as, three_due):
    client = login_as("sup_a")
    query = "list=due&day=2026-04-15"
    html = client.get(f"/supervisor/payers?{query}").get_data(True)
    keys = re.findall(r'name="key" value="([^"]+)"', html)
    client.post(f"/supervisor/payers/tasks?{query}", data={"key": keys[:2], "all": "0"})
    with app.app_context():
        assert db.session.query(Task).count() == 2


def test_a_person_who_stopped_for_good_leaves_the_lists_and_the_phone_knows(
        app, client, world, three_due):
    phone = Device.paired(client, "col_a")
    _all, cursor = phone.pull_all()
    from tests.conftest import login
    desk = app.test_client()
    login(desk, "sup_a")
    query = "list=due&day=2026-04-15"
    resp = desk.post(f"/supervisor/payers/ended?{query}", data={
        "person": three_due[0], "reason": "compulsory_si", "ended_on": "2026-04-01"})
    assert resp.status_code == 302
    assert "Nguyễn Văn An" not in _names(desk.get(f"/supervisor/payers?{query}").get_data(True))
    change = phone.latest(cursor)[three_due[0]]
    assert change["server"] == {"ended": {"reason": "compulsory_si", "on": "2026-04-01"}}
    assert desk.post(f"/supervisor/payers/ended?{query}", data={
        "person": three_due[1], "reason": "bored", "ended_on": "2026-04-01"}).status_code == 302
    with app.app_context():
        from fieldapp.models import Person
        assert db.session.get(Person, three_due[1]).ended_reason is None
    # Outside the supervisor's areas: refused.
    login(other := app.test_client(), "sup_b")
    assert other.post("/supervisor/payers/ended", data={
        "person": three_due[2], "reason": "died", "ended_on": "2026-04-01"}).status_code == 403


@pytest.fixture
def five_due(app, world, three_due):
    """``three_due`` (1,584,000 each, deadline 30/06/2026) and two more due on 2026-04-15:
    a yearly sign-up never paid (3,168,000, deadline 30/09/2026) and a monthly one
    (264,000, deadline 30/04/2026)."""
    with app.app_context():
        for name, start, period in (("Lê Thị Đào", "2026-03", 12), ("Lê Thị Yến", "2026-04", 1)):
            hid = D.household(world, "31001-1", head=f"Chủ hộ {name}")
            D.enrollment(world, D.person(world, hid, name=name), start, period, paid=False)
        db.session.commit()
    return three_due


#: The table's columns (the page speaks Vietnamese: by position, not by header).
LAST_PAYMENT, NEXT_PAYMENT = 5, 6


def _cells(html, column):
    """The text of the table's cells of one column, in order."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in html else ""
    rows = [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in body.split("<tr ")[1:]]
    return [re.sub(r"<[^>]+>", "", row[column]).strip() for row in rows]


def test_every_page_shows_its_rows_amounts_and_last_payments(login_as, five_due, monkeypatch):
    monkeypatch.setattr("fieldapp.supervisor.payers.PER_PAGE", 2)
    client = login_as("sup_a")
    query = "list=due&day=2026-04-15"
    first = client.get(f"/supervisor/payers?{query}").get_data(True)
    assert _names(first) == ["Lê Thị Yến", "Nguyễn Văn An"]
    assert re.search(r'class="muted">5 ', first)  # the count is the whole list's
    assert 'rel="next"' in first
    html = client.get(f"/supervisor/payers?{query}&page=2").get_data(True)
    assert _names(html) == ["Nguyễn Văn Bình", "Nguyễn Văn Cường"]
    assert _cells(html, NEXT_PAYMENT) == ["1.584.000 ₫"] * 2
    assert _cells(html, LAST_PAYMENT) == ["03/12/2025 · 792.000 ₫"] * 2
    assert 'rel="prev"' in html
    # Past the end: the last page.
    html = client.get(f"/supervisor/payers?{query}&page=9").get_data(True)
    assert _names(html) == ["Lê Thị Đào"]
    assert _cells(html, NEXT_PAYMENT) == ["3.168.000 ₫"]
    # The download still holds the whole list with its amounts and last payments.
    sheet = load_workbook(io.BytesIO(
        client.get(f"/supervisor/payers?{query}&format=xlsx").data)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == ["Lê Thị Yến", "Nguyễn Văn An", "Nguyễn Văn Bình",
                                    "Nguyễn Văn Cường", "Lê Thị Đào"]
    assert [r[7] for r in rows] == [264000, 1584000, 1584000, 1584000, 3168000]
    assert [r[5] for r in rows] == [None, 792000, 792000, 792000, None]


def test_sorting_by_amount_orders_the_whole_list_across_pages(login_as, five_due, monkeypatch):
    monkeypatch.setattr("fieldapp.supervisor.payers.PER_PAGE", 2)
    client = login_as("sup_a")
    query = "list=due&day=2026-04-15&sort=amount"
    pages = [client.get(f"/supervisor/payers?{query}&page={n}").get_data(True) for n in (1, 2, 3)]
    assert [_names(html) for html in pages] == [
        ["Lê Thị Đào", "Nguyễn Văn An"], ["Nguyễn Văn Bình", "Nguyễn Văn Cường"], ["Lê Thị Yến"]]
    assert [_cells(html, NEXT_PAYMENT) for html in pages] == [
        ["3.168.000 ₫", "1.584.000 ₫"], ["1.584.000 ₫"] * 2, ["264.000 ₫"]]
    assert _cells(pages[1], LAST_PAYMENT) == ["03/12/2025 · 792.000 ₫"] * 2


def test_a_page_read_in_sql_is_the_page_of_the_whole_list_sorted(app, world, five_due):
    """reports/payers.py ``payer_page`` (the database counts, orders and cuts the list) gives
    for every sort but the amount the page the whole list sorted in Python would: names by
    code point (on PostgreSQL too, whatever the database's collation: "Lê Thị Đào" after
    "Lê Thị Yến"), ties as the list's own order, past the end the last page."""
    from fieldapp.reports import payers
    from fieldapp.supervisor.payers import SORTS

    keys = {"deadline": lambda p: (p.lapse_month, p.name), "name": lambda p: (p.name, p.lapse_month),
            "village": lambda p: (p.area_id, p.name)}
    assert set(keys) == set(SORTS) - {"amount"} == set(payers.ORDERS)
    with app.test_request_context():
        areas = list(world.areas.values())
        day = date(2026, 4, 15)
        for which in payers.LISTS:
            whole = payers.payer_list(which, areas, day)
            for sort, key in keys.items():
                rows = sorted(whole, key=key)
                last = max(1, -(-len(rows) // 2))
                for number in range(1, last + 1):
                    assert payers.payer_page(which, areas, day, sort, number, 2) == (
                        len(rows), number, rows[(number - 1) * 2:number * 2]), (which, sort)
                assert payers.payer_page(which, areas, day, sort, last + 3, 2) == (
                    len(rows), last, rows[(last - 1) * 2:]), (which, sort)
        names = [p.name for p in payers.payer_page("due", areas, day, "name", 1, 10)[2]]
        assert names.index("Lê Thị Yến") < names.index("Lê Thị Đào")
        assert payers.payer_page("due", [], day, "name", 1, 10) == (0, 1, [])
