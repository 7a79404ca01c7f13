"""A personal ID belongs to one person: a second one is rejected without revealing the first
(who may write what, where: the contract suite)."""
from tests.records import household, person


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
