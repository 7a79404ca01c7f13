"""HTTP for the sync client: one request, retried while a retry can help.

Every sync call may be repeated safely (a pushed record the server already holds comes back
``duplicate``; a pull cursor stays valid), so network errors, timeouts, 5xx answers and 429s
are retried with exponential backoff. Half of each wait is random ("equal jitter"): a hundred
phones that regain the network together do not knock again in step, and no wait is ever zero.
A 429's Retry-After is honoured; one longer than the caller will wait ends the call instead.
"""
import email.utils
import json as _json
import os
import random
import time
from datetime import UTC, datetime

import orjson
import requests

from .errors import (
    Forbidden,
    NotPaired,
    ProtocolMismatch,
    RateLimited,
    RequestRefused,
    ServerError,
    ServerUnreachable,
    SignedOut,
)

#: Statuses worth asking again for: the server is busy, restarting or briefly failing.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


def retry_after_seconds(value, now=None):
    """Seconds to wait from a Retry-After header (seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def error_of(resp):
    """(code, message) from the protocol's error body, whatever the body really is."""
    try:
        err = resp.json().get("error") or {}
        return err.get("code"), err.get("message") or resp.reason
    except (ValueError, AttributeError):
        return None, resp.reason or f"HTTP {resp.status_code}"


def _session(base_url):
    """A requests Session that reads the environment once, here, not on every request.

    requests otherwise looks through os.environ (proxies, CA bundle) and ~/.netrc on each
    call: a tenth of a relay's CPU, and a netrc entry could replace the bearer token.
    HTTP(S)_PROXY / NO_PROXY and REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE are still honoured.
    """
    session = requests.Session()
    if base_url:
        session.proxies.update(requests.utils.get_environ_proxies(base_url))
    bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
    if bundle:
        session.verify = bundle
    session.trust_env = False
    return session


class Transport:
    """Requests to ``base_url``/api/v1 over a requests Session, with retries.

    ``token`` is a function returning the bearer token (it changes when a device pairs).
    ``on_request(method, path, status, seconds)`` is called after every attempt, status None
    for a network error: for logs and benchmarks.
    """

    def __init__(self, base_url, token, session=None, timeout=(5, 60), retries=6, backoff=0.5,
                 backoff_max=30.0, max_retry_after=120.0, sleep=None, rand=None,
                 on_request=None, headers=None):
        self.base_url = (base_url or "").rstrip("/")
        self.token = token
        self.session = session or _session(self.base_url)
        self.session.headers.update(headers or {})
        self.timeout = timeout
        self.retries, self.backoff, self.backoff_max = retries, backoff, backoff_max
        self.max_retry_after = max_retry_after
        self.sleep = sleep or time.sleep
        self.rand = rand or random.random
        self.on_request = on_request

    def close(self):
        self.session.close()

    def require_pairing(self):
        if not self.base_url:
            raise NotPaired("no server given: pass --server URL (or pair first)")
        if not self.token():
            raise NotPaired("this device is not paired; run `python -m sync pair` first")

    def backoff_delay(self, attempt):
        """Seconds before retry number ``attempt`` + 1: between half and all of the delay."""
        delay = min(self.backoff_max, self.backoff * (2 ** attempt))
        return delay / 2 + self.rand() * delay / 2

    def request(self, method, path, *, json=None, params=None, auth=True, retry=True):
        """Send one request, retrying what a retry can fix; returns a non-retryable answer."""
        if not self.base_url:
            raise NotPaired("no server given: pass --server URL (or pair first)")
        headers = {}
        if auth:
            self.require_pairing()
            headers["Authorization"] = f"Bearer {self.token()}"
        url = f"{self.base_url}/api/v1{path}"
        attempts = self.retries + 1 if retry else 1
        body = None
        if json is not None:  # orjson: a push of 500 records encodes 10x faster
            try:
                body = orjson.dumps(json)
            except (TypeError, orjson.JSONEncodeError):  # lone surrogates, huge numbers
                body = _json.dumps(json).encode()
            headers["Content-Type"] = "application/json"
        for attempt in range(attempts):
            started = time.monotonic()
            try:
                resp = self.session.request(method, url, data=body, params=params,
                                            headers=headers, timeout=self.timeout)
            except (requests.ConnectionError, requests.Timeout,
                    # the connection broke while the answer's body was being read
                    requests.exceptions.ChunkedEncodingError,
                    requests.exceptions.ContentDecodingError) as exc:
                self._report(method, path, None, started)
                failure, wait = exc, None
            else:
                self._report(method, path, resp.status_code, started)
                if resp.status_code not in RETRY_STATUSES and resp.status_code < 500:
                    return resp
                failure = resp
                wait = retry_after_seconds(resp.headers.get("Retry-After"))
                if resp.status_code == 429 and (not retry or wait is not None
                                                and wait > self.max_retry_after):
                    minutes = max(1, round((wait or 60) / 60))
                    raise RateLimited(f"the server is limiting requests; try again in about "
                                      f"{minutes} minute(s)", wait)
            if attempt + 1 == attempts:
                break
            delay = self.backoff_delay(attempt)
            self.sleep(delay if wait is None else wait + delay / 4)
        raise self._gave_up(failure, attempts)

    def _gave_up(self, failure, attempts):
        tries = f"{attempts} attempt{'s' if attempts > 1 else ''}"
        if isinstance(failure, requests.Timeout):
            return ServerUnreachable(f"the server at {self.base_url} did not answer in time "
                                     f"({tries}); try again later")
        if isinstance(failure, requests.RequestException):
            return ServerUnreachable(f"cannot reach the server at {self.base_url} ({tries}); "
                                     "check the address and the network, then try again")
        code, message = error_of(failure)
        if failure.status_code == 429:
            return RateLimited(f"the server is still limiting requests ({tries}): {message}")
        return ServerError(f"the server failed (HTTP {failure.status_code}, {tries}): {message}")

    def _report(self, method, path, status, started):
        if self.on_request is not None:
            self.on_request(method, path, status, time.monotonic() - started)

    @staticmethod
    def refused(resp, protocol_version):
        """The error a user can act on for a non-2xx answer that retrying cannot fix."""
        code, message = error_of(resp)
        if resp.status_code == 401:
            return SignedOut("this device was signed out; pair again")
        if resp.status_code == 403:
            return Forbidden(f"the server refused: {message}")
        if resp.status_code == 409 or code == "protocol_version":
            return ProtocolMismatch(f"the server speaks another protocol version than this "
                                    f"client ({protocol_version}); update the client: {message}")
        return RequestRefused(f"the server refused the request (HTTP {resp.status_code}"
                              f"{', ' + code if code else ''}): {message}",
                              resp.status_code, code)

    @staticmethod
    def body(resp, *keys):
        """The JSON object of an answer, holding ``keys``, or ServerError."""
        try:
            body = orjson.loads(resp.content)  # a pull page: 5x faster than resp.json()
        except ValueError:
            raise ServerError("the server's answer is not JSON; is this a fieldapp "
                              "server?") from None
        if not isinstance(body, dict) or any(k not in body for k in keys):
            raise ServerError(f"the server's answer lacks {', '.join(keys)}; is this a "
                              "fieldapp server?")
        return body
