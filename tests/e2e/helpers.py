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
    # Its clients.claim() can miss a page still busy starting up (Chromium, about one run in
    # four here); a navigation is always controlled by the active worker, so load once more.
    page.evaluate("() => navigator.serviceWorker.ready")
    if not page.evaluate("() => navigator.serviceWorker.controller !== null"):
        page.reload()
        page.wait_for_selector("#strip:not([hidden])")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")


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


def stored(page, store):
    """Every row of one IndexedDB store on the device (``outbox`` is ``outbox(page)``)."""
    return page.evaluate("""(name) => new Promise((resolve, reject) => {
        const open = indexedDB.open('fieldapp');
        open.onsuccess = () => {
            const req = open.result.transaction(name).objectStore(name).getAll();
            req.onsuccess = () => { resolve(req.result); open.result.close(); };
            req.onerror = () => reject(req.error);
        };
        open.onerror = () => reject(open.error);
    })""", store)


def server_rows(app, model, **filters):
    """Rows of ``model`` on the server (a fresh session each time)."""
    with app.app_context():
        try:
            return db.session.scalars(db.select(model).filter_by(**filters)).all()
        finally:
            db.session.remove()


def go(page, hash_path):
    """Open a screen by its route; the same route again draws it afresh."""
    page.evaluate("""(target) => {
        document.querySelectorAll('form[id$="-live"]').forEach((f) => f.removeAttribute('id'));
        if (location.hash === target) window.dispatchEvent(new HashChangeEvent('hashchange'));
        else location.hash = target;
    }""", hash_path)
    page.wait_for_function("(target) => location.hash === target", arg=hash_path)


def wait_ready(page):
    page.wait_for_selector("body.ready")


def add_household(page, head_name, address, area="31001-1", phone=None):
    """Households -> add; returns the new household's id (from the URL after saving)."""
    go(page, "#/household/new")
    page.wait_for_selector("#form-household-live")
    page.fill("#form-household-live [name=head_name]", head_name)
    page.select_option("#form-household-live [name=area]", area)
    page.fill("#form-household-live [name=address]", address)
    if phone:
        page.fill("#form-household-live [name=phone]", phone)
    page.click("#form-household-live button.save")
    page.wait_for_selector(".hh-card")
    return page.evaluate("location.hash").split("/")[-1]


def add_member(page, household_id, full_name, birth_date, sex="female", personal_id=None):
    go(page, f"#/person/new?household={household_id}")
    page.wait_for_selector("#form-person-live")
    page.fill("#form-person-live [name=full_name]", full_name)
    page.fill("#form-person-live [name=birth_date]", birth_date)
    page.check(f"#form-person-live input[name=sex][value={sex}]")
    if personal_id:
        page.fill("#form-person-live [name=personal_id]", personal_id)
    page.click("#form-person-live button.save")
    page.wait_for_selector(".hh-card")


def log_visit(page, household_id, outcome="interested", follow_up="2026-12-05", note=None):
    go(page, f"#/visit/new?household={household_id}")
    page.wait_for_selector("#form-visit-live")
    page.check(f"#form-visit-live input[name=outcome][value={outcome}]")
    if follow_up:
        page.fill("#form-visit-live [name=follow_up_on]", follow_up)
    page.check("#form-visit-live input[name=topics][value=vsi]")
    if note:
        page.fill("#form-visit-live [name=note]", note)
    page.click("#form-visit-live button.save")
    page.wait_for_function("() => !document.querySelector('#form-visit-live')")


def open_signup(page, household_id):
    go(page, f"#/signup/{household_id}")
    page.wait_for_selector("#form-enrollment-live")


#: The test phones' time zone (the browser contexts of tests/e2e/conftest.py).
PHONE_ZONE = "Asia/Ho_Chi_Minh"


def phone_today():
    """The phone's date today. Not the machine's: from 17:00 UTC a phone in Vietnam is
    already on the next day (and on the last day of a month, in the next month)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo(PHONE_ZONE)).date()


def this_month():
    """The phone's month today (a sign-up made now may start in it: docs/premiums.md §9)."""
    return phone_today().strftime("%Y-%m")


def sign_up_vsi(page, household_id, person_name, income="1500000", group="other", period="3",
                start=None):
    start = start or this_month()
    open_signup(page, household_id)
    form = "#form-enrollment-live"
    page.check(f"{form} input[name=scheme][value=vsi]")
    page.fill(f"{form} [name=start_month]", start)
    page.select_option(f"{form} [name=period_months]", period)
    person = page.eval_on_selector(f"{form} [name=person]",
                                   "(s, n) => [...s.options].find((o) => o.text.startsWith(n)).value",
                                   person_name)
    page.select_option(f"{form} [name=person]", person)
    page.fill(f"{form} [name=monthly_income]", income)
    page.select_option(f"{form} [name=support_group]", group)
    shown = page.inner_text("#amount-due")
    page.click(f"{form} button.save")
    page.wait_for_selector(".hh-card")
    return shown


def sign_up_hhi(page, household_id, names, period="12", start=None):
    start = start or this_month()
    open_signup(page, household_id)
    form = "#form-enrollment-live"
    page.check(f"{form} input[name=scheme][value=hhi]")
    page.fill(f"{form} [name=start_month]", start)
    page.select_option(f"{form} [name=period_months]", period)
    for name in names:
        page.locator(f"{form} .member-row", has_text=name).locator("input[type=checkbox]").check()
    shown = page.inner_text("#amount-due")
    page.click(f"{form} button.save")
    page.wait_for_selector(".hh-card")
    return shown


def strip_text(page):
    return page.inner_text("#strip")


class Api:
    """The sync API as a second device would use it (seeding the server for a test)."""

    def __init__(self, base, username, password="pw"):
        import requests

        self.base, self.http = base, requests.Session()
        resp = self.http.post(f"{base}/api/v1/devices", json={
            "username": username, "password": password, "device_name": "test seeder"})
        resp.raise_for_status()
        self.http.headers["Authorization"] = f"Bearer {resp.json()['token']}"

    def push(self, records, expect_accepted=True):
        """Push ``records``; a sign-up is made in its start month unless it says its own
        ``client_time`` (the start window, docs/premiums.md §9)."""
        def when(r):
            if r.get("client_time"):
                return r["client_time"]
            if r["type"] == "enrollment":
                return f"{r['data']['start_month']}-10T09:00:00+07:00"
            return "2026-11-25T09:00:00+07:00"

        body = {"protocol": 1, "records": [
            {"id": r["id"], "type": r["type"], "version": r.get("version", 0),
             "client_time": when(r), "data": r["data"]} for r in records]}
        resp = self.http.post(f"{self.base}/api/v1/sync/push", json=body)
        resp.raise_for_status()
        results = resp.json()["results"]
        if expect_accepted:
            assert all(r["status"] == "accepted" for r in results), results
        return results


#: axe-core's options for every axe check of the suite. ``target-size`` (WCAG 2.2: a control
#: at least 24 × 24 px, or that far from the next one) is off in axe's defaults but on in
#: Lighthouse's accessibility score, which must stay 100: a thumb on a cheap phone needs it.
AXE_OPTIONS = {"resultTypes": ["violations"], "rules": {"target-size": {"enabled": True}}}
