"""Issue #4, test 7: household search finds a head typed without Vietnamese diacritics, and by
address, phone or a member's personal ID."""
import uuid

import pytest

from tests.e2e.conftest import shot
from tests.e2e.helpers import Api, go, sign_in

HEADS = [("Nguyễn Văn Đức", "Số 12, ngõ Hoà Hiệp", "0912345678", "031080000123"),
         ("Trần Thị Bình", "Số 3, đường Lạch Tray", "0987654321", "031075000002"),
         ("Lê Văn Cường", "Thôn Đông, xóm Giữa", None, None)]


@pytest.fixture
def households(server):
    api, records = Api(server.base, "col_a"), []
    for head, address, phone, pid in HEADS:
        hh = str(uuid.uuid4())
        data = {"area": "31001-1", "address": address, "head_name": head}
        if phone:
            data["phone"] = phone
        records.append({"id": hh, "type": "household", "data": data})
        person = {"household": hh, "full_name": head, "birth_date": "1970-01-01", "sex": "male"}
        if pid:
            person["personal_id"] = pid
        records.append({"id": str(uuid.uuid4()), "type": "person", "data": person})
    api.push(records)


def results(page, query):
    page.fill("#hh-search", query)
    page.wait_for_function("(q) => document.querySelector('#hh-search').value === q", arg=query)
    page.wait_for_timeout(150)
    return [li.inner_text().split("\n")[0].strip() for li in page.locator("#hh-results a.row strong").all()]


QUERIES = [
    ("nguyen van duc", ["Nguyễn Văn Đức"]),
    ("NGUYEN duc", ["Nguyễn Văn Đức"]),
    ("tran thi binh", ["Trần Thị Bình"]),
    ("Bình", ["Trần Thị Bình"]),
    ("lach tray", ["Trần Thị Bình"]),
    ("xom giua", ["Lê Văn Cường"]),
    ("0987 654", ["Trần Thị Bình"]),
    ("0310800", ["Nguyễn Văn Đức"]),
    ("van", ["Lê Văn Cường", "Nguyễn Văn Đức"]),
    ("pham", []),
]


def test_search_without_diacritics(page, households):
    sign_in(page, "col_a")
    go(page, "#/households")
    page.wait_for_selector("#hh-search")
    for query, found in QUERIES:
        assert sorted(results(page, query)) == sorted(found), query
        if query == "nguyen van duc":
            shot(page, "households-search")
