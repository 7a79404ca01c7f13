"""Personal data as a device sees it over HTTP (issue #9, points 4 and 8): a supervisor's pull
shows personal IDs and SI codes by their last four digits; an ID registered outside the
caller's areas is refused alone, without saying where."""
from tests.records import household, person

PID, SI = "001080012345", "3112345678"


def _person(device, rid):
    changes, _ = device.pull_all()
    [change] = [c for c in changes if c["id"] == rid]
    return change["data"]


def test_a_supervisor_pulls_ids_masked_and_a_collector_or_admin_whole(dev):
    h = household()
    p = person(h["id"], personal_id=PID, si_code=SI)
    dev("col_a").accepted([h, p])
    sup = _person(dev("sup_a"), p["id"])
    assert sup["personal_id"].endswith("2345") and sup["personal_id"] != PID
    assert len(sup["personal_id"]) == len(PID) and not sup["personal_id"][:-4].isdigit()
    assert sup["si_code"].endswith("5678") and sup["si_code"] != SI
    for username in ("col_a", "admin"):
        data = _person(dev(username), p["id"])
        assert (data["personal_id"], data["si_code"]) == (PID, SI)


def test_an_id_registered_elsewhere_is_refused_alone_and_says_less(dev):
    far = household(area="31002-1")
    dev("col_b").accepted([far, person(far["id"], personal_id=PID)])
    col = dev("col_a")
    h = household()
    here = person(h["id"])
    col.accepted([h, here])
    elsewhere, ok, taken_here = col.push_ok([
        person(h["id"], personal_id=PID), person(h["id"]),
        person(h["id"], personal_id=here["data"]["personal_id"])])
    assert (elsewhere["status"], ok["status"], taken_here["status"]) == (
        "rejected", "accepted", "rejected")
    assert set(elsewhere["errors"]) == {"personal_id"}
    # another sentence than for an ID the collector can see registered in their own areas
    assert elsewhere["errors"] != taken_here["errors"]
