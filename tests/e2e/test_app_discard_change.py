"""Issue #9, point 9: an edit the server refuses, or of a record that left the collector's
areas, is not stuck on the phone: "Bỏ thay đổi của tôi" (discard my change), once confirmed,
puts the server's copy back (or drops the record when it is no longer the collector's to see)
and the outbox empties."""
import uuid

from fieldapp.extensions import db
from fieldapp.models import Area, User
from tests.e2e.helpers import Api, go, outbox, sign_in, stored, wait_synced

DISCARD = "Bỏ thay đổi của tôi"


def _household(head, area="31001-1"):
    return {"id": str(uuid.uuid4()), "type": "household",
            "data": {"area": area, "address": "Số 1, Tổ dân phố 1", "head_name": head}}


def _edit_household(page, hh, **values):
    go(page, f"#/household/{hh}/edit")
    page.wait_for_selector("#form-household-live")
    for name, value in values.items():
        page.fill(f"#form-household-live [name={name}]", value)
    page.click("#form-household-live button.save")
    page.wait_for_selector(".hh-card")


def _discard(page, hh):
    go(page, "#/sync")
    item = page.locator(f".outbox-item.attention[data-id='{hh}']")
    item.wait_for()
    item.get_by_role("button", name=DISCARD).click()
    dialog = page.locator("#dialog")
    dialog.wait_for()
    page.click("#dialog-cancel")  # cancelled: nothing changes
    assert [e["id"] for e in outbox(page)] == [hh]
    item.get_by_role("button", name=DISCARD).click()
    text = dialog.inner_text()
    page.click("#dialog-ok")
    page.wait_for_function("() => !document.querySelector('.outbox-item.attention')")
    return text


def test_rejected_update_discarded_restores_the_server_copy(page, server, seeded):
    record = _household("Hộ Ngô Văn Bình")
    Api(server.base, "col_a").push([record])
    sign_in(page, "col_a")
    hh = record["id"]
    # Since #10 the phone itself refuses "12345": the edit is saved while the network fails and
    # its outbox copy is then changed as an older app (which did not check phones) stored it.
    page.route("**/api/v1/sync/**", lambda route: route.abort("failed"))
    _edit_household(page, hh, address="Số 99, sửa trên máy", phone="0912 345 678")
    page.evaluate("""(id) => new Promise((resolve) => {
        const open = indexedDB.open('fieldapp');
        open.onsuccess = () => {
            const tx = open.result.transaction('outbox', 'readwrite');
            const store = tx.objectStore('outbox');
            store.get(id).onsuccess = (e) => {
                const row = e.target.result; row.data.phone = '12345'; store.put(row);
            };
            tx.oncomplete = () => { open.result.close(); resolve(); };
        };
    })""", hh)
    page.unroute("**/api/v1/sync/**")
    go(page, "#/sync")
    page.click("#sync-now")
    page.wait_for_function("() => document.querySelector('#strip').textContent.includes('cần xử lý')")
    assert outbox(page)[0]["state"] == "rejected"

    text = _discard(page, hh)
    assert "bản trên máy chủ" in text
    assert outbox(page) == []
    [copy] = [h for h in stored(page, "households") if h["id"] == hh]
    assert copy["data"]["address"] == "Số 1, Tổ dân phố 1" and copy["version"] == 1
    go(page, f"#/household/{hh}")
    page.wait_for_selector(".hh-card")
    assert "Số 1, Tổ dân phố 1" in page.inner_text(".hh-card")
    wait_synced(page)


def test_update_of_a_record_out_of_scope_is_discarded(page, server, seeded):
    app, world = seeded
    record = _household("Hộ Trần Văn Cường")
    Api(server.base, "col_a").push([record])
    sign_in(page, "col_a")
    hh = record["id"]
    page.route("**/api/v1/sync/**", lambda route: route.abort("failed"))
    _edit_household(page, hh, address="Số 7, sửa trên máy")
    with app.app_context():  # the admin moves the collector to another commune meanwhile
        user = db.session.get(User, world.users["col_a"])
        user.areas = [db.session.get(Area, world.areas["31002"])]
        db.session.commit()
        db.session.remove()
    page.unroute("**/api/v1/sync/**")
    go(page, "#/sync")
    page.click("#sync-now")
    page.wait_for_function("() => document.querySelector('#strip').textContent.includes('cần xử lý')")
    [entry] = outbox(page)
    assert entry["state"] == "rejected" and list(entry["errors"]) == ["_"]

    text = _discard(page, hh)
    assert "xoá khỏi điện thoại" in text
    assert outbox(page) == []
    assert [h["id"] for h in stored(page, "households")] == []  # not the collector's any more
    wait_synced(page)
