"""SyncClient: pairs a device, pushes its outbox and pulls its work over the v1 protocol.

Speaks DESIGN §4 with ``requests``; keeps everything local in ``sync.outbox.LocalStore``. A
record leaves the outbox only when the server's receipt for it arrives, and every push may be
repeated safely (the server answers ``duplicate`` for what it already stored), so network
errors, 5xx answers and 429s are retried with exponential backoff and jitter, and a push cut
off half way is finished by the next one. Imports neither Flask nor fieldapp.
"""
import email.utils
import random
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone

import requests

from .outbox import LocalStore, describe_errors, now_iso

PROTOCOL_VERSION = 1
MAX_RECORDS = 500
#: The server refuses bodies over 2 MiB; batches stay well under it.
MAX_BATCH_BYTES = 1536 * 1024
RECORD_TYPES = ("household", "person", "visit", "enrollment", "referral", "outreach")
APP_VERSION = "py-sync/2026.11.1"

#: Statuses worth asking again for: the server is busy, restarting or briefly failing.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class SyncError(Exception):
    """Base of the errors a user can act on; ``str()`` is one sentence saying what to do."""


class ServerUnreachable(SyncError):
    pass


class ServerError(SyncError):
    """The server failed (5xx after every retry) or answered something that is not protocol."""


class WrongPassword(SyncError):
    pass


class SignedOut(SyncError):
    pass


class NotPaired(SyncError):
    pass


class Forbidden(SyncError):
    pass


class ProtocolMismatch(SyncError):
    pass


class RateLimited(SyncError):
    def __init__(self, message, retry_after=None):
        super().__init__(message)
        self.retry_after = retry_after


class RequestRefused(SyncError):
    """A 4xx that retrying cannot fix (400, 404, 413, 415): a bug in a client or server."""

    def __init__(self, message, status=None, code=None):
        super().__init__(message)
        self.status, self.code = status, code


class UnsyncedRecords(SyncError):
    def __init__(self, count):
        super().__init__(f"{count} record(s) are not on the server yet; push them first, "
                         "or sign out anyway with --force (they stay in the outbox)")
        self.count = count


@dataclass
class PushSummary:
    """What one push did. ``problems``: records set aside as needing attention."""

    total: int = 0
    batches: int = 0
    accepted: int = 0
    duplicate: int = 0
    rejected: int = 0
    conflict: int = 0
    problems: list = field(default_factory=list)

    @property
    def needs_attention(self):
        return self.rejected + self.conflict


@dataclass
class PullSummary:
    pages: int = 0
    changes: int = 0
    stored: int = 0
    deleted: int = 0


def _error_of(resp):
    """(code, message) from the protocol's error body, whatever the body really is."""
    try:
        err = resp.json().get("error") or {}
        return err.get("code"), err.get("message") or resp.reason
    except (ValueError, AttributeError):
        return None, resp.reason or f"HTTP {resp.status_code}"


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
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


class SyncClient:
    """One device's sync: ``pair``, ``enqueue``, ``push``, ``pull``, ``status``, ``logout``.

    ``base_url`` and ``token`` default to what ``pair`` saved in the outbox file. ``timeout``
    is (connect, read) seconds. Network errors, 5xx and 429 are retried ``retries`` times,
    waiting ``backoff`` * 2**attempt seconds (at most ``backoff_max``), half of it random so
    a hundred devices coming back online do not knock in step; a 429's Retry-After is honoured
    up to ``max_retry_after`` seconds. ``on_request(method, path, status, seconds)`` is called
    after every HTTP attempt (status None for a network error), for logs and benchmarks.
    """

    def __init__(self, base_url=None, outbox_path=".outbox.db", token=None, timeout=(5, 60), *,
                 batch_size=MAX_RECORDS, retries=6, backoff=0.5, backoff_max=30.0,
                 max_retry_after=120.0, app_version=APP_VERSION, language=None, session=None,
                 sleep=None, rand=random.random, on_request=None):
        self.store = LocalStore(outbox_path)
        self.base_url = (base_url or self.store.get("server") or "").rstrip("/")
        self._token = token
        self.timeout = timeout
        self.batch_size = max(1, min(int(batch_size), MAX_RECORDS))
        self.retries, self.backoff, self.backoff_max = retries, backoff, backoff_max
        self.max_retry_after = max_retry_after
        self.app_version = app_version
        self.sleep, self.rand, self.on_request = sleep or time.sleep, rand, on_request
        self.session = session or requests.Session()
        self.session.headers.update({"Accept": "application/json",
                                     "Accept-Encoding": "gzip",
                                     "User-Agent": f"fieldapp-sync/{app_version}"})
        if language:
            self.session.headers["Accept-Language"] = language

    @property
    def token(self):
        return self._token or self.store.get("token")

    def close(self):
        self.session.close()
        self.store.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- HTTP -------------------------------------------------------------------------------

    def _url(self, path):
        if not self.base_url:
            raise NotPaired("no server given: pass --server URL (or pair first)")
        return f"{self.base_url}/api/v1{path}"

    def _require_pairing(self):
        self._url("")
        if not self.token:
            raise NotPaired("this device is not paired; run `python -m sync pair` first")

    def _backoff(self, attempt):
        delay = min(self.backoff_max, self.backoff * (2 ** attempt))
        return delay / 2 + self.rand() * delay / 2

    def _request(self, method, path, *, json=None, params=None, auth=True, retry=True):
        """Send one request, retrying what a retry can fix; returns a non-retryable answer."""
        url = self._url(path)
        headers = {}
        if auth:
            self._require_pairing()
            headers["Authorization"] = f"Bearer {self.token}"
        attempts = self.retries + 1 if retry else 1
        for attempt in range(attempts):
            started = time.monotonic()
            try:
                resp = self.session.request(method, url, json=json, params=params,
                                            headers=headers, timeout=self.timeout)
            except (requests.ConnectionError, requests.Timeout) as exc:
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
            delay = self._backoff(attempt)
            self.sleep(delay if wait is None else wait + delay / 4)
        if isinstance(failure, requests.RequestException):
            raise ServerUnreachable(f"cannot reach the server at {self.base_url} "
                                    f"({type(failure).__name__}); check the address and the "
                                    "network, then try again") from failure
        code, message = _error_of(failure)
        if failure.status_code == 429:
            raise RateLimited(f"the server is still limiting requests: {message}")
        raise ServerError(f"the server failed (HTTP {failure.status_code}) after "
                          f"{attempts} attempt(s): {message}")

    def _report(self, method, path, status, started):
        if self.on_request is not None:
            self.on_request(method, path, status, time.monotonic() - started)

    def _refused(self, resp):
        """Turn a non-2xx, non-retryable answer into the error the user can act on."""
        code, message = _error_of(resp)
        if resp.status_code == 401:
            return SignedOut("this device was signed out; pair again")
        if resp.status_code == 403:
            return Forbidden(f"the server refused: {message}")
        if resp.status_code == 409 or code == "protocol_version":
            return ProtocolMismatch(f"the server speaks another protocol version than this "
                                    f"client ({PROTOCOL_VERSION}); update the client: {message}")
        return RequestRefused(f"the server refused the request (HTTP {resp.status_code}"
                              f"{', ' + code if code else ''}): {message}",
                              resp.status_code, code)

    @staticmethod
    def _json(resp, *keys):
        try:
            body = resp.json()
        except ValueError:
            raise ServerError("the server's answer is not JSON; is this a fieldapp "
                              "server?") from None
        if not isinstance(body, dict) or any(k not in body for k in keys):
            raise ServerError(f"the server's answer lacks {', '.join(keys)}; is this a "
                              "fieldapp server?")
        return body

    # -- pairing ----------------------------------------------------------------------------

    def pair(self, username, password, device_name):
        """Sign this device in; the token is kept in the outbox file. Returns the user."""
        resp = self._request("POST", "/devices", auth=False, retry=False, json={
            "username": username, "password": password, "device_name": device_name})
        if resp.status_code == 401:
            raise WrongPassword("wrong username or password")
        if resp.status_code != 201:
            raise self._refused(resp)
        body = self._json(resp, "token", "device_id", "user")
        previous = self.store.get("user") or {}
        if previous.get("username") != body["user"].get("username") \
                or self.store.get("server") != self.base_url:
            self.store.forget_pulled()
        self._token = None
        self.store.set(server=self.base_url, token=body["token"], device_id=body["device_id"],
                       device_name=device_name, user=body["user"], paired_at=now_iso())
        return body["user"]

    def logout(self, force=False):
        """Revoke this device's token on the server and forget it here; the outbox stays."""
        depth = self.store.depth()
        if depth and not force:
            raise UnsyncedRecords(depth)
        if not self.token:
            raise NotPaired("this device is not paired")
        resp = self._request("DELETE", "/devices/current")
        # 401: the token was already revoked (e.g. by a supervisor); signed out either way.
        if resp.status_code >= 300 and resp.status_code != 401:
            raise self._refused(resp)
        self._token = None
        self.store.set(token=None)

    # -- outbox -----------------------------------------------------------------------------

    def enqueue(self, records):
        """Queue records ({"type", "data", optional "id", "version", "client_time"}).

        Returns counts (queued, replaced, requeued, unchanged, synced) and ``ids`` in order.
        Nothing is queued if any record is invalid (ValueError naming it).
        """
        return self.store.enqueue(records, known_types=RECORD_TYPES)

    def push(self, progress=None):
        """Send every waiting record, in batches; returns a PushSummary.

        ``progress(n)`` is called as each batch is receipted. Raises a SyncError when the
        server cannot be reached after every retry; whatever was receipted before stays done
        and the rest waits for the next push.
        """
        summary = PushSummary(total=self.store.counts()["waiting"])
        if summary.total:
            self._require_pairing()
        while True:
            batch = self.store.next_batch(self.batch_size, MAX_BATCH_BYTES)
            if not batch:
                break
            self._push_batch(batch, summary, progress)
        if summary.batches:
            self.store.set(last_push_at=now_iso())
            try:
                # One more heartbeat so the server sees the outbox as it is after this push;
                # every record is receipted by now, so failing to send it changes nothing.
                self._send([], summary)
            except SyncError:
                pass
        return summary

    def _push_batch(self, batch, summary, progress):
        try:
            results, server_time = self._send(batch, summary)
        except RequestRefused as exc:
            if exc.status != 413:
                raise
            if len(batch) == 1:
                self.store.hold(batch[0], "too_large", "too large for the server to accept")
                summary.rejected += 1
                summary.problems.append(self._problem(batch[0], "rejected",
                                                      "too large for the server to accept"))
                return
            half = len(batch) // 2
            self._push_batch(batch[:half], summary, progress)
            self._push_batch(batch[half:], summary, progress)
            return
        try:
            statuses = self.store.apply_receipts(batch, results, server_time)
        except ValueError as exc:
            raise ServerError(f"the server's answer is not a valid receipt: {exc}") from None
        for item, status, result in zip(batch, statuses, results):
            setattr(summary, status, getattr(summary, status) + 1)
            if status in ("rejected", "conflict"):
                detail = (describe_errors(result.get("errors")) if status == "rejected" else
                          f"the server has version {result.get('version')}, this record was "
                          f"based on version {item['record']['version']}")
                summary.problems.append(self._problem(item, status, detail))
        if progress is not None:
            progress(len(batch))

    @staticmethod
    def _problem(item, status, detail):
        return {"id": item["record"]["id"], "type": item["record"]["type"],
                "source": item["source"], "status": status, "detail": detail}

    def _send(self, batch, summary):
        body = {"protocol": PROTOCOL_VERSION,
                "device": {"outbox": self.store.depth(), "app_version": self.app_version},
                "records": [item["record"] for item in batch]}
        try:
            resp = self._request("POST", "/sync/push", json=body)
        except SyncError as exc:
            self.store.note_attempt(batch, str(exc))
            raise
        self.store.note_attempt(batch)
        if resp.status_code != 200:
            raise self._refused(resp)
        summary.batches += 1 if batch else 0
        answer = self._json(resp, "results")
        return answer["results"], answer.get("server_time") or now_iso()

    def discard(self, ids=None):
        """Drop records needing attention (all, or those of ``ids``); never waiting ones."""
        return self.store.discard(ids)

    # -- pull -------------------------------------------------------------------------------

    def pull(self, limit=500, progress=None):
        """Follow the change feed from the saved cursor until the server says no more.

        Each page and the cursor after it are saved in one local transaction, so an
        interrupted pull resumes where it stopped. ``progress(n)`` is called per page.
        """
        summary = PullSummary()
        self._require_pairing()
        while True:
            cursor = self.store.get("cursor")
            params = {"limit": limit}
            if cursor:
                params["cursor"] = cursor
            resp = self._request("GET", "/sync/pull", params=params)
            if resp.status_code != 200:
                raise self._refused(resp)
            page = self._json(resp, "changes", "cursor", "more")
            changes = page["changes"]
            if not isinstance(changes, list) or not all(
                    isinstance(c, dict) and "id" in c and "type" in c for c in changes):
                raise ServerError("the server's pull page is not a list of changes")
            stored, deleted = self.store.save_page(changes, page["cursor"], now_iso())
            summary.pages += 1
            summary.changes += len(changes)
            summary.stored += stored
            summary.deleted += deleted
            if progress is not None:
                progress(len(changes))
            if not page["more"]:
                return summary
            if not changes and page["cursor"] == cursor:
                raise ServerError("the server says there is more but sends nothing new")

    # -- status -----------------------------------------------------------------------------

    def status(self, attention_limit=20):
        """What is where, from the local file only (no network)."""
        counts = self.store.counts()
        get = self.store.get
        return {
            "server": self.base_url or None,
            "paired": bool(self.token),
            "user": get("user"),
            "device_id": get("device_id"),
            "device_name": get("device_name"),
            "waiting": counts["waiting"],
            "needs_attention": counts["needs_attention"],
            "attention": self.store.attention(attention_limit),
            "receipts": counts["receipts"],
            "records": counts["records"],
            "cursor": get("cursor"),
            "last_push_at": get("last_push_at"),
            "last_pull_at": get("last_pull_at"),
        }
