"""The supervisor's referral page (#11): ages, referrer figures on a fixed data set, the
downloads equal to the page, assigning, and the scope of every way in."""
import csv
import io
import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from openpyxl import load_workbook
from werkzeug.security import generate_password_hash

from fieldapp.extensions import db
from fieldapp.models import Area, AuditEntry, Referral, User
from tests.api.conftest import make_token
from tests.device import Device


def _referral(area_id, by, status, age_days, assigned=None, visited=False, enrolled=False,
              name=None):
    now = datetime.now(UTC)
    received = now - timedelta(days=age_days, hours=1)
    return Referral(id=str(uuid.uuid4()), area_id=area_id, created_by_id=by,
                    contact_name=name or f"{status} {age_days}", reason="farmer", status=status,
                    assigned_to_id=assigned, received_at=received,
                    visited_at=received + timedelta(hours=2) if visited else None,
                    enrolled_at=received + timedelta(hours=3) if enrolled else None)


@pytest.fixture
def data(app, world):
    """head_a (31001-1): 5 referrals (new 1 day, assigned 5 days, visited 10 days, enrolled,
    closed after a visit); col_a (31001-2): 2 (enrolled, assigned 20 days); head_b (31002-1):
    1 new, outside sup_a's subtree."""
    u, a = world.users, world.areas
    with app.app_context():
        head_b = User(username="head_b", full_name="HEAD_B", role="village_head",
                      password_hash=generate_password_hash("pw", method="pbkdf2:sha256:1000"))
        head_b.areas = [db.session.get(Area, a["31002-1"])]
        db.session.add(head_b)
        db.session.flush()
        rows = {
            "new": _referral(a["31001-1"], u["head_a"], "new", 1, name="Lê Văn Cường"),
            "assigned": _referral(a["31001-1"], u["head_a"], "assigned", 5, assigned=u["col_a"]),
            "visited": _referral(a["31001-1"], u["head_a"], "visited", 10, assigned=u["col_a"],
                                 visited=True),
            "enrolled": _referral(a["31001-1"], u["head_a"], "enrolled", 30, assigned=u["col_a"],
                                  visited=True, enrolled=True),
            "closed": _referral(a["31001-1"], u["head_a"], "closed", 40, assigned=u["col_a"],
                                visited=True),
            "col_enrolled": _referral(a["31001-2"], u["col_a"], "enrolled", 25, assigned=u["col_a"],
                                      visited=True, enrolled=True),
            "col_old": _referral(a["31001-2"], u["col_a"], "assigned", 20, assigned=u["col_a"]),
            "other": _referral(a["31002-1"], head_b.id, "new", 2, name="Ngoài phạm vi"),
        }
        db.session.add_all(rows.values())
        db.session.commit()
        world.users["head_b"] = head_b.id
        return {k: r.id for k, r in rows.items()}


def _cells(html, table_id):
    table = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    body = table.split("<tbody>", 1)[1]
    return [[re.sub(r"<[^>]+>", " ", c).split() for c in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)]
            for tr in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def test_referrer_figures_are_exact(login_as, data):
    html = login_as("sup_a").get("/supervisor/referrals").get_data(as_text=True)
    rows = _cells(html, "referrer-stats")
    # Sorted by conversion: col_a 1 of 2, then head_a 1 of 5; head_b's referral is not here.
    assert [(r[0][0], r[1:]) for r in rows] == [
        ("COL_A", [["2"], ["1"], ["1"], ["50,00%"]]),
        ("HEAD_A", [["5"], ["3"], ["1"], ["20,00%"]]),
    ]
    assert "HEAD_B" not in html and "Ngoài phạm vi" not in html


def test_open_referrals_by_age_oldest_first(login_as, data):
    html = login_as("sup_a").get("/supervisor/referrals").get_data(as_text=True)
    summary_html = html.split('class="summary"', 1)[1].split("</div>\n</div>")[0]
    summary = re.findall(r"<strong>(\d+)</strong>", summary_html)
    assert summary[:5] == ["1", "1", "1", "1", "4"]  # 0-3, 4-7, 8-14, >14, open
    open_list = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    ages = [int(a) for a in re.findall(r'data-label="[^"]*">(\d+) <span class="muted">', open_list)]
    assert ages == [20, 10, 5, 1]


@pytest.mark.parametrize("sort", ["conversion", "referred"])
def test_csv_and_xlsx_equal_the_page(login_as, data, sort):
    client = login_as("sup_a")
    html = client.get(f"/supervisor/referrals?sort={sort}").get_data(as_text=True)
    page = [[r[0][0]] + [c[0] for c in r[1:]] for r in _cells(html, "referrer-stats")]
    text = client.get(f"/supervisor/referrals.csv?table=referrers&sort={sort}").get_data(as_text=True)
    lines = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert [[line[0], line[2], line[3], line[4]] for line in lines[1:]] == [p[:4] for p in page]
    assert [f"{float(line[5]) * 100:.2f}%".replace(".", ",") for line in lines[1:]] == [p[4] for p in page]
    resp = client.get(f"/supervisor/referrals.xlsx?table=referrers&sort={sort}")
    sheet = load_workbook(io.BytesIO(resp.data)).active
    values = [list(r) for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert [[v[0], v[2], v[3], v[4]] for v in values] == [[p[0], int(p[1]), int(p[2]), int(p[3])]
                                                          for p in page]
    assert all(isinstance(v[5], float) for v in values)
    assert [v[5] for v in values] == [float(line[5]) for line in lines[1:]]


def test_villages_download_counts_by_age(login_as, data):
    text = login_as("sup_a").get("/supervisor/referrals.csv?table=villages").get_data(as_text=True)
    lines = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert lines[1:] == [["31001-2", "Tổ dân phố 2", "0", "0", "0", "1", "1"],
                         ["31001-1", "Tổ dân phố 1", "1", "1", "1", "0", "3"]]


def test_reassigning_reaches_both_phones(app, world, client, login_as, data):
    old = Device(client, make_token(app, world.users["col_a"]))
    new = Device(client, make_token(app, world.users["col_a2"]))
    _, old_cursor = old.pull_all()
    _, new_cursor = new.pull_all()
    rid = data["assigned"]
    desk = app.test_client()
    assert desk.post("/login", data={"username": "sup_a", "password": "pw"}).status_code == 302
    resp = desk.post(f"/supervisor/referrals/{rid}/assign", data={"collector": "col_a2"})
    assert resp.status_code == 303
    with app.app_context():
        row = db.session.get(Referral, rid)
        assert (row.status, row.assigned_to_id) == ("assigned", world.users["col_a2"])
        assert AuditEntry.query.filter_by(entity_id=rid, action="referral_assign").count() == 1
    got_old = {c["id"]: c for c in old.pull_all(old_cursor)[0]}
    got_new = {c["id"]: c for c in new.pull_all(new_cursor)[0]}
    # The old assignee's pull no longer holds it as theirs; the new one's does; same version.
    assert got_old[rid]["server"]["assigned_to"] == "col_a2"
    assert got_new[rid]["server"]["assigned_to"] == "col_a2"
    assert got_new[rid]["version"] == 1


def test_assigning_a_new_referral_makes_it_assigned(app, world, login_as, data):
    client = login_as("sup_a")
    client.post(f"/supervisor/referrals/{data['new']}/assign", data={"collector": "col_a"})
    with app.app_context():
        row = db.session.get(Referral, data["new"])
        assert row.status == "assigned" and row.assigned_at is not None


@pytest.mark.parametrize("collector", ["col_b", "head_a", "sup_a", "nobody", ""])
def test_only_a_collector_covering_the_village(app, world, login_as, data, collector):
    client = login_as("sup_a")
    resp = client.post(f"/supervisor/referrals/{data['new']}/assign", data={"collector": collector})
    assert resp.status_code == 303
    with app.app_context():
        assert db.session.get(Referral, data["new"]).assigned_to_id is None
    assert "Chọn nhân viên thu" in client.get("/supervisor/referrals").get_data(as_text=True)


def test_a_closed_referral_cannot_be_assigned(app, login_as, data):
    login_as("sup_a").post(f"/supervisor/referrals/{data['closed']}/assign",
                           data={"collector": "col_a2"})
    with app.app_context():
        assert db.session.get(Referral, data["closed"]).status == "closed"


def test_another_subtree_can_neither_see_nor_act(app, world, login_as, data):
    client = login_as("sup_b")
    html = client.get("/supervisor/referrals").get_data(as_text=True)
    assert "Ngoài phạm vi" in html and "Lê Văn Cường" not in html and "HEAD_A" not in html
    assert client.get("/supervisor/referrals?area=31001").status_code == 403
    assert client.get("/supervisor/referrals.csv?area=31001-1&table=open").status_code == 403
    for table in ("open", "referrers", "villages"):
        body = client.get(f"/supervisor/referrals.xlsx?table={table}").data
        sheet = load_workbook(io.BytesIO(body)).active
        text = " ".join(str(v) for r in sheet.iter_rows(values_only=True) for v in r)
        assert "HEAD_A" not in text and "Lê Văn Cường" not in text and "31001" not in text
    resp = client.post(f"/supervisor/referrals/{data['new']}/assign", data={"collector": "col_a"})
    assert resp.status_code == 404
    with app.app_context():
        assert db.session.get(Referral, data["new"]).assigned_to_id is None


def test_bad_arguments_are_not_errors(login_as, data):
    client = login_as("sup_a")
    assert client.get("/supervisor/referrals?area=nope").status_code == 404
    assert client.get("/supervisor/referrals?sort=x&status=y&page=abc").status_code == 200
    assert client.get("/supervisor/referrals.pdf").status_code == 404
    assert client.get("/supervisor/referrals.csv?table=zzz").status_code == 404
    assert client.post("/supervisor/referrals/not-a-uuid/assign").status_code == 404


def test_the_menu_has_the_page(login_as, data):
    html = login_as("sup_a").get("/supervisor/").get_data(as_text=True)
    assert 'href="/supervisor/referrals"' in html and ">Giới thiệu<" in html


def _section(html, section_id):
    return html.split(f'<section class="card" id="{section_id}">', 1)[1].split("</section>", 1)[0]


def _codes(section):
    return re.findall(r'<td>[^<]*<span class="muted">([^<]+)</span></td>', section)


@pytest.fixture
def one_row_tables(monkeypatch):
    """Tables of one row each, so the small data set pages like a province."""
    from fieldapp.supervisor import referrals as page

    monkeypatch.setattr(page, "TABLE_ROWS", 1)


def test_each_table_pages_on_its_own_and_keeps_the_other_arguments(login_as, data, one_row_tables):
    client = login_as("sup_a")
    html = client.get("/supervisor/referrals?status=assigned").get_data(as_text=True)
    villages = _section(html, "by-village")
    # Oldest first, as the whole list: 31001-2 (one referral waiting 20 days) first.
    assert _codes(villages) == ["31001-2"]
    assert "Trang 1 / 2" in villages and "Trang trước" not in villages
    nav = re.search(r'<nav class="pager" aria-label="([^"]+)">(.*?)</nav>', villages, re.S)
    assert nav.group(1) == "Các trang của bảng “Giới thiệu đang mở theo thôn”"
    link = re.search(r'href="([^"]+)" rel="next">Trang sau<', nav.group(2)).group(1).replace("&amp;", "&")
    assert link.startswith("/supervisor/referrals?") and link.endswith("#by-village")
    assert "status=assigned" in link and "village_page=2" in link
    html = client.get(link.split("#")[0] + "&stats_page=2").get_data(as_text=True)
    villages = _section(html, "by-village")
    assert _codes(villages) == ["31001-1"]
    assert "Trang 2 / 2" in villages and "Trang sau" not in villages
    # The other tables stay on their own page; the village pager keeps their place.
    assert [r[0][0] for r in _cells(html, "referrer-stats")] == ["HEAD_A"]
    back = re.search(r'href="([^"]+)" rel="prev">Trang trước<', villages).group(1).replace("&amp;", "&")
    assert "village_page=1" in back and "stats_page=2" in back and "status=assigned" in back


def test_referrer_tables_page_in_their_order(login_as, data, one_row_tables):
    client = login_as("sup_a")
    first = client.get("/supervisor/referrals").get_data(as_text=True)
    second = client.get("/supervisor/referrals?stats_page=2&referrer_page=2").get_data(as_text=True)
    assert [r[0][0] for r in _cells(first, "referrer-stats")] == ["COL_A"]
    assert [r[0][0] for r in _cells(second, "referrer-stats")] == ["HEAD_A"]
    # By age, most waiting longest first: col_a's 20-day referral, then head_a's.
    assert _codes(_section(first, "by-referrer")) == ["col_a"]
    assert _codes(_section(second, "by-referrer")) == ["head_a"]
    # A page past the end shows the last; nothing outside the subtree on any page.
    past = client.get("/supervisor/referrals?stats_page=99&village_page=abc").get_data(as_text=True)
    assert [r[0][0] for r in _cells(past, "referrer-stats")] == ["HEAD_A"]
    for html in (first, second, past):
        assert "HEAD_B" not in html and "Ngoài phạm vi" not in html and "31002-1" not in html


def test_totals_and_downloads_stay_whole_when_tables_page(login_as, data, one_row_tables):
    client = login_as("sup_a")
    for query in ("", "?village_page=2&referrer_page=2&stats_page=2"):
        html = client.get(f"/supervisor/referrals{query}").get_data(as_text=True)
        summary_html = html.split('class="summary"', 1)[1].split("</div>\n</div>")[0]
        assert re.findall(r"<strong>(\d+)</strong>", summary_html)[:5] == ["1", "1", "1", "1", "4"]
    villages = client.get("/supervisor/referrals.csv?table=villages&village_page=2").get_data(as_text=True)
    assert [line[0] for line in csv.reader(io.StringIO(villages.lstrip("\ufeff")))][1:] == [
        "31001-2", "31001-1"]
    referrers = client.get("/supervisor/referrals.csv?table=referrers&stats_page=2").get_data(as_text=True)
    assert [line[1] for line in csv.reader(io.StringIO(referrers.lstrip("\ufeff")))][1:] == [
        "col_a", "head_a"]
    sheet = load_workbook(io.BytesIO(client.get("/supervisor/referrals.xlsx?table=open").data)).active
    assert sheet.max_row == 1 + 4
