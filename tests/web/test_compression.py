"""The app shell and its files go compressed (issue #9, point 13): brotli where the browser
accepts it, gzip otherwise, identity when asked for nothing; ``Vary: Accept-Encoding`` on each;
an ETag per encoding so that revalidation still answers 304; Content-Length of the body sent."""
import gzip
import json

import brotli
import pytest

from fieldapp.web import compress

SHARED = ["/app/", "/app/forms/vi.html", "/app/forms/en.html", "/app/i18n/vi.json", "/sw.js",
          "/static/js/app.js", "/static/css/app.css", "/static/manifest.webmanifest"]
DECODE = {"br": brotli.decompress, "gzip": gzip.decompress}


def _get(client, path, encoding=None, **headers):
    if encoding is not None:
        headers["Accept-Encoding"] = encoding
    return client.get(path, headers=headers)


@pytest.mark.parametrize("path", SHARED)
@pytest.mark.parametrize("accept, coding", [("gzip, deflate, br, zstd", "br"), ("gzip, deflate", "gzip"),
                                            ("br;q=0.5, gzip", "gzip")])
def test_shared_files_go_compressed(client, path, accept, coding):
    plain = _get(client, path, "identity")
    resp = _get(client, path, accept)
    assert resp.status_code == 200
    assert resp.headers["Content-Encoding"] == coding
    assert "Accept-Encoding" in resp.headers["Vary"]
    body = resp.get_data()
    assert int(resp.headers["Content-Length"]) == len(body)
    assert len(body) < len(plain.get_data()) * 0.7
    assert DECODE[coding](body) == plain.get_data()
    assert resp.mimetype == plain.mimetype
    # caching rules of each view unchanged
    assert resp.headers.get("Cache-Control") == plain.headers.get("Cache-Control")
    assert resp.headers["ETag"] != plain.headers["ETag"]
    assert "Accept-Ranges" not in resp.headers


@pytest.mark.parametrize("path", SHARED)
def test_identity_without_accept_encoding(client, path):
    for resp in (_get(client, path), _get(client, path, "identity"), _get(client, path, "gzip;q=0, br;q=0")):
        assert resp.status_code == 200
        assert "Content-Encoding" not in resp.headers
        assert "Accept-Encoding" in resp.headers["Vary"]
        assert int(resp.headers["Content-Length"]) == len(resp.get_data())
        assert resp.headers["ETag"]


@pytest.mark.parametrize("path", ["/static/js/app.js", "/app/", "/app/i18n/vi.json", "/sw.js"])
@pytest.mark.parametrize("accept", ["br", "gzip", None])
def test_revalidation_answers_304_per_encoding(client, path, accept):
    first = _get(client, path, accept)
    etag = first.headers["ETag"]
    again = _get(client, path, accept, **{"If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.headers["ETag"] == etag
    assert "Accept-Encoding" in again.headers["Vary"]
    # a compressed body's ETag does not stand for another encoding (an identity copy held by
    # a browser that now takes br may be revalidated: it is still a valid copy of the file)
    for other in {"br": ("gzip", None), "gzip": ("br", None), None: ()}[accept]:
        assert _get(client, path, other, **{"If-None-Match": etag}).status_code == 200


def test_compressed_once_then_from_memory(client, monkeypatch):
    compress.packed_cache.clear()
    calls = []
    real = compress._compress
    monkeypatch.setattr(compress, "_compress", lambda *a, **k: calls.append(a[1]) or real(*a, **k))
    for _ in range(3):
        assert _get(client, "/static/js/app.js", "br").headers["Content-Encoding"] == "br"
        assert _get(client, "/app/forms/vi.html", "gzip").headers["Content-Encoding"] == "gzip"
    assert sorted(calls) == ["br", "gzip"]


def test_small_files_and_images_go_as_they_are(client):
    png = _get(client, "/static/icons/icon-192.png", "br, gzip")
    assert png.status_code == 200 and "Content-Encoding" not in png.headers


def test_range_request_gets_the_identity_bytes(client):
    resp = _get(client, "/static/js/app.js", "gzip", Range="bytes=0-9")
    assert resp.status_code == 206
    assert "Content-Encoding" not in resp.headers
    assert len(resp.get_data()) == 10


def test_small_json_goes_as_it_is(client):
    resp = client.get("/api/v1/no-such-thing", headers={"Accept-Encoding": "gzip, br"})
    assert resp.mimetype == "application/json" and "Content-Encoding" not in resp.headers


def test_vary_is_added_not_replaced(app):
    from flask import jsonify

    @app.route("/_vary_probe")
    def probe():
        resp = jsonify(items=list(range(1000)))
        resp.vary.add("Cookie")
        return resp

    resp = app.test_client().get("/_vary_probe", headers={"Accept-Encoding": "gzip"})
    assert resp.headers["Content-Encoding"] == "gzip"
    assert {v.strip() for v in resp.headers["Vary"].split(",")} == {"Cookie", "Accept-Encoding"}
    assert json.loads(gzip.decompress(resp.get_data()))["items"][-1] == 999


def test_a_static_file_does_not_vary_by_cookie(client, world, login_as):
    """The same app.js for everyone, signed in or not: a shared cache keeps one copy."""
    login_as("sup_a")
    resp = _get(client, "/static/js/app.js", "gzip")
    assert resp.status_code == 200
    assert "Cookie" not in resp.headers.get("Vary", "")
    # A page still does: what it shows depends on who is signed in.
    assert "Cookie" in _get(client, "/home", "gzip").headers["Vary"]
