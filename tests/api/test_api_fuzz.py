"""Property: no JSON body and no query string makes push or pull answer 5xx (docs/protocol.md)."""
import json
import uuid
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api.conftest import make_token

ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=20)
SCALARS = (st.none() | st.booleans() | st.integers(-2**70, 2**70)
           | st.floats(allow_nan=False, allow_infinity=False) | ANY_TEXT)
JSON = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(ANY_TEXT, inner, max_size=4), max_leaves=12)

FIELDS = ["area", "address", "head_name", "phone", "note", "household", "full_name",
          "birth_date", "sex", "personal_id", "si_code", "relation", "coverage", "visited_at",
          "outcome", "topics", "follow_up_on", "referral", "location", "person", "scheme",
          "start_month", "period_months", "amount_due", "visit", "monthly_income",
          "support_group", "member_order", "receipt_no", "paid", "contact_name", "reason",
          "contact_phone", "kind", "held_at", "attendees", "leads"]
PLAUSIBLE = (st.sampled_from(["31001-1", "31001", "31002-1", "0912345678", "2025-09",
                              "2026-11-25T09:30:00+07:00", "1980-05-01", "vsi", "hhi",
                              "interested", "female", "other", "poor", "farmer",
                              "small_group", "x" * 1001, ""])
             | st.integers(-5, 2**40) | st.lists(st.sampled_from(["vsi", "hhi", 1]))
             | st.fixed_dictionaries({"lat": SCALARS, "lon": SCALARS}) | SCALARS)
IDS = st.sampled_from([str(uuid.UUID(int=n)) for n in range(1, 6)]) | ANY_TEXT | st.integers()
RECORD = st.fixed_dictionaries(
    {"id": IDS,
     "type": st.sampled_from(["household", "person", "visit", "enrollment", "referral",
                              "outreach", "other"]) | ANY_TEXT,
     "version": st.integers(-1, 3) | SCALARS,
     "data": st.dictionaries(st.sampled_from(FIELDS) | ANY_TEXT, PLAUSIBLE | IDS, max_size=10)
     | JSON},
    optional={"client_time": SCALARS})
PUSH_BODY = (st.fixed_dictionaries({"protocol": st.just(1) | SCALARS,
                                    "records": st.lists(RECORD | JSON, max_size=6) | JSON},
                                   optional={"device": JSON})
             | JSON)
QUERY = st.dictionaries(st.sampled_from(["cursor", "limit"]) | ANY_TEXT,
                        ANY_TEXT | st.integers().map(str), max_size=3)


@pytest.fixture
def token(app, world):
    return make_token(app, world.users["col_a"])


def _ok(resp):
    assert resp.status_code < 500, resp.get_data(as_text=True)
    if resp.status_code >= 400:
        assert set(resp.get_json()["error"]) >= {"code", "message"}


@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(body=PUSH_BODY)
def test_push_never_answers_5xx(client, token, body):
    resp = client.post("/api/v1/sync/push", data=json.dumps(body),
                       content_type="application/json",
                       headers={"Authorization": f"Bearer {token}"})
    _ok(resp)
    if resp.status_code == 200:
        assert len(resp.get_json()["results"]) == len(body["records"])


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(query=QUERY)
def test_pull_never_answers_5xx(client, token, query):
    # Percent-encoded bytes as a client may send them, invalid UTF-8 included.
    raw = "&".join(f"{quote(k.encode('utf-8', 'surrogatepass'))}="
                   f"{quote(v.encode('utf-8', 'surrogatepass'))}" for k, v in query.items())
    resp = client.get(f"/api/v1/sync/pull?{raw}", headers={"Authorization": f"Bearer {token}"})
    _ok(resp)
