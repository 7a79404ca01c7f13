"""bench/feed: pulls against a change feed of millions of changes on PostgreSQL.

A province-sized feed, generated in SQL: ``--communes`` communes (3,000 for 10 M changes) of
two villages each, every commune about 3,300 changes (record types in the push mix, owners
among 20 collectors per commune), plus the measured collector's commune (31001 of the test
world, 20 collectors) with 10,000 households and 30,000 persons. Those 40,000 records are
stored once through the push path in-process, by collector col_a (their rows must be real:
the pull reads them); the other communes' change rows are written by one
``INSERT ... SELECT generate_series`` and point at no record (no pull of this benchmark reads
them). The commune's changes are spread evenly over the feed's numbers, as if its collectors
had worked while all the others did. Then, over HTTP (gunicorn, 2 workers):

- the collector's first pull of the commune from an empty cursor (pages of 1,000, gzip);
- an incremental pull with nothing new (the last cursor of the first pull);
- an incremental pull of 100 new changes (another collector of the commune pushes 100
  records through the API first, untimed).

Budgets (docs/budgets.md): <= 2 s, <= 50 ms and <= 100 ms, none growing with the feed: run it
at 1 M and at 10 M (``--sizes 1000000 10000000``, the default), on one database that is
rebuilt between sizes. It needs PostgreSQL (FIELDAPP_BENCH_DATABASE_URL, default the database
fieldapp_bench_feed on 127.0.0.1, created if missing, dropped at the end unless ``--keep``).

    .venv/bin/python -m bench.feed
    .venv/bin/python -m bench.feed --sizes 1000000 --repeat 5
"""
import argparse
import gzip
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import orjson
import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.data import household_group, seed_database  # noqa: E402
from bench.pull import fill  # noqa: E402

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/fieldapp_bench_feed"
COLLECTORS = 20          # per commune
COMMUNE_RECORDS = 40_000  # 10,000 households, 30,000 persons
PER_COMMUNE = 3_300       # changes of every other commune, on average
TYPES = ("household", "person", "person", "person", "visit", "visit", "enrollment",
         "referral", "outreach", "person")


def create_database(url, drop=False):
    """Create (or with ``drop``, drop) the benchmark's database on the server of ``url``."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                              {"n": target.database}).first()
        if drop and exists:
            conn.execute(text(f'DROP DATABASE "{target.database}" WITH (FORCE)'))
        elif not drop and not exists:
            conn.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()


def seed_commune(url):
    """The test world, 19 more collectors of commune 31001 and its 40,000 records (pushed
    in-process by the 20 collectors in turn); returns (col_a's token, col_a2's token)."""
    from fieldapp import create_app
    from fieldapp.extensions import db
    from fieldapp.models import User

    url, token = seed_database(url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context():
        template = User.query.filter_by(username="col_a").one()
        for n in range(3, COLLECTORS + 1):  # col_a and col_a2 are the first two
            user = User(username=f"col_31001_{n}", full_name=f"Collector {n}", role="collector",
                        organization_id=template.organization_id,
                        password_hash=template.password_hash)
            user.areas = list(template.areas)
            db.session.add(user)
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    t = time.perf_counter()
    stored = fill(url, token, COMMUNE_RECORDS // 4, 3)
    print(f"  commune 31001: {stored:,} records pushed in-process in "
          f"{time.perf_counter() - t:.0f} s", flush=True)
    return url, token


def spread_feed(url, size):
    """Make the feed ``size`` changes long: the commune's own rows spread evenly over the
    numbers 1..size, every other number a change of one of the other communes."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    communes = max(1, round((size - COMMUNE_RECORDS) / PER_COMMUNE))
    with engine.begin() as conn:
        commune = conn.execute(text(
            "SELECT array_agg(id) FROM areas WHERE code LIKE '31001-%'")).scalar()
        own = conn.execute(text("SELECT count(*) FROM changes WHERE area_id = ANY(:a)"),
                           {"a": commune}).scalar()
        step = size // own
        have = conn.execute(text("SELECT count(*) FROM areas WHERE code LIKE 'F%' "
                                 "AND level = 'commune'")).scalar()
        if have < communes:
            conn.execute(text(
                "INSERT INTO areas (code, name, level, parent_id) SELECT 'F' || g, 'Xã F' || g, "
                "'commune', (SELECT id FROM areas WHERE code = '31') "
                "FROM generate_series(CAST(:a AS int), CAST(:b AS int)) AS g"),
                {"a": have + 1, "b": communes})
            conn.execute(text(
                "INSERT INTO areas (code, name, level, parent_id) SELECT c.code || '-' || v, "
                "'Thôn ' || v, 'village', c.id FROM areas c, generate_series(1, 2) AS v "
                "WHERE c.code LIKE 'F%' AND c.level = 'commune' AND c.code NOT IN "
                "(SELECT p.code FROM areas p JOIN areas k ON k.parent_id = p.id)"))
        villages = conn.execute(text(
            "SELECT array_agg(id ORDER BY id) FROM areas WHERE level = 'village' "
            "AND code LIKE 'F%' AND CAST(substr(split_part(code, '-', 1), 2) AS int) <= :n"),
            {"n": communes}).scalar()
        conn.execute(text("DELETE FROM changes WHERE NOT (area_id = ANY(:a))"), {"a": commune})
        for name in ("ix_changes_record", "ix_changes_area_seq"):
            conn.execute(text(f"DROP INDEX IF EXISTS {name}"))
        conn.execute(text("ALTER TABLE changes DROP CONSTRAINT IF EXISTS uq_changes_seq"))
        conn.execute(text(
            "UPDATE changes SET seq = r.n * CAST(:step AS bigint) - :step / 2 FROM (SELECT id, "
            "row_number() OVER (ORDER BY seq) AS n FROM changes) AS r WHERE r.id = changes.id"),
            {"step": step})
        # Every other number: a change in one of the other communes' villages, its type from
        # the push mix, its owner one of 20 collectors (made-up ids: no pull reads them).
        conn.execute(text(
            "INSERT INTO changes (seq, record_type, record_id, area_id, owner_id, deleted) "
            "SELECT s, (CAST(:types AS text[]))[1 + s % 10], "
            "CAST(CAST(md5(CAST(s AS text)) AS uuid) AS text), "
            "(CAST(:villages AS int[]))[1 + (s / 7) % :nv], "
            "100000 + (s / 7) % :nv * 20 + s % 20, false "
            "FROM generate_series(1, CAST(:size AS bigint)) AS s "
            "WHERE s % :step <> :step - :step / 2"),
            {"types": list(TYPES), "villages": villages, "nv": len(villages), "size": size,
             "step": step})
        conn.execute(text("ALTER TABLE changes ADD CONSTRAINT uq_changes_seq UNIQUE (seq)"))
        conn.execute(text("CREATE INDEX ix_changes_record ON changes (record_id, deleted)"))
        conn.execute(text("CREATE INDEX ix_changes_area_seq ON changes (area_id, seq)"))
        conn.execute(text("UPDATE counters SET value = (SELECT max(seq) FROM changes) "
                          "WHERE name = 'changes'"))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE changes"))
        total = conn.execute(text("SELECT count(*) FROM changes")).scalar()
    engine.dispose()
    return total, communes


def pull(session, base, token, cursor="", limit=1000):
    """Follow the cursor to the end: (seconds, changes, last cursor, requests)."""
    headers = {"Authorization": f"Bearer {token}", "Accept-Encoding": "gzip"}
    changes, calls = 0, 0
    start = time.perf_counter()
    while True:
        resp = session.get(f"{base}/api/v1/sync/pull", params={"cursor": cursor, "limit": limit},
                           headers=headers, stream=True, timeout=60)
        raw = resp.raw.read(decode_content=False)
        resp.close()
        assert resp.status_code == 200, raw[:300]
        calls += 1
        body = gzip.decompress(raw) if resp.headers.get("Content-Encoding") == "gzip" else raw
        page = orjson.loads(body)
        changes += len(page["changes"])
        cursor = page["cursor"]
        if not page["more"]:
            return time.perf_counter() - start, changes, cursor, calls


def pair(session, base, username):
    resp = session.post(f"{base}/api/v1/devices", json={
        "username": username, "password": "pw", "device_name": "bench feed"}, timeout=60)
    assert resp.status_code in (200, 201), resp.text[:300]
    return resp.json()["token"]


def _cpu(server):
    """CPU seconds so far of the gunicorn processes and of the database's PostgreSQL backends."""
    from bench.load import cpu_seconds

    spent = cpu_seconds(server)
    return spent[0] + spent[2]


def measure(server, token, other_token, repeat, rng):
    """Lists of runs: first pulls (s), their CPU (s), empty incremental pulls (s), their CPU
    (s, the mean over a run's five), 100-new incremental pulls (s), their CPU (s). The CPU of
    the server and of PostgreSQL is the steadier figure on a shared machine."""
    base = server.url
    session = requests.Session()
    pull(session, base, token)  # warm the workers and PostgreSQL's cache (untimed)
    first, cpu, empty, empty_cpu, hundred, hundred_cpu = [], [], [], [], [], []
    for _ in range(repeat):
        before = _cpu(server)
        seconds, changes, cursor, _calls = pull(session, base, token)
        cpu.append(_cpu(server) - before)
        assert changes >= COMMUNE_RECORDS, changes
        first.append(seconds)
        before = _cpu(server)
        for _ in range(5):
            seconds, changes, cursor, _calls = pull(session, base, token, cursor)
            assert changes == 0, changes
            empty.append(seconds)
        empty_cpu.append((_cpu(server) - before) / 5)
        records = []
        while len(records) < 100:
            group, _hid, _persons = household_group(rng)
            records += group
        resp = session.post(f"{base}/api/v1/sync/push", json={"protocol": 1, "records":
                                                              records[:100]},
                            headers={"Authorization": f"Bearer {other_token}"}, timeout=60)
        assert resp.status_code == 200, resp.text[:300]
        before = _cpu(server)
        seconds, changes, cursor, _calls = pull(session, base, token, cursor)
        hundred_cpu.append(_cpu(server) - before)
        assert changes == 100, changes
        hundred.append(seconds)
    return first, cpu, empty, empty_cpu, hundred, hundred_cpu


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the database at the end")
    args = parser.parse_args(argv)
    from tests.client.live import LiveServer

    url = os.environ.get("FIELDAPP_BENCH_DATABASE_URL", DEFAULT_PG)
    create_database(url, drop=True)
    create_database(url)
    rng = random.Random(16)
    print(f"bench/feed: PostgreSQL, gunicorn --workers {args.workers}, pages of 1,000, gzip; "
          f"load average {os.getloadavg()[0]:.2f}", flush=True)
    try:
        url, token = seed_commune(url)
        with tempfile.TemporaryDirectory(prefix="bench-feed-") as tmp:
            for size in args.sizes:
                t = time.perf_counter()
                total, communes = spread_feed(url, size)
                print(f"  feed of {total:,} changes ({communes:,} other communes) made in "
                      f"{time.perf_counter() - t:.0f} s; load average {os.getloadavg()[0]:.2f}",
                      flush=True)
                server = LiveServer(url, Path(tmp) / "gunicorn.log", workers=args.workers)
                server.start()
                try:
                    session = requests.Session()
                    other = pair(session, server.url, "col_a2")
                    first, cpu, empty, empty_cpu, hundred, hundred_cpu = measure(
                        server, token, other, args.repeat, rng)
                finally:
                    server.stop()
                med = statistics.median
                print(f"{total:>11,} changes  first pull of {COMMUNE_RECORDS:,}: median "
                      f"{med(first):.2f} s ({min(first):.2f}-{max(first):.2f}, budget 2 s; "
                      f"CPU of server and PostgreSQL {med(cpu):.2f} s)   "
                      f"nothing new: {med(empty) * 1000:.0f} ms ({min(empty) * 1000:.0f}-"
                      f"{max(empty) * 1000:.0f}, budget 50; CPU {med(empty_cpu) * 1000:.0f} ms)"
                      f"   100 new: {med(hundred) * 1000:.0f} ms ({min(hundred) * 1000:.0f}-"
                      f"{max(hundred) * 1000:.0f}, budget 100; CPU "
                      f"{med(hundred_cpu) * 1000:.0f} ms)   load "
                      f"{os.getloadavg()[0]:.1f}", flush=True)
    finally:
        if not args.keep:
            create_database(url, drop=True)


if __name__ == "__main__":
    main()
