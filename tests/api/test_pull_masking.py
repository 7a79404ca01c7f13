"""A supervisor's pull masks personal IDs and SI codes as the pages do (issue #9, point 4).

The household page shows a supervisor the last four digits of a personal ID; a supervisor who
paired a device with a script pulled the whole ID and SI code. Admins and collectors (who
register the IDs on the doorstep) keep the full values; village heads get no persons at all.
"""
import pytest

from tests.records import household, person

PID, SI = "001080012345", "3112345678"


@pytest.fixture
def family(api):
    h = household()
    p = person(h["id"], personal_id=PID, si_code=SI)
    bare = person(h["id"], personal_id=None, si_code=None)
    api("col_a").accepted([h, p, bare])
    return h["id"], p["id"], bare["id"]


def _persons(api, username):
    changes, _ = api(username).pull_all()
    return {c["id"]: c["data"] for c in changes if c["type"] == "person"}


def test_a_supervisor_pulls_the_last_four_digits_only(api, family):
    _, pid, bare = family
    data = _persons(api, "sup_a")
    assert data[pid]["personal_id"] == "••••••••2345"
    assert data[pid]["si_code"] == "••••••5678"
    assert data[bare]["personal_id"] is None and data[bare]["si_code"] is None
    # the rest of the person is as pushed
    assert data[pid]["full_name"] == "Phạm Thị Lan" and data[pid]["birth_date"] == "1985-03-14"


@pytest.mark.parametrize("username", ["admin", "col_a", "col_a2"])
def test_admins_and_collectors_pull_the_whole_values(api, family, username):
    _, pid, _ = family
    data = _persons(api, username)
    assert (data[pid]["personal_id"], data[pid]["si_code"]) == (PID, SI)


def test_a_village_head_pulls_no_persons(api, family):
    assert _persons(api, "head_a") == {}


def test_the_mask_is_the_pages_mask(api, family, app, login_as):
    hid, pid, _ = family
    data = _persons(api, "sup_a")
    page = login_as("sup_a").get(f"/supervisor/households/{hid}").get_data(as_text=True)
    assert data[pid]["personal_id"] in page and data[pid]["si_code"] in page
    assert PID not in page and SI not in page


def test_an_incremental_pull_masks_too(api, family):
    """The first page and the pages after a cursor take the same path."""
    hid, pid, _ = family
    sup = api("sup_a")
    _, cursor = sup.pull_all()
    api("col_a").accepted([person(hid, id=pid, version=1, personal_id="001080019999",
                                  si_code=SI)])
    [change] = [c for c in sup.pull_all(cursor)[0] if c["id"] == pid]
    assert change["data"]["personal_id"] == "••••••••9999"
    assert change["version"] == 2
