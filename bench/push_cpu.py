"""bench/push_cpu: the CPU a push costs per record, in one process, without HTTP or gunicorn.

The same records and batches of 500 as bench/push.py and bench/peers.py, posted with the
app's test client to ``/api/v1/sync/push`` (the whole request: JSON, Flask, validation,
judging, rows, SQLite) into a fresh SQLite database (WAL). The figure is the process's CPU
time per record, which another engineer's load inflates far less than wall time, so a lever
can be measured before and after on a shared machine. The garbage collector is set up as
the product's gunicorn workers set it (fieldapp/gunicorn.conf.py; ``--stock-gc``: as Python
sets it). ``--profile`` prints where it goes (cProfile, cumulative), the profiler's own cost
included.

    .venv/bin/python -m bench.push_cpu --size 10000 --repeat 3
    .venv/bin/python -m bench.push_cpu --size 10000 --profile 40
"""
import argparse
import cProfile
import json
import os
import pstats
import runpy
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.data import mixed_batches, seed_database  # noqa: E402


def run(size, folder, profile=None, product_gc=True):
    """Push ``size`` records in-process into a fresh database: (records, CPU s, wall s).

    ``product_gc``: set the garbage collector up as the product's gunicorn workers do."""
    from fieldapp import create_app
    from fieldapp.extensions import db

    db_path = folder / f"cpu-{size}.db"
    for path in folder.glob(f"{db_path.name}*"):
        path.unlink()
    url, token = seed_database(f"sqlite:///{db_path}")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench",
                      "RATELIMIT_STORAGE_URI": "memory://", "RATELIMIT_ENABLED": False})
    with app.app_context(), db.engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA journal_mode=WAL")
    bodies = [json.dumps({"protocol": 1, "records": b}, ensure_ascii=False).encode()
              for b in mixed_batches(size)]
    if product_gc:
        # What each gunicorn worker does once the app is loaded (fieldapp/gunicorn.conf.py).
        runpy.run_path(str(ROOT / "fieldapp" / "gunicorn.conf.py"))["post_worker_init"](None)
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    # One small push first: imports, compiled plans and caches are not the records' cost.
    warm = mixed_batches(20, seed=99)[0]
    client.post("/api/v1/sync/push", data=json.dumps({"protocol": 1, "records": warm}),
                headers=headers)
    total = 0
    if profile is not None:
        profile.enable()
    cpu, wall = time.process_time(), time.perf_counter()
    for body in bodies:
        resp = client.post("/api/v1/sync/push", data=body, headers=headers)
        results = resp.get_json()["results"]
        bad = [r for r in results if r["status"] != "accepted"]
        if resp.status_code != 200 or bad:
            raise SystemExit(f"push failed: {resp.status_code} {bad[:3]}")
        total += len(results)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    if profile is not None:
        profile.disable()
    with app.app_context():
        db.engine.dispose()
    return total, cpu, wall


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", type=int, metavar="LINES", default=0,
                        help="profile one run and print its LINES costliest functions")
    parser.add_argument("--stock-gc", action="store_true",
                        help="leave the garbage collector as Python sets it (the product's "
                             "gunicorn workers freeze the app and collect less often)")
    parser.add_argument("--dir", type=Path, default=None,
                        help="folder for the database (default: a temporary one)")
    args = parser.parse_args(argv)
    print(f"bench/push_cpu: in-process push, batches of 500, SQLite (WAL), "
          f"{'stock' if args.stock_gc else 'the workers’'} garbage collector settings; "
          f"load average {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory(prefix="bench-push-cpu-") as tmp:
        folder = args.dir or Path(tmp)
        if args.profile:
            profile = cProfile.Profile()
            total, cpu, _wall = run(args.size, folder, profile, not args.stock_gc)
            print(f"{total} records, profiled: {cpu / total * 1e6:.0f} µs CPU per record")
            pstats.Stats(profile).sort_stats("cumulative").print_stats(args.profile)
            pstats.Stats(profile).sort_stats("tottime").print_stats(args.profile)
            return
        figures = []
        for _ in range(args.repeat):
            total, cpu, wall = run(args.size, folder, product_gc=not args.stock_gc)
            figures.append(cpu / total * 1e6)
            print(f"{total} records  CPU {cpu:.2f} s = {figures[-1]:.0f} µs/record  "
                  f"wall {wall:.2f} s  load {os.getloadavg()[0]:.2f}", flush=True)
        figures.sort()
        print(f"median {figures[len(figures) // 2]:.0f}, least {figures[0]:.0f} µs CPU per "
              f"record (the least is the steadier figure on a loaded machine)")


if __name__ == "__main__":
    main()
