"""The CLI says what went wrong in one line on stderr and exits non-zero."""
import pytest

import sync.transport
from sync.__main__ import main
from sync.outbox import LocalStore

from .stub import StubSession, down, household


def error(status, code, message="m"):
    return lambda req: (status, {"error": {"code": code, "message": message}})


@pytest.mark.parametrize("argv, answer, expected", [
    (["push"], error(401, "unauthorized"), "error: this device was signed out; pair again"),
    (["push"], error(409, "protocol_version"), "error: the server speaks another protocol"),
    (["push"], lambda req: down(), "error: cannot reach the server at http://sync.test"),
    (["pull"], error(500, "x", "boom"), "error: the server failed (HTTP 500, 7 attempts): boom"),
    (["pair", "col_a"], error(401, "unauthorized"), "error: wrong username or password"),
    (["pair", "col_a"], lambda req: (429, {"error": {"code": "rate_limited", "message": "m"}},
                                     {"Retry-After": "600"}),
     "error: the server is limiting requests; try again in about 10 minute"),
    (["logout"], error(401, "unauthorized"), None),
])
def test_one_line_errors_and_exit_codes(tmp_path, monkeypatch, capsys, argv, answer, expected):
    outbox = tmp_path / "o.db"
    store = LocalStore(outbox)
    store.set(server="http://sync.test", token="tok", user={"username": "col_a"})
    if argv[0] == "push":
        store.enqueue([household(1)])
    store.close()
    monkeypatch.setattr(sync.transport.requests, "Session", lambda: StubSession(answer))
    monkeypatch.setattr(sync.transport.time, "sleep", lambda s: None)
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("pw\n"))
    code = main(["--outbox", str(outbox), *argv])
    err = capsys.readouterr().err
    if expected is None:  # logout with an already revoked token: signed out all the same
        assert code == 0 and LocalStore(outbox).get("token") is None
        return
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(expected), err


def test_logout_refuses_while_records_wait(tmp_path, capsys):
    store = LocalStore(tmp_path / "o.db")
    store.set(server="http://sync.test", token="tok")
    store.enqueue([household(1)])
    store.close()
    assert main(["--outbox", str(tmp_path / "o.db"), "logout"]) == 1
    assert "1 record(s) are not on the server yet" in capsys.readouterr().err


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
