"""bench/synthesis: the monthly synthesis and its XLSX on a province's year of work.

Generated (not timed): one province of 100 communes x 5 villages, 30 collection
organizations with 2 points in each commune they serve, 500 collectors, 200,000 households,
300,000 persons, 1,000,000 visits and 200,000 sign-ups spread over 2026, 20,000 referrals and
20,000 group sessions. Rows go in with the driver's bulk path (executemany on SQLite, COPY on
PostgreSQL). Timed: the report for November (monthly_synthesis, all organizations ranked), the
page as a province supervisor gets it over HTTP, and the XLSX download. Budget
(docs/budgets.md): the synthesis <= 1 s, the XLSX <= 3 s. Each figure comes with its CPU time:
this process's, plus on PostgreSQL the CPU of the backends serving the bench's database (the
machine may be shared: CPU is the work, wall time includes the wait for a core). ``--parts``
also times the report's statements one by one; ``--reuse`` adds the tables (``payer_chains``,
back-filled), columns (``payer_chains.household_id``) and indexes the models gained since the
data file was made.

    .venv/bin/python -m bench.synthesis
    .venv/bin/python -m bench.synthesis --visits 1000000 --enrollments 200000 --repeat 3
    .venv/bin/python -m bench.synthesis --database postgresql://postgres@127.0.0.1:5432/fieldapp_h13
    .venv/bin/python -m bench.synthesis --database sqlite:////path/kept.db --reuse --parts
"""
import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COMMUNES, VILLAGES, ORGS, COLLECTORS = 100, 5, 30, 500
KINDS = ("post_office", "cooperative_union", "commune_committee", "insurer", "other")


def _uid(rng):
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _moment(rng):
    """A moment in 2026 (UTC), naive for the bulk path (stored as UTC on both databases)."""
    return datetime(2026, 1, 1) + timedelta(seconds=rng.randrange(365 * 86400))


def _bulk(conn, table, rows):
    """Insert dict rows fast: COPY on PostgreSQL, executemany on SQLite."""
    if not rows:
        return
    cols = list(rows[0])
    raw = conn.connection.driver_connection
    pg = conn.dialect.name == "postgresql"

    def value(v):
        # The shapes SQLAlchemy itself writes: aware UTC for PostgreSQL, text for SQLite.
        if isinstance(v, datetime):
            return v.replace(tzinfo=UTC) if pg else v.strftime("%Y-%m-%d %H:%M:%S.%f")
        if isinstance(v, date) and not pg:
            return v.isoformat()
        return v

    rows = [{c: value(r[c]) for c in cols} for r in rows]
    if pg:
        with raw.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row[c] for c in cols])
    else:
        marks = ", ".join("?" for _ in cols)
        raw.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})",
                        [tuple(r[c] for c in cols) for r in rows])


def generate(app, visits, enrollments, seed=13):
    """Fill an empty database; returns the province supervisor's username."""
    from werkzeug.security import generate_password_hash

    from fieldapp.extensions import db
    from fieldapp.models import Area, User

    rng = random.Random(seed)
    with app.app_context():
        prov = Area(code="31", name="Thành phố Hải Phòng", level="province")
        db.session.add(prov)
        db.session.flush()
        communes, villages = [], []
        for c in range(COMMUNES):
            commune = Area(code=f"31{c + 1:03d}", name=f"Xã {c + 1}", level="commune", parent_id=prov.id)
            db.session.add(commune)
            db.session.flush()
            communes.append(commune.id)
            for v in range(VILLAGES):
                village = Area(code=f"{commune.code}-{v + 1}", name=f"Thôn {v + 1}", level="village",
                               parent_id=commune.id)
                db.session.add(village)
                db.session.flush()
                villages.append((village.id, commune.id))
        sup = User(username="sup31", full_name="Cán bộ tỉnh", role="supervisor",
                   password_hash=generate_password_hash("pw"))
        sup.areas = [prov]
        db.session.add(sup)
        db.session.commit()
        conn = db.session.connection()
        orgs = [{"id": o + 1, "code": f"ORG{o + 1:02d}", "name": f"Tổ chức dịch vụ thu {o + 1:02d}",
                 "kind": KINDS[o % 5], "area_id": prov.id, "active": True} for o in range(ORGS)]
        _bulk(conn, "organizations", orgs)
        points, pid = [], 0
        for o in range(ORGS):
            for c in rng.sample(communes, 10):
                for n in (1, 2):
                    pid += 1
                    points.append({"id": pid, "organization_id": o + 1, "area_id": c,
                                   "code": f"{o * 2 + n:03d}", "name": f"Điểm thu {pid}"})
        _bulk(conn, "collection_points", points)
        plans = [{"organization_id": o + 1, "year": 2026, "scheme": s, "target": 2000,
                  "new_participants": rng.randint(200, 800)} for o in range(ORGS) for s in ("vsi", "hhi")]
        _bulk(conn, "plans", plans)
        hashed = generate_password_hash("pw")
        users, user_areas, collectors = [], [], []
        first_user = 1000
        for n in range(COLLECTORS):
            point = points[n % len(points)]
            uid = first_user + n
            users.append({"id": uid, "username": f"col{n}", "password_hash": hashed,
                          "full_name": f"Nhân viên {n}", "role": "collector",
                          "organization_id": point["organization_id"], "collection_point_id": point["id"],
                          "active": True, "session_version": 0, "created_at": datetime(2026, 1, 1)})
            user_areas.append({"user_id": uid, "area_id": point["area_id"]})
            collectors.append((uid, point["area_id"]))
        _bulk(conn, "users", users)
        _bulk(conn, "user_areas", user_areas)
        by_commune = {}
        for vid, cid in villages:
            by_commune.setdefault(cid, []).append(vid)
        households, persons = [], []
        hh_of_commune = {c: [] for c in communes}
        for _ in range(200_000):
            cid = rng.choice(communes)
            vid = rng.choice(by_commune[cid])
            hid = _uid(rng)
            hh_of_commune[cid].append((hid, vid))
            households.append({"id": hid, "area_id": vid, "address": "Số 1", "head_name": "Chủ hộ",
                               "search_text": "chu ho", "version": 1, "content_hash": "",
                               "received_at": datetime(2026, 1, 1), "updated_at": datetime(2026, 1, 1)})
        _bulk(conn, "households", households)
        person_of = {}
        for h in households:
            for _k in range(1 if rng.random() < 0.5 else 2):
                pid_ = _uid(rng)
                person_of.setdefault(h["id"], []).append(pid_)
                persons.append({"id": pid_, "household_id": h["id"], "area_id": h["area_id"],
                                "full_name": "Thành viên", "birth_date": date(1980, 1, 1), "sex": "female",
                                "version": 1, "content_hash": "", "received_at": datetime(2026, 1, 1),
                                "updated_at": datetime(2026, 1, 1)})
        _bulk(conn, "persons", persons)
        del persons, households
        chunk = []
        for n in range(visits):
            uid, cid = collectors[n % COLLECTORS]
            hid, vid = rng.choice(hh_of_commune[cid]) if hh_of_commune[cid] else (None, None)
            if hid is None:
                continue
            at = _moment(rng)
            chunk.append({"id": _uid(rng), "household_id": hid, "area_id": vid, "visited_at": at,
                          "outcome": "interested", "topics": "[]", "review_status": "pending",
                          "created_by_id": uid, "version": 1, "content_hash": "", "client_time": at,
                          "received_at": at, "updated_at": at})
            if len(chunk) == 50_000:
                _bulk(conn, "visits", chunk)
                chunk = []
        _bulk(conn, "visits", chunk)
        chunk = []
        for _n in range(enrollments):
            uid, cid = collectors[rng.randrange(COLLECTORS)]
            hid, vid = rng.choice(hh_of_commune[cid])
            at = _moment(rng)
            scheme = rng.choice(("vsi", "hhi"))
            chunk.append({"id": _uid(rng), "person_id": person_of[hid][0], "area_id": vid, "scheme": scheme,
                          "start_month": at.strftime("%Y-%m"), "period_months": 3, "amount_due": 792000,
                          "kind": rng.choice(("new", "new", "renewed", "resumed")), "paid": False,
                          "created_by_id": uid, "version": 1, "content_hash": "", "client_time": at,
                          "received_at": at, "updated_at": at})
            if len(chunk) == 50_000:
                _bulk(conn, "enrollments", chunk)
                chunk = []
        _bulk(conn, "enrollments", chunk)
        extras_r, extras_o = [], []
        for _n in range(20_000):
            uid, cid = collectors[rng.randrange(COLLECTORS)]
            _hid, vid = rng.choice(hh_of_commune[cid])
            at = _moment(rng)
            extras_r.append({"id": _uid(rng), "area_id": vid, "contact_name": "Người được giới thiệu",
                             "reason": "farmer", "status": rng.choice(("assigned", "visited", "enrolled")),
                             "assigned_to_id": uid, "version": 1, "content_hash": "", "client_time": at,
                             "received_at": at, "updated_at": at})
            extras_o.append({"id": _uid(rng), "area_id": cid, "kind": "small_group", "held_at": at,
                             "attendees": rng.randint(5, 60), "leads": 0, "created_by_id": uid,
                             "version": 1, "content_hash": "", "client_time": at, "received_at": at,
                             "updated_at": at})
        _bulk(conn, "referrals", extras_r)
        _bulk(conn, "outreach", extras_o)
        db.session.commit()
        _back_fill_payer_chains()
        _analyze()
    return "sup31"


def _database_cpu(url):
    """CPU seconds so far of the PostgreSQL backends serving the bench's database (0 on
    SQLite, whose work is this process's own)."""
    if not url.startswith("postgres"):
        return 0.0
    from bench.load import _postgres_cpu

    return _postgres_cpu(url.rsplit("/", 1)[1].split("?")[0])


def _timed(fn, repeat, url=""):
    """(last result, ([wall seconds], [CPU seconds of this process and of the PostgreSQL
    backends])). On SQLite the database works inside this process, so its CPU time is the
    work itself, whatever else the shared machine runs; on PostgreSQL the backends' CPU is
    added. The wall time is what a user waits on this machine now."""
    times, cpu = [], []
    for _ in range(repeat):
        t0, c0, d0 = time.perf_counter(), time.process_time(), _database_cpu(url)
        out = fn()
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0 + _database_cpu(url) - d0)
    return out, (times, cpu)


def _analyze(table=""):
    """The planner's statistics gathered again (of ``table``, else of every table), and on
    PostgreSQL VACUUM too, as autovacuum would have by now: index-only scans need the
    visibility map."""
    from fieldapp.extensions import db

    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.exec_driver_sql(f"VACUUM ANALYZE {table}")
    else:
        db.session.execute(db.text(f"ANALYZE {table}"))
        db.session.commit()


def _back_fill_payer_chains():
    """The payers' state inputs (``payer_chains``) of sign-ups written around the pushes (the
    bulk seed), as the migration back-fills a database that predates the table."""
    from fieldapp.extensions import db
    from fieldapp.syncserver import payerchains

    t0 = time.perf_counter()
    payerchains.rebuild(db.session.connection())
    db.session.commit()
    print(f"payer_chains back-filled in {time.perf_counter() - t0:.0f} s")


def _add_missing_indexes(app):
    """Tables and indexes the models have and a kept data file lacks (made by an older
    version): the timings are of the current schema's plans. An empty ``payer_chains`` is
    back-filled, and the planner's statistics gathered again."""
    from fieldapp.extensions import db
    from fieldapp.models import PayerChain

    with app.app_context():
        db.create_all()  # the tables a kept file lacks, with their indexes
        columns = {c["name"] for c in db.inspect(db.engine).get_columns("payer_chains")}
        if "household_id" not in columns:  # a file made before payer_chains kept households
            from fieldapp.models.work import PERSON_HOUSEHOLD_TRIGGERS

            conn = db.session.connection()
            conn.exec_driver_sql("ALTER TABLE payer_chains ADD COLUMN household_id VARCHAR(36)")
            for statement in PERSON_HOUSEHOLD_TRIGGERS[conn.dialect.name]:
                conn.exec_driver_sql(statement)
            db.session.commit()
            _back_fill_payer_chains()
            _analyze("payer_chains")
        if db.session.scalar(db.select(PayerChain.person_id).limit(1)) is None:
            _back_fill_payer_chains()
            _analyze("payer_chains")
    with app.app_context(), db.engine.begin() as conn:
        # By name, from the catalog: reflection skips the expression indexes.
        sql = ("SELECT indexname FROM pg_indexes" if conn.dialect.name == "postgresql"
               else "SELECT name FROM sqlite_master WHERE type = 'index'")
        have = set(conn.exec_driver_sql(sql).scalars())
        for table in db.metadata.sorted_tables:
            for index in table.indexes:
                if index.name not in have:
                    index.create(conn)


def _parts(ids, month, repeat, url):
    """The synthesis's statements one by one: where its time goes."""
    from fieldapp.extensions import db
    from fieldapp.reports import synthesis as s
    from fieldapp.reports.payers import kept_and_lost

    start, end = s.month_bounds_of(month)
    orgs = sorted(o.id for o in db.session.scalars(s.visible_organizations(ids)))
    s._report_memory()
    parts = (("additive counts", lambda: s._point_figures(ids, orgs, start, end)),
             ("households reached", lambda: s._reach(ids, orgs, start, end)),
             ("new since January", lambda: s._new_to_date(ids, orgs, month)),
             ("payers kept and lost", lambda: kept_and_lost(ids, int(month[:4]), int(month[5:]))))
    for name, fn in parts:
        _out, (times, cpu) = _timed(fn, repeat, url)
        print(f"    {name:22s} wall median {statistics.median(times) * 1000:6.0f} ms  "
              f"CPU {statistics.median(cpu) * 1000:6.0f} ms")
    db.session.rollback()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--visits", type=int, default=1_000_000)
    parser.add_argument("--enrollments", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database", default="",
                        help="a database URL (emptied!); default a new SQLite file")
    parser.add_argument("--reuse", action="store_true",
                        help="keep the data already in --database (made by an earlier run)")
    parser.add_argument("--parts", action="store_true",
                        help="also time the report's statements one by one")
    args = parser.parse_args(argv)

    from fieldapp import create_app
    from fieldapp.extensions import db

    tmp = tempfile.mkdtemp(prefix="bench-synthesis-")
    url = args.database or f"sqlite:///{tmp}/bench.db"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False,
                      "RATELIMIT_STORAGE_URI": "memory://"})
    if args.reuse:
        username = "sup31"
        _add_missing_indexes(app)
        print(f"{db_name(url)}: reusing the data of an earlier run")
    else:
        with app.app_context():
            db.drop_all()
            db.create_all()
        t0 = time.perf_counter()
        username = generate(app, args.visits, args.enrollments)
        print(f"{db_name(url)}: generated {args.visits:,} visits, {args.enrollments:,} sign-ups, "
              f"{COLLECTORS} collectors, {ORGS} organizations in {time.perf_counter() - t0:.0f} s")

    from fieldapp.models import User
    from fieldapp.reports.synthesis import monthly_synthesis
    from fieldapp.reports.synthesis_table import table, to_xlsx
    from fieldapp.rules.access import scope_of

    with app.test_request_context():
        user = db.session.scalar(db.select(User).filter_by(username=username))
        ids = scope_of(user).area_ids
        if args.parts:
            _parts(ids, "2026-11", args.repeat, url)

        def report():
            out = monthly_synthesis(ids, "2026-11")
            db.session.rollback()  # as a request's end does (and SET LOCAL with it)
            return out

        def xlsx_file():
            out = to_xlsx(table(monthly_synthesis(ids, "2026-11")), [])
            db.session.rollback()
            return out

        result, report_times = _timed(report, args.repeat, url)
        _xlsx, xlsx_times = _timed(xlsx_file, args.repeat, url)
        month_visits = result.totals["visits"]
    client = app.test_client()
    client.post("/login", data={"username": username, "password": "pw"})
    page, page_times = _timed(lambda: client.get("/supervisor/synthesis?month=2026-11"), args.repeat,
                              url)
    xlsx, http_xlsx_times = _timed(lambda: client.get("/supervisor/synthesis.xlsx?month=2026-11"),
                                   args.repeat, url)
    assert page.status_code == 200 and xlsx.status_code == 200
    rows = sum(1 + len(u.points) for u in result.units)
    print(f"November: {month_visits:,} visits, {len(result.units)} organizations, {rows} table rows")
    print(f"load average before timing: {os.getloadavg()[0]:.1f} (2 cores)")
    for name, (times, cpu), budget in (("synthesis (report)", report_times, 1.0),
                                       ("synthesis page (HTTP)", page_times, 1.0),
                                       ("XLSX (report + file)", xlsx_times, 3.0),
                                       ("XLSX download (HTTP)", http_xlsx_times, 3.0)):
        best, med = min(times), statistics.median(times)
        verdict = "within" if med <= budget else "OVER"
        print(f"  {name:24s} wall best {best * 1000:7.0f} ms  median {med * 1000:7.0f} ms  "
              f"(CPU {statistics.median(cpu) * 1000:6.0f} ms)  "
              f"budget {budget:.0f} s: {verdict}")


def db_name(url):
    return "PostgreSQL" if url.startswith("postgres") else "SQLite"


if __name__ == "__main__":
    main()
