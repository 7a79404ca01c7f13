"""Sorting and filtering a desk table in the browser (static/desk/desk-tables.js).

The admin's premium-parameter page has a money column (base salary, `1.500.000 ₫`) and a date
column (`01/07/2024`): both must sort as numbers and dates, not as text ("900.000" after
"1.300.000" as text, "01/07/2017" before "01/01/2016" as text). The filter folds diacritics.
Everything is done once with the mouse and once with the keyboard only, and axe checks the
enhanced page.
"""
import re
from datetime import date

import pytest

from fieldapp.extensions import db
from fieldapp.models import PolicyParameterSet
from tests.e2e.test_axe_desk import desk_sign_in, violations

try:
    from axe_playwright_python.sync_playwright import Axe
except ImportError:  # pragma: no cover - depends on the machine
    Axe = None

#: Old sets (long before any sign-up of the tests): dates and salaries in different orders.
OLD_SETS = [(date(2015, 7, 1), 1_150_000, "Nghị định 47/2015"),
            (date(2016, 1, 1), 900_000, "Quyết định của tỉnh"),
            (date(2017, 7, 1), 1_300_000, "Nghị định 47/2017"),
            (date(2014, 5, 1), 1_150_000, None)]


@pytest.fixture
def desk(browser, server):
    """A desk-sized browser in Vietnamese (the sort reads the Vietnamese shapes either way)."""
    ctx = browser.new_context(base_url=server.base, viewport={"width": 1280, "height": 900},
                              locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    ctx.set_default_timeout(15000)
    yield ctx
    ctx.close()


@pytest.fixture
def policy_sets(seeded):
    app, _world = seeded
    with app.app_context():
        params = dict(db.session.scalars(db.select(PolicyParameterSet)).first().params)
        for when, base, note in OLD_SETS:
            db.session.add(PolicyParameterSet(effective_from=when, note=note,
                                              params={**params, "base_salary": base}))
        db.session.commit()
        count = db.session.scalar(db.select(db.func.count()).select_from(PolicyParameterSet))
        db.session.remove()
    return count


def column(page, index):
    """The texts of column ``index`` of the table, top to bottom (visible rows only)."""
    return page.eval_on_selector_all(
        "table[data-sortable] tbody tr:not([hidden])",
        f"rows => rows.map(r => r.cells[{index}].textContent.replace(/\\s+/g, ' ').trim())")


def as_money(text):
    return int(re.sub(r"\D", "", text))


def as_date(text):
    d, m, y = re.match(r"(\d{2})/(\d{2})/(\d{4})", text).groups()
    return (int(y), int(m), int(d))


def heading(page, name):
    return page.locator("table[data-sortable] thead th").filter(has_text=name)


def test_sort_money_and_dates_and_filter_without_diacritics(desk, server, policy_sets):
    page = desk.new_page()
    errors = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    desk_sign_in(page, "admin")
    page.goto("/admin/policy")
    salary = heading(page, "Lương cơ sở")
    expect_rows = policy_sets

    # Money, mouse: ascending then descending, as numbers.
    salary.get_by_role("button").click()
    assert salary.get_attribute("aria-sort") == "ascending"
    amounts = [as_money(t) for t in column(page, 1)]
    assert len(amounts) == expect_rows
    assert amounts == sorted(amounts) and amounts[0] == 900_000
    salary.get_by_role("button").click()
    assert salary.get_attribute("aria-sort") == "descending"
    amounts = [as_money(t) for t in column(page, 1)]
    assert amounts == sorted(amounts, reverse=True) and amounts[-1] == 900_000

    # Dates, keyboard only: Tab to the heading's button, Enter, then Space for the other way.
    when = heading(page, "Ngày hiệu lực")
    page.locator("body").focus()
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('th')?.textContent.includes('Ngày hiệu lực')"):
            break
    else:
        pytest.fail("the date heading's sort button is not reachable with Tab")
    page.keyboard.press("Enter")
    assert when.get_attribute("aria-sort") == "ascending"
    assert salary.get_attribute("aria-sort") is None
    dates = [as_date(t) for t in column(page, 0)]
    assert dates == sorted(dates) and dates[0] == (2014, 5, 1)
    page.keyboard.press("Space")
    assert when.get_attribute("aria-sort") == "descending"
    dates = [as_date(t) for t in column(page, 0)]
    assert dates == sorted(dates, reverse=True) and dates[-1] == (2014, 5, 1)

    # Filter, typed without diacritics ("nghi dinh" finds "Nghị định"), keyboard only.
    box = page.get_by_label("Lọc bảng")
    count = page.locator(".table-filter output[aria-live=polite]")
    assert count.inner_text() == f"{expect_rows} / {expect_rows} dòng"
    box.focus()
    page.keyboard.type("nghi dinh")
    assert count.inner_text() == f"2 / {expect_rows} dòng"
    notes = column(page, 12)
    assert sorted(notes) == ["Nghị định 47/2015", "Nghị định 47/2017"]
    page.keyboard.type(" 47/2017")
    assert count.inner_text() == f"1 / {expect_rows} dòng"
    box.fill("")
    assert count.inner_text() == f"{expect_rows} / {expect_rows} dòng"
    assert len(column(page, 0)) == expect_rows
    assert errors == []


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_an_enhanced_table_passes_axe(desk, server, policy_sets, lang):
    if Axe is None:
        from tests.conftest import missing_tool
        missing_tool("axe-playwright-python is not installed (pip install -r requirements-dev.txt)")
    page = desk.new_page()
    desk_sign_in(page, "admin")
    if lang == "en":
        page.goto("/home")
        page.get_by_role("button", name=re.compile("^English$|^EN$", re.I)).first.click()
        page.wait_for_load_state()
    page.goto("/admin/policy")
    label = "Filter the table" if lang == "en" else "Lọc bảng"
    page.get_by_label(label).fill("nghi" if lang == "en" else "nghị")
    page.locator("table[data-sortable] thead th button.sort").first.click()
    count, report = violations(page)
    assert count == 0, report
    # The narrow phone-sized desk too (the table becomes stacked cards there).
    page.set_viewport_size({"width": 360, "height": 780})
    count, report = violations(page)
    assert count == 0, report


def test_a_stacked_table_keeps_its_sort_buttons_on_a_phone(desk, server):
    """At 360 px a `table.stack` becomes cards; its sort buttons stay visible above them (a
    focusable button nobody can see would fail the keyboard user), and the page passes axe."""
    page = desk.new_page()
    page.set_viewport_size({"width": 360, "height": 780})
    desk_sign_in(page, "admin")
    page.goto("/admin/users")
    first = page.locator("table[data-sortable] thead th").first
    button = first.get_by_role("button")
    assert button.is_visible()
    box = button.bounding_box()
    assert box["height"] >= 48
    button.focus()
    page.keyboard.press("Enter")
    assert first.get_attribute("aria-sort") == "ascending"
    names = page.eval_on_selector_all(
        "table[data-sortable] tbody tr",
        "rows => rows.map(r => r.cells[0].querySelector('strong').textContent)")
    assert len(names) > 3 and names == sorted(names, key=str.casefold)
    assert page.locator(".table-filter output").inner_text() == f"{len(names)} / {len(names)} dòng"
    if Axe is not None:
        count, report = violations(page)
        assert count == 0, report


#: Desk pages with enhanced tables: path -> (sort buttons, filter boxes) in the small world
#: (0 where the world has no rows there: the page must still load the script cleanly).
ENHANCED = {"/admin/users": (6, 1), "/admin/devices": (0, 0), "/admin/audit": (5, 1),
            "/supervisor/": (5, 1), "/supervisor/households": (0, 0), "/supervisor/plans": (0, 0),
            "/supervisor/progress": (9, 1), "/supervisor/network": (28, 6),
            "/supervisor/referrals": (0, 0), "/supervisor/money": (0, 0)}


@pytest.mark.parametrize("width", [1280, 360])
def test_every_enhanced_page_passes_axe(desk, server, width):
    if Axe is None:
        from tests.conftest import missing_tool
        missing_tool("axe-playwright-python is not installed (pip install -r requirements-dev.txt)")
    page = desk.new_page()
    errors = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.set_viewport_size({"width": width, "height": 900})
    desk_sign_in(page, "admin")
    failures = []
    for path, made in ENHANCED.items():
        assert page.goto(path).status == 200, path
        assert (page.locator("th > button.sort").count(), page.locator(".table-filter").count()) == made, path
        for button in page.locator("th > button.sort").all()[:1]:
            button.click()
        count, report = violations(page)
        if count:
            failures.append(f"{path}:\n{report}")
    assert not failures, "\n".join(failures)
    assert errors == []


def test_the_vietnamese_shapes_it_reads(desk, server):
    """The script's readers, on the module the page loaded: the shapes the desk writes."""
    page = desk.new_page()
    page.goto("/login")
    got = page.evaluate("""async () => {
        const m = await import('/static/desk/desk-tables.js');
        return {
          money: m.numberOf('1.500.000 ₫'), pct: m.numberOf('89,93%'), plain: m.numberOf('42'),
          neg: m.numberOf('-1.000'), text: m.numberOf('12 (25/11/2026)'), code: m.numberOf('31001-1'),
          day: m.numberOf('25/11/2026') === Date.UTC(2026, 10, 25),
          later: m.numberOf('25/11/2026 14:05') > m.numberOf('25/11/2026 09:30'),
          order: m.numberOf('01/12/2026') > m.numberOf('30/11/2026'),
          fold: m.fold('  Nguyễn  Đức Thọ '),
        };
    }""")
    assert got == {"money": 1500000, "pct": 89.93, "plain": 42, "neg": -1000, "text": None,
                   "code": None, "day": True, "later": True, "order": True, "fold": "nguyen duc tho"}


def test_a_paged_table_says_it_works_on_this_page(desk, server, seeded):
    """Past one page (50 rows) the users' table is a page of a longer list: its box and a note
    say that sorting and filtering touch the rows shown, and the count counts those rows."""
    app, _world = seeded
    from fieldapp.models import User
    with app.app_context():
        for n in range(55):
            db.session.add(User(username=f"thu_{n:02d}", full_name=f"Trần Thị Thu {n:02d}",
                                role="collector", password_hash="x"))
        db.session.commit()
        db.session.remove()
    page = desk.new_page()
    desk_sign_in(page, "admin")
    page.goto("/admin/users")
    assert page.locator("table[data-paged]").count() == 1
    box = page.get_by_label("Lọc các dòng trên trang này")
    assert page.get_by_text("Sắp xếp và lọc chỉ áp dụng cho các dòng trên trang này.").is_visible()
    count = page.locator(".table-filter output")
    assert count.inner_text() == "50 / 50 dòng"
    box.fill("tran thi thu 0")
    assert count.inner_text() == "10 / 50 dòng"
    # One page (the small world): no such note.
    page.goto("/supervisor/")
    assert page.locator("table[data-paged]").count() == 0
    assert page.get_by_label("Lọc bảng").count() == 1
