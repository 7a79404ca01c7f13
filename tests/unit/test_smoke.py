from tests.conftest import login


def test_supervisor_signs_in_and_sees_home(client, world):
    resp = login(client, "sup_a")
    assert resp.status_code == 302
    page = client.get("/home").get_data(as_text=True)
    assert "Phường Hồng Bàng" in page
