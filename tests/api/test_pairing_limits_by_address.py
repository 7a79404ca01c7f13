"""Pairing limits key on the client's address, and no one can lock a username out (issue #9
point 1; docs/protocol.md §14): pairing and web sign-in share the counters and the rules."""

from tests.conftest import login
from tests.device import error_of, pair_raw
from tests.limits import Clock, from_address, retry_after

OWNER = "203.0.113.5"


def _attack(app, username, address="198.51.100.1"):
    attacker = from_address(app, address)
    for n in range(10):
        error_of(pair_raw(attacker, username, f"guess{n}"), 401, "unauthorized")
    error_of(pair_raw(attacker, username, "one more"), 429, "rate_limited")


def test_failed_pairings_elsewhere_do_not_stop_the_owner_pairing(app, world):
    _attack(app, "col_a")
    assert pair_raw(from_address(app, OWNER), "col_a").status_code == 201


def test_failed_web_sign_ins_elsewhere_do_not_stop_the_owner_pairing(app, world):
    attacker = from_address(app, "198.51.100.1")
    for n in range(10):
        assert login(attacker, "col_a", f"guess{n}").status_code == 401
    error_of(pair_raw(attacker, "col_a"), 429, "rate_limited")  # shared counters
    assert pair_raw(from_address(app, OWNER), "col_a").status_code == 201


def test_under_attack_a_failed_pairing_costs_a_short_wait(app, world, monkeypatch):
    clock = Clock().install(monkeypatch)
    _attack(app, "col_a")
    owner = from_address(app, OWNER)
    error_of(pair_raw(owner, "col_a", "typo"), 401, "unauthorized")
    resp = pair_raw(owner, "col_a")
    error_of(resp, 429, "rate_limited")
    assert retry_after(resp) == 2
    clock.advance(2)
    assert pair_raw(owner, "col_a").status_code == 201


def test_a_forwarded_header_is_ignored_without_trusted_proxies(client, world):
    for n in range(30):
        resp = pair_raw(client, f"ghost{n}", "x", headers={"X-Forwarded-For": f"198.51.100.{n}"})
        error_of(resp, 401, "unauthorized")
    resp = pair_raw(client, "col_a", headers={"X-Forwarded-For": "198.51.100.200"})
    error_of(resp, 429, "rate_limited")



def test_behind_a_trusted_proxy_limits_key_on_the_forwarded_client(behind_proxy):
    client = behind_proxy.test_client()

    def pair_via(forwarded, username, password="pw"):
        return pair_raw(client, username, password, headers={"X-Forwarded-For": forwarded})

    for n in range(30):
        error_of(pair_via("198.51.100.7", f"ghost{n}", "x"), 401, "unauthorized")
    error_of(pair_via("198.51.100.7", "col_a"), 429, "rate_limited")
    error_of(pair_via("10.1.2.3, 198.51.100.7", "col_a"), 429, "rate_limited")  # spoof ignored
    assert pair_via("198.51.100.8", "col_a").status_code == 201
