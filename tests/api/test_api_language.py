"""Messages come in the device user's language: theirs if set, else Vietnamese."""
from fieldapp.extensions import db
from fieldapp.models import User
from tests.api.conftest import household


def test_messages_default_to_vietnamese(api):
    col = api("col_a")
    [result] = col.push_ok([household(head_name="")])
    assert result["errors"]["head_name"] == ["Trường này là bắt buộc."]
    assert col.push([], protocol=2).get_json()["error"]["message"].startswith("Máy chủ")
    [unknown] = col.push_ok([dict(household(), type="parcel")])
    assert unknown["errors"] == {"type": ["Loại bản ghi không hợp lệ."]}
    [outside] = col.push_ok([household(area="31002-1")])
    assert outside["errors"] == {"area": ["Địa bàn này nằm ngoài địa bàn được giao cho bạn."]}


def test_messages_in_english_for_a_user_who_chose_it(app, world, api):
    with app.app_context():
        db.session.get(User, world.users["col_a"]).locale = "en"
        db.session.commit()
    col = api("col_a")
    [result] = col.push_ok([household(head_name="")])
    assert result["errors"]["head_name"] == ["This field is required."]


def test_unauthorized_message_is_vietnamese(client, world):
    resp = client.get("/api/v1/sync/pull")
    assert "Thiết bị" in resp.get_json()["error"]["message"]
