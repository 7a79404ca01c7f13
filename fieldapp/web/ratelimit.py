"""Counting failed sign-ins and pairings, per username and per address.

Only failures count, so a collector who signs in correctly on ten phones is never locked
out. Counters live in the limiter's storage (memory by default, Redis when scaled out:
RATELIMIT_STORAGE_URI), never in a worker's memory when there is more than one worker.
"""
import time

from flask import current_app, request
from limits import RateLimitItemPerSecond

from ..extensions import limiter


def _items():
    cfg = current_app.config
    window = cfg["LOGIN_FAIL_WINDOW"]
    per_user = RateLimitItemPerSecond(cfg["LOGIN_FAILS_PER_USER"], window)
    per_addr = RateLimitItemPerSecond(cfg["LOGIN_FAILS_PER_ADDR"], window)
    return per_user, per_addr


def _keys(username):
    return ("fail-user", (username or "").strip().lower()), ("fail-addr", request.remote_addr or "")


def blocked(username):
    """Seconds to wait if this username or address has used up its failures, else 0."""
    strategy = limiter.limiter
    waits = []
    for item, key in zip(_items(), _keys(username)):
        if not strategy.test(item, *key):
            reset, _remaining = strategy.get_window_stats(item, *key)
            waits.append(max(1, int(reset - time.time())))
    return max(waits) if waits else 0


def failed(username):
    """Count one failed attempt against the username and the address."""
    strategy = limiter.limiter
    for item, key in zip(_items(), _keys(username)):
        strategy.hit(item, *key)
