"""Steps a collector takes in the app, and checks on the server's database."""
import re

from fieldapp.extensions import db


def sign_in(page, username, password="pw"):
    """Open the app, sign in (pairs the device) and wait for the first sync to finish."""
    page.goto("/app/")
    page.fill("#signin-username", username)
    page.fill("#signin-password", password)
    page.get_by_role("button", name=re.compile("Đăng nhập|Sign in")).click()
    page.wait_for_selector("#strip:not([hidden])")
    wait_synced(page)
    # The service worker is controlling the page: reloading now is served from its cache.
    page.wait_for_function("navigator.serviceWorker.controller !== null")


def wait_synced(page, timeout=20000):
    """Until the strip says everything reached the server."""
    page.wait_for_function("""() => {
        const s = document.querySelector('#strip');
        return s && !s.hidden && s.textContent.startsWith('✓');
    }""", timeout=timeout)


def outbox(page):
    """The outbox entries on the device, straight from IndexedDB."""
    return page.evaluate("""() => new Promise((resolve, reject) => {
        const open = indexedDB.open('fieldapp');
        open.onsuccess = () => {
            const tx = open.result.transaction('outbox');
            const req = tx.objectStore('outbox').getAll();
            req.onsuccess = () => { resolve(req.result); open.result.close(); };
            req.onerror = () => reject(req.error);
        };
        open.onerror = () => reject(open.error);
    })""")


def server_rows(app, model, **filters):
    """Rows of ``model`` on the server (a fresh session each time)."""
    with app.app_context():
        try:
            return db.session.scalars(db.select(model).filter_by(**filters)).all()
        finally:
            db.session.remove()


def go(page, hash_path):
    page.evaluate(f"location.hash = {hash_path!r}")
    page.wait_for_function(f"location.hash === {hash_path!r}")
