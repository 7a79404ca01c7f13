"""The referral loop in the browser (#11): a village head refers someone offline; online, the
server gives the referral to the one collector of the village; the collector syncs, sees the
task, logs a visit and a sign-up naming it; the village head syncs and sees "Đã tham gia".
Also: the supervisor's referral page has no accessibility violation (axe)."""
import re
import uuid

from axe_playwright_python.sync_playwright import Axe
from werkzeug.security import generate_password_hash

from fieldapp.extensions import db
from fieldapp.models import Area, Referral, User
from fieldapp.supervisor.referrals import TABLE_ROWS
from tests.e2e.conftest import CONTEXT, shot
from tests.e2e.helpers import AXE_OPTIONS, add_member, go, server_rows, sign_in, this_month, wait_synced


def _add_head_b(app, world):
    """A village head in 31002-1, whose one collector is col_b."""
    with app.app_context():
        user = User(username="head_b", full_name="Trưởng thôn Đông", role="village_head",
                    password_hash=generate_password_hash("pw", method="pbkdf2:sha256:1000"))
        user.areas = [db.session.get(Area, world.areas["31002-1"])]
        db.session.add(user)
        db.session.commit()
        world.users["head_b"] = user.id
        db.session.remove()


def _sync(page):
    go(page, "#/sync")
    page.click("#sync-now")
    wait_synced(page)


def test_referral_reaches_the_collector_and_comes_back_enrolled(browser, context, page, seeded, server):
    app, world = seeded
    _add_head_b(app, world)
    sign_in(page, "head_b")
    context.set_offline(True)
    page.click("#head-refer")
    page.wait_for_selector("#form-referral-live")
    assert page.locator("#form-referral-live [name=close_reason]").count() == 0  # heads never close
    page.fill("#form-referral-live [name=contact_name]", "Vũ Thị Mai")
    page.check("#form-referral-live input[name=reason][value=informal_worker]")
    page.fill("#form-referral-live [name=contact_phone]", "0912 345 000")
    page.fill("#form-referral-live [name=address]", "Xóm 3, Thôn Đông")
    page.click("#form-referral-live button.save")
    page.wait_for_selector("#referral-list")
    context.set_offline(False)
    wait_synced(page)
    [ref] = server_rows(app, Referral, created_by_id=world.users["head_b"])
    assert (ref.status, ref.assigned_to_id) == ("assigned", world.users["col_b"])

    collector = browser.new_context(base_url=server.base, **CONTEXT)
    collector.set_default_timeout(15000)
    cpage = collector.new_page()
    sign_in(cpage, "col_b")
    task = cpage.locator(".tasks a", has_text="Vũ Thị Mai")
    text = task.inner_text()
    assert "✉" in text and "Giới thiệu: Vũ Thị Mai" in text
    assert "0912345000" in text and "Xóm 3, Thôn Đông" in text and "Lao động tự do" in text
    shot(cpage, "collector-referral-task")
    task.click()
    cpage.get_by_role("link", name="Thêm hộ và ghi nhận lượt thăm").click()
    cpage.wait_for_selector("#form-household-live")
    cpage.select_option("#form-household-live [name=area]", "31002-1")
    cpage.click("#form-household-live button.save")
    cpage.wait_for_selector("#form-visit-live")  # straight on to the visit naming the referral
    household = re.search(r"household=([0-9a-f-]+)", cpage.evaluate("location.hash")).group(1)
    assert cpage.input_value("#form-visit-live [name=referral]") == ref.id
    cpage.check("#form-visit-live input[name=outcome][value=not_home]")
    cpage.click("#form-visit-live button.save")
    cpage.wait_for_selector(".hh-card")
    add_member(cpage, household, "Vũ Thị Mai", "1988-04-02")
    # The sign-up after the visit: a second visit with outcome "enrolled" leads to it.
    go(cpage, f"#/visit/new?household={household}&referral={ref.id}")
    cpage.wait_for_selector("#form-visit-live")
    cpage.check("#form-visit-live input[name=outcome][value=enrolled]")
    cpage.click("#form-visit-live button.save")
    cpage.wait_for_selector("#form-enrollment-live")
    assert "visit=" in cpage.evaluate("location.hash")
    form = "#form-enrollment-live"
    cpage.check(f"{form} input[name=scheme][value=vsi]")
    cpage.fill(f"{form} [name=start_month]", this_month())
    cpage.select_option(f"{form} [name=period_months]", "3")
    cpage.select_option(f"{form} [name=person]", index=1)
    cpage.fill(f"{form} [name=monthly_income]", "1500000")
    cpage.select_option(f"{form} [name=support_group]", "other")
    cpage.click(f"{form} button.save")
    cpage.wait_for_selector(".hh-card")
    _sync(cpage)
    go(cpage, "#/today")
    cpage.wait_for_selector("#today-counts")
    # The referral is answered; the unpaid sign-up is now a payment to collect (#15).
    assert cpage.locator(".tasks a", has_text="Giới thiệu: Vũ Thị Mai").count() == 0
    assert cpage.locator(".tasks a", has_text="Đến hạn đóng: Vũ Thị Mai").count() == 1
    collector.close()
    [ref] = server_rows(app, Referral, id=ref.id)
    assert ref.status == "enrolled"

    _sync(page)
    go(page, "#/referrals")
    page.wait_for_selector("#referral-list [data-status=enrolled]")
    row = page.locator("#referral-list li", has_text="Vũ Thị Mai")
    assert row.locator("[data-status]").inner_text() == "Đã tham gia"
    steps = [s.get_attribute("data-step") for s in row.locator("[data-step]").all()]
    assert steps[0] == "enrolled" and set(steps) == {"new", "assigned", "visited", "enrolled"}
    assert re.search(r"\d\d/\d\d/\d{4}", row.inner_text())
    shot(page, "head-referral-enrolled")


def test_the_referral_page_has_no_accessibility_violations(browser, seeded, server):
    """With more referrers than a table shows, so that three tables carry a pager."""
    app, world = seeded
    with app.app_context():
        db.session.add(Referral(id="5b0c3f0e-2a55-4a53-9d5e-7a0e0a0d6f11", area_id=world.areas["31001-1"],
                                created_by_id=world.users["head_a"], contact_name="Lê Văn Cường",
                                reason="farmer", status="new"))
        village = db.session.get(Area, world.areas["31001-1"])
        hashed = generate_password_hash("pw", method="pbkdf2:sha256:1000")
        for n in range(TABLE_ROWS):
            head = User(username=f"head_x{n:02d}", full_name=f"Trưởng thôn {n:02d}",
                        role="village_head", password_hash=hashed)
            head.areas = [village]
            db.session.add(head)
            db.session.flush()
            db.session.add(Referral(id=str(uuid.uuid4()), area_id=village.id, created_by_id=head.id,
                                    contact_name=f"Người {n:02d}", reason="farmer", status="new"))
        db.session.commit()
        db.session.remove()
    for viewport in ({"width": 1280, "height": 900}, {"width": 360, "height": 780}):
        ctx = browser.new_context(base_url=server.base, viewport=viewport, locale="vi-VN")
        page = ctx.new_page()
        page.goto("/login")
        page.fill("[name=username]", "sup_a")
        page.fill("[name=password]", "pw")
        page.locator("form button[type=submit]").last.click()
        page.wait_for_load_state()
        page.goto("/supervisor/referrals")
        assert page.locator("h1").inner_text().startswith("Giới thiệu")
        assert "Lê Văn Cường" in page.content()
        assert page.locator("nav.pager").count() == 3
        result = Axe().run(page, options=AXE_OPTIONS)
        assert result.violations_count == 0, result.generate_report()
        # The next page of one table, reached by its own pager.
        page.locator("#referrers nav.pager").get_by_role("link", name="Trang sau").click()
        page.wait_for_load_state()
        assert "stats_page=2" in page.url
        assert page.locator("#referrers nav.pager").inner_text().count("Trang 2 / 2") == 1
        result = Axe().run(page, options=AXE_OPTIONS)
        assert result.violations_count == 0, result.generate_report()
        ctx.close()
