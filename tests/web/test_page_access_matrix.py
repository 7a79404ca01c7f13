"""Every page x every role: allowed (200), refused (403) or sent to sign-in (302 to /login).

The expected matrix is written out below. A new page that is not in it fails
``test_every_page_is_in_the_matrix``: whoever adds a page decides here who may open it.
The API (/api/) and the PWA (/app/, its service worker) have their own tests.
"""
from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest

from tests.conftest import login
from tests.web import records

OK, DENIED, LOGIN, HOME = 200, 403, "sign-in", "home"
ROLES = ("anonymous", "admin", "supervisor", "collector", "village_head")
#: The world user who plays each role; sup_a and head_a work in commune 31001.
PLAYERS = {"admin": "admin", "supervisor": "sup_a", "collector": "col_a",
           "village_head": "head_a"}


def row(anonymous, admin, supervisor, collector, village_head):
    return dict(zip(ROLES, (anonymous, admin, supervisor, collector, village_head)))


DESK = row(LOGIN, OK, OK, DENIED, DENIED)
ADMIN = row(LOGIN, OK, DENIED, DENIED, DENIED)

EXPECTED = {
    "main.index": row(LOGIN, HOME, HOME, HOME, HOME),
    "main.home": row(LOGIN, OK, OK, OK, OK),
    "auth.login": row(OK, HOME, HOME, HOME, HOME),
    "supervisor.overview": DESK,
    "supervisor.households": DESK,
    "supervisor.household": DESK,
    "supervisor.review_queue": DESK,
    "supervisor.review_visit": DESK,
    "supervisor.review_xlsx": DESK,
    "supervisor.synthesis": DESK,
    "supervisor.synthesis_print": DESK,
    "supervisor.synthesis_csv": DESK,
    "supervisor.synthesis_xlsx": DESK,
    "supervisor.network": DESK,
    "supervisor.network_xlsx": DESK,
    "supervisor.progress_page": DESK,
    "supervisor.plans": DESK,
    "supervisor.referrals": DESK,
    "supervisor.referrals_download": DESK,
    "supervisor.payers_list": DESK,
    "supervisor.money_page": DESK,
    "admin.devices": DESK,
    # Supervisors manage the collectors and village heads of their subtree (#13).
    "admin.users": DESK,
    "admin.user_new": DESK,
    "admin.user_edit": DESK,
    "admin.audit": ADMIN,
    "admin.policy": ADMIN,
    "admin.policy_new": ADMIN,
}

#: Paths outside this matrix: static files, the sync API and the PWA.
EXCLUDED_PREFIXES = ("/static/", "/api/", "/app/")
EXCLUDED_PATHS = ("/sw.js", "/manifest.webmanifest")


def page_rules(app):
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        if rule.rule.startswith(EXCLUDED_PREFIXES) or rule.rule in EXCLUDED_PATHS:
            continue
        yield rule


def sample_args(world, household_id, visit_id=None):
    """Values for the pages that take an argument (a record the supervisor may see)."""
    return {
        "supervisor.household": {"household_id": household_id},
        "supervisor.review_visit": {"visit_id": visit_id},
        "supervisor.referrals_download": {"fmt": "csv"},
        "admin.user_edit": {"user_id": world.users["col_a"]},
    }


def test_every_page_is_in_the_matrix(app):
    found = {rule.endpoint for rule in page_rules(app)}
    missing = sorted(found - set(EXPECTED))
    assert not missing, f"pages with no row in EXPECTED (decide who may open them): {missing}"
    gone = sorted(set(EXPECTED) - found)
    assert not gone, f"rows in EXPECTED for pages that no longer exist: {gone}"


@pytest.mark.parametrize("role", ROLES)
def test_role_sees_exactly_the_pages_of_the_matrix(app, world, role):
    household_id = records.household(app, world.areas["31001-1"], "Nguyễn Văn An")
    visit_id = records.visit(app, household_id, datetime(2026, 11, 20, 3, tzinfo=UTC),
                             world.users["col_a"])
    args = sample_args(world, household_id, visit_id)
    client = app.test_client()
    if role != "anonymous":
        assert login(client, PLAYERS[role]).status_code == 302
    wrong = []
    with app.test_request_context():
        from flask import url_for

        urls = {}
        for rule in page_rules(app):
            if rule.arguments - set(args.get(rule.endpoint, {})):
                wrong.append(f"{rule.endpoint}: add sample arguments for {sorted(rule.arguments)}")
                continue
            urls[rule.endpoint] = url_for(rule.endpoint, **args.get(rule.endpoint, {}))
    for endpoint, url in sorted(urls.items()):
        expected = EXPECTED.get(endpoint, {}).get(role)
        resp = client.get(url)
        got = _outcome(resp)
        if got != expected:
            wrong.append(f"{url} as {role}: expected {expected}, got {got} ({resp.status_code})")
    assert not wrong, "\n".join(wrong)


def _outcome(resp):
    if resp.status_code in (301, 302, 303):
        path = urlsplit(resp.headers["Location"]).path
        return {"/login": LOGIN, "/home": HOME}.get(path, f"redirect to {path}")
    return resp.status_code
