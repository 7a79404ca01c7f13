"""Retries: backoff with jitter on network errors, 5xx and 429 (Retry-After honoured)."""
from datetime import UTC, datetime

import pytest

from sync.errors import Forbidden, ProtocolMismatch, RateLimited, RequestRefused, SignedOut
from sync.transport import retry_after_seconds

from .stub import down, household, make_client, receipts


def scripted(*steps):
    """Answer the first pushes from ``steps``, then give receipts."""
    queue = list(steps)

    def answer(req):
        return queue.pop(0) if queue else receipts()(req)
    return answer


def test_network_errors_5xx_and_429_are_retried_with_backoff(tmp_path):
    client = make_client(tmp_path, scripted(
        (503, {"error": {"code": "x", "message": "busy"}}),
        (429, {"error": {"code": "rate_limited", "message": "slow"}}, {"Retry-After": "7"}),
        down()))
    client.enqueue([household(1)])
    summary = client.push()
    assert summary.accepted == 1
    # rand() = 0: half of 0.5 s, then Retry-After 7 s plus a little, then half of 2 s.
    assert client.waits == [0.25, 7.125, 1.0]


def test_jitter_stays_within_half_and_whole_of_a_capped_delay(tmp_path):
    client = make_client(tmp_path, receipts(), rand=lambda: 0.999, backoff_max=4.0)
    assert [round(client.http.backoff_delay(a), 2) for a in range(6)] == [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]
    client.http.rand = lambda: 0.0
    assert client.http.backoff_delay(10) == 2.0


def test_a_long_retry_after_stops_the_push_instead_of_hanging(tmp_path):
    client = make_client(tmp_path, scripted(
        (429, {"error": {"code": "rate_limited", "message": "slow"}}, {"Retry-After": "900"})))
    client.enqueue([household(1)])
    with pytest.raises(RateLimited, match="15 minute"):
        client.push()
    assert client.waits == [] and client.store.depth() == 1


@pytest.mark.parametrize("status, code, error", [
    (401, "unauthorized", SignedOut),
    (403, "forbidden", Forbidden),
    (409, "protocol_version", ProtocolMismatch),
    (415, "unsupported_media_type", RequestRefused),
])
def test_answers_a_retry_cannot_fix_are_not_retried(tmp_path, status, code, error):
    client = make_client(tmp_path, scripted((status, {"error": {"code": code, "message": "m"}})))
    client.enqueue([household(1)])
    with pytest.raises(error):
        client.push()
    assert len(client.session.requests) == 1 and client.store.depth() == 1


def test_retry_after_as_an_http_date():
    now = datetime(2026, 11, 25, 9, 0, 0, tzinfo=UTC)
    assert retry_after_seconds("Wed, 25 Nov 2026 09:00:30 GMT", now) == 30
    assert retry_after_seconds("soon", now) is None


def test_a_connection_broken_while_reading_the_answer_is_retried(tmp_path):
    """A server killed after sending its headers: the body never comes (IncompleteRead)."""
    import requests

    broken = requests.exceptions.ChunkedEncodingError("Connection broken: IncompleteRead")
    client = make_client(tmp_path, scripted(broken))
    client.enqueue([household(1)])
    summary = client.push()
    assert summary.accepted == 1
    assert len(client.session.pushes()) == 2
