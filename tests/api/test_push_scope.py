"""Who may write what, where (DESIGN §4): rejected with the field that is out of reach."""
import pytest

from fieldapp.extensions import db
from fieldapp.models import Household
from tests.api.conftest import enrollment, household, outreach, person, referral, visit


def test_collector_household_outside_their_areas_is_rejected_naming_area(app, api):
    h = household(area="31002-1")
    [result] = api("col_a").push_ok([h])
    assert result["status"] == "rejected" and list(result["errors"]) == ["area"]
    with app.app_context():
        assert db.session.get(Household, h["id"]) is None


def test_person_in_a_household_outside_their_areas_names_household(api):
    h = household(area="31002-1")
    api("col_b").push_ok([h])
    [result] = api("col_a").push_ok([person(h["id"])])
    assert result["status"] == "rejected" and list(result["errors"]) == ["household"]


@pytest.mark.parametrize("code", ["99999-9", "", "31001-7"])
def test_unknown_area_names_area(api, code):
    [result] = api("col_a").push_ok([household(area=code)])
    assert result["status"] == "rejected" and list(result["errors"]) == ["area"]


def test_household_needs_a_village_not_a_commune(api):
    [result] = api("col_a").push_ok([household(area="31001")])
    assert result["status"] == "rejected" and list(result["errors"]) == ["area"]


def test_outreach_may_name_a_commune(api):
    [result] = api("col_a").push_ok([outreach(area="31001")])
    assert result["status"] == "accepted"


def test_collector_may_move_a_household_within_their_areas_only(api):
    col = api("col_a")
    h = household()
    col.push_ok([h])
    [inside] = col.push_ok([household(id=h["id"], version=1, area="31001-2")])
    assert inside["status"] == "accepted"
    [outside] = col.push_ok([household(id=h["id"], version=2, area="31002-1")])
    assert outside["status"] == "rejected" and list(outside["errors"]) == ["area"]


def test_collectors_share_the_household_register_of_their_area(api):
    h = household()
    api("col_a").push_ok([h])
    [result] = api("col_a2").push_ok([household(id=h["id"], version=1, note="cùng xã")])
    assert result["status"] == "accepted"


def test_collector_may_not_change_another_collectors_visit(api):
    h = household()
    v = visit(h["id"])
    api("col_a").push_ok([h, v])
    [result] = api("col_a2").push_ok([visit(h["id"], id=v["id"], version=1, note="sửa")])
    assert result["status"] == "rejected" and "_" in result["errors"]


def test_village_head_pushes_referrals_in_their_village_only(api):
    head = api("head_a")
    ok, other_village = referral(area="31001-1"), referral(area="31001-2")
    results = head.push_ok([ok, other_village])
    assert [r["status"] for r in results] == ["accepted", "rejected"]
    assert list(results[1]["errors"]) == ["area"]


@pytest.mark.parametrize("make", [lambda: household(), lambda: outreach(area="31001-1")])
def test_village_head_may_not_push_other_kinds(api, make):
    [result] = api("head_a").push_ok([make()])
    assert result["status"] == "rejected" and "_" in result["errors"]


def test_village_head_may_not_edit_a_collectors_referral(api):
    r = referral()
    api("col_a").push_ok([r])
    [result] = api("head_a").push_ok([referral(id=r["id"], version=1, note="x")])
    assert result["status"] == "rejected"


def test_personal_id_of_another_person_is_rejected_without_revealing_them(api):
    col = api("col_a")
    h = household()
    first = person(h["id"], personal_id="031180001234", full_name="Phạm Văn Dũng")
    col.push_ok([h, first])
    [result] = col.push_ok([person(h["id"], personal_id="031180001234")])
    assert result["status"] == "rejected" and list(result["errors"]) == ["personal_id"]
    text = str(result["errors"])
    assert first["id"] not in text and "Dũng" not in text


def test_personal_id_twice_in_one_batch_keeps_the_first(api):
    h = household()
    a = person(h["id"], personal_id="031180009999")
    b = person(h["id"], personal_id="031180009999")
    results = api("col_a").push_ok([h, a, b])
    assert [r["status"] for r in results] == ["accepted", "accepted", "rejected"]


def test_person_keeps_their_own_personal_id_on_edit(api):
    col = api("col_a")
    h = household()
    p = person(h["id"], personal_id="031180001111")
    col.push_ok([h, p])
    [result] = col.push_ok([person(h["id"], id=p["id"], version=1, personal_id="031180001111",
                                   phone="0987654321")])
    assert result["status"] == "accepted"


def test_enrollment_for_a_person_outside_their_areas_names_person(api):
    h = household(area="31002-1")
    p = person(h["id"])
    api("col_b").push_ok([h, p])
    [result] = api("col_a").push_ok([enrollment(p["id"])])
    assert result["status"] == "rejected" and list(result["errors"]) == ["person"]
