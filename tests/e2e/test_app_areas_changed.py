"""A collector moved to another commune: after the next sync the phone holds that commune's
households (written long before) and no longer the old one's (the pull's ``reset``)."""
import uuid

from fieldapp.extensions import db
from fieldapp.models import Area, User
from tests.e2e.helpers import Api, sign_in, wait_synced

STORED_HEADS = """() => new Promise((resolve, reject) => {
    const open = indexedDB.open('fieldapp');
    open.onsuccess = () => {
        const req = open.result.transaction('households').objectStore('households').getAll();
        req.onsuccess = () => { resolve(req.result.map((h) => h.data.head_name).sort());
                                open.result.close(); };
        req.onerror = () => reject(req.error);
    };
    open.onerror = () => reject(open.error);
})"""


def _household(area, head):
    return {"id": str(uuid.uuid4()), "type": "household",
            "data": {"area": area, "address": "Số 1", "head_name": head}}


def test_moved_collector_phone_follows_the_new_areas(page, server, seeded):
    app, world = seeded
    Api(server.base, "col_a").push([_household("31001-1", "Hộ Hồng Bàng")])
    Api(server.base, "col_b").push([_household("31002-1", "Hộ An Lão")])
    sign_in(page, "col_a")
    assert page.evaluate(STORED_HEADS) == ["Hộ Hồng Bàng"]

    with app.app_context():
        user = db.session.get(User, world.users["col_a"])
        user.areas = [db.session.get(Area, world.areas["31002"])]
        db.session.commit()
        db.session.remove()

    page.reload()  # the app syncs when it opens
    wait_synced(page)
    page.wait_for_function(f"""async () => {{
        const heads = await ({STORED_HEADS})();
        return heads.length === 1 && heads[0] === 'Hộ An Lão';
    }}""", polling=200, timeout=15000)
    assert page.evaluate(STORED_HEADS) == ["Hộ An Lão"]
    # The villages the forms offer follow too (bootstrap fetched again after the reset).
    page.wait_for_function("""() => new Promise((resolve) => {
        const open = indexedDB.open('fieldapp');
        open.onsuccess = () => {
            const req = open.result.transaction('meta').objectStore('meta').get('bootstrap');
            req.onsuccess = () => { const codes = req.result.value.areas.map((a) => a.code);
                                    resolve(codes.includes('31002-1') && !codes.includes('31001-1'));
                                    open.result.close(); };
        };
    })""", polling=200, timeout=15000)
