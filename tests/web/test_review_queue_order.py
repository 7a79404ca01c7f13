"""The review queue's pages are cut from index walks (#11): per area and status merged, the
households walked in name order. Whatever the path, a page holds exactly the rows one
ORDER BY over every match gives, page after page (small pages here, so that a few visits
make several)."""
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from fieldapp.extensions import db
from fieldapp.models import Household, User, Visit
from fieldapp.rules.access import Scope
from fieldapp.supervisor import review_queue as queue
from tests.web.records import household, visit

PER = 3


@pytest.fixture
def visits(app, world):
    """Four households in two villages of 31001 (two with the same head's name), eleven
    visits synced at different times, in every review status."""
    names = ["Phạm Văn Hải", "Lê Thị Hoa", "Phạm Văn Hải", "Đỗ Minh An"]
    areas = ["31001-1", "31001-2", "31001-2", "31001-1"]
    ids = []
    for n, (name, code) in enumerate(zip(names, areas, strict=True)):
        hid = household(app, world.areas[code], name)
        for k in range(1 + n % 3 + (n == 3)):
            at = datetime(2026, 11, 3 + 5 * n + k, 2, tzinfo=UTC)
            ids.append(visit(app, hid, at, world.users["col_a" if k % 2 else "col_a2"],
                             outcome=("interested", "enrolled")[k % 2]))
    statuses = ["pending", "approved", "flagged"]
    with app.app_context():
        for n, vid in enumerate(ids):
            db.session.execute(update(Visit).where(Visit.id == vid).values(
                review_status=statuses[n % 3],
                received_at=datetime(2026, 11, 28, tzinfo=UTC) - timedelta(hours=n * 7 % 11)))
        db.session.commit()
    return ids


def expected(filters):
    """Every match in the chosen order, as one ORDER BY over the visits gives it."""
    rows = db.session.execute(
        select(Visit, Household.head_name, Household.id, User.username)
        .join(Household, Household.id == Visit.household_id)
        .outerjoin(User, User.id == Visit.created_by_id)
        .where(*filters.conditions())).all()
    key = {"synced": lambda r: (r[0].received_at, r[0].id),
           "visited": lambda r: (r[0].visited_at, r[0].id),
           "household": lambda r: (r[1], r[2], r[0].id)}[filters.sort]
    return [r[0].id for r in sorted(rows, key=key, reverse=not filters.ascending)]


@pytest.mark.parametrize("sort", ["synced", "visited", "household"])
@pytest.mark.parametrize("ascending", [False, True])
@pytest.mark.parametrize("status", ["", "pending", "approved"])
@pytest.mark.parametrize("user, area", [("sup_a", None), ("sup_a", "31001-2"), ("admin", None)])
def test_every_page_is_the_order_by_over_every_match(app, world, visits, monkeypatch, sort,
                                                     ascending, status, user, area):
    """sup_a: a narrow scope (a walk per area and status); admin: the whole tree (a walk
    per status, or one query for one status)."""
    monkeypatch.setattr(queue, "PER_PAGE", PER)
    with app.test_request_context():
        admin = db.session.scalars(select(User).where(User.username == user)).one()
        scope = Scope(admin)
        for walk_households in (False, True):
            # Past SORT_ALL_UNDER the households are walked; under it every match sorted.
            monkeypatch.setattr(queue, "SORT_ALL_UNDER", -1 if walk_households else 10_000)
            f = queue.Filters(area_ids=set(scope.area_ids), status=status, sort=sort,
                              ascending=ascending)
            if area:
                f.area, f.area_ids = queue.area_by_code(area, scope)
            want = expected(f)
            counts = queue.status_counts(f)
            assert (counts[status] if status else sum(counts.values())) == len(want)
            got = []
            for page in range(1, -(-len(want) // PER) + 1):
                got += [row[0].id for row in queue.queue_page(f, page, counts).items]
            assert got == want, (sort, ascending, status, area, walk_households)
