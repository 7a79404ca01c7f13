"""Bootstrap beyond the contract's sentences: the order of the areas, the time in UTC and the
seeded policy sets (keys, roles, choices and labels: the contract suite)."""


def _bootstrap(api, username="col_a"):
    device = api(username)
    resp = device.bootstrap()
    assert resp.status_code == 200
    return resp.get_json()


def test_areas_come_parents_first_and_the_time_in_utc(api):
    body = _bootstrap(api)
    assert body["server_time"].endswith("+00:00")
    assert body["areas"] == [
        {"code": "31", "name": "Thành phố Hải Phòng", "level": "province", "parent": None},
        {"code": "31001", "name": "Phường Hồng Bàng", "level": "commune", "parent": "31"},
        {"code": "31001-1", "name": "Tổ dân phố 1", "level": "village", "parent": "31001"},
        {"code": "31001-2", "name": "Tổ dân phố 2", "level": "village", "parent": "31001"},
    ]
    assert [a["code"] for a in _bootstrap(api, "head_a")["areas"]] == ["31", "31001", "31001-1"]


def test_policy_is_the_seeded_sets_oldest_first(api):
    policy = _bootstrap(api)["policy"]
    dates = [p["effective_from"] for p in policy]
    assert dates == sorted(dates) and "2025-07-01" in dates
    latest = policy[-1]
    assert latest["poverty_line"] == 1500000 and latest["vsi_rate_bp"] == 2200
