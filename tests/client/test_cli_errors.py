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

