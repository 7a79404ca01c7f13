"""Issue #9, point 13: the first load of the app is at most 150 KB as the browser receives it.

Flask compresses the app's files itself (brotli or gzip, no proxy needed): a fresh browser
opens /app/ and every file it fetches until the sign-in screen is up is counted by the bytes
Chromium received for it, headers and body (DevTools' "transferred"; 173 KB before). Then
the app installs (sign in: the service worker precaches the compressed answers) and still
opens offline, forms and all.
"""
from tests.e2e.helpers import go, sign_in, wait_ready

BUDGET = 150 * 1024


def test_first_load_within_budget_and_offline_after_install(context, page):
    seen = []
    page.on("requestfinished", lambda r: seen.append(r))
    page.goto("/app/", wait_until="networkidle")
    page.wait_for_selector("#signin-username")

    files = [r for r in seen if "/api/" not in r.url and not r.url.endswith("/sw.js")]
    bodies = sum(r.sizes()["responseBodySize"] for r in files)
    received = bodies + sum(r.sizes()["responseHeadersSize"] for r in files)
    decoded = sum(len(r.response().body()) for r in files)
    assert len(files) > 20
    assert received <= BUDGET, f"first load {received / 1024:.1f} KB received (budget 150 KB)"
    assert bodies < decoded / 2
    texts = [r for r in files if r.resource_type in ("document", "script", "stylesheet", "fetch")]
    for r in texts:
        resp = r.response()
        if len(resp.body()) >= 1024:
            assert resp.headers.get("content-encoding") in ("br", "gzip"), r.url
            assert "accept-encoding" in resp.headers.get("vary", "").lower(), r.url

    sign_in(page, "col_a")
    context.set_offline(True)
    reply = page.reload()
    assert reply.from_service_worker
    wait_ready(page)
    go(page, "#/household/new")
    page.wait_for_selector("#form-household-live [name=head_name]")
