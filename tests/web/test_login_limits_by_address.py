"""Web sign-in limits key on the client's address, and no one can lock a username out
(issue #9 point 1; docs/protocol.md §14, docs/security.md §3).

More than 10 failures for one username from one address, or 30 from one address, in 15
minutes: 429 for that address. Failures for the username from *other* addresses only delay:
after each of its own failures the address waits 2 s, 4 s, ... at most 5 minutes.
"""

from tests.conftest import login
from tests.limits import Clock, from_address, retry_after

OWNER = "203.0.113.5"


def _attack(app, username, address="198.51.100.1"):
    """Ten wrong passwords from one address: that address is out, the username under attack."""
    attacker = from_address(app, address)
    for n in range(10):
        assert login(attacker, username, f"guess{n}").status_code == 401
    assert login(attacker, username, "one more").status_code == 429


def test_failures_from_other_addresses_do_not_lock_the_owner_out(app, world, monkeypatch):
    clock = Clock().install(monkeypatch)
    _attack(app, "sup_a")
    # A second attacker is slowed down, not the owner: its guesses come 2 s, 4 s, ... apart.
    second = from_address(app, "198.51.100.2")
    for n in range(3):
        assert login(second, "sup_a", f"guess{n}").status_code == 401
        clock.advance(retry_after(login(second, "sup_a", "again")))
    resp = login(from_address(app, OWNER), "sup_a", "pw")
    assert resp.status_code == 302, resp.get_data(as_text=True)[:300]


def test_under_attack_the_owner_waits_after_a_mistake_at_most_five_minutes(app, world, monkeypatch):
    clock = Clock().install(monkeypatch)
    _attack(app, "sup_a")
    owner = from_address(app, OWNER)
    waits = []
    for n in range(9):
        assert login(owner, "sup_a", f"typo{n}").status_code == 401
        resp = login(owner, "sup_a", "pw")
        assert resp.status_code == 429
        waits.append(retry_after(resp))
        # More failures elsewhere while the owner waits do not make the wait longer.
        assert login(from_address(app, f"192.0.2.{n}"), "sup_a", "guess").status_code == 401
        assert retry_after(login(owner, "sup_a", "pw")) <= waits[-1]
        clock.advance(waits[-1])
    assert waits == [2, 4, 8, 16, 32, 64, 128, 256, 300]
    assert login(owner, "sup_a", "pw").status_code == 302


def test_the_delay_stays_with_its_address(app, world, monkeypatch):
    Clock().install(monkeypatch)
    _attack(app, "sup_a")
    assert login(from_address(app, "198.51.100.9"), "sup_a", "wrong").status_code == 401
    assert login(from_address(app, "198.51.100.9"), "sup_a", "pw").status_code == 429
    assert login(from_address(app, OWNER), "sup_a", "pw").status_code == 302


def test_without_an_attack_elsewhere_mistakes_are_not_delayed(app, world):
    owner = from_address(app, OWNER)
    for n in range(3):
        assert login(owner, "col_a", f"typo{n}").status_code == 401
    assert login(owner, "col_a", "pw").status_code == 302


def test_a_forwarded_header_is_ignored_without_trusted_proxies(app, world):
    client = app.test_client()
    for n in range(30):
        spoofed = {"X-Forwarded-For": f"198.51.100.{n}"}
        assert client.post("/login", data={"username": f"nobody{n}", "password": "x"},
                           headers=spoofed).status_code == 401
    resp = client.post("/login", data={"username": "col_a", "password": "pw"},
                       headers={"X-Forwarded-For": "198.51.100.200"})
    assert resp.status_code == 429



def _via_proxy(app, forwarded, username, password):
    return app.test_client().post("/login", data={"username": username, "password": password},
                                  headers={"X-Forwarded-For": forwarded})


def test_behind_a_trusted_proxy_one_client_does_not_lock_out_the_others(behind_proxy):
    for n in range(30):
        assert _via_proxy(behind_proxy, "198.51.100.7", f"nobody{n}", "x").status_code == 401
    assert _via_proxy(behind_proxy, "198.51.100.7", "col_a", "pw").status_code == 429
    # A client that writes its own X-Forwarded-For is still known by what the proxy added.
    assert _via_proxy(behind_proxy, "10.1.2.3, 198.51.100.7", "col_a", "pw").status_code == 429
    assert _via_proxy(behind_proxy, "198.51.100.8", "col_a", "pw").status_code == 302
    assert _via_proxy(behind_proxy, "198.51.100.9", "sup_a", "pw").status_code == 302
