"""The office's monthly sentence, exactly, in both languages (#12)."""
import pytest
from flask_babel import force_locale

from fieldapp.extensions import db
from fieldapp.models import Area
from fieldapp.reports.progress import progress
from fieldapp.reports.progress_sentence import area_label, format_count, format_ratio, sentence
from tests.web import progress_data as data

VI = ("Đến hết tháng 10/2024, toàn thành phố có 36.421 người tham gia BHXH tự nguyện, đạt 89,93% "
      "kế hoạch; tăng 128 người (0,35%) so với tháng trước, tăng 1.588 người so với tháng "
      "12/2023 và tăng 10.472 người so với cùng kỳ năm trước.")
EN = ("By the end of October 2024, the whole city had 36,421 voluntary social insurance "
      "participants, 89.93% of the plan; up 128 (0.35%) on the previous month, up 1,588 on "
      "December 2023 and up 10,472 on the same period a year earlier.")


@pytest.fixture
def seeded(app, world):
    prov = world.areas["31"]
    data.central_city(app, prov)
    data.counts(app, prov, data.SEED_COUNTS)
    data.plan(app, prov, 2024, data.SEED_PLAN, new=4335)
    return world


def _sentence(app, world, month, lang, code="31"):
    with app.test_request_context(), force_locale(lang):
        area = db.session.get(Area, world.areas[code])
        report = progress(area.id, [c.id for c in area.children], month, "vsi")
        return sentence(report["area"], area_label(area, area.central_city))


@pytest.mark.parametrize(("lang", "expected"), [("vi", VI), ("en", EN)])
def test_october_2024_sentence_exactly(app, seeded, lang, expected):
    assert _sentence(app, seeded, "2024-10", lang) == expected


def test_a_province_is_the_whole_province(app, world):
    data.counts(app, world.areas["31"], {"2024-10": 100})
    vi = _sentence(app, world, "2024-10", "vi")
    en = _sentence(app, world, "2024-10", "en")
    assert vi.startswith("Đến hết tháng 10/2024, toàn tỉnh có 100 người tham gia BHXH tự nguyện, "
                         "chưa có kế hoạch năm 2024; chưa có số liệu tháng trước")
    assert en.startswith("By the end of October 2024, the whole province had 100 voluntary")


def test_a_fall_is_written_as_a_fall(app, seeded):
    data.counts(app, seeded.areas["31"], {"2024-11": 36300, "2023-11": 36500})
    assert _sentence(app, seeded, "2024-11", "vi") == (
        "Đến hết tháng 11/2024, toàn thành phố có 36.300 người tham gia BHXH tự nguyện, đạt "
        "89,63% kế hoạch; giảm 121 người (0,33%) so với tháng trước, tăng 1.467 người so với "
        "tháng 12/2023 và giảm 200 người so với cùng kỳ năm trước.")
    assert _sentence(app, seeded, "2024-11", "en") == (
        "By the end of November 2024, the whole city had 36,300 voluntary social insurance "
        "participants, 89.63% of the plan; down 121 (0.33%) on the previous month, up 1,467 on "
        "December 2023 and down 200 on the same period a year earlier.")


def test_a_month_before_the_first_count_has_no_figures(app, seeded):
    assert _sentence(app, seeded, "2023-09", "vi") == (
        "Đến hết tháng 9/2023, toàn thành phố chưa có số liệu người tham gia BHXH tự nguyện.")
    assert _sentence(app, seeded, "2023-09", "en") == (
        "By the end of September 2023, the whole city had no figures yet for voluntary social "
        "insurance participants.")


def test_a_month_after_the_last_count_is_provisional(app, seeded):
    col = seeded.users["col_a"]
    village = seeded.areas["31001-1"]
    a, b, c, d, e = data.people(app, village, 5)
    data.signup(app, a, "2024-11", col, kind="new")
    data.signup(app, b, "2024-12", col, kind="resumed")
    data.signup(app, c, "2024-11", col, kind="renewed")      # already counted
    data.signup(app, d, "2024-11", col, kind="new", paid=False)  # not paid
    data.signup(app, e, "2024-10", col, kind="new")          # in the counted month
    data.signup(app, a, "2025-01", col, kind="resumed")      # after the month asked
    assert _sentence(app, seeded, "2024-12", "vi") == (
        "Đến hết tháng 12/2024 (số tạm tính), toàn thành phố có 36.423 người tham gia BHXH tự "
        "nguyện, đạt 89,93% kế hoạch; tăng 1 người (0,00%) so với tháng trước, tăng 1.590 người "
        "so với tháng 12/2023 và tăng 1.590 người so với cùng kỳ năm trước.")
    assert _sentence(app, seeded, "2024-12", "en").startswith(
        "By the end of December 2024 (provisional), the whole city had 36,423 voluntary")


def test_number_formats_follow_the_language(app):
    with app.test_request_context():
        assert format_count(36421, "vi") == "36.421"
        assert format_count(36421, "en") == "36,421"
        assert format_ratio(36421 / 40500, "vi") == "89,93%"
        assert format_ratio(36421 / 40500, "en") == "89.93%"
        assert format_ratio(0.0035268, "en") == "0.35%"


def test_the_same_sentence_and_figures_on_the_page(app, seeded, login_as):
    client = login_as("admin")
    html = client.get("/supervisor/progress?area=31&month=2024-10").get_data(as_text=True)
    assert VI in html
    for name, value in (("participants", "36.421"), ("target", "40.500"), ("of_plan", "89,93%"),
                        ("previous", "+128 (0,35%)"), ("december", "+1.588"), ("year_ago", "+10.472"),
                        ("new", "0 / 4.335")):
        assert f'data-figure="{name}">{value}</strong>' in html, name
    client.post("/lang/en", data={"next": "/"})
    html = client.get("/supervisor/progress?area=31&month=2024-10").get_data(as_text=True)
    assert EN in html
    assert 'data-figure="of_plan">89.93%</strong>' in html
    assert 'data-figure="december">+1,588</strong>' in html
