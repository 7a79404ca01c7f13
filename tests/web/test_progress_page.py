"""The progress page (#12): every figure on a fixed data set, exact; the sentence and the
figures agree; the GET pickers; the XLSX download.

The data set (vsi): official counts per commune, none for the city (its figure is the sum of
its communes'); plans per commune (the city's is their sum); sign-ups of every kind, paid and
not, in both communes; an organization's own "new" target.
"""
import re
from datetime import UTC, datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook

from tests.web import progress_data as data

COUNTS = {
    "31001": {"2023-10": 1000, "2023-12": 1100, "2024-09": 1180, "2024-10": 1200},
    "31002": {"2023-10": 800, "2023-12": 850, "2024-09": 905, "2024-10": 900},
}


@pytest.fixture
def fixed(app, world):
    data.central_city(app, world.areas["31"])
    for code, by_month in COUNTS.items():
        data.counts(app, world.areas[code], by_month)
    data.counts(app, world.areas["31001"], {"2024-10": 99999}, scheme="hhi")  # another scheme
    data.plan(app, world.areas["31001"], 2024, 1500, new=300)
    data.plan(app, world.areas["31002"], 2024, 1000, new=150)
    data.plan(app, world.areas["31001"], 2023, 7777, new=777)  # another year
    data.plan(app, None, 2024, 0, new=40, organization_id=world.org_id)
    col_a, col_b = world.users["col_a"], world.users["col_b"]
    a = data.people(app, world.areas["31001-1"], 6, "An")
    b = data.people(app, world.areas["31002-1"], 2, "Bình")
    data.signup(app, a[0], "2024-03", col_a)
    data.signup(app, a[1], "2024-10", col_a)
    data.signup(app, a[2], "2024-11", col_a)
    data.signup(app, a[3], "2024-11", col_a, kind="resumed")
    data.signup(app, a[4], "2024-11", col_a, kind="renewed")
    data.signup(app, a[5], "2024-11", col_a, paid=False)
    data.signup(app, b[0], "2024-05", col_b)
    data.signup(app, b[1], "2024-11", col_b)
    return world


def _cells(page, area_code):
    row = re.search(rf'<tr data-area="{re.escape(area_code)}"[^>]*>(.*?)</tr>', page, re.S)
    assert row, area_code
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row[1], re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", c)).strip() for c in cells]


def _figure(page, name):
    found = re.search(rf'data-figure="{name}">(.*?)</(strong|span)>', page, re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", found[1])).strip()


def test_every_figure_of_october_2024(fixed, login_as):
    page = login_as("admin").get("/supervisor/progress?area=31&month=2024-10&scheme=vsi")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert (
        "Đến hết tháng 10/2024, toàn thành phố có 2.100 người tham gia BHXH tự nguyện, đạt "
        "84,00% kế hoạch; tăng 15 người (0,72%) so với tháng trước, tăng 150 người so với "
        "tháng 12/2023 và tăng 300 người so với cùng kỳ năm trước.") in html
    assert _figure(html, "participants") == "2.100"
    assert _figure(html, "target") == "2.500"
    assert _figure(html, "of_plan") == "84,00%"
    assert _figure(html, "previous") == "+15 (0,72%)"
    assert _figure(html, "december") == "+150"
    assert _figure(html, "year_ago") == "+300"
    assert _figure(html, "new") == "3 / 450"
    assert _figure(html, "of_new_plan") == "0,67%"
    # Area, participants, plan, % of plan, previous month, December, a year earlier, new, new target.
    assert _cells(html, "31") == ["Thành phố Hải Phòng", "2.100", "2.500", "84,00%", "+15 (0,72%)",
                                  "+150", "+300", "3", "450"]
    assert _cells(html, "31001") == ["Phường Hồng Bàng", "1.200", "1.500", "80,00%", "+20 (1,69%)",
                                     "+100", "+200", "2", "300"]
    assert _cells(html, "31002") == ["Xã An Lão", "900", "1.000", "90,00%", "-5 (-0,55%)",
                                     "+50", "+100", "1", "150"]
    org = re.search(r'<tr data-org="BD31">(.*?)</tr>', html, re.S)[1]
    assert [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", org, re.S)] \
        == ["Bưu điện Hải Phòng", "3", "40", "7,50%"]
    # The charts say their figures in words (their <desc>) as well as drawing them.
    assert ("Số người tham gia cuối mỗi tháng năm 2024 so với đường kế hoạch, đến tháng "
            "10/2024: 2.100 người, kế hoạch năm 2.500.") in html
    # Weeks start at midnight in Vietnam: the last one is 25-31 October.
    assert "Số đăng ký tham gia mỗi tuần trong 12 tuần gần nhất: 09/08: 0;" in html
    assert "04/10: 1; 11/10: 0; 18/10: 0; 25/10: 0." in html
    # The bars, sorted: An Lão 90% before Hồng Bàng 80%.
    bars = html[html.index('id="chart-areas"'):]
    assert bars.index("Xã An Lão") < bars.index("Phường Hồng Bàng")
    assert "90,00%" in bars and "80,00%" in bars


def test_a_provisional_month_on_the_page(fixed, login_as):
    html = login_as("admin").get("/supervisor/progress?area=31&month=2024-11").get_data(as_text=True)
    assert (
        "Đến hết tháng 11/2024 (số tạm tính), toàn thành phố có 2.103 người tham gia BHXH tự "
        "nguyện, đạt 84,12% kế hoạch; tăng 3 người (0,14%) so với tháng trước, tăng 153 người "
        "so với tháng 12/2023 và tăng 303 người so với cùng kỳ năm trước.") in html
    assert _cells(html, "31001")[:2] == ["Phường Hồng Bàng", "1.202 tạm tính"]
    assert _cells(html, "31002")[:2] == ["Xã An Lão", "901 tạm tính"]
    assert _figure(html, "new") == "5 / 450"


def test_a_month_before_the_first_count_is_no_figure_never_zero(fixed, login_as):
    html = login_as("admin").get("/supervisor/progress?area=31&month=2023-09").get_data(as_text=True)
    assert ("Đến hết tháng 9/2023, toàn thành phố chưa có số liệu người tham gia BHXH tự "
            "nguyện.") in html
    assert _figure(html, "participants") == "chưa có số liệu"
    assert _cells(html, "31001")[1] == "chưa có số liệu"


def test_the_page_opens_on_the_latest_counted_month(fixed, login_as):
    html = login_as("admin").get("/supervisor/progress").get_data(as_text=True)
    assert 'value="2024-10"' in html
    assert "Đến hết tháng 10/2024, toàn thành phố có 2.100" in html


def test_english_page_uses_english_numbers(fixed, login_as):
    client = login_as("admin")
    client.post("/lang/en", data={"next": "/"})
    html = client.get("/supervisor/progress?area=31&month=2024-10").get_data(as_text=True)
    assert ("By the end of October 2024, the whole city had 2,100 voluntary social insurance "
            "participants, 84.00% of the plan; up 15 (0.72%) on the previous month, up 150 on "
            "December 2023 and up 300 on the same period a year earlier.") in html
    assert _cells(html, "31001")[1:4] == ["1,200", "1,500", "80.00%"]


def test_weekly_signups_count_the_twelve_weeks_before_the_month_end(fixed, app):
    from fieldapp.reports.progress import weekly_signups
    with app.app_context():
        weeks = weekly_signups(fixed.areas["31"], "vsi", datetime(2024, 10, 31, 17, tzinfo=UTC))
    assert len(weeks) == 12
    assert weeks[0][0] == datetime(2024, 8, 8, 17, tzinfo=UTC)
    # One sign-up recorded on 10 October (03:00 UTC): the week from 3 October 17:00 UTC.
    assert [n for _start, n in weeks] == [0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0]


@pytest.mark.parametrize("query, field", [("month=2024-13", "month"), ("month=10/2024", "month"),
                                          ("scheme=abc", "scheme")])
def test_a_bad_picker_value_is_named(fixed, login_as, query, field):
    page = login_as("admin").get(f"/supervisor/progress?area=31&{query}")
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    assert f'id="{field}-error"' in html


def test_xlsx_has_the_figures_of_the_page(fixed, login_as):
    resp = login_as("admin").get("/supervisor/progress?area=31&month=2024-10&format=xlsx")
    assert resp.status_code == 200
    ws = load_workbook(BytesIO(resp.data)).active
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    assert rows[0] == ["Thành phố Hải Phòng", 2100, False, 2500, 84.0, 15, 150, 300, 3, 450]
    assert rows[2] == ["Xã An Lão", 900, False, 1000, 90.0, -5, 50, 100, 1, 150]
