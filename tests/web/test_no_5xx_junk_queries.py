"""No page answers a 5xx to junk in its query string, whoever asks (issue #2)."""
from datetime import UTC, datetime

import pytest

from tests.web import records
from tests.web.test_page_access_matrix import PLAYERS, page_rules, sample_args

JUNK = [
    "page=-1", "page=abc", "page=0", "page=99999999999999999999999", "page=1e9", "page=%00",
    "q=%00", "q=%25%5F%5C", "q=" + "x" * 5000, "q=%E2%80%AE%F0%9F%98%80", "q=%FF%FE",
    "area=%00", "area=99999", "area=31002", "area=" + "9" * 300, "role=%00", "show=%00",
    "entity=%00", "user=%00", "user=nobody", "next=//evil.example",
    "_external=1&_scheme=javascript", "endpoint=x", "page=2&page=x", "q[]=1&area[]=2",
]


@pytest.mark.parametrize("role", ["anonymous", *PLAYERS])
def test_no_page_fails_on_junk(app, world, role):
    household_id = records.household(app, world.areas["31001-1"], "Nguyễn Văn An")
    visit_id = records.visit(app, household_id, datetime(2026, 11, 20, 3, tzinfo=UTC),
                             world.users["col_a"])
    records.device(app, world.users["col_a"])
    args = sample_args(world, household_id, visit_id)
    client = app.test_client()
    if role != "anonymous":
        client.post("/login", data={"username": PLAYERS[role], "password": "pw"})
    with app.test_request_context():
        from flask import url_for

        urls = [url_for(r.endpoint, **args.get(r.endpoint, {})) for r in page_rules(app)
                if not (r.arguments - set(args.get(r.endpoint, {})))]
    failures = []
    for url in urls:
        for junk in JUNK:
            resp = client.get(f"{url}?{junk}")
            if resp.status_code >= 500:
                failures.append(f"{url}?{junk[:40]} -> {resp.status_code}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("path", [
    "/supervisor/households/%00", "/supervisor/households/" + "a" * 400,
    "/admin/users/99999999999999999999999", "/admin/users/0",
])
def test_junk_in_the_path(world, login_as, path):
    assert login_as("admin").get(path).status_code in (404,)
