"""Record data the forms never see: not an object, or text no database can store (ids, types
and versions that are not well-formed: the contract suite)."""
import pytest

from tests.records import household, new_id


@pytest.mark.parametrize("data", [None, "text", [1], 5])
def test_data_must_be_an_object(api, data):
    rec = {"id": new_id(), "type": "household", "version": 0, "data": data}
    [result] = api("col_a").push_ok([rec])
    assert result["status"] == "rejected" and "_" in result["errors"]


@pytest.mark.parametrize("note", ["a\x00b", "\ud800 lone surrogate"])
def test_text_that_no_database_can_store_is_rejected(api, note):
    [result] = api("col_a").push_ok([household(note=note)])
    assert result["status"] == "rejected"
    assert "note" in result["errors"]
