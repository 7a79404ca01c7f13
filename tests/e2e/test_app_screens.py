"""Every screen of the field app at 360 px: nothing wider than the phone, every control at
least 48 px tall, every input with a visible label. Screenshots land in tests/e2e/screenshots/
for a person to look at."""
import uuid

from tests.e2e.conftest import shot
from tests.e2e.helpers import Api, go, sign_in, wait_synced

CHECK = """() => {
    const problems = [];
    if (document.scrollingElement.scrollWidth > window.innerWidth + 1) problems.push('wider than the screen');
    const controls = document.querySelectorAll(
        '#view button, #view .button, #view .row, #view .task, #view .choice, #nav a, #strip a, '
        + '#view input:not([type=checkbox]):not([type=radio]):not([type=hidden]), '
        + '#view select, #view textarea');
    for (const el of controls) {
        const box = el.getBoundingClientRect();
        if (!box.width || getComputedStyle(el).visibility === 'hidden') continue;
        const min = el.closest('#strip') ? 40 : 48;
        if (box.height < min - 0.5) problems.push(`${el.outerHTML.slice(0, 80)} is ${box.height}px tall`);
        if (/INPUT|SELECT|TEXTAREA/.test(el.tagName) && el.id
            && !document.querySelector(`label[for="${el.id}"]`) && !el.getAttribute('aria-label')
            && !el.closest('fieldset')) problems.push(`${el.id} has no label`);
    }
    return problems;
}"""


def look(page, name):
    page.wait_for_timeout(200)
    assert page.evaluate(CHECK) == [], name
    shot(page, name)


def test_every_screen_fits_a_phone(context, page, server):
    api = Api(server.base, "col_a")
    hh, p1, p2, visit = (str(uuid.uuid4()) for _ in range(4))
    api.push([
        {"id": hh, "type": "household", "data": {"area": "31001-1", "address": "Số 12, ngõ 5, Tổ dân phố 1",
                                                 "head_name": "Nguyễn Văn An", "phone": "0912345678"}},
        {"id": p1, "type": "person", "data": {
            "household": hh, "full_name": "Nguyễn Văn An", "birth_date": "1970-02-03",
            "sex": "male", "relation": "head", "coverage": "household_hi"}},
        {"id": p2, "type": "person", "data": {
            "household": hh, "full_name": "Trần Thị Bình", "birth_date": "1974-05-06",
            "sex": "female", "relation": "spouse", "coverage": "none"}},
        {"id": visit, "type": "visit", "data": {
            "household": hh, "visited_at": "2026-11-20T09:00:00+07:00",
            "outcome": "interested", "follow_up_on": "2026-11-21", "topics": ["vsi"]}},
        {"id": str(uuid.uuid4()), "type": "enrollment", "data": {
            "person": p1, "scheme": "hhi", "start_month": "2025-12", "period_months": 12,
            "amount_due": 1263600, "member_order": 1}},
    ])
    context.grant_permissions(["geolocation"])
    context.set_geolocation({"latitude": 20.86, "longitude": 106.68, "accuracy": 12})
    page.goto("/app/")
    page.wait_for_selector("#signin-username")
    look(page, "00-sign-in")
    sign_in(page, "col_a")
    look(page, "01-today")
    go(page, "#/households")
    page.wait_for_selector("#hh-results a.row")
    look(page, "02-households")
    go(page, f"#/household/{hh}")
    page.wait_for_selector(".hh-card")
    look(page, "03-household")
    go(page, "#/household/new")
    page.wait_for_selector("#form-household-live")
    look(page, "04-household-new")
    go(page, f"#/person/new?household={hh}")
    page.wait_for_selector("#form-person-live")
    page.fill("#form-person-live [name=personal_id]", "12")
    page.click("#form-person-live button.save")
    look(page, "05-member-errors")
    go(page, f"#/visit/new?household={hh}")
    page.wait_for_selector("#form-visit-live")
    page.check("#form-visit-live input[name=outcome][value=interested]")
    page.click("#form-visit-live .locate")
    page.wait_for_function("() => document.querySelector('[name=\"location-lat\"]').value !== ''")
    look(page, "06-visit")
    go(page, f"#/signup/{hh}")
    page.wait_for_selector("#form-enrollment-live")
    page.check("#form-enrollment-live input[name=scheme][value=vsi]")
    page.fill("#form-enrollment-live [name=start_month]", "2025-09")
    page.select_option("#form-enrollment-live [name=period_months]", "3")
    page.fill("#form-enrollment-live [name=monthly_income]", "1500000")
    page.select_option("#form-enrollment-live [name=support_group]", "other")
    look(page, "07-signup-vsi")
    page.check("#form-enrollment-live input[name=scheme][value=hhi]")
    page.select_option("#form-enrollment-live [name=period_months]", "12")
    for box in page.locator("#form-enrollment-live .member-row input[type=checkbox]").all():
        box.check()
    look(page, "08-signup-hhi")
    go(page, "#/group/new")
    page.wait_for_selector("#form-outreach-live")
    look(page, "09-group-session")
    context.set_offline(True)
    go(page, f"#/visit/{visit}/edit")
    page.wait_for_selector("#form-visit-live")
    page.fill("#form-visit-live [name=note]", "Hẹn chiều thứ Bảy")
    page.click("#form-visit-live button.save")
    page.wait_for_selector(".hh-card")
    go(page, "#/sync")
    page.wait_for_selector("#outbox-waiting")
    look(page, "10-sync-offline")
    context.set_offline(False)
    wait_synced(page)
    go(page, "#/more")
    page.wait_for_selector("#sign-out")
    look(page, "11-more")
    go(page, "#/today")
    page.wait_for_selector(".tasks")
    look(page, "12-today-with-tasks")
