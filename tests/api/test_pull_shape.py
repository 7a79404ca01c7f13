"""Pulled records come in the shape they were pushed (DESIGN §4, §5)."""
from tests.api.conftest import enrollment, household, person, referral, visit


def test_data_keeps_the_pushed_field_names_and_normalises_phones(api):
    col = api("col_a")
    h = household(phone="+84 912.345-678", note="Gần chợ")
    p = person(h["id"], personal_id="031180001234", si_code="3112345678", phone="0912 000 111")
    v = visit(h["id"], location={"lat": 20.86, "lon": 106.68, "accuracy_m": 12.5})
    e = enrollment(p["id"], visit=v["id"], receipt_no="BL-0001", paid=True)
    col.push_ok([h, p, v, e])
    changes, _ = col.pull_all()
    by_id = {c["id"]: c for c in changes}
    assert by_id[h["id"]] == {
        "id": h["id"], "type": "household", "version": 1, "deleted": False,
        "data": {"area": "31001-1", "address": "Số 12, thôn Đông", "head_name": "Nguyễn Văn An",
                 "phone": "0912345678", "note": "Gần chợ"},
        "server": {}}
    assert by_id[p["id"]]["data"] == {
        "household": h["id"], "full_name": "Trần Thị Bình", "birth_date": "1980-05-01",
        "sex": "female", "personal_id": "031180001234", "si_code": "3112345678",
        "phone": "0912000111", "relation": "spouse", "coverage": "none"}
    assert by_id[v["id"]]["data"] == {
        "household": h["id"], "visited_at": "2026-11-25T09:30:00+07:00",
        "outcome": "interested", "topics": ["vsi"], "follow_up_on": "2026-11-30",
        "referral": None, "note": None,
        "location": {"lat": 20.86, "lon": 106.68, "accuracy_m": 12.5}}
    assert by_id[v["id"]]["server"] == {
        "review": {"status": "pending", "note": None, "by": None, "at": None}}
    assert by_id[e["id"]]["data"] == {
        "person": p["id"], "scheme": "vsi", "start_month": "2025-09", "period_months": 3,
        "amount_due": 792000, "visit": v["id"], "monthly_income": 1500000,
        "support_group": "other", "member_order": None, "receipt_no": "BL-0001", "paid": True}


def test_referral_server_fields_start_new_and_unassigned(api):
    r = referral()
    api("head_a").push_ok([r])
    changes, _ = api("head_a").pull_all()
    [mine] = [c for c in changes if c["id"] == r["id"]]
    assert mine["server"] == {"status": "new", "assigned_to": None}
    assert mine["data"]["contact_phone"] == "0912000111"


def test_times_are_given_with_an_offset(api):
    col = api("col_a")
    h = household()
    v = visit(h["id"], visited_at="2026-11-25T02:30:00+00:00", follow_up_on="2026-11-26")
    col.push_ok([h, v])
    changes, _ = col.pull_all()
    [pulled] = [c for c in changes if c["id"] == v["id"]]
    assert pulled["data"]["visited_at"] == "2026-11-25T09:30:00+07:00"
