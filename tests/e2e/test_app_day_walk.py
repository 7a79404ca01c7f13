"""Issue #10, the whole day as one test, offline from sign-in to sync at 360 × 780 in
Vietnamese: a referral waits on Today; the collector visits a known household, answers the
referral with a new household and its head (the member form prefilled from the household),
signs up VSI and HHI, and meets one record the server refuses (a personal ID held in another
commune, which the phone cannot see), corrects it and sends it again. The day ends with
nothing waiting and nothing needing attention, and the server holds every record once."""
import uuid

from fieldapp.extensions import db
from fieldapp.models import Enrollment, Household, Person, Referral, Visit
from fieldapp.syncserver.feed import touch
from tests.e2e.conftest import shot
from tests.e2e.helpers import Api, go, outbox, server_rows, sign_in, strip_text, this_month, wait_synced

FORM = "#form-enrollment-live"
TAKEN = "031170000999"


def _assign(app, world, referral_id):
    """The supervisor assigns the village head's referral to col_a (a desk action)."""
    with app.app_context():
        ref = db.session.get(Referral, referral_id)
        ref.status, ref.assigned_to_id = "assigned", world.users["col_a"]
        touch("referral", [referral_id])
        db.session.commit()
        db.session.remove()


def test_the_collectors_day_offline_from_sign_in_to_sync(context, page, seeded, server):
    app, world = seeded
    known, referral_id, elsewhere = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())
    Api(server.base, "col_a").push([
        {"id": known, "type": "household", "data": {"area": "31001-1", "address": "Số 1, Tổ dân phố 1",
                                                    "head_name": "Cao Văn Lâm"}},
        {"id": str(uuid.uuid4()), "type": "person", "data": {
            "household": known, "full_name": "Cao Văn Lâm", "birth_date": "1968-02-02", "sex": "male",
            "relation": "head"}}])
    Api(server.base, "head_a").push([{"id": referral_id, "type": "referral", "data": {
        "area": "31001-1", "contact_name": "Đinh Thị Yến", "reason": "no_health_insurance",
        "address": "Xóm Bến, Tổ dân phố 1", "contact_phone": "0912 777 888"}}])
    Api(server.base, "col_b").push([
        {"id": elsewhere, "type": "household", "data": {"area": "31002-1", "address": "Thôn Đông",
                                                        "head_name": "Vi Thị Ba"}},
        {"id": str(uuid.uuid4()), "type": "person", "data": {
            "household": elsewhere, "full_name": "Vi Thị Ba", "birth_date": "1970-01-01", "sex": "female",
            "personal_id": TAKEN}}])
    _assign(app, world, referral_id)

    sign_in(page, "col_a")
    context.set_offline(True)
    page.reload()
    page.wait_for_selector("body.ready")
    assert "Ngoại tuyến" in strip_text(page)
    assert "Đinh Thị Yến" in page.inner_text(".tasks")  # the referral on Today

    # A visit to a known household, found by search without diacritics.
    go(page, "#/households")
    page.fill("#view input[type=search]", "cao van lam")
    page.locator("#hh-results a.row", has_text="Cao Văn Lâm").click()
    page.wait_for_selector(".hh-card")
    page.click("text=Ghi lượt thăm")
    page.wait_for_selector("#form-visit-live")
    page.check("#form-visit-live input[name=outcome][value=not_home]")
    page.click("#form-visit-live button.save")
    page.wait_for_selector(".hh-card")

    # The referral answered: a new household, its head prefilled, a visit, the sign-ups.
    go(page, f"#/referral/{referral_id}")
    page.click("text=Thêm hộ và ghi nhận lượt thăm")
    page.wait_for_selector("#form-household-live")
    assert page.input_value("#form-household-live [name=head_name]") == "Đinh Thị Yến"
    page.select_option("#form-household-live [name=area]", "31001-1")
    page.click("#form-household-live button.save")
    page.wait_for_selector("#form-visit-live")
    page.check("#form-visit-live input[name=outcome][value=enrolled]")
    page.click("#form-visit-live button.save")
    page.wait_for_function("() => location.hash.startsWith('#/signup/')")  # an "enrolled" visit
    hh = page.evaluate("location.hash").split("/")[2].split("?")[0]
    page.click("#view a.button:has-text('Thêm thành viên')")  # no member yet: the head first
    page.wait_for_selector("#form-person-live")
    assert page.input_value("#form-person-live [name=full_name]") == "Đinh Thị Yến"
    page.fill("#form-person-live [name=birth_date]", "1982-06-15")
    page.check("#form-person-live input[name=sex][value=female]")
    page.fill("#form-person-live [name=personal_id]", TAKEN)  # the server will refuse it
    page.click("#form-person-live button.save")
    page.wait_for_selector(".hh-card")
    go(page, f"#/person/new?household={hh}")
    page.wait_for_selector("#form-person-live")
    page.fill("#form-person-live [name=full_name]", "Đinh Văn Tú")
    page.fill("#form-person-live [name=birth_date]", "2010-09-01")
    page.check("#form-person-live input[name=sex][value=male]")
    page.select_option("#form-person-live [name=relation]", "child")
    page.click("#form-person-live button.save")
    page.wait_for_selector(".hh-card")

    go(page, f"#/signup/{hh}")
    page.wait_for_selector(FORM)
    page.check(f"{FORM} input[name=scheme][value=vsi]")
    page.fill(f"{FORM} [name=start_month]", this_month())
    page.select_option(f"{FORM} [name=period_months]", "3")
    page.select_option(f"{FORM} [name=person]", label=page.eval_on_selector(
        f"{FORM} [name=person]", "(s) => [...s.options].find((o) => o.text.startsWith('Đinh Thị Yến')).text"))
    page.fill(f"{FORM} [name=monthly_income]", "1.500.000")
    page.select_option(f"{FORM} [name=support_group]", "other")
    assert page.inner_text("#amount-due") == "792.000 ₫"
    page.click(f"{FORM} button.save")
    page.wait_for_selector(".hh-card")
    go(page, f"#/signup/{hh}")
    page.wait_for_selector(FORM)
    page.check(f"{FORM} input[name=scheme][value=hhi]")
    page.fill(f"{FORM} [name=start_month]", this_month())
    page.select_option(f"{FORM} [name=period_months]", "12")
    for box in page.locator(f"{FORM} .member-row input[type=checkbox]").all():
        box.check()
    page.click(f"{FORM} button.save")
    page.wait_for_selector(".hh-card")
    assert page.locator("#view .member-status").count() == 2  # signed up, before any sync
    waiting = outbox(page)
    assert sorted(e["type"] for e in waiting) == [
        "enrollment", "enrollment", "enrollment", "household", "person", "person", "visit", "visit"]
    shot(page, "day-walk-offline")

    # Back online: one record refused (and what points at it), corrected, sent again.
    context.set_offline(False)
    page.wait_for_function("() => document.querySelector('#strip').textContent.includes('cần xử lý')")
    assert strip_text(page).startswith("⚠")
    page.click("#strip a")
    page.wait_for_selector("#sync-now")
    signup = page.locator(".outbox-item.attention", has_text="Đăng ký tham gia").first
    signup.wait_for()  # refused with the member it points at, and it can be fixed too
    assert "/signup/" in signup.get_by_role("link", name="Sửa").get_attribute("href")
    member = page.locator(".outbox-item.attention", has_text="Thành viên").first
    member.get_by_role("link", name="Sửa").click()
    page.wait_for_selector("#form-person-live")
    page.fill("#form-person-live [name=personal_id]", "031182000615")
    page.click("#form-person-live button.save")
    page.wait_for_selector(".hh-card")
    go(page, "#/sync")
    page.wait_for_selector("#sync-now")
    for item in page.locator(".outbox-item.attention").all():  # the sign-ups refused with it
        item.get_by_role("button", name="Gửi lại").click()
    wait_synced(page, timeout=30000)
    assert outbox(page) == []
    assert "cần xử lý" not in strip_text(page) and "chờ" not in strip_text(page)

    assert len(server_rows(app, Household, id=hh)) == 1
    people = server_rows(app, Person, household_id=hh)
    assert sorted(p.personal_id or "" for p in people) == ["", "031182000615"]
    assert len(server_rows(app, Visit, household_id=hh)) == 1
    assert len(server_rows(app, Visit, household_id=known)) == 1
    enrollments = [e for p in people for e in server_rows(app, Enrollment, person_id=p.id)]
    assert sorted(e.scheme for e in enrollments) == ["hhi", "hhi", "vsi"]
    [answered] = server_rows(app, Visit, household_id=hh)
    assert answered.referral_id == referral_id  # the referral answered by that visit
