"""The wording of messages in Vietnamese, the default language (switching to the user's own
language: the contract suite)."""
from tests.records import household


def test_messages_default_to_vietnamese(api):
    col = api("col_a")
    [result] = col.push_ok([household(head_name="")])
    assert result["errors"]["head_name"] == ["Trường này là bắt buộc."]
    assert col.push([], protocol=2).get_json()["error"]["message"].startswith("Máy chủ")
    [unknown] = col.push_ok([dict(household(), type="parcel")])
    assert unknown["errors"] == {"type": ["Loại bản ghi không hợp lệ."]}
    [outside] = col.push_ok([household(area="31002-1")])
    assert outside["errors"] == {"area": ["Địa bàn này nằm ngoài địa bàn được giao cho bạn."]}


def test_unauthorized_message_is_vietnamese(client, world):
    resp = client.get("/api/v1/sync/pull")
    assert "Thiết bị" in resp.get_json()["error"]["message"]
