"""Benchmark of the progress page (issue #12): the whole province, at least as big as the budget.

Builds a province of 3,000 areas (a city, 100 communes, 2,899 villages), 100,000 households,
200,000 persons each with one enrollment (new, renewed or resumed; most paid), 1,000,000
visits, three years of monthly official counts for every area and both schemes, and the
plans of those years; then times the progress page of the whole province through the app
(signed in as its admin): on the latest counted month (official figures) and on the month
after it (provisional: the count plus the sign-ups since). Budget: ≤ 1 s (docs/budgets.md).

    .venv/bin/python -m bench.progress [--db sqlite|postgres|both] [--repeat 5]

PostgreSQL comes from FIELDAPP_BENCH_DATABASE_URL (default database fieldapp_bench_progress
on 127.0.0.1, created if missing) and is skipped when none answers.
"""
import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/fieldapp_bench_progress"
COMMUNES, AREAS = 100, 3000
HOUSEHOLDS, PERSONS, VISITS = 100_000, 200_000, 1_000_000
FIRST_MONTH, LAST_COUNT = "2023-11", "2026-10"  # 36 months of counts
BUDGET = 1.0


def months(first, last):
    from fieldapp.reports.progress import month_add
    out, m = [], first
    while m <= last:
        out.append(m)
        m = month_add(m, 1)
    return out


def build(url):
    """The data set, written with the bulk inserts of the sync push (db/fastrows.py)."""
    from sqlalchemy import text
    from werkzeug.security import generate_password_hash

    from fieldapp import create_app
    from fieldapp.db.fastrows import insert_rows
    from fieldapp.extensions import db
    from fieldapp.models import (
        Area,
        Enrollment,
        Household,
        Organization,
        ParticipantCount,
        Person,
        Plan,
        User,
        Visit,
    )

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench",
                      "RATELIMIT_STORAGE_URI": "memory://", "WTF_CSRF_ENABLED": False})
    rng = random.Random(12)
    started = time.perf_counter()
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.create_all()
        prov = Area(code="31", name="Thành phố Hải Phòng", level="province", central_city=True)
        db.session.add(prov)
        db.session.flush()
        communes = [Area(code=f"31{i:03d}", name=f"Xã {i}", level="commune", parent_id=prov.id)
                    for i in range(1, COMMUNES + 1)]
        db.session.add_all(communes)
        db.session.flush()
        villages = []
        per = (AREAS - 1 - COMMUNES) // COMMUNES + 1
        for c in communes:
            for n in range(1, per + 1):
                if 1 + COMMUNES + len(villages) >= AREAS:
                    break
                villages.append(Area(code=f"{c.code}-{n}", name=f"Thôn {n}", level="village",
                                     parent_id=c.id))
        db.session.add_all(villages)
        org = Organization(code="BD31", name="Bưu điện", kind="post_office", area_id=prov.id)
        db.session.add(org)
        db.session.flush()
        admin = User(username="admin", full_name="Admin", role="admin", organization_id=org.id,
                     password_hash=generate_password_hash("pw"))
        admin.areas = [prov]
        collector = User(username="col", full_name="Col", role="collector",
                         organization_id=org.id, password_hash="x")
        db.session.add_all([admin, collector])
        db.session.commit()
        village_ids = [v.id for v in villages]
        all_ids = [prov.id] + [c.id for c in communes] + village_ids
        now = datetime(2026, 11, 25, tzinfo=UTC)
        base = {"version": 1, "received_at": now, "updated_at": now, "content_hash": "",
                "created_by_id": collector.id}
        conn = db.session.connection()
        households = []
        for i in range(HOUSEHOLDS):
            households.append({**base, "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                               "area_id": rng.choice(village_ids), "address": f"Số {i}",
                               "head_name": "Nguyễn Văn An", "search_text": "nguyen van an"})
        insert_rows(conn, Household.__table__, households)
        persons = []
        for i in range(PERSONS):
            h = households[i % HOUSEHOLDS]
            persons.append({**base, "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                            "household_id": h["id"], "area_id": h["area_id"],
                            "full_name": "Trần Thị Bình", "birth_date": datetime(1980, 1, 1).date(),
                            "sex": "female", "relation": "head", "coverage": "none"})
        insert_rows(conn, Person.__table__, persons)
        all_months = months("2023-11", "2026-11")
        enrollments = []
        for p in persons:
            month = rng.choice(all_months)
            at = datetime(int(month[:4]), int(month[5:]), rng.randint(1, 28), 3, tzinfo=UTC)
            enrollments.append({**base, "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                                "person_id": p["id"], "area_id": p["area_id"],
                                "scheme": "vsi" if rng.random() < 0.6 else "hhi",
                                "start_month": month, "period_months": 3, "amount_due": 792000,
                                "paid": rng.random() < 0.9, "client_time": at,
                                "kind": rng.choices(("new", "renewed", "resumed"), (2, 7, 1))[0]})
        insert_rows(conn, Enrollment.__table__, enrollments)
        del enrollments, persons
        for _batch in range(VISITS // 100_000):
            batch = []
            for _ in range(100_000):
                h = households[rng.randrange(HOUSEHOLDS)]
                batch.append({**base, "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                              "household_id": h["id"], "area_id": h["area_id"],
                              "visited_at": now, "outcome": "interested", "topics": ["vsi"],
                              "review_status": "pending"})
            insert_rows(conn, Visit.__table__, batch)
        counted = months(FIRST_MONTH, LAST_COUNT)
        counts = [{"area_id": a, "month": m, "scheme": s, "participants": rng.randint(100, 5000)}
                  for a in all_ids for m in counted for s in ("vsi", "hhi")]
        insert_rows(conn, ParticipantCount.__table__, counts)
        plans = [{"area_id": a, "organization_id": None, "year": y, "scheme": s,
                  "target": rng.randint(500, 6000), "new_participants": rng.randint(50, 500),
                  "monthly": None}
                 for a in all_ids for y in (2024, 2025, 2026) for s in ("vsi", "hhi")]
        insert_rows(conn, Plan.__table__, plans)
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
                c.execute(text("VACUUM ANALYZE"))
        else:
            with db.engine.begin() as c:
                c.execute(text("ANALYZE"))
        db.session.remove()
    print(f"  built in {time.perf_counter() - started:.0f} s: {len(all_ids)} areas, "
          f"{HOUSEHOLDS} households, {PERSONS} persons and enrollments, {VISITS} visits, "
          f"{len(counts)} counts, {len(plans)} plans")
    return app


def reused(url):
    from fieldapp import create_app
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench",
                       "RATELIMIT_STORAGE_URI": "memory://", "WTF_CSRF_ENABLED": False})


def time_page(app, repeat):
    """Each view warmed once, then timed ``repeat`` times; the median and the worst."""
    from tests.conftest import login

    client = app.test_client()
    assert login(client, "admin").status_code == 302
    results = {}
    for label, query in (("latest counted month (2026-10)", "area=31&month=2026-10"),
                         ("provisional month (2026-11)", "area=31&month=2026-11"),
                         ("default (opens on latest count)", "area=31"),
                         ("a commune (31001, 2026-10)", "area=31001&month=2026-10")):
        url = f"/supervisor/progress?{query}"
        resp = client.get(url)  # warm: the area tree, templates, catalogs
        assert resp.status_code == 200, resp.status_code
        times, cpu = [], []
        for _ in range(repeat):
            t, c = time.perf_counter(), time.process_time()
            resp = client.get(url)
            times.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
            assert resp.status_code == 200
        results[label] = times
        # CPU of this process: the whole page on SQLite (in-process), the app's share on
        # PostgreSQL. On a shared, overloaded machine it says more than the wall time.
        print(f"  {label:36s} median {statistics.median(times) * 1000:7.0f} ms   "
              f"max {max(times) * 1000:7.0f} ms   process CPU median "
              f"{statistics.median(cpu) * 1000:5.0f} ms   ({repeat} runs)")
    worst = max(statistics.median(t) for t in results.values())
    print(f"  budget (≤ {BUDGET:.0f} s, the province page): "
          f"{'met' if worst <= BUDGET else 'NOT met'}")
    return results


def pg_url():
    url = os.environ.get("FIELDAPP_BENCH_DATABASE_URL", DEFAULT_PG)
    try:
        import psycopg

        admin, name = url.rsplit("/", 1)
        with psycopg.connect(admin + "/postgres", connect_timeout=3, autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                [name]).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')
    except Exception as exc:
        print(f"PostgreSQL not reachable ({exc.__class__.__name__}): skipped")
        return None
    return url


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sqlite-file", help="keep the SQLite database in this file (the "
                                              "PostgreSQL one is kept anyway)")
    parser.add_argument("--reuse", action="store_true",
                        help="time the databases built by an earlier run, without rebuilding")
    args = parser.parse_args()
    print("load before:", os.getloadavg())
    with tempfile.TemporaryDirectory(prefix="bench-progress-") as tmp:
        targets = []
        if args.db in ("sqlite", "both"):
            path = Path(args.sqlite_file).resolve() if args.sqlite_file else Path(tmp) / "progress.db"
            targets.append(("SQLite", f"sqlite:///{path}"))
        if args.db in ("postgres", "both"):
            url = pg_url()
            if url:
                targets.append(("PostgreSQL", url))
        for label, url in targets:
            print(label)
            keep = label != "SQLite" or args.sqlite_file
            app = reused(url) if args.reuse and keep else build(url)
            time_page(app, args.repeat)
            with app.app_context():
                from fieldapp.extensions import db
                db.engine.dispose()


if __name__ == "__main__":
    main()
