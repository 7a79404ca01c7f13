"""Issue #9, point 11: a phone whose device is revoked on the server (401 on the next sync)
drops the register it pulled at once, keeps only its own unsent records, and sends them after
the collector signs in again."""
import uuid

import requests

from fieldapp.models import Household
from tests.e2e.helpers import Api, add_household, outbox, server_rows, sign_in, stored, wait_synced

TOKEN = """() => new Promise((resolve) => {
    const open = indexedDB.open('fieldapp');
    open.onsuccess = () => {
        const req = open.result.transaction('meta').objectStore('meta').get('token');
        req.onsuccess = () => { resolve(req.result && req.result.value); open.result.close(); };
    };
})"""


def test_revoked_phone_drops_the_register_and_keeps_its_outbox(page, server, seeded):
    app, _world = seeded
    others = [{"id": str(uuid.uuid4()), "type": "household",
               "data": {"area": "31001-1", "address": f"Số {n}", "head_name": f"Hộ số {n}"}}
              for n in range(3)]
    Api(server.base, "col_a2").push(others)  # another collector's households, same area
    sign_in(page, "col_a")
    assert len(stored(page, "households")) == 3

    page.route("**/api/v1/sync/**", lambda route: route.abort("failed"))
    mine = add_household(page, "Hộ chưa gửi", "Số 50, Tổ dân phố 1")
    token = page.evaluate(TOKEN)
    resp = requests.delete(f"{server.base}/api/v1/devices/current",
                           headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert resp.status_code in (200, 204)
    page.unroute("**/api/v1/sync/**")

    page.evaluate("() => window.dispatchEvent(new Event('online'))")  # the next sync: 401
    page.wait_for_selector("#signin-username")
    page.wait_for_function("""() => new Promise((resolve) => {
        const open = indexedDB.open('fieldapp');
        open.onsuccess = () => {
            const req = open.result.transaction('households').objectStore('households').count();
            req.onsuccess = () => { resolve(req.result === 1); open.result.close(); };
        };
    })""", polling=200)
    assert [h["id"] for h in stored(page, "households")] == [mine]
    assert [e["id"] for e in outbox(page)] == [mine]
    assert stored(page, "tasks") == []

    sign_in(page, "col_a")  # signed in again: the record waiting goes, the register comes back
    wait_synced(page)
    assert outbox(page) == []
    assert len(server_rows(app, Household, id=mine)) == 1
    page.wait_for_function("""() => new Promise((resolve) => {
        const open = indexedDB.open('fieldapp');
        open.onsuccess = () => {
            const req = open.result.transaction('households').objectStore('households').count();
            req.onsuccess = () => { resolve(req.result === 4); open.result.close(); };
        };
    })""", polling=200)
