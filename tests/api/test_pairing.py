"""Pairing beyond what a device can see: the token is stored hashed, the username matched
without case (answers, errors and limits of pairing: the contract suite)."""
from fieldapp.extensions import db
from fieldapp.models import Device, hash_token
from tests.device import pair_raw


def test_pairing_stores_only_the_tokens_hash_and_the_device_name(app, client, world):
    resp = pair_raw(client, "col_a", device_name="Điện thoại của An")
    assert resp.status_code == 201
    body = resp.get_json()
    with app.app_context():
        device = db.session.get(Device, body["device_id"])
        assert device.token_hash == hash_token(body["token"])
        assert body["token"] not in device.token_hash
        assert device.name == "Điện thoại của An"


def test_username_is_not_case_sensitive(client, world):
    assert pair_raw(client, "COL_A").status_code == 201
