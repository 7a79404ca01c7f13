"""Compressed answers: the app shell, its static files and the phones' JSON (issue #9, point 13).

Collectors load the app over slow rural links, and ``make run`` has no proxy in front to
compress for Flask, so Flask compresses what it sends itself:

- **The app's shared files**: ``/static/...`` and every answer of the collector blueprint
  (shell, form pages, catalogs, service worker). They are the same for everyone, so each body
  is compressed once, with brotli (quality 11) where the browser accepts it and gzip (level 9)
  otherwise, and kept in memory keyed by the hash of the body: a new build is compressed
  anew, nothing else ever is twice. Their caching rules stay those of their view (``no-cache``,
  revalidated by ETag): a body without an ETag gets one from its hash, and a compressed body's
  ETag is the identity ETag with the encoding appended (a strong ETag names one
  representation), so revalidation answers 304 for each encoding.
- **Other JSON of 1 KB or more** (the sync API's pull pages, push answers): gzipped per
  answer at level 6, as before. The API never compresses its own answers, so nothing is
  compressed twice, and ``python -m sync`` keeps asking for gzip.

Every answer that may be compressed says ``Vary: Accept-Encoding`` (added to, never replacing,
another Vary); Content-Length is that of the body sent. A range request gets the identity body,
as before, and a compressed answer does not offer ranges.
"""
import gzip
import hashlib
import threading
from collections import OrderedDict

from flask import request

try:
    import brotli
except ImportError:  # pragma: no cover - requirements.txt installs it; gzip alone still works
    brotli = None

#: Media types worth compressing (PNG icons are compressed already).
TEXT_TYPES = ("text/", "application/javascript", "application/json", "application/manifest+json",
              "image/svg+xml")
#: Below this a shared file goes as it is: the saving would not pay for the headers.
SHARED_MIN = 512
#: Below this a JSON answer goes as it is.
JSON_MIN = 1024
#: Memory kept for compressed shared files (the whole app is about 50 KB compressed per encoding).
CACHE_BYTES = 32 * 1024 * 1024


class _Packed:
    """Compressed bodies by (sha256 of the body, encoding): least recently used goes first."""

    def __init__(self, limit):
        self.limit, self.size = limit, 0
        self.items = OrderedDict()
        self.lock = threading.Lock()

    def get(self, body, digest, coding):
        key = (digest, coding)
        with self.lock:
            packed = self.items.get(key)
            if packed is not None:
                self.items.move_to_end(key)
                return packed
        packed = _compress(body, coding, shared=True)
        with self.lock:
            if key not in self.items:
                self.items[key] = packed
                self.size += len(packed)
            while self.size > self.limit and len(self.items) > 1:
                _key, old = self.items.popitem(last=False)
                self.size -= len(old)
        return packed

    def clear(self):
        with self.lock:
            self.items.clear()
            self.size = 0


packed_cache = _Packed(CACHE_BYTES)


def _compress(body, coding, shared):
    if coding == "br":
        return brotli.compress(body, quality=11 if shared else 5)
    return gzip.compress(body, compresslevel=9 if shared else 6, mtime=0)


def choose(accept_encodings, offer=("br", "gzip")):
    """The encoding to send, by the client's quality values (br first on a tie), or None."""
    best, best_q = None, 0
    for coding in offer:
        if coding == "br" and brotli is None:
            continue
        q = accept_encodings[coding]
        if q > best_q:
            best, best_q = coding, q
    return best


def _text(resp):
    return resp.mimetype.startswith(TEXT_TYPES)


def compress(resp):
    """after_request: compress ``resp`` if the client accepts it and it is worth it."""
    if "Content-Encoding" in resp.headers:
        return resp
    if (request.endpoint == "static" or request.blueprint == "collector") and _text(resp):
        return _shared(resp)
    if resp.mimetype == "application/json":
        return _json(resp)
    return resp


def _shared(resp):
    resp.vary.add("Accept-Encoding")
    if resp.status_code != 200 or request.method not in ("GET", "HEAD"):
        return resp
    if resp.is_streamed and not resp.direct_passthrough:
        return resp
    resp.direct_passthrough = False  # send_file's file wrapper: read it (and close it) here
    body = resp.get_data()
    digest = hashlib.sha256(body).digest()
    etag, weak = resp.get_etag()
    if etag is None:
        etag, weak = digest.hex()[:32], False
        resp.set_etag(etag)
    coding = choose(request.accept_encodings) if len(body) >= SHARED_MIN else None
    if coding is not None:
        resp.set_data(packed_cache.get(body, digest, coding))
        resp.headers["Content-Encoding"] = coding
        resp.headers.pop("Accept-Ranges", None)
        resp.set_etag(f"{etag}-{coding}", weak)
    return resp.make_conditional(request)


def _json(resp):
    """Large JSON answers, gzipped per answer: a pull page shrinks about tenfold."""
    if resp.direct_passthrough or resp.is_streamed or not 200 <= resp.status_code < 300:
        return resp
    if choose(request.accept_encodings, offer=("gzip",)) is None:
        return resp
    data = resp.get_data()
    if len(data) < JSON_MIN:
        return resp
    resp.set_data(_compress(data, "gzip", shared=False))
    resp.headers["Content-Encoding"] = "gzip"
    resp.vary.add("Accept-Encoding")
    return resp
