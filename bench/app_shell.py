"""Benchmark of the field app in headless Chromium (issue #4; budgets in docs/budgets.md).

``python -m bench.app_shell [--households 10000]`` seeds a temporary SQLite database with one
collector's area (households with three members each, pushed through the sync API), starts
the app in its own process and measures:

- bytes of the first load of the app shell (HTML, CSS, JS modules, catalog, icon) as the
  browser receives them, bodies and headers (DevTools' "transferred"; the server compresses with
  brotli or gzip; the budget is 150 KB, no CDN), and uncompressed;
- signing in and pulling the whole area into the phone (IndexedDB);
- opening the app offline to a usable Today screen (budget 1 s);
- saving a visit: the outbox write alone, and tap-to-household-screen (budget 100 ms);
- searching the households on the phone (budget 100 ms), after the index is built.
"""
import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.data import household_group  # noqa: E402
from tests.e2e.conftest import ARGS, CHROMIUM, CONTEXT, LiveServer  # noqa: E402
from tests.e2e.helpers import Api, go, sign_in  # noqa: E402


def seed(households):
    from fieldapp.extensions import db
    from tests.conftest import build_world, make_app, reset_schema

    tmp = Path(tempfile.mkdtemp(prefix="bench_app_"))
    app = make_app(tmp)
    reset_schema(app)
    build_world(app)
    with app.app_context():
        url = db.engine.url.render_as_string(hide_password=False)
        db.engine.dispose()
    return url


def push_area(base, households):
    api, rng, batch, total = Api(base, "col_a"), random.Random(4), [], 0
    for _ in range(households):
        group, _hid, _persons = household_group(rng, members=3)
        if len(batch) + len(group) > 500:
            api.push(batch)
            total += len(batch)
            batch = []
        batch += group
    if batch:
        api.push(batch)
        total += len(batch)
    return total


def first_load(browser, base):
    """Everything the page itself fetches until the sign-in screen is up (before the
    service worker's own precache): per file, the bytes of the file and the bytes the browser
    received for its body (compressed by the server where it accepts it) and headers."""
    ctx = browser.new_context(base_url=base, **CONTEXT)
    page = ctx.new_page()
    seen = []
    page.on("requestfinished", lambda r: seen.append(r))
    page.goto("/app/", wait_until="networkidle")
    page.wait_for_selector("#signin-username")
    raw = received = headers = 0
    rows = []
    for req in seen:
        if "/sw.js" not in req.url and "/api/" not in req.url:
            resp = req.response()
            body = len(resp.body())
            sizes = req.sizes()
            raw += body
            received += sizes["responseBodySize"]
            headers += sizes["responseHeadersSize"]
            rows.append((req.url.replace(base, ""), body, sizes["responseBodySize"],
                         resp.headers.get("content-encoding", "-")))
    ctx.close()
    return raw, received, headers, rows


def in_page_ms(page, script, arg=None):
    return page.evaluate(script, arg)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=10_000)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    url = seed(args.households)
    server = LiveServer(url)
    try:
        t0 = time.perf_counter()
        records = push_area(server.base, args.households)
        took = time.perf_counter() - t0
        print(f"seeded {records:,} records ({args.households:,} households) in {took:.1f} s")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            raw, received, headers, rows = first_load(browser, server.base)
            for path, size, got, coding in sorted(rows, key=lambda r: -r[2]):
                print(f"    {path:42} {size:8,} B  received {got:7,} B  {coding}")
            print(f"first load of the app shell: {(received + headers) / 1024:.1f} KB received "
                  f"(bodies {received / 1024:.1f} KB + headers {headers / 1024:.1f} KB; "
                  f"{raw / 1024:.1f} KB uncompressed; {len(rows)} files; budget 150 KB)")

            ctx = browser.new_context(base_url=server.base, **CONTEXT)
            page = ctx.new_page()
            t0 = time.perf_counter()
            sign_in(page, "col_a")
            pulled = time.perf_counter() - t0
            count = page.evaluate("""() => new Promise((resolve) => {
                const open = indexedDB.open('fieldapp');
                open.onsuccess = () => {
                    const tx = open.result.transaction(['households', 'persons']);
                    const a = tx.objectStore('households').count();
                    const b = tx.objectStore('persons').count();
                    tx.oncomplete = () => resolve([a.result, b.result]);
                };
            })""")
            print(f"sign in + pull the area into the phone: {pulled:.1f} s "
                  f"({count[0]:,} households, {count[1]:,} persons in IndexedDB)")

            ctx.set_offline(True)
            opens = []
            for _ in range(5):
                fresh = ctx.new_page()
                fresh.goto("/app/")
                fresh.wait_for_selector("#today-counts")
                opens.append(fresh.evaluate("() => performance.now()"))
                fresh.close()
            print(f"open offline to a usable Today screen: median {statistics.median(opens):.0f} ms "
                  f"(max {max(opens):.0f} ms; budget 1000 ms)")

            page.reload()
            page.wait_for_selector("#today-counts")
            first = page.evaluate("""async () => {
                const { ensureIndex } = await import('/static/js/search.js');
                const t0 = performance.now();
                const index = await ensureIndex();
                return { id: index[0].id, build: performance.now() - t0 };
            }""")
            hh = first["id"]
            saves = page.evaluate("""async (hh) => {
                const { enqueue } = await import('/static/js/outbox.js');
                const out = [];
                for (let i = 0; i < 30; i += 1) {
                    const t0 = performance.now();
                    await enqueue('visit', crypto.randomUUID(), { household: hh, outcome: 'not_home',
                        visited_at: new Date().toISOString().slice(0, 19) + '+07:00' }, 'bench');
                    out.push(performance.now() - t0);
                }
                return out;
            }""", hh)
            taps = []
            for _ in range(5):
                go(page, f"#/visit/new?household={hh}")
                page.wait_for_selector("#form-visit-live")
                page.check("#form-visit-live input[name=outcome][value=not_home]")
                taps.append(page.evaluate("""() => new Promise((resolve) => {
                    const form = document.querySelector('#form-visit-live');
                    const t0 = performance.now();
                    form.requestSubmit();
                    const done = () => (document.querySelector('.hh-card')
                        ? resolve(performance.now() - t0) : requestAnimationFrame(done));
                    done();
                })"""))
            print(f"save a visit: outbox write median {statistics.median(saves):.1f} ms "
                  f"(max {max(saves):.1f}); "
                  f"tap Save to household screen median {statistics.median(taps):.0f} ms (budget 100 ms)")

            search = page.evaluate("""async () => {
                const mod = await import('/static/js/search.js');
                const index = await mod.ensureIndex();
                const times = [];
                for (const q of ['nguyen van an', 'tran thi', 'hoa', 'so 12 thon dong', '0912', 'xyz']) {
                    const t1 = performance.now();
                    await mod.searchHouseholds(q);
                    times.push(performance.now() - t1);
                }
                return { size: index.length, times };
            }""")
            print(f"search {search['size']:,} households on the phone: median "
                  f"{statistics.median(search['times']):.1f} ms, max {max(search['times']):.1f} ms "
                  f"(budget 100 ms; index built once on opening Households: {first['build']:.0f} ms)")
            ctx.close()
            browser.close()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
