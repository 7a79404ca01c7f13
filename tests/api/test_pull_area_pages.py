"""A caller with few areas reads pages area by area; one with many, in seq order over the
whole feed (syncserver/feed.py). Both ways must give every caller the same changes, pages and
cursors, tombstones included."""
import pytest

from fieldapp.syncserver import feed
from tests.records import household, outreach, person, referral, visit

USERS = ("col_a", "col_a2", "col_b", "head_a", "sup_a", "sup_b", "admin")


@pytest.fixture
def busy_feed(api):
    """Records of every kind in three villages and a commune, by several users; a household
    moved between villages (a tombstone) and one edited twice."""
    col_a, col_a2, col_b, head = api("col_a"), api("col_a2"), api("col_b"), api("head_a")
    homes = [household(area=f"31001-{1 + n % 2}", head_name=f"Hộ {n}") for n in range(6)]
    col_a.push_ok(homes + [person(h["id"]) for h in homes[:3]])
    col_a2.push_ok([visit(h["id"]) for h in homes[:4]] + [outreach()])
    col_a.push_ok([visit(homes[5]["id"], outcome="not_home", topics=[], follow_up_on=None)])
    col_b.push_ok([household(area="31002-1"), outreach(area="31002")])
    head.push_ok([referral(), referral(contact_name="Phạm Thị Hoa")])
    moved = homes[0]
    col_a.push_ok([dict(moved, version=1, data=dict(moved["data"], area="31001-2"))])
    edited = homes[1]
    col_a.push_ok([dict(edited, version=1, data=dict(edited["data"], note="Lần 1"))])
    col_a.push_ok([dict(edited, version=2, data=dict(edited["data"], note="Lần 2"))])
    return api


def _pages(api, user, limit, monkeypatch, up_to):
    monkeypatch.setattr(feed, "AREA_PAGES_UP_TO", up_to)
    client = api(user)
    pages, cursor = [], None
    while True:
        resp = client.pull(cursor, limit)
        assert resp.status_code == 200, resp.get_data(as_text=True)
        page = resp.get_json()
        pages.append(([(c["id"], c["version"], c["deleted"], c["data"]) for c in page["changes"]],
                      page["more"]))
        cursor = page["cursor"]
        if not page["more"]:
            return pages, cursor


@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize("limit", [1, 4, 1000])
def test_by_area_and_in_order_agree(busy_feed, user, limit, monkeypatch):
    by_area = _pages(busy_feed, user, limit, monkeypatch, up_to=32)
    in_order = _pages(busy_feed, user, limit, monkeypatch, up_to=0)
    assert by_area == in_order
    seen = [change for changes, _more in by_area[0] for change in changes]
    assert seen, "every user sees something of this feed"
