"""bench/push: records per second through HTTP, against the floor of writing the same rows.

For each size (10,000 and 100,000 mixed records by default, see bench/data.py), on a fresh
SQLite database (WAL): the app runs under gunicorn; client threads POST the batches of 500
(bodies encoded before the clock starts) to /api/v1/sync/push and check that every record
came back ``accepted``. Then the floor: every row the server wrote for those records (record
rows, change-feed rows, audit entries) is read back and written again into an empty copy of
the schema with plain ``sqlite3.executemany``, one transaction per batch, as the server does.
Budget (docs/budgets.md): >= 20,000 records/s through HTTP at 100,000 records with 2 clients
(the earlier budget was 10,000).

    .venv/bin/python -m bench.push
    .venv/bin/python -m bench.push --sizes 10000 --workers 2 --clients 2 --repeat 3
"""
import argparse
import json
import os
import queue
import sqlite3
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.data import ID_VERSION, mixed_batches, seed_database  # noqa: E402

TABLES = ("households", "referrals", "persons", "visits", "enrollments", "outreach")


def push_all(url, token, bodies, clients):
    """POST every body from ``clients`` threads; returns (seconds, accepted records)."""
    work = queue.Queue()
    for body in bodies:
        work.put(body)
    accepted, failures = [0], []
    lock = threading.Lock()

    def run():
        session = requests.Session()
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        while True:
            try:
                body = work.get_nowait()
            except queue.Empty:
                return
            resp = session.post(f"{url}/api/v1/sync/push", data=body, headers=headers,
                                timeout=120)
            if resp.status_code != 200:
                failures.append(resp.text[:300])
                continue
            results = resp.json()["results"]
            bad = [r for r in results if r["status"] != "accepted"]
            with lock:
                accepted[0] += len(results) - len(bad)
                failures.extend(bad[:3])

    threads = [threading.Thread(target=run) for _ in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    if failures:
        raise SystemExit(f"push failed: {failures[:3]}")
    return elapsed, accepted[0]


def booted(server, workers, timeout=60):
    """Wait until gunicorn's ``workers`` have all started and stopped loading the app.

    gunicorn answers as soon as one worker is up; the others are still importing the app,
    which would be counted in the push's CPU and take a core from it. Done when every
    worker exists and the server's CPU time stays still for half a second."""
    from bench.load import cpu_seconds

    children = Path(f"/proc/{server.proc.pid}/task/{server.proc.pid}/children")
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            count = len(children.read_text().split())
        except OSError:  # not Linux: nothing to wait for
            return
        cpu = cpu_seconds(server)[0]
        if count >= workers and cpu == last:
            return
        last = cpu
        time.sleep(0.5)


def http_run(size, workers, clients, folder):
    """Push ``size`` records to a fresh database: (database path, batches, seconds, records,
    CPU seconds the gunicorn processes spent on it)."""
    from bench.load import cpu_seconds
    from tests.client.live import LiveServer

    db_path = folder / f"push-{size}.db"
    url, token = seed_database(f"sqlite:///{db_path}")
    batches = mixed_batches(size)
    bodies = [json.dumps({"protocol": 1, "records": b}, ensure_ascii=False).encode()
              for b in batches]
    # The product's settings (fieldapp/gunicorn.conf.py: access log, the workers' collector).
    server = LiveServer(url, folder / f"gunicorn-{size}.log", workers=workers,
                        args=["-c", "fieldapp/gunicorn.conf.py"])
    server.start()
    try:
        booted(server, workers)
        before = cpu_seconds(server)[0]
        elapsed, accepted = push_all(server.url, token, bodies, clients)
        cpu = cpu_seconds(server)[0] - before
    finally:
        server.stop()
    total = sum(len(b) for b in batches)
    assert accepted == total, (accepted, total)
    return db_path, batches, elapsed, total, cpu


def floor_run(db_path, batches, folder):
    """Write the server's rows again with sqlite3.executemany: seconds."""
    src = sqlite3.connect(db_path)
    target_path = folder / f"floor-{db_path.stem}.db"
    if target_path.exists():
        target_path.unlink()
    dst = sqlite3.connect(target_path, isolation_level=None)
    # The server's own settings (fieldapp.db.engine.tune), so the floor measures the same SQLite.
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON",
                   "cache_size=-65536", "wal_autocheckpoint=8000", "temp_store=MEMORY"):
        dst.execute(f"PRAGMA {pragma}")
    # Tables, then their indexes, then the triggers (review_counts', on visits: the server's
    # writes fire them, so the floor's do too), each after what it names.
    for (sql,) in src.execute("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL "
                              "AND name NOT LIKE 'sqlite_%' ORDER BY CASE type WHEN 'table' "
                              "THEN 0 WHEN 'index' THEN 1 ELSE 2 END"):
        dst.execute(sql)
    for table in ("areas", "organizations", "users", "user_areas", "policy_parameter_sets",
                  "devices", "counters"):
        rows = src.execute(f"SELECT * FROM {table}").fetchall()
        if rows:
            marks = ",".join("?" * len(rows[0]))
            dst.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
    # The rows of each batch, as the server stored them (gathered before the clock starts).
    plans = []
    for batch in batches:
        ids = [r["id"] for r in batch]
        marks = ",".join("?" * len(ids))
        plan = []
        for table in TABLES:
            rows = src.execute(f"SELECT * FROM {table} WHERE id IN ({marks})", ids).fetchall()
            plan.append((table, rows))
        plan.append(("changes", src.execute(
            f"SELECT * FROM changes WHERE record_id IN ({marks})", ids).fetchall()))
        plan.append(("audit_entries", src.execute(
            f"SELECT * FROM audit_entries WHERE entity_id IN ({marks})", ids).fetchall()))
        plans.append([(t, rows) for t, rows in plan if rows])
    start = time.perf_counter()
    for plan in plans:
        dst.execute("BEGIN IMMEDIATE")
        for table, rows in plan:
            marks = ",".join("?" * len(rows[0]))
            dst.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
        dst.execute("COMMIT")
    elapsed = time.perf_counter() - start
    src.close()
    dst.close()
    return elapsed


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--clients", type=int, default=2, help="client threads (default 2)")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--ids", type=int, choices=(4, 7), default=7,
                        help="record ids: UUID version 7 (time-ordered, default) or 4 (random)")
    args = parser.parse_args(argv)
    ID_VERSION[0] = args.ids
    print(f"bench/push: gunicorn --workers {args.workers}, {args.clients} client threads, "
          f"batches of 500, SQLite (WAL), UUIDv{args.ids} ids; load average {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory(prefix="bench-push-") as tmp:
        folder = Path(tmp)
        for size in args.sizes:
            for _run in range(args.repeat):
                db_path, batches, http_s, total, cpu = http_run(size, args.workers,
                                                                args.clients, folder)
                floor_s = floor_run(db_path, batches, folder)
                http_rate, floor_rate = total / http_s, total / floor_s
                print(f"{total:>7} records  HTTP {http_s:6.2f} s = {http_rate:8,.0f} records/s"
                      f"   floor (sqlite3.executemany) {floor_s:5.2f} s = {floor_rate:9,.0f}"
                      f" records/s   HTTP/floor = {http_rate / floor_rate:.2f}"
                      f"   budget >= 20,000: {'ok' if http_rate >= 20_000 else 'MISSED'}"
                      f"   server CPU {cpu / total * 1e6:.0f} µs/record")
                for path in folder.glob("*.db*"):
                    path.unlink()


if __name__ == "__main__":
    main()
