"""bench/pull: a collector's first pull of their area, from an empty cursor.

The area (commune 31001 of the test world) holds 10,000 households and 30,000 persons,
pushed through the real push path beforehand (not timed). The app runs under gunicorn on
SQLite (WAL); one client follows the cursor with the largest page (limit=1000), asking for
gzip as the phone does, and counts the compressed bytes on the wire. Budget (docs/budgets.md):
<= 2 s for the whole area and <= 60 compressed bytes per record.

    .venv/bin/python -m bench.pull
    .venv/bin/python -m bench.pull --households 10000 --repeat 3
"""
import argparse
import gzip
import os
import random
import sys
import tempfile
import time
from pathlib import Path

import orjson
import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.data import household_group, seed_database  # noqa: E402


def fill(url, token, households, members):
    """Push ``households`` households of ``members`` persons each, in batches of 500."""
    from fieldapp import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    client = app.test_client()
    rng = random.Random(7)
    headers = {"Authorization": f"Bearer {token}"}
    batch, total = [], 0

    def send(records):
        resp = client.post("/api/v1/sync/push", json={"protocol": 1, "records": records},
                           headers=headers)
        results = resp.get_json()["results"]
        assert all(r["status"] == "accepted" for r in results), results[:3]
        return len(results)

    for _ in range(households):
        group, _hid, _persons = household_group(rng, members=members)
        if len(batch) + len(group) > 500:
            total += send(batch)
            batch = []
        batch += group
    if batch:
        total += send(batch)
    return total


def pull_all(base, token, limit):
    """Follow the cursor to the end: (seconds, changes, compressed bytes, requests)."""
    session = requests.Session()
    headers = {"Authorization": f"Bearer {token}", "Accept-Encoding": "gzip"}
    cursor, changes, wire, calls = "", 0, 0, 0
    start = time.perf_counter()
    while True:
        resp = session.get(f"{base}/api/v1/sync/pull", params={"cursor": cursor, "limit": limit},
                           headers=headers, stream=True, timeout=60)
        raw = resp.raw.read(decode_content=False)
        resp.close()
        assert resp.status_code == 200, raw[:300]
        wire += len(raw)
        calls += 1
        body = gzip.decompress(raw) if resp.headers.get("Content-Encoding") == "gzip" else raw
        page = orjson.loads(body)  # a fast client: the clock is for the server
        changes += len(page["changes"])
        cursor = page["cursor"]
        if not page["more"]:
            break
    return time.perf_counter() - start, changes, wire, calls


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--households", type=int, default=10_000)
    parser.add_argument("--members", type=int, default=3)
    parser.add_argument("--limit", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    from tests.client.live import LiveServer

    with tempfile.TemporaryDirectory(prefix="bench-pull-") as tmp:
        folder = Path(tmp)
        url, token = seed_database(f"sqlite:///{folder / 'pull.db'}")
        t = time.perf_counter()
        stored = fill(url, token, args.households, args.members)
        print(f"bench/pull: {stored:,} records pushed in {time.perf_counter() - t:.0f} s "
              f"({args.households:,} households, {args.households * args.members:,} persons); "
              f"gunicorn --workers {args.workers}, SQLite (WAL), limit={args.limit}; "
              f"load average {os.getloadavg()[0]:.2f}")
        server = LiveServer(url, folder / "gunicorn.log", workers=args.workers).start()
        try:
            pull_all(server.url, token, args.limit)  # warm the workers and the OS cache
            for _ in range(args.repeat):
                seconds, changes, wire, calls = pull_all(server.url, token, args.limit)
                assert changes == stored, (changes, stored)
                per = wire / changes
                print(f"{changes:,} records in {calls} pages: {seconds:.2f} s, "
                      f"{wire / 1e6:.2f} MB gzip = {per:.1f} bytes/record   budget <= 2 s "
                      f"and <= 60 B: {'ok' if seconds <= 2 and per <= 60 else 'MISSED'}")
        finally:
            server.stop()


if __name__ == "__main__":
    main()
