"""Issue #4, test 2: a record the server rejects shows "needs attention" with the server's
reason; after fixing it in the app it syncs (and the member saved under it goes too)."""
from fieldapp.models import Household, Person
from tests.e2e.conftest import shot
from tests.e2e.helpers import add_household, add_member, go, outbox, server_rows, sign_in, wait_synced


def test_rejected_record_is_fixed_and_resent(context, page, seeded):
    app, world = seeded
    sign_in(page, "col_a")
    context.set_offline(True)
    hh = add_household(page, "Đỗ Thị Mai", "Số 9, Tổ dân phố 1", phone="12345")
    add_member(page, hh, "Đỗ Thị Mai", "1990-10-10", "female")
    context.set_offline(False)

    page.wait_for_function("() => document.querySelector('#strip').textContent.includes('cần xử lý')")
    states = {e["type"]: e for e in outbox(page)}
    assert states["household"]["state"] == "rejected"
    assert "phone" in states["household"]["errors"]
    assert states["person"]["state"] == "rejected"  # it points at the rejected household

    go(page, "#/sync")
    item = page.locator(f".outbox-item.attention[data-id='{hh}']")
    item.wait_for()
    assert "Cần xử lý" in item.inner_text()
    assert "Số điện thoại" in item.inner_text()  # the field, named as the form names it
    shot(page, "sync-needs-attention")
    item.get_by_role("link", name="Sửa").click()
    page.wait_for_selector("#form-household-live")
    box = page.locator("#form-household-live [data-field=phone]")
    assert "has-error" in box.get_attribute("class")
    assert box.locator(".error").inner_text().strip()  # the server's reason next to the field
    shot(page, "household-fix")
    page.fill("#form-household-live [name=phone]", "+84 912 345 678")
    page.click("#form-household-live button.save")

    wait_synced(page, timeout=30000)
    assert outbox(page) == []
    [stored] = server_rows(app, Household, id=hh)
    assert stored.phone == "0912345678"
    assert len(server_rows(app, Person, household_id=hh)) == 1
