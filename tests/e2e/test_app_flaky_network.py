"""Issue #4, test 3: half of the API calls fail or time out; once the network heals every
record has synced exactly once.

Some failures happen before the server sees the request, others after it stored the batch
(the reply is lost): the retry must then be judged a duplicate, never a second record.
"""
import itertools

from fieldapp.models import Household, Person, Visit
from tests.e2e.helpers import add_household, add_member, log_visit, outbox, server_rows, sign_in, wait_synced


def test_flaky_network_syncs_everything_once(context, page, seeded):
    app, world = seeded
    sign_in(page, "col_a")
    calls = itertools.count()
    seen = {"lost_replies": 0, "refused": 0}

    def flaky(route):
        n = next(calls)
        if n % 4 == 0:
            seen["refused"] += 1
            route.abort("failed")  # never reached the server
        elif n % 4 == 2:
            route.fetch()  # the server stores the batch...
            seen["lost_replies"] += 1
            route.abort("timedout")  # ...and the phone never hears back
        else:
            route.continue_()

    page.route("**/api/v1/sync/**", flaky)
    households = []
    for i in range(3):
        hh = add_household(page, f"Phạm Văn Hải {i}", f"Số {i + 1}, Tổ dân phố 2", area="31001-2")
        add_member(page, hh, f"Phạm Văn Hải {i}", "1980-01-01", "male")
        log_visit(page, hh, "not_home", follow_up=None)
        households.append(hh)
        for _ in range(3):
            page.click("#nav a[data-nav=Sync]")
            page.wait_for_selector("#sync-now")
            page.click("#sync-now")
            page.wait_for_function("() => !document.querySelector('#sync-now').disabled")
    assert seen["lost_replies"] >= 2 and seen["refused"] >= 2

    page.unroute("**/api/v1/sync/**")
    page.click("#sync-now")
    wait_synced(page, timeout=30000)
    assert outbox(page) == []
    col_a = world.users["col_a"]
    assert sorted(h.id for h in server_rows(app, Household, created_by_id=col_a)) == sorted(households)
    assert len(server_rows(app, Person, created_by_id=col_a)) == 3
    assert len(server_rows(app, Visit, created_by_id=col_a)) == 3
