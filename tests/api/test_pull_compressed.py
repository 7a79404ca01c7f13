"""A pull page is gzipped once for a client that asks for it, whatever else it accepts (issue #9,
point 13: the app's files gained brotli; the API's JSON keeps gzip and is never compressed twice)."""
import gzip
import json

from tests.device import API
from tests.records import household


def _pull(device, accept):
    headers = dict(device.headers)
    if accept is not None:
        headers["Accept-Encoding"] = accept
    return device.client.get(f"{API}/sync/pull", headers=headers)


def test_pull_page_is_gzipped_once(api):
    col = api("col_a")
    col.accepted([household("31001-1") for _ in range(20)])
    plain = _pull(col, None)
    assert plain.status_code == 200 and "Content-Encoding" not in plain.headers
    for accept in ("gzip", "gzip, deflate, br, zstd", "br;q=1, gzip;q=0.5"):
        resp = _pull(col, accept)
        assert resp.status_code == 200
        assert resp.headers["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in resp.headers["Vary"]
        body = resp.get_data()
        assert int(resp.headers["Content-Length"]) == len(body)
        page = json.loads(gzip.decompress(body))
        assert len(page["changes"]) == 20
    assert "Content-Encoding" not in _pull(col, "gzip;q=0").headers
