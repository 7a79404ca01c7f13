"""Records that are not well-formed records: each rejected on its own, naming what is wrong."""
import pytest

from tests.api.conftest import household, new_id, person


@pytest.mark.parametrize("raw, echoed", [
    ("not a record", None),
    (42, None),
    ([1, 2], None),
    ({"type": "household", "version": 0, "data": {}}, None),
    ({"id": "not-a-uuid", "type": "household", "version": 0, "data": {}}, "not-a-uuid"),
    ({"id": 12, "type": "household", "version": 0, "data": {}}, 12),
    ({"id": "0f8fad5b-d9cb-469f-a165-70867728950", "type": "household", "version": 0,
      "data": {}}, "0f8fad5b-d9cb-469f-a165-70867728950"),
    ({"id": "{0f8fad5b-d9cb-469f-a165-70867728950e}", "type": "household", "version": 0,
      "data": {}}, "{0f8fad5b-d9cb-469f-a165-70867728950e}"),
])
def test_record_without_a_uuid_id_is_rejected_naming_id(api, raw, echoed):
    [result] = api("col_a").push_ok([raw])
    assert result["status"] == "rejected"
    assert result["id"] == echoed
    assert result["version"] == 0
    assert list(result["errors"]) == ["id"]


@pytest.mark.parametrize("kind", ["parcel", "", None, 3, "Household"])
def test_unknown_type_is_rejected_naming_type(api, kind):
    rec = dict(household(), type=kind)
    [result] = api("col_a").push_ok([rec])
    assert result["status"] == "rejected" and "type" in result["errors"]


def test_id_of_another_type_is_rejected_naming_type(api):
    col = api("col_a")
    h = household()
    col.push_ok([h])
    clash = person(h["id"], id=h["id"])
    [result] = col.push_ok([clash])
    assert result["status"] == "rejected"
    assert "type" in result["errors"]
    assert result["version"] == 1


@pytest.mark.parametrize("version", [1, 5])
def test_nonzero_version_for_a_new_id_is_rejected_naming_version(api, version):
    [result] = api("col_a").push_ok([household(version=version)])
    assert result["status"] == "rejected" and list(result["errors"]) == ["version"]
    assert result["version"] == 0


@pytest.mark.parametrize("version", [-1, "0", 1.5, None, True, [0]])
def test_version_must_be_a_whole_number(api, version):
    [result] = api("col_a").push_ok([dict(household(), version=version)])
    assert result["status"] == "rejected" and "version" in result["errors"]


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


def test_id_is_stored_lowercase_and_pulled_lowercase(api):
    col = api("col_a")
    h = household()
    upper = dict(h, id=h["id"].upper())
    [result] = col.push_ok([upper])
    assert result["status"] == "accepted"
    changes, _ = col.pull_all()
    assert [c["id"] for c in changes] == [h["id"]]


def test_any_uuid_version_is_accepted(api):
    rec = household(id="0f8fad5b-d9cb-169f-a165-70867728950e")
    [result] = api("col_a").push_ok([rec])
    assert result["status"] == "accepted"
