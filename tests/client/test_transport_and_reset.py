"""The client's transport (environment, JSON bodies) and its handling of a reset pull page."""
import sync.transport
from sync.outbox import LocalStore


def test_environment_read_once_proxies_kept(monkeypatch):
    """The transport's session takes proxies and the CA bundle from the environment once
    and then stops requests from reading it (and ~/.netrc) on every call."""
    from sync.transport import Transport

    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.test:3128")
    monkeypatch.setenv("NO_PROXY", "")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/ssl/certs/own-ca.pem")
    transport = Transport("https://sync.test", token=lambda: "tok")
    session = transport.session
    assert session.trust_env is False
    assert session.proxies.get("https") == "http://proxy.test:3128"
    assert session.verify == "/etc/ssl/certs/own-ca.pem"
    transport.close()


def test_body_orjson_cannot_encode_still_goes(monkeypatch):
    """A record typed with a broken character (a lone surrogate) or a huge number is sent
    as the standard encoder writes it; the server then judges it."""
    from sync.transport import Transport

    from .stub import StubSession

    session = StubSession(lambda req: (200, {"ok": True}))
    transport = Transport("http://sync.test", token=lambda: "tok", session=session)
    transport.request("POST", "/sync/push", json={"note": "x\ud800y", "n": 2 ** 70})
    assert session.requests[-1]["json"] == {"note": "x\ud800y", "n": 2 ** 70}
    transport.request("POST", "/sync/push", json={"note": "Thôn Đông"})
    assert session.requests[-1]["json"] == {"note": "Thôn Đông"}


def test_reset_page_replaces_the_local_copy(tmp_path, monkeypatch):
    """The server starts the feed again (this user's areas changed): records pulled before
    go, in the same local transaction as the first page after."""
    from sync.client import SyncClient

    from .stub import StubSession

    pages = iter([
        {"changes": [{"id": "a" * 8 + "-0000-4000-8000-" + "0" * 12, "type": "household",
                      "version": 1, "deleted": False, "data": {"area": "31001-1"}, "server": {}},
                     {"id": "b" * 8 + "-0000-4000-8000-" + "0" * 12, "type": "household",
                      "version": 1, "deleted": False, "data": {"area": "31001-1"}, "server": {}}],
         "cursor": "c1", "more": False},
        {"changes": [{"id": "c" * 8 + "-0000-4000-8000-" + "0" * 12, "type": "household",
                      "version": 1, "deleted": False, "data": {"area": "31002-1"}, "server": {}}],
         "cursor": "c2", "more": False, "reset": True},
    ])
    session = StubSession(lambda req: (200, next(pages)))
    monkeypatch.setattr(sync.transport.requests, "Session", lambda: session)
    store = LocalStore(tmp_path / "o.db")
    store.set(server="http://sync.test", token="tok")
    store.close()
    with SyncClient(outbox_path=tmp_path / "o.db", retries=0) as client:
        first = client.pull()
        assert not first.reset and client.store.counts()["records"] == {"household": 2}
        second = client.pull()
        assert second.reset
        assert client.store.counts()["records"] == {"household": 1}
        assert client.store.get("cursor") == "c2"
