"""A pull shows only what the caller may see (DESIGN §4 "Scope of a pull")."""
from tests.api.conftest import enrollment, household, outreach, person, referral, visit


def _ids(changes, kind=None):
    return {c["id"] for c in changes if kind is None or c["type"] == kind}


def _seed(api):
    """Work of col_a and col_a2 in commune 31001, col_b in 31002, head_a in 31001-1."""
    a1, a2, b1 = household("31001-1"), household("31001-2"), household("31002-1")
    pa, pb = person(a1["id"]), person(b1["id"])
    va, va2, vb = visit(a1["id"]), visit(a2["id"]), visit(b1["id"])
    ea, eb = enrollment(pa["id"]), enrollment(pb["id"])
    ra, rb, o = referral("31001-2"), referral("31002-1"), outreach("31001")
    rh = referral("31001-1")
    rh_other = referral("31001-2")
    api("col_a").push_ok([a1, a2, pa, va, ea, ra, o])
    api("col_a2").push_ok([va2])
    api("col_b").push_ok([b1, pb, vb, eb, rb])
    results = api("head_a").push_ok([rh, rh_other])
    assert results[0]["status"] == "accepted"
    return locals()


def test_collector_sees_their_area_register_and_only_their_own_work(api):
    s = _seed(api)
    changes, _ = api("col_a").pull_all()
    assert _ids(changes, "household") == {s["a1"]["id"], s["a2"]["id"]}
    assert _ids(changes, "person") == {s["pa"]["id"]}
    assert _ids(changes, "visit") == {s["va"]["id"]}  # not col_a2's visit
    assert _ids(changes, "enrollment") == {s["ea"]["id"]}
    assert _ids(changes, "referral") == {s["ra"]["id"], s["rh"]["id"]}
    assert _ids(changes, "outreach") == {s["o"]["id"]}


def test_collector_never_sees_another_areas_households(api):
    s = _seed(api)
    changes, _ = api("col_b").pull_all()
    assert _ids(changes, "household") == {s["b1"]["id"]}
    assert not _ids(changes) & {s["a1"]["id"], s["a2"]["id"], s["pa"]["id"], s["ra"]["id"]}


def test_village_head_sees_own_referrals_and_village_households_but_no_persons(api):
    s = _seed(api)
    changes, _ = api("head_a").pull_all()
    assert _ids(changes) == {s["a1"]["id"], s["rh"]["id"]}
    assert not [c for c in changes if c["type"] in ("person", "visit", "enrollment")]


def test_supervisor_sees_everything_in_their_subtree(api):
    s = _seed(api)
    changes, _ = api("sup_a").pull_all()
    expected = {s[k]["id"] for k in ("a1", "a2", "pa", "va", "va2", "ea", "ra", "o", "rh")}
    assert _ids(changes) == expected


def test_admin_sees_the_whole_province(api):
    s = _seed(api)
    changes, _ = api("admin").pull_all()
    assert s["b1"]["id"] in _ids(changes) and s["a1"]["id"] in _ids(changes)
