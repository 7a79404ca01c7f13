"""Helpers for the sign-in and pairing limit tests: a clock the test moves, and addresses.

The failure counters live in the limiter's memory storage (limits.storage.memory) and
fieldapp/web/ratelimit.py reads the time to compute ``Retry-After``; both read ``time.time``
through their module's ``time``, which ``Clock.install`` replaces, so a test can let minutes
pass at once.
"""
import time


class Clock:
    def __init__(self):
        self.now = time.time()

    def time(self):
        return self.now

    def advance(self, seconds):
        self.now += seconds

    def install(self, monkeypatch):
        import limits.storage.memory

        import fieldapp.web.ratelimit

        for module in (limits.storage.memory, fieldapp.web.ratelimit):
            monkeypatch.setattr(module, "time", self)
        return self


def from_address(app, address):
    """A test client whose requests come from ``address`` (the direct peer)."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def retry_after(resp):
    value = resp.headers.get("Retry-After", "")
    assert value.isdigit() and int(value) > 0, value
    return int(value)
