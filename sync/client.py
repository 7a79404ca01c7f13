"""SyncClient: pairs a device, pushes its outbox and pulls its work over the v1 protocol.

Speaks docs/protocol.md through ``sync.transport`` (requests, retries with backoff) and keeps
everything local in ``sync.outbox.LocalStore``. A record leaves the outbox only when the
server's receipt for it arrives, and every push may be repeated safely (the server answers
``duplicate`` for what it already stored), so a push cut off half way is finished by the next
one. Imports neither Flask nor fieldapp.
"""
import contextlib
from dataclasses import dataclass, field

from .errors import (  # noqa: F401
    Forbidden,
    NotPaired,
    ProtocolMismatch,
    RateLimited,
    RequestRefused,
    ServerError,
    ServerUnreachable,
    SignedOut,
    SyncError,
    UnsyncedRecords,
    WrongPassword,
)
from .outbox import LocalStore, describe_errors, now_iso
from .protocol import CONFLICT, MAX_BODY, MAX_RECORDS, PROTOCOL_VERSION, RECORD_TYPES, REJECTED
from .transport import Transport, retry_after_seconds  # noqa: F401

#: Batches stay well under the server's body limit (a 413 splits a batch all the same).
MAX_BATCH_BYTES = MAX_BODY * 3 // 4
APP_VERSION = "py-sync/2026.11.1"


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
    #: The server started the feed again (this user's areas changed): the local copy of
    #: pulled records was replaced.
    reset: bool = False


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
                 sleep=None, rand=None, on_request=None):
        self.store = LocalStore(outbox_path)
        self._token = token
        self.batch_size = max(1, min(int(batch_size), MAX_RECORDS))
        self._reported = None  # the outbox depth the last push request announced
        self.app_version = app_version
        headers = {"Accept": "application/json", "Accept-Encoding": "gzip",
                   "User-Agent": f"fieldapp-sync/{app_version}"}
        if language:
            # The server picks the API's language from X-Fieldapp-Lang (a browser's
            # Accept-Language says nothing of the person: desk pages stay Vietnamese by default);
            # Accept-Language is sent too for proxies and logs.
            headers["X-Fieldapp-Lang"] = language
            headers["Accept-Language"] = language
        self.http = Transport(
            base_url or self.store.get("server"), lambda: self.token, session=session,
            timeout=timeout, retries=retries, backoff=backoff, backoff_max=backoff_max,
            max_retry_after=max_retry_after, sleep=sleep, rand=rand, on_request=on_request,
            headers=headers)

    @property
    def base_url(self):
        return self.http.base_url

    @property
    def token(self):
        return self._token or self.store.get("token")

    def close(self):
        self.http.close()
        self.store.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- pairing ----------------------------------------------------------------------------

    def pair(self, username, password, device_name):
        """Sign this device in; the token is kept in the outbox file. Returns the user."""
        resp = self.http.request("POST", "/devices", auth=False, retry=False, json={
            "username": username, "password": password, "device_name": device_name})
        if resp.status_code == 401:
            raise WrongPassword("wrong username or password")
        if resp.status_code != 201:
            raise self.http.refused(resp, PROTOCOL_VERSION)
        body = self.http.body(resp, "token", "device_id", "user")
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
        resp = self.http.request("DELETE", "/devices/current")
        # 401: the token was already revoked (e.g. by a supervisor); signed out either way.
        if resp.status_code >= 300 and resp.status_code != 401:
            raise self.http.refused(resp, PROTOCOL_VERSION)
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
            self.http.require_pairing()
        while True:
            batch = self.store.next_batch(self.batch_size, MAX_BATCH_BYTES)
            if not batch:
                break
            self._push_batch(batch, summary, progress)
        if summary.batches:
            self.store.set(last_push_at=now_iso())
            if self.store.depth() != self._reported:
                # A record was set aside, so the depth the last batch announced is wrong;
                # every record is receipted by now, so failing to send this heartbeat
                # changes nothing.
                with contextlib.suppress(SyncError):
                    self._send([], summary)
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
                summary.problems.append(self._problem(batch[0], REJECTED,
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
            if status in (REJECTED, CONFLICT):
                detail = (describe_errors(result.get("errors")) if status == REJECTED else
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
        # The heartbeat announces the depth the outbox will have once this batch is stored
        # (what is left for later), so the last batch of a push reports the device as
        # emptied, without a request of its own.
        self._reported = self.store.depth() - len(batch)
        body = {"protocol": PROTOCOL_VERSION,
                "device": {"outbox": self._reported, "app_version": self.app_version},
                "records": [item["record"] for item in batch]}
        try:
            resp = self.http.request("POST", "/sync/push", json=body)
        except SyncError as exc:
            self.store.note_attempt(batch, str(exc))
            raise
        self.store.note_attempt(batch)
        if resp.status_code != 200:
            raise self.http.refused(resp, PROTOCOL_VERSION)
        summary.batches += 1 if batch else 0
        answer = self.http.body(resp, "results")
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
        self.http.require_pairing()
        while True:
            cursor = self.store.get("cursor")
            params = {"limit": limit}
            if cursor:
                params["cursor"] = cursor
            resp = self.http.request("GET", "/sync/pull", params=params)
            if resp.status_code != 200:
                raise self.http.refused(resp, PROTOCOL_VERSION)
            page = self.http.body(resp, "changes", "cursor", "more")
            changes = page["changes"]
            if not isinstance(changes, list) or not all(
                    isinstance(c, dict) and "id" in c and "type" in c for c in changes):
                raise ServerError("the server's pull page is not a list of changes")
            reset = page.get("reset") is True
            stored, deleted = self.store.save_page(changes, page["cursor"], now_iso(),
                                                   reset=reset)
            summary.reset = summary.reset or reset
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
