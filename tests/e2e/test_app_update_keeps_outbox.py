"""Issue #4, test 6: a new service-worker version prompts "Có phiên bản mới"; updating keeps
the outbox intact, the old cache is removed, and the waiting record still syncs once."""
from fieldapp.models import Household
from tests.e2e.conftest import shot
from tests.e2e.helpers import add_household, outbox, server_rows, sign_in, wait_ready, wait_synced

CACHES = "() => caches.keys()"


def test_new_version_prompts_update_and_keeps_the_outbox(page, server, seeded):
    app, world = seeded
    sign_in(page, "col_a")
    [old_cache] = page.evaluate(CACHES)
    page.route("**/api/v1/**", lambda route: route.abort("failed"))  # the record must wait
    hh = add_household(page, "Bùi Văn Tâm", "Số 4, Tổ dân phố 1")
    before = outbox(page)
    assert [e["id"] for e in before] == [hh]

    server.restart(build="2")  # a deploy: same database, new app version
    page.evaluate("() => navigator.serviceWorker.getRegistration().then((r) => r.update())")
    page.wait_for_selector("#update:not([hidden])")
    assert page.inner_text("#update-text") == "Có phiên bản mới"
    assert outbox(page) == before
    shot(page, "update-available")

    with page.expect_navigation():
        page.click("#update-button")
    wait_ready(page)
    caches = page.evaluate(CACHES)
    assert len(caches) == 1 and caches != [old_cache]
    assert outbox(page) == before

    page.unroute("**/api/v1/**")
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    wait_synced(page)
    assert outbox(page) == []
    assert len(server_rows(app, Household, id=hh)) == 1
