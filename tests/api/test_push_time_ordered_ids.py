"""Time-ordered (version 7) and random (version 4) record ids are both taken, side by side
(issue #16): phones updated to make version-7 ids keep syncing records made before."""
import uuid

from sync.ids import new_id
from tests.records import household, person, visit


def test_version_4_and_version_7_ids_mix_in_one_batch_and_refer_to_each_other(api):
    col = api("col_a")
    old = household(id=str(uuid.uuid4()))
    member = person(old["id"], id=new_id())
    fresh = household(id=new_id())
    seen = visit(fresh["id"], id=str(uuid.uuid4()))
    batch = [old, member, fresh, seen]
    results = col.push_ok(batch)
    assert [r["status"] for r in results] == ["accepted"] * 4
    assert [r["id"] for r in results] == [r["id"] for r in batch]
    pulled = col.latest()
    assert {r["id"] for r in batch} <= set(pulled)
    assert pulled[member["id"]]["data"]["household"] == old["id"]
    assert pulled[seen["id"]]["data"]["household"] == fresh["id"]
