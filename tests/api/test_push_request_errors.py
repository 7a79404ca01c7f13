"""Request-level errors of a push that the contract leaves open or a device cannot cause: an
inactive user, the code chosen for records that are not a list, a Content-Length judged before
the body is read (the other errors and their order: the contract suite)."""
import json

import pytest

from fieldapp.extensions import db
from fieldapp.models import User
from tests.device import API, error_of


def test_inactive_user_is_401(app, world, api):
    col = api("col_a")
    with app.app_context():
        db.session.get(User, world.users["col_a"]).active = False
        db.session.commit()
    error_of(col.push([]), 401, "unauthorized")


@pytest.mark.parametrize("body", [{"protocol": 1}, {"protocol": 1, "records": {}},
                                  {"protocol": 1, "records": "x"}])
def test_records_missing_or_not_a_list_is_400_bad_request(api, body):
    """The contract asks only for a 4xx here; this server answers as for a missing protocol."""
    error_of(api("col_a").push_raw(json.dumps(body)), 400, "bad_request")


def test_size_is_judged_by_content_length_before_reading(api):
    col = api("col_a")
    resp = col.client.post(f"{API}/sync/push", data=b'{"protocol": 1, "records": []}',
                           content_type="application/json", headers=col.headers,
                           environ_overrides={"CONTENT_LENGTH": str(3 * 1024 * 1024)})
    error_of(resp, 413, "too_large")
