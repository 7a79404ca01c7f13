"""bench/review: the supervisor's review queue over a million visits (#11).

Generates a province of 20 communes x 5 villages, 40 collectors, 200,000 households and
``--visits`` visits (default 1,000,000) spread over a year, 70 % approved, 25 % pending,
5 % sent back, written in bulk (executemany on SQLite, COPY on PostgreSQL; not timed beyond
being reported). Then, through the app's own pages in-process (Flask test client, signed in
as a commune's supervisor and as the province's), it times:

* the queue with each filter (none, village, commune, collector, outcome, dates, status,
  sort by household, a far page), ``--repeat`` times each: p50 / p95;
* a visit's review page for ``--repeat`` random visits: p50 / p95;
* bulk approve of 5,000 visits (one POST with the selection, confirmed): seconds.

Budgets (docs/budgets.md): queue and visit page p95 <= 300 ms; bulk approve of 5,000 <= 5 s.

    .venv/bin/python -m bench.review                       # SQLite in a temporary folder
    .venv/bin/python -m bench.review --visits 100000
    .venv/bin/python -m bench.review --file /tmp/review.db            # kept; then:
    .venv/bin/python -m bench.review --file /tmp/review.db --reuse    # timings only
    .venv/bin/python -m bench.review --database postgresql://postgres@127.0.0.1:5432/fieldapp_bench
"""
import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.data import _name  # noqa: E402

COMMUNES, VILLAGES, HOUSEHOLDS = 20, 5, 200_000
OUTCOMES = ("not_home", "not_interested", "interested", "enrolled", "already_covered",
            "moved_away", "refused")
CHUNK = 50_000


def _uid(rng):
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def build(app, visits, seed=11):
    """The area tree, users, households and visits; returns what the timings need."""
    from sqlalchemy import text
    from werkzeug.security import generate_password_hash

    from fieldapp.db.fastrows import insert_rows
    from fieldapp.extensions import db
    from fieldapp.models import Area, Household, User, Visit

    rng = random.Random(seed)
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            db.drop_all()
            with db.engine.begin() as conn:
                conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.create_all()
        prov = Area(code="31", name="Hải Phòng", level="province")
        db.session.add(prov)
        villages, communes = [], []
        for c in range(COMMUNES):
            commune = Area(code=f"31{c:03d}", name=f"Xã {c}", level="commune", parent=prov)
            communes.append(commune)
            for v in range(VILLAGES):
                villages.append(Area(code=f"31{c:03d}-{v + 1}", name=f"Thôn {v + 1}", level="village",
                                     parent=commune))
        db.session.add_all(communes + villages)
        db.session.flush()
        hashed = generate_password_hash("pw")
        collectors = []
        for n, commune in enumerate(communes):
            for k in range(2):
                u = User(username=f"col{n}_{k}", full_name=_name(rng), role="collector")
                u.password_hash, u.areas = hashed, [commune]
                collectors.append(u)
        sup = User(username="sup", full_name="Giám sát xã", role="supervisor")
        sup.password_hash, sup.areas = hashed, [communes[0]]
        head = User(username="sup_all", full_name="Giám sát tỉnh", role="supervisor")
        head.password_hash, head.areas = hashed, [prov]
        db.session.add_all(collectors + [sup, head])
        db.session.commit()
        village_ids = [v.id for v in villages]
        commune_of = {v.id: villages[i // VILLAGES] and communes[i // VILLAGES].id
                      for i, v in enumerate(villages)}
        collectors_by_commune = {}
        for u in collectors:
            collectors_by_commune.setdefault(u.areas[0].id, []).append(u.id)
        first_commune = communes[0]

    started = time.perf_counter()
    now = datetime(2026, 12, 1, 3, tzinfo=UTC)
    with app.app_context():
        conn = db.session.connection()
        hh = []
        for n in range(HOUSEHOLDS):
            area = village_ids[n % len(village_ids)]
            name = _name(rng)
            hh.append({"id": _uid(rng), "area_id": area, "head_name": name, "address": f"Số {n}",
                       "search_text": name.lower(), "version": 1, "received_at": now,
                       "updated_at": now, "content_hash": "", "phone": None})
        for start in range(0, len(hh), CHUNK):
            insert_rows(conn, Household.__table__, hh[start:start + CHUNK])
        db.session.commit()
        hh_ids = [(h["id"], h["area_id"]) for h in hh]
        del hh
        conn = db.session.connection()
        batch = []
        for n in range(visits):
            hid, area = hh_ids[rng.randrange(len(hh_ids))]
            at = now - timedelta(minutes=rng.randrange(525_600))
            roll = rng.random()
            status = "approved" if roll < 0.70 else "pending" if roll < 0.95 else "flagged"
            reviewed = status != "pending"
            batch.append({
                "id": _uid(rng), "household_id": hid, "area_id": area,
                "visited_at": at, "outcome": OUTCOMES[n % len(OUTCOMES)], "topics": ["vsi"],
                "note": "Hẹn quay lại" if n % 3 else None, "version": 1, "client_time": at,
                "received_at": at + timedelta(minutes=rng.randrange(600)), "updated_at": at,
                "content_hash": "", "created_by_id": rng.choice(collectors_by_commune[commune_of[area]]),
                "review_status": status, "review_note": "Thiếu ngày hẹn" if status == "flagged" else None,
                "reviewed_by_id": None, "reviewed_at": at + timedelta(days=1) if reviewed else None,
                "follow_up_on": None, "referral_id": None, "lat": 20.86, "lon": 106.68,
                "accuracy_m": 12.0, "device_id": None})
            if len(batch) == CHUNK:
                insert_rows(conn, Visit.__table__, batch)
                batch = []
        if batch:
            insert_rows(conn, Visit.__table__, batch)
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as c:
                c.execute(text("ANALYZE visits; ANALYZE households"))
        else:
            with db.engine.begin() as c:
                c.execute(text("ANALYZE"))
        commune_visits = list(db.session.scalars(
            db.select(Visit.id).where(Visit.area_id.in_(
                [v for v, c in commune_of.items() if c == first_commune.id])).limit(20_000)))
    return {"generated": time.perf_counter() - started, "visit_ids": commune_visits,
            "village": f"{first_commune.code}-2", "commune": first_commune.code,
            "collector": "col0_1"}


#: The PostgreSQL server's backends of the bench's database: their CPU is read from /proc
#: (same machine) around each request (the pool's one connection, which this probe borrows
#: too: a fraction of a millisecond each), so a figure says what the query cost the database
#: however loaded the machine was. Filled by ``run`` on PostgreSQL.
BACKENDS = {"app": None}


def _backend_cpu_ms():
    app = BACKENDS["app"]
    if app is None:
        return 0.0
    from sqlalchemy import text

    from fieldapp.extensions import db

    with app.app_context(), db.engine.connect() as conn:
        pids = [r[0] for r in conn.execute(text(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"))]
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime + stime, in clock ticks
        except (OSError, IndexError, ValueError):
            continue
    return total * 1000 / os.sysconf("SC_CLK_TCK")


CPU, DB_CPU = {}, {}


def timed(client, url, repeat):
    """Wall ms of each GET; this thread's CPU (on SQLite the database's work included) and
    the PostgreSQL backends' CPU of each go to CPU[url] and DB_CPU[url]."""
    out = []
    for _ in range(repeat):
        db0 = _backend_cpu_ms()
        c0, t0 = time.thread_time(), time.perf_counter()
        resp = client.get(url)
        out.append((time.perf_counter() - t0) * 1000)
        CPU.setdefault(url, []).append((time.thread_time() - c0) * 1000)
        DB_CPU.setdefault(url, []).append(_backend_cpu_ms() - db0)
        assert resp.status_code == 200, (url, resp.status_code)
    return out


def p(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def existing(app):
    """What the timings need from a database generated by an earlier run (``--reuse``)."""
    from fieldapp.extensions import db
    from fieldapp.models import Area, Household, Visit

    with app.app_context():
        # Indexes declared since the database was generated (each made once, then kept),
        # and none of an earlier declaration left behind to mislead the planner.
        from sqlalchemy import inspect, text

        declared = {index.name for index in Visit.__table__.indexes}
        for index in inspect(db.engine).get_indexes("visits"):
            if index["name"] not in declared:
                with db.engine.begin() as conn:
                    conn.execute(text(f'DROP INDEX "{index["name"]}"'))
        for index in Visit.__table__.indexes:
            index.create(db.engine, checkfirst=True)
        for index in Household.__table__.indexes:
            index.create(db.engine, checkfirst=True)
        # A database generated before review_counts existed: made, its triggers created and
        # counted from the visits the way the migration (b7d3c9a1e5f4) back-fills it.
        from fieldapp.models import ReviewCount
        from fieldapp.models.counts import backfill, create_triggers

        if not inspect(db.engine).has_table("review_counts"):
            ReviewCount.__table__.create(db.engine)
            with db.engine.begin() as conn:
                create_triggers(conn)
                backfill(conn)
                if db.engine.dialect.name == "postgresql":
                    conn.execute(text("ANALYZE review_counts; ANALYZE households"))
                else:
                    conn.execute(text("ANALYZE"))
        commune = db.session.scalars(db.select(Area).where(Area.code == "31000")).one()
        villages = [a.id for a in commune.children] if hasattr(commune, "children") else []
        if not villages:
            villages = list(db.session.scalars(db.select(Area.id).where(Area.code.like("31000-%"))))
        ids = list(db.session.scalars(db.select(Visit.id).where(Visit.area_id.in_(villages)).limit(20_000)))
        total = db.session.scalar(db.select(db.func.count()).select_from(Visit))
    return {"generated": 0.0, "visit_ids": ids, "village": "31000-2", "commune": "31000",
            "collector": "col0_1", "total": total}


def run(url, visits, repeat, reuse=False):
    from fieldapp import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False})
    if reuse:
        info = existing(app)
        print(f"database: {url.split('@')[-1]}; reusing {info['total']:,} visits", flush=True)
    else:
        info = build(app, visits)
        print(f"database: {url.split('@')[-1]}; {visits:,} visits generated in {info['generated']:.1f} s",
              flush=True)
    queries = {
        "queue (default: pending, newest synced)": "",
        "village": f"area={info['village']}",
        "commune": f"area={info['commune']}",
        "collector": f"collector={info['collector']}",
        "outcome": "outcome=enrolled",
        "date range (one month)": "from=2026-06-01&to=2026-06-30",
        "status sent back": "status=flagged",
        "all statuses": "status=all",
        "sort by household": "sort=household&dir=asc",
        "page 20": "page=20",
    }
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        BACKENDS["app"] = app
    rows = []
    for who in ("sup", "sup_all"):
        client = app.test_client()
        resp = client.post("/login", data={"username": who, "password": "pw"})
        assert resp.status_code == 302, resp.status_code
        for label, q in queries.items():
            if who == "sup_all" and q.startswith("area="):
                continue
            client.get(f"/supervisor/review?{q}")  # warm the statement caches
            url_q = f"/supervisor/review?{q}"
            CPU.pop(url_q, None), DB_CPU.pop(url_q, None)
            times = timed(client, url_q, repeat)
            rows.append((f"{who}: {label}", times, CPU[url_q], DB_CPU[url_q]))
        ids = random.Random(3).sample(info["visit_ids"], repeat)
        times, cpu, db_cpu = [], [], []
        for vid in ids:
            url_v = f"/supervisor/review/{vid}"
            times += timed(client, url_v, 1)
            cpu += CPU[url_v]
            db_cpu += DB_CPU[url_v]
        rows.append((f"{who}: a visit's page", times, cpu, db_cpu))
    width = max(len(r[0]) for r in rows)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'measure':<{width}}  p50 ms  p95 ms  max ms  cpu p95  db cpu p95  (cpu: this process's "
          "thread, SQLite's work included; db cpu: PostgreSQL backends)")
    for label, times, cpu, db_cpu in rows:
        print(f"{label:<{width}}  {statistics.median(times):6.1f}  {p(times, .95):6.1f}  {max(times):6.1f}"
              f"  {p(cpu, .95):7.1f}  {p(db_cpu, .95):10.1f}", flush=True)
    print(f"load average {os.getloadavg()[0]:.1f}")

    client = app.test_client()
    client.post("/login", data={"username": "sup", "password": "pw"})
    pick = info["visit_ids"][:5000]
    db0, c0, t0 = _backend_cpu_ms(), time.thread_time(), time.perf_counter()
    resp = client.post("/supervisor/review/bulk", data={"visit": pick, "confirm": "1"})
    took, cpu, db_cpu = time.perf_counter() - t0, time.thread_time() - c0, _backend_cpu_ms() - db0
    assert resp.status_code == 302, resp.status_code
    print(f"bulk approve of {len(pick):,} visits (review + audit + feed, one POST): {took:.2f} s"
          f" (cpu {cpu:.2f} s, db cpu {db_cpu / 1000:.2f} s; load {os.getloadavg()[0]:.1f})")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--visits", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--database", default="", help="a PostgreSQL URL (emptied!); default SQLite")
    parser.add_argument("--file", default="", help="the SQLite file to generate (kept) instead of a "
                        "temporary one")
    parser.add_argument("--reuse", action="store_true", help="time the database of an earlier run "
                        "(--file or --database) without generating it again")
    args = parser.parse_args(argv)
    if args.database:
        run(args.database, args.visits, args.repeat, args.reuse)
        return
    if args.file:
        run(f"sqlite:///{Path(args.file).resolve()}", args.visits, args.repeat, args.reuse)
        return
    with tempfile.TemporaryDirectory() as tmp:
        run(f"sqlite:///{tmp}/review.db", args.visits, args.repeat)


if __name__ == "__main__":
    main()
