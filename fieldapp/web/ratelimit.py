"""Counting failed sign-ins and pairings, per username and per address.

Only failures count, so a collector who signs in correctly on ten phones is never locked
out. Web sign-in and pairing share the counters (docs/protocol.md §14, docs/security.md §3):

- more than LOGIN_FAILS_PER_USER (10) failures for one username *from one address*, or more
  than LOGIN_FAILS_PER_ADDR (30) from one address, in LOGIN_FAIL_WINDOW (15 minutes): that
  address gets 429 with ``Retry-After`` until its window ends;
- failures for a username from *other* addresses never lock this address out. Once more than
  LOGIN_FAILS_PER_USER of them have come in the window, the username is under attack and this
  address only slows down: after each of its own failures for that username it waits
  LOGIN_DELAY_BASE seconds, doubling, at most LOGIN_DELAY_MAX (5 minutes). The wait runs from
  this address's own last failure, so no one elsewhere can stretch it: whoever knows a
  username (``supervisor``) cannot keep its owner out, and the owner's first attempt is never
  delayed.

The address is ``request.remote_addr``: the direct peer, or behind FIELDAPP_TRUSTED_PROXIES
proxies the client address they forward (werkzeug ProxyFix, set up in create_app).

Counters live in the limiter's storage (memory by default, Redis when scaled out:
RATELIMIT_STORAGE_URI), never in a worker's memory when there is more than one worker; keys
start with RATELIMIT_KEY_PREFIX when it is set (several deployments sharing one Redis).
"""
import time

from flask import current_app, request
from limits import RateLimitItemPerSecond

from ..extensions import limiter

#: A limit that is never reached: the item only counts failures for a username everywhere.
_COUNT_ONLY = 1_000_000
#: Longer names are no real username; a megabyte-long one must not become a storage key.
_NAME_CHARS = 128


def _who(username):
    """(prefix, username as compared, address) identifying the caller."""
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX") or ""
    return prefix, (username or "").strip().lower()[:_NAME_CHARS], request.remote_addr or ""


def _delay(cfg, own_failures):
    """Seconds this address waits after its n-th failure for a username under attack."""
    return min(cfg["LOGIN_DELAY_MAX"], cfg["LOGIN_DELAY_BASE"] * 2 ** max(0, own_failures - 1))


class _Counters:
    """The counters one attempt touches, as (item, identifiers) pairs."""

    def __init__(self, username):
        cfg = current_app.config
        self.cfg = cfg
        prefix, user, addr = _who(username)
        window = cfg["LOGIN_FAIL_WINDOW"]
        self.addr = RateLimitItemPerSecond(cfg["LOGIN_FAILS_PER_ADDR"], window), (
            prefix, "fail-addr", addr)
        self.user_addr = RateLimitItemPerSecond(cfg["LOGIN_FAILS_PER_USER"], window), (
            prefix, "fail-user-addr", user, addr)
        self.user = RateLimitItemPerSecond(_COUNT_ONLY, window), (prefix, "fail-user", user)
        self._delay_key = (prefix, "fail-delay", user, addr)

    def delay(self, own_failures):
        """The item that is used up while this address waits after its latest failure."""
        return RateLimitItemPerSecond(1, _delay(self.cfg, own_failures)), self._delay_key


def _count(strategy, counter):
    item, key = counter
    _reset, remaining = strategy.get_window_stats(item, *key)
    return item.amount - remaining


def _wait(strategy, counter):
    """Seconds until ``counter`` has room again, 0 if it has room now."""
    item, key = counter
    if strategy.test(item, *key):
        return 0
    reset, _remaining = strategy.get_window_stats(item, *key)
    return max(1, int(reset - time.time() + 0.999))


def _enabled():
    """RATELIMIT_ENABLED=False (a lab, a load test): no counters exist. Read from this app's
    config, not the shared limiter object, which the last app initialised sets."""
    return current_app.config.get("RATELIMIT_ENABLED", True)


def blocked(username):
    """Seconds to wait before this address may try this username again, else 0."""
    if not _enabled():
        return 0
    strategy = limiter.limiter
    counters = _Counters(username)
    waits = [_wait(strategy, counters.addr), _wait(strategy, counters.user_addr)]
    own = _count(strategy, counters.user_addr)
    if own:
        elsewhere = _count(strategy, counters.user) - own
        if elsewhere >= counters.cfg["LOGIN_FAILS_PER_USER"]:
            waits.append(_wait(strategy, counters.delay(own)))
    return max(waits)


def failed(username):
    """Count one failed attempt against the username and the address."""
    if not _enabled():
        return
    strategy = limiter.limiter
    counters = _Counters(username)
    for item, key in (counters.addr, counters.user_addr, counters.user):
        strategy.hit(item, *key)
    # Always noted, consulted only while the username is under attack from elsewhere.
    item, key = counters.delay(_count(strategy, counters.user_addr))
    strategy.hit(item, *key)
