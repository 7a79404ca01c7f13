"""Signing out with records not yet sent warns and needs confirmation; confirmed, it clears
the user's data from the phone and revokes the device on the server."""
from fieldapp.models import Device
from tests.e2e.helpers import add_household, go, outbox, server_rows, sign_in


def test_sign_out_warns_then_clears_and_revokes(context, page, seeded):
    app, world = seeded
    sign_in(page, "col_a")
    page.route("**/api/v1/sync/**", lambda route: route.abort("failed"))
    add_household(page, "Đinh Văn Sơn", "Số 8, Tổ dân phố 1")

    go(page, "#/more")
    page.click("#sign-out")
    dialog = page.locator("#dialog")
    dialog.wait_for()
    assert "1 bản ghi chưa được gửi" in dialog.inner_text()
    page.click("#dialog-cancel")
    assert len(outbox(page)) == 1
    assert "Đăng xuất" in page.inner_text("#view")  # still signed in, still on More

    page.click("#sign-out")
    page.click("#dialog-ok")
    page.wait_for_selector("#signin-username")
    assert outbox(page) == []
    count = page.evaluate("""() => new Promise((resolve) => {
        const open = indexedDB.open('fieldapp');
        open.onsuccess = () => {
            const req = open.result.transaction('households').objectStore('households').count();
            req.onsuccess = () => { resolve(req.result); open.result.close(); };
        };
    })""")
    assert count == 0
    [device] = list(server_rows(app, Device, user_id=world.users["col_a"]))
    assert device.revoked_at is not None
