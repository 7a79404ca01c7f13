"""The same batch pushed at once by two devices (a phone and the laptop relaying for it):
every record stored once, each push told accepted or duplicate, never a 5xx."""
import threading

from sqlalchemy import func, select

from fieldapp.extensions import db
from fieldapp.models import Change, Household, Person
from tests.api.conftest import device_of
from tests.records import household, person


def test_two_devices_pushing_the_same_records_store_them_once(app, world):
    batches = []
    for _ in range(6):
        h = household()
        batches.append([h] + [person(h["id"], full_name=f"Thành viên {n}") for n in range(3)])
    devices = [device_of(app, world.users[u])
               for u in ("col_a", "col_a2", "col_a")]
    outcomes, errors = [], []
    start = threading.Barrier(len(devices))

    def run(api):
        try:
            start.wait()
            for batch in batches:
                resp = api.push(batch)
                assert resp.status_code == 200, resp.get_data(as_text=True)
                outcomes.extend(r["status"] for r in resp.get_json()["results"])
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(api,)) for api in devices]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    total = sum(len(b) for b in batches)
    assert outcomes.count("accepted") == total
    assert outcomes.count("duplicate") == total * (len(devices) - 1)
    with app.app_context():
        count = db.session.scalar
        assert count(select(func.count()).select_from(Household)) == len(batches)
        assert count(select(func.count()).select_from(Person)) == total - len(batches)
        assert count(select(func.count()).select_from(Change)) == total
