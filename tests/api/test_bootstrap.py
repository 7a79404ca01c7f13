"""Bootstrap: what a device needs before its first pull (DESIGN §4)."""
from fieldapp.extensions import db
from fieldapp.models import User


def test_bootstrap_for_a_collector(api):
    resp = api("col_a").client.get("/api/v1/bootstrap", headers=api("col_a").headers)
    assert resp.status_code == 200
    body = resp.get_json()
    assert body["protocol"] == 1
    assert body["server_time"].endswith("+00:00")
    assert body["user"] == {"username": "col_a", "full_name": "COL_A", "role": "collector",
                            "areas": ["31001"]}
    assert body["areas"] == [
        {"code": "31", "name": "Thành phố Hải Phòng", "level": "province", "parent": None},
        {"code": "31001", "name": "Phường Hồng Bàng", "level": "commune", "parent": "31"},
        {"code": "31001-1", "name": "Tổ dân phố 1", "level": "village", "parent": "31001"},
        {"code": "31001-2", "name": "Tổ dân phố 2", "level": "village", "parent": "31001"},
    ]


def test_bootstrap_policy_choices_and_labels(api):
    body = api("col_a").client.get("/api/v1/bootstrap", headers=api("col_a").headers).get_json()
    assert body["policy"], "the seeded parameter sets"
    dates = [p["effective_from"] for p in body["policy"]]
    assert dates == sorted(dates) and "2025-07-01" in dates
    latest = body["policy"][-1]
    assert latest["poverty_line"] == 1500000 and latest["vsi_rate_bp"] == 2200
    choices = body["choices"]
    for field in ("outcome", "topics", "sex", "relation", "coverage", "scheme",
                  "support_group", "reason", "kind"):
        assert choices[field] and all(isinstance(v, str) for v in choices[field])
        assert set(body["labels"][field]) == set(choices[field])
    assert "interested" in choices["outcome"]
    assert body["labels"]["outcome"]["interested"] == "Quan tâm, hẹn lại"


def test_labels_follow_the_users_language(app, world, api):
    with app.app_context():
        db.session.get(User, world.users["col_a"]).locale = "en"
        db.session.commit()
    body = api("col_a").client.get("/api/v1/bootstrap", headers=api("col_a").headers).get_json()
    assert body["labels"]["outcome"]["interested"] == "Interested, follow up"


def test_village_head_gets_their_village_and_its_ancestors(api):
    head = api("head_a")
    body = head.client.get("/api/v1/bootstrap", headers=head.headers).get_json()
    assert [a["code"] for a in body["areas"]] == ["31", "31001", "31001-1"]
    assert body["user"]["role"] == "village_head"
