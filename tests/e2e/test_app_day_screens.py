"""Issue #10, point 7 and the walk's screenshots: every screen of the collector and of the
village head at 320 × 640, 360 × 780 and 780 × 360 — nothing cut off or running off the
screen, no amount split from its unit — with axe-core finding no violation at 360 × 780.
Screenshots land in tests/e2e/screenshots/day-<width>x<height>-<screen>.png to be looked at."""
import uuid
from datetime import timedelta

from tests.e2e.conftest import CONTEXT, SHOTS
from tests.e2e.day_screens import VIEWPORTS, axe_violations, fit_problems
from tests.e2e.helpers import Api, go, phone_today, sign_in, this_month, wait_synced
from tests.records import household, person


def _look(page, name, found):
    """Every viewport: the fit check and a screenshot; axe at 360 × 780."""
    SHOTS.mkdir(exist_ok=True)
    for width, height in VIEWPORTS:
        page.set_viewport_size({"width": width, "height": height})
        for problem in fit_problems(page):
            found.append(f"{name} at {width}×{height}: {problem}")
        page.screenshot(path=str(SHOTS / f"day-{width}x{height}-{name}.png"), full_page=True)
    page.set_viewport_size({"width": 360, "height": 780})
    count, report = axe_violations(page)
    if count:
        found.append(f"{name}: axe {report}")


def _world(api):
    today = phone_today()
    hh, head, child, visit_old, visit_new = (str(uuid.uuid4()) for _ in range(5))
    api.push([
        {"id": hh, "type": "household", "data": {
            "area": "31001-1", "address": "Số 12, ngõ 5, Tổ dân phố 1", "head_name": "Nguyễn Văn An",
            "phone": "0912345678"}},
        {"id": head, "type": "person", "data": {
            "household": hh, "full_name": "Nguyễn Văn An", "birth_date": "1970-02-03", "sex": "male",
            "relation": "head", "coverage": "household_hi"}},
        {"id": child, "type": "person", "data": {
            "household": hh, "full_name": "Nguyễn Thị Thanh Hương", "birth_date": "2008-05-06",
            "sex": "female", "relation": "child", "coverage": "none"}},
        {"id": visit_old, "type": "visit", "data": {
            "household": hh, "visited_at": f"{today - timedelta(days=80)}T09:00:00+07:00",
            "outcome": "interested", "follow_up_on": str(today - timedelta(days=75)), "topics": ["vsi"]}},
    ])
    other = str(uuid.uuid4())
    api.push([
        {"id": other, "type": "household", "data": {
            "area": "31001-2", "address": "Xóm Trại, Tổ dân phố 2", "head_name": "Lê Thị Mận"}},
        {"id": visit_new, "type": "visit", "data": {
            "household": other, "visited_at": f"{today - timedelta(days=5)}T09:00:00+07:00",
            "outcome": "interested", "follow_up_on": str(today - timedelta(days=3)), "topics": ["hhi"]}},
    ])
    return hh


def test_every_screen_fits_and_passes_axe(browser, context, page, server):
    found = []
    hh = _world(Api(server.base, "col_a"))
    elsewhere = household(area="31002-1")
    Api(server.base, "col_b").push([elsewhere, person(elsewhere["id"], personal_id="031190000999")])
    page.goto("/app/")
    page.wait_for_selector("#signin-username")
    _look(page, "00-sign-in", found)
    sign_in(page, "col_a")
    page.wait_for_selector(".tasks")
    _look(page, "01-today", found)
    go(page, "#/households")
    page.wait_for_selector("#hh-results a.row")
    _look(page, "02-households", found)
    go(page, f"#/household/{hh}")
    page.wait_for_selector(".hh-card")
    _look(page, "03-household", found)
    go(page, "#/household/new")
    page.wait_for_selector("#form-household-live")
    page.select_option("#form-household-live [name=area]", "31001-1")
    _look(page, "04-household-new", found)
    go(page, f"#/person/new?household={hh}")
    page.wait_for_selector("#form-person-live")
    page.fill("#form-person-live [name=personal_id]", "12")
    page.fill("#form-person-live [name=birth_date]", "1990-04-05")
    page.click("#form-person-live button.save")
    _look(page, "05-member-errors", found)
    go(page, f"#/visit/new?household={hh}")
    page.wait_for_selector("#form-visit-live")
    page.check("#form-visit-live input[name=outcome][value=interested]")
    _look(page, "06-visit", found)
    go(page, f"#/signup/{hh}")
    page.wait_for_selector("#form-enrollment-live")
    page.check("#form-enrollment-live input[name=scheme][value=vsi]")
    page.fill("#form-enrollment-live [name=start_month]", this_month())
    page.select_option("#form-enrollment-live [name=period_months]", "12")
    page.select_option("#form-enrollment-live [name=person]", index=1)
    page.fill("#form-enrollment-live [name=monthly_income]", "4500000")
    page.select_option("#form-enrollment-live [name=support_group]", "near_poor", force=True)
    page.click("#form-enrollment-live .due-bar")
    _look(page, "07-signup-vsi", found)
    page.check("#form-enrollment-live input[name=scheme][value=hhi]")
    for box in page.locator("#form-enrollment-live .member-row input[type=checkbox]").all():
        box.check()
    _look(page, "08-signup-hhi", found)
    go(page, "#/group/new")
    page.wait_for_selector("#form-outreach-live")
    _look(page, "09-group-session", found)
    go(page, "#/referral/new")
    page.wait_for_selector("#form-referral-live")
    _look(page, "10-referral-new", found)

    context.set_offline(True)
    go(page, f"#/person/new?household={hh}")
    page.wait_for_selector("#form-person-live")
    page.fill("#form-person-live [name=full_name]", "Nguyễn Văn Bình")
    page.fill("#form-person-live [name=birth_date]", "1995-01-02")
    page.check("#form-person-live input[name=sex][value=male]")
    page.fill("#form-person-live [name=personal_id]", "031190000999")  # held in another commune
    page.click("#form-person-live button.save")
    page.wait_for_selector(".hh-card")
    context.set_offline(False)
    page.wait_for_function("() => document.querySelector('#strip').textContent.includes('cần xử lý')")
    context.set_offline(True)
    go(page, f"#/visit/new?household={hh}")
    page.wait_for_selector("#form-visit-live")
    page.check("#form-visit-live input[name=outcome][value=not_home]")
    page.click("#form-visit-live button.save")
    page.wait_for_selector(".hh-card")
    go(page, "#/sync")
    page.wait_for_selector("#outbox-waiting")
    _look(page, "11-sync-attention-offline", found)
    go(page, "#/more")
    page.wait_for_selector("#sign-out")
    _look(page, "12-more", found)
    context.set_offline(False)

    head_ctx = browser.new_context(base_url=context.pages[0].url.split("/app/")[0], **CONTEXT)
    head_ctx.set_default_timeout(15000)
    head = head_ctx.new_page()
    sign_in(head, "head_a")
    _look(head, "20-head-home", found)
    head.click("#head-refer")
    head.wait_for_selector("#form-referral-live")
    _look(head, "21-head-referral-new", found)
    go(head, "#/referrals")
    head.wait_for_selector(".list, .empty")
    _look(head, "22-head-referrals", found)
    go(head, "#/sync")
    wait_synced(head)
    head.wait_for_selector("#sync-now")
    _look(head, "23-head-sync", found)
    head_ctx.close()
    assert found == []
