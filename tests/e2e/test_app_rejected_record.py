"""Issue #4, test 2: a record the server rejects shows "needs attention" with the server's
reason; after fixing it in the app it syncs. Since #10 the phone refuses what it can judge
itself (a phone number one digit short), so the rejection here is one only the server can
make: a personal ID already held by someone in another commune, invisible to this phone."""
from fieldapp.models import Household, Person
from tests.e2e.conftest import shot
from tests.e2e.helpers import Api, add_household, add_member, go, outbox, server_rows, sign_in, wait_synced
from tests.records import household, person

TAKEN = "031190000777"


def test_rejected_record_is_fixed_and_resent(context, page, seeded, server):
    app, world = seeded
    elsewhere = household(area="31002-1")
    Api(server.base, "col_b").push([elsewhere, person(elsewhere["id"], personal_id=TAKEN)])
    sign_in(page, "col_a")
    context.set_offline(True)
    hh = add_household(page, "Đỗ Thị Mai", "Số 9, Tổ dân phố 1", phone="0912 345 678")
    add_member(page, hh, "Đỗ Thị Mai", "1990-10-10", "female", personal_id=TAKEN)
    context.set_offline(False)

    page.wait_for_function("() => document.querySelector('#strip').textContent.includes('cần xử lý')")
    states = {e["type"]: e for e in outbox(page)}
    assert "household" not in states  # accepted
    assert states["person"]["state"] == "rejected"
    assert "personal_id" in states["person"]["errors"]
    member = states["person"]["id"]

    go(page, "#/sync")
    item = page.locator(f".outbox-item.attention[data-id='{member}']")
    item.wait_for()
    assert "Cần xử lý" in item.inner_text()
    assert "Số định danh" in item.inner_text()  # the field, named as the form names it
    shot(page, "sync-needs-attention")
    item.get_by_role("link", name="Sửa").click()
    page.wait_for_selector("#form-person-live")
    box = page.locator("#form-person-live [data-field=personal_id]")
    assert "has-error" in box.get_attribute("class")
    assert box.locator(".error").inner_text().strip()  # the server's reason next to the field
    shot(page, "member-fix")
    page.fill("#form-person-live [name=personal_id]", "031190000778")
    page.click("#form-person-live button.save")

    wait_synced(page, timeout=30000)
    assert outbox(page) == []
    [stored] = server_rows(app, Household, id=hh)
    assert stored.phone == "0912345678"
    [member_row] = server_rows(app, Person, household_id=hh)
    assert member_row.personal_id == "031190000778"
