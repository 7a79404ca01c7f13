"""bench/payers: the payers' desk lists, the month's reconciliation and follow-up tasks (#15).

A province of 50 communes (4 villages each) with 500 collectors in 5 collection
organizations, 100,000 households, 200,000 persons, 200,000 sign-ups (VSI and HHI, periods
1/3/6/12, starting over two years, about a fifth unpaid), 600,000 payments and about 150,000
visits (none to 3 a household over the two years, as the field has them: the lists judge
"visited since"), written in bulk (not timed). Timed, each the best of ``--repeat`` runs:

  * the due list and the lapsed-this-month list for the whole province, with the next
    amounts and last payments worked out for every row (what the XLSX download computes);
  * the desk page of the due list for the province (``/supervisor/payers``, first page,
    default sort), requested in-process through Flask's test client by a supervisor of the
    province: what the supervisor waits for, less the network and the browser;
  * the reconciliation of one organization for one month;
  * follow-up tasks for 5,000 payers (one click on a filtered list), with their feed rows.

Budgets (docs/budgets.md): lists and reconciliation <= 1 s each, 5,000 tasks <= 5 s.

The lists read ``payer_chains`` (syncserver/payerchains.py), which the bulk seed back-fills
as the migration does. CPU is printed beside each figure (this process; on PostgreSQL also
its backend), with the load average.

    .venv/bin/python -m bench.payers
    .venv/bin/python -m bench.payers --file /tmp/payers.db             # kept; then:
    .venv/bin/python -m bench.payers --file /tmp/payers.db --reuse     # timings only
    .venv/bin/python -m bench.payers --database postgresql://... [--reuse]
"""
import argparse
import os
import random
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TODAY = date(2026, 12, 7)


def _uid(rng):
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def seed(app, enrollments, collectors=500, payments_each=3):
    """The province and its payers, written with Core executemany; returns {org ids}."""
    from sqlalchemy import insert
    from werkzeug.security import generate_password_hash

    from fieldapp.extensions import db
    from fieldapp.models import Area, Enrollment, Household, Organization, Payment, Person, User
    from fieldapp.rules.policy import seed_parameters

    rng = random.Random(15)
    with app.app_context():
        db.drop_all()
        db.create_all()
        seed_parameters()
        province = Area(code="31", name="Hải Phòng", level="province")
        db.session.add(province)
        db.session.flush()
        orgs = [Organization(code=f"ORG{n}", name=f"Tổ chức {n}", area_id=province.id)
                for n in range(5)]
        db.session.add_all(orgs)
        db.session.flush()
        villages = []
        for c in range(50):
            commune = Area(code=f"31{c:03d}", name=f"Xã {c}", level="commune", parent=province)
            db.session.add(commune)
            for v in range(4):
                villages.append(Area(code=f"31{c:03d}-{v + 1}", name=f"Thôn {v + 1}",
                                     level="village", parent=commune))
        db.session.add_all(villages)
        db.session.flush()
        hashed = generate_password_hash("bench")
        users = [User(username=f"col{n}", password_hash=hashed, role="collector",
                      organization_id=orgs[n % 5].id) for n in range(collectors)]
        db.session.add_all(users)
        db.session.flush()
        village_ids = [v.id for v in villages]
        user_ids = [u.id for u in users]
        org_of = {u.id: u.organization_id for u in users}
        db.session.commit()
        now = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)

        conn = db.session.connection()
        households, persons, signups, payments = [], [], [], []
        receipt = 0
        for n in range(enrollments):
            if n % 2 == 0:
                hid, area = _uid(rng), rng.choice(village_ids)
                households.append({"id": hid, "area_id": area, "address": f"Số {n}",
                                   "head_name": f"Hộ {n}", "phone": f"09{n:08d}",
                                   "search_text": f"ho {n}", "version": 1, "received_at": now,
                                   "updated_at": now, "content_hash": ""})
            pid = _uid(rng)
            persons.append({"id": pid, "household_id": hid, "area_id": area,
                            "full_name": f"Người {n}", "birth_date": date(1980, 1, 1),
                            "sex": "female", "version": 1, "received_at": now,
                            "updated_at": now, "content_hash": ""})
            collector = rng.choice(user_ids)
            scheme = "vsi" if rng.random() < 0.6 else "hhi"
            period = rng.choice((1, 3, 6, 12)) if scheme == "vsi" else rng.choice((3, 6, 12))
            year, month = divmod(rng.randrange(24) + 2025 * 12, 12)
            start = f"{year:04d}-{month + 1:02d}"
            paid = rng.random() > 0.2
            eid = _uid(rng)
            row = {"id": eid, "person_id": pid, "area_id": area, "scheme": scheme,
                   "start_month": start, "period_months": period, "paid": paid,
                   "created_by_id": collector, "kind": "new", "version": 1,
                   "monthly_income": None, "support_group": None, "member_order": None,
                   "received_at": now, "updated_at": now, "content_hash": ""}
            if scheme == "vsi":
                row.update(amount_due=264000 * period, monthly_income=1500000,
                           support_group="other")
            else:
                row.update(amount_due=105300 * period, member_order=1)
            signups.append(row)
            for k in range(payments_each):
                receipt += 1
                payments.append({
                    "id": _uid(rng), "enrollment_id": eid, "area_id": area,
                    "amount": row["amount_due"] // payments_each,
                    "paid_on": date(year, month + 1, 1 + k * 9),
                    "receipt_no": f"BL{receipt:09d}",
                    "method": "cash" if rng.random() < 0.8 else "transfer",
                    "organization_id": org_of[collector], "created_by_id": collector,
                    "version": 1, "received_at": now, "updated_at": now, "content_hash": ""})
        for model, rows in ((Household, households), (Person, persons), (Enrollment, signups),
                            (Payment, payments)):
            for start in range(0, len(rows), 20000):
                conn.execute(insert(model), rows[start:start + 20000])
        db.session.commit()
        back_fill(app)
        supervisor(app, province.id)
        visits(app)
        return [o.id for o in orgs], province.id


def visits(app):
    """None to 3 visits a household (1.5 on average) between 2025-01 and 2026-12, written once:
    also to a data set generated before the bench wrote visits (``--reuse``). An empty
    ``visits`` table made every "latest visit" lookup free, which the field's is not."""
    from sqlalchemy import insert

    from fieldapp.extensions import db
    from fieldapp.models import Household, User, Visit

    with app.app_context():
        if db.session.scalar(db.select(Visit.id).limit(1)) is not None:
            return
        rng = random.Random(16)
        collectors = list(db.session.scalars(
            db.select(User.id).where(User.role == "collector").order_by(User.id)))
        now = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)
        rows = []
        for household_id, area_id in db.session.execute(
                db.select(Household.id, Household.area_id).order_by(Household.id)):
            for _ in range(rng.choice((0, 1, 2, 3))):
                day = rng.randrange(730)
                rows.append({"id": _uid(rng), "household_id": household_id, "area_id": area_id,
                             "created_by_id": rng.choice(collectors),
                             "visited_at": datetime(2025, 1, 1, 3, tzinfo=UTC) + timedelta(days=day),
                             "outcome": "not_interested", "topics": ["vsi"], "version": 1,
                             "received_at": now, "updated_at": now, "content_hash": "",
                             "review_status": "pending"})
        conn = db.session.connection()
        for start in range(0, len(rows), 20000):
            conn.execute(insert(Visit), rows[start:start + 20000])
        db.session.commit()
        print(f"{len(rows):,} visits written")
        _analyze()


SUPERVISOR = "bench_sup"


def supervisor(app, province_id):
    """The province's supervisor who opens the desk page (made once; password ``bench``)."""
    from werkzeug.security import generate_password_hash

    from fieldapp.extensions import db
    from fieldapp.models import Area, User

    with app.app_context():
        if db.session.scalar(db.select(User.id).where(User.username == SUPERVISOR)) is None:
            db.session.add(User(username=SUPERVISOR, role="supervisor",
                                password_hash=generate_password_hash("bench"),
                                areas=[db.session.get(Area, province_id)]))
            db.session.commit()


def back_fill(app):
    """The payers' state inputs of the rows written around the push (as the migration does
    for a database that predates them); prints what it took."""
    from fieldapp.extensions import db
    from fieldapp.syncserver import payerchains

    with app.app_context():
        started = time.perf_counter()
        payerchains.rebuild(db.session.connection())
        db.session.commit()
        print(f"payer_chains back-filled in {time.perf_counter() - started:.1f} s")
        _analyze()


def _analyze():
    """On PostgreSQL, the planner's statistics of the bulk-written tables, as autovacuum
    gathers them after big writes (a plan made without them is not the one served)."""
    from fieldapp.extensions import db

    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(db.text("ANALYZE"))


def existing(app):
    """What the timings need from a database seeded by an earlier run (``--reuse``).

    The tasks an earlier run made are removed first, so every run times the same work."""
    from fieldapp.extensions import db
    from fieldapp.models import Area, Organization, PayerChain, Task

    with app.app_context():
        columns = {c["name"] for c in db.inspect(db.engine).get_columns("payer_chains")} \
            if db.inspect(db.engine).has_table("payer_chains") else set()
        if columns and "household_id" not in columns:
            # Generated before the kept household and end (migration b15e8d2f4a63): the
            # table is made again and back-filled, as the migration would.
            PayerChain.__table__.drop(db.engine)
        db.create_all()
        db.session.execute(db.delete(Task))
        db.session.commit()
        if db.session.scalar(db.select(PayerChain.person_id).limit(1)) is None:
            back_fill(app)  # generated before the table (or its columns) existed
        else:
            _analyze()
        org_ids = list(db.session.scalars(db.select(Organization.id).order_by(Organization.code)))
        province = db.session.scalar(db.select(Area.id).where(Area.code == "31"))
    supervisor(app, province)
    visits(app)
    return org_ids, province


def signed_in(app):
    """A test client signed in as ``SUPERVISOR`` through the real form (its CSRF token)."""
    import re

    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    resp = client.post("/login", data={"username": SUPERVISOR, "password": "bench",
                                       "csrf_token": token.group(1) if token else ""})
    if resp.status_code != 302:
        raise SystemExit(f"could not sign in as {SUPERVISOR}: {resp.status_code}")
    return client


def _backend_cpu():
    """{pid: CPU seconds so far} of the PostgreSQL backends connected to this database (the
    server runs on this machine): this session's and the pool's others, which serve the
    requests of the test client. None on SQLite (whose work is this process's own)."""
    from fieldapp.extensions import db

    if db.engine.dialect.name != "postgresql":
        return None
    pids = db.session.execute(db.text(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database()")).scalars()
    out = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        out[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return out


def timed(fn, repeat):
    """(best wall seconds, its CPU text, the last value) over ``repeat`` runs: the CPU of this
    process and, on PostgreSQL, of the backends of its database (parallel workers' not
    counted)."""
    best, value, cpu = None, None, ""
    for _ in range(repeat):
        backend = _backend_cpu()
        started, own = time.perf_counter(), time.process_time()
        value = fn()
        took, own = time.perf_counter() - started, time.process_time() - own
        if best is None or took < best:
            best = took
            cpu = f"CPU: bench {own:.2f} s"
            if backend is not None:
                after = _backend_cpu()
                spent = sum(t - backend.get(pid, 0.0) for pid, t in after.items())
                cpu += f", PostgreSQL backend {spent:.2f} s"
    return best, cpu, value


def _load():
    one, five, fifteen = os.getloadavg()
    return f"load {one:.1f} {five:.1f} {fifteen:.1f}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enrollments", type=int, default=200_000)
    parser.add_argument("--collectors", type=int, default=500)
    parser.add_argument("--tasks", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database", help="a PostgreSQL URL (emptied!; default: a fresh SQLite file)")
    parser.add_argument("--file", default="", help="the SQLite file to generate (kept) instead of "
                        "a temporary one")
    parser.add_argument("--reuse", action="store_true", help="time the database of an earlier run "
                        "(--file or --database) without generating it again")
    args = parser.parse_args(argv)

    from fieldapp import create_app
    from fieldapp.extensions import db
    from fieldapp.models import Organization, Task, User
    from fieldapp.reports import money, payer_tasks, payers
    from fieldapp.rules.access import subtree_ids

    if args.database:
        url = args.database
    elif args.file:
        url = f"sqlite:///{Path(args.file).resolve()}"
    else:
        url = f"sqlite:///{tempfile.mkdtemp()}/payers.db"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench",
                      "RATELIMIT_STORAGE_URI": "memory://"})
    started = time.perf_counter()
    if args.reuse:
        org_ids, province = existing(app)
        print(f"reusing {url.split('@')[-1]}")
    else:
        org_ids, province = seed(app, args.enrollments, args.collectors)
        print(f"seeded {args.enrollments:,} enrollments, {3 * args.enrollments:,} payments, "
              f"{args.collectors} collectors in {time.perf_counter() - started:.0f} s "
              f"({app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]})")
    with app.test_request_context():
        areas = subtree_ids({province})

        def listing(which):
            def run():
                rows = payers.payer_list(which, areas, TODAY)
                payers.with_amounts(rows, TODAY)
                payers.with_last_payments(rows)
                return rows
            return run

        for which in ("due", "lapsed_month"):
            took, cpu, rows = timed(listing(which), args.repeat)
            print(f"{which:14s} province list, every row with amount and last payment "
                  f"(the download's work): {took:.3f} s ({len(rows):,} payers; budget 1 s; "
                  f"{cpu}; {_load()})", flush=True)
        client = signed_in(app)

        def desk_page():
            resp = client.get(f"/supervisor/payers?list=due&day={TODAY.isoformat()}")
            if resp.status_code != 200:
                raise SystemExit(f"the desk page answered {resp.status_code}")
            return resp.get_data(as_text=True)

        took, cpu, html = timed(desk_page, args.repeat)
        print(f"due list desk page (first {html.count('<tr data-key='):,} rows, default sort; "
              f"Flask test client, in-process): {took:.3f} s (budget 1 s; {cpu}; {_load()})",
              flush=True)
        org = db.session.get(Organization, org_ids[0])
        took, cpu, rec = timed(lambda: money.reconcile(org, 2026, 6, TODAY), args.repeat)
        print(f"reconciliation 2026-06 of one organization: {took:.3f} s "
              f"({rec.receipts:,} receipts, {len(rec.held_too_long):,} held too long; budget 1 s; "
              f"{cpu}; {_load()})", flush=True)
        rows = payers.payer_list("lapsed_earlier", areas, TODAY)[:args.tasks]
        payers.with_amounts(rows, TODAY)
        user = db.session.scalar(db.select(User).limit(1))
        started, own = time.perf_counter(), time.process_time()
        made = payer_tasks.make_tasks(rows, "lapsed", user, "bench")
        db.session.commit()
        took, own = time.perf_counter() - started, time.process_time() - own
        count = db.session.query(Task).count()
        print(f"follow-up tasks for {len(rows):,} payers: {took:.3f} s ({made:,} made, "
              f"{count:,} stored; budget 5 s; CPU: bench {own:.2f} s; {_load()})")


if __name__ == "__main__":
    main()
