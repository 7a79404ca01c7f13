"""Who sees referrals and their answers through the API (#11): a village head only their own
referrals (never visits, persons or enrollments, not even those answering their referral);
a supervisor of another subtree none of them, and no supervisor acts through the API."""
from fieldapp.extensions import db
from fieldapp.models import Referral
from tests.records import hhi_enrollment, household, person, referral, visit


def test_a_village_head_sees_only_their_referrals_never_the_work(app, world, api):
    head = api("head_a")
    mine = referral("31001-1")
    head.accepted([mine])
    col = api("col_a")
    theirs = referral("31001-1", contact_name="Người khác")  # a collector's, same village
    h = household("31001-1")
    p = person(h["id"])
    v = visit(h["id"], referral=mine["id"], outcome="enrolled", follow_up_on=None)
    col.accepted([theirs, h, p, v, hhi_enrollment(p["id"], visit=v["id"])])
    seen = head.latest()
    assert {c["type"] for c in seen.values()} == {"household", "referral"}
    assert [c["id"] for c in seen.values() if c["type"] == "referral"] == [mine["id"]]
    assert seen[mine["id"]]["server"]["status"] == "enrolled"


def test_a_supervisor_of_another_subtree_pulls_none_of_them(app, world, api):
    r = referral("31001-1")
    api("head_a").accepted([r])
    assert r["id"] not in api("sup_b").latest()
    assert api("sup_a").latest()[r["id"]]["server"]["status"] == "new"


def test_no_supervisor_acts_on_a_referral_through_the_api(app, world, api):
    r = referral("31001-1")
    api("head_a").accepted([r])
    for name in ("sup_a", "sup_b"):
        closing = dict(r, version=1, data=dict(r["data"], close_reason="refused"))
        resp = api(name).push([closing])
        assert resp.status_code == 403
    with app.app_context():
        assert db.session.get(Referral, r["id"]).status == "new"


def test_a_collector_of_another_commune_cannot_close_it(app, world, api):
    r = referral("31001-1")
    api("head_a").accepted([r])
    closing = dict(r, version=1, data=dict(r["data"], close_reason="refused"))
    result = api("col_b").push_ok([closing])[0]
    assert result["status"] == "rejected" and result["errors"]  # not theirs to touch
    with app.app_context():
        assert db.session.get(Referral, r["id"]).status == "new"
