"""bench/load: 100 devices sync at once (docs/budgets.md: no errors, p99 <= 1 s per request);
with ``--rush``, the morning rush: 500 devices open the app within a minute (p99 <= 2 s).

Each simulated device is a thread running the real Python client (sync.client.SyncClient) with
its own outbox file and its own collector account, in a commune of its own; the devices are
spread over several client processes (``--processes``, default 4), as phones share no
interpreter lock. The server is warmed up and all devices are paired first (not timed);
then, released together by a barrier, each pushes a day's work (50 records: 10 households,
20 members, 20 visits) and pulls its commune from an empty cursor. Every HTTP request is timed
by the client's ``on_request`` hook; an error is any request that failed or answered non-2xx,
any record not accepted, and any exception in a device.

The server is gunicorn over a fresh database: SQLite (WAL) in a temporary folder, and
PostgreSQL when one answers (FIELDAPP_BENCH_DATABASE_URL, default the database
fieldapp_bench_load on 127.0.0.1, created if missing).

With ``--rush SECONDS`` (issue #16) the devices do not start together: each opens the app at
its own moment, spread evenly at random over SECONDS after the release, and syncs as a phone
does in the morning: it pushes yesterday's leftovers (5 to 50 records, left in its outbox the
evening before) and pulls its day's changes from the cursor of its last sync (paired and
pulled once before the clock starts; the colleagues of its commune who opened the app before
it pushed theirs). Devices share communes, 20 to a commune (``--communes`` to change), and
get their tokens straight from the database (500 pairings would spend minutes in the
password hash before the run). The run also prints the CPU each sync cost the server and
PostgreSQL: the figure the capacity arithmetic of docs/benchmarks.md is made from.

    .venv/bin/python -m bench.load                      # both databases, 100 devices
    .venv/bin/python -m bench.load --db sqlite --devices 20 --workers 3
    .venv/bin/python -m bench.load --db postgres --devices 500 --rush 60   # the morning rush
"""
import argparse
import multiprocessing
import os
import random
import resource
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sync.client import SyncClient  # noqa: E402
from sync.ids import new_id  # noqa: E402
from tests.client.live import LiveServer  # noqa: E402

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/fieldapp_bench_load"


def commune_code(i, communes):
    return f"31{100 + i % communes:03d}"


def seed(url, devices, communes):
    """Fresh schema, the test world, ``communes`` more communes of two villages each, and one
    collector per device (password "pw"), device i in commune i % communes."""
    from sqlalchemy import text

    from fieldapp import create_app
    from fieldapp.extensions import db
    from fieldapp.models import Area, User
    from tests.conftest import build_world

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench",
                      "RATELIMIT_STORAGE_URI": "memory://"})
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.create_all()
    build_world(app)
    with app.app_context():
        template = User.query.filter_by(username="col_a").one()
        province = Area.query.filter_by(code="31").one()
        areas = []
        for c in range(communes):
            code = commune_code(c, communes)
            commune = Area(code=code, name=f"Xã {code}", level="commune", parent=province)
            db.session.add_all([commune] + [
                Area(code=f"{code}-{v}", name=f"Thôn {v}", level="village", parent=commune)
                for v in (1, 2)])
            areas.append(commune)
        for i in range(devices):
            user = User(username=f"device{i:03d}", full_name=f"Device {i}", role="collector",
                        organization_id=template.organization_id,
                        password_hash=template.password_hash)
            user.areas = [areas[i % communes]]
            db.session.add(user)
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return app.config["SQLALCHEMY_DATABASE_URI"]


def day_of_work(i, communes):
    """50 records in the device's commune: 10 households, 2 members and 2 visits each."""
    commune = commune_code(i, communes)
    out = []
    for n in range(10):
        hid = new_id()
        out.append({"id": hid, "type": "household", "data": {
            "area": f"{commune}-{n % 2 + 1}", "address": f"Số {n}, thiết bị {i}",
            "head_name": f"Nguyễn Văn {i}-{n}", "phone": "0912 345 678"}})
        for k in range(2):
            out.append({"id": new_id(), "type": "person", "data": {
                "household": hid, "full_name": f"Trần Thị {i}-{n}-{k}", "birth_date": "1988-06-01",
                "sex": "female", "relation": "spouse" if k == 0 else "child"}})
            visit = {"household": hid, "visited_at": f"2026-11-25T{8 + k:02d}:15:00+07:00",
                     "outcome": "not_home"}
            if k == 0:
                visit.update(outcome="interested", topics=["vsi"], follow_up_on="2026-12-02")
            out.append({"id": new_id(), "type": "visit", "data": visit})
    return out


def leftovers(i, communes):
    """Yesterday's unsent records of device ``i``: the first 5 to 50 of a day's work (a
    household always comes before its members and visits, so every prefix is whole)."""
    return day_of_work(i, communes)[:5 + (i * 37) % 46]


def issue_tokens(url, devices):
    """A device row and token for each device account, written straight to the database."""
    import secrets

    from fieldapp import create_app
    from fieldapp.extensions import db
    from fieldapp.models import Device, User, hash_token

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench",
                      "RATELIMIT_STORAGE_URI": "memory://"})
    out = []
    with app.app_context():
        users = {u.username: u for u in User.query.filter(User.username.like("device%"))}
        for i in range(devices):
            token, device_id, name = secrets.token_urlsafe(32), new_id(), f"device{i:03d}"
            db.session.add(Device(id=device_id, user_id=users[name].id, name=f"bench {i}",
                                  token_hash=hash_token(token)))
            out.append((token, device_id, {"username": name, "role": "collector"}))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return out


def warm_up(url, workdir, workers):
    """A few syncs by col_b (a commune no device uses), not timed: a server in service is
    warm, and each fresh worker's first push and pull pay for imports and statement caches."""
    with SyncClient(url, workdir / "warm-up.db", retries=0) as c:
        c.pair("col_b", "pw", "warm-up")
        for n in range(4 * workers):
            c.enqueue([{"type": "household", "data": {
                "area": "31002-1", "address": f"Số {n}", "head_name": "Khởi động"}}])
            c.push()
            c.store.set(cursor=None)
            c.pull()


def run(url, args, workdir):
    """Start gunicorn on ``url``, run every device at once; returns the measurements."""
    server = LiveServer(url, workdir / "server.log", workers=args.workers, threads=args.threads)
    server.start()
    timings, errors = [], []

    try:
        warm_up(server.url, workdir, args.workers)
        clients, expected = [], 0
        tokens = issue_tokens(url, args.devices) if args.rush else None
        for i in range(args.devices):
            c = SyncClient(server.url, workdir / f"device{i:03d}.db", retries=0)
            if tokens:  # the morning rush: paired and up to date as of yesterday
                token, device_id, user = tokens[i]
                c.store.set(server=server.url, token=token, device_id=device_id,
                            device_name=f"bench {i}", user=user)
                c.pull()
                work = leftovers(i, args.communes)
            else:
                c.pair(f"device{i:03d}", "pw", f"bench {i}")
                work = day_of_work(i, args.communes)
            c.enqueue(work)
            expected += len(work)
            c.close()
            clients.append((workdir / f"device{i:03d}.db", len(work), start_after(i, args.rush)))
        # The devices are threads of ``args.processes`` client processes: phones do not
        # share an interpreter lock, and 100 threads in one process measured their own
        # turns at the lock as much as the server.
        barrier = multiprocessing.Barrier(args.devices + 1)
        results = multiprocessing.Queue()
        groups = [clients[n::args.processes] for n in range(args.processes)]
        procs = [multiprocessing.Process(target=device_group, args=(g, barrier, results))
                 for g in groups if g]
        for p in procs:
            p.start()
        cpu = cpu_seconds(server)
        barrier.wait()
        started = time.monotonic()
        for _ in procs:
            got_timings, got_errors = results.get()
            timings += got_timings
            errors += got_errors
        for p in procs:
            p.join()
        wall = time.monotonic() - started
        cpu = [after - before for before, after in zip(cpu, cpu_seconds(server))]
        stored = server.scalar(
            "SELECT count(*) FROM changes c JOIN users u ON u.id = c.owner_id "
            "WHERE u.username LIKE 'device%' AND c.deleted = false")
    except Exception:
        print(f"the server's log ends with:\n{server.log()}", file=sys.stderr)
        raise
    finally:
        server.stop()
    return timings, errors, wall, (stored, expected), cpu


def start_after(i, rush):
    """When device ``i`` opens the app, in seconds after the release: at once without a
    rush, else at a moment of its own, evenly at random over ``rush`` seconds."""
    return random.Random(i).uniform(0, rush) if rush else 0.0


def device_group(paths, barrier, results):
    """One client process: a thread per device, all released by ``barrier``; puts
    (timings, errors) on ``results``."""
    timings, errors, lock = [], [], threading.Lock()

    def on_request(method, path, status, seconds):
        with lock:
            timings.append((path, seconds))
            if status is None or status >= 300:
                errors.append(f"{method} {path}: {status or 'network error'}")

    def device(path, queued, delay):
        try:
            with SyncClient(outbox_path=path, retries=0, on_request=on_request) as c:
                barrier.wait()
                time.sleep(delay)
                summary = c.push()
                if summary.accepted != queued:
                    with lock:
                        errors.append(f"{path.name}: {summary.problems[:1]}")
                c.pull()
        except Exception as exc:
            with lock:
                errors.append(f"{path.name}: {exc!r}")

    threads = [threading.Thread(target=device, args=p) for p in paths]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    results.put((timings, errors))


def quantile(values, q):
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 \
        else (values[0] if values else 0.0)


def cpu_seconds(server):
    """(CPU seconds of the server's processes, of the client processes, of the PostgreSQL
    backends serving the server's database): where the time went."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    try:
        pids = [server.proc.pid] + [
            int(p) for p in Path(f"/proc/{server.proc.pid}/task/{server.proc.pid}/children")
            .read_text().split()]
        for pid in pids:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
    except OSError:  # not Linux: no breakdown
        total = float("nan")
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    database = server.database_url.split("?")[0].rsplit("/", 1)[-1]
    return total, children.ru_utime + children.ru_stime + time.process_time(), \
        _postgres_cpu(database)


def _postgres_cpu(database):
    """CPU seconds of the PostgreSQL backends connected to ``database`` on this machine (0 if
    none). Only that database's: the machine's PostgreSQL serves other work too. (Its shared
    writer and checkpointer processes are left out for the same reason.)"""
    ticks, total = os.sysconf("SC_CLK_TCK"), 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            title = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, UnicodeDecodeError):
            continue
        name, rest = stat.split("(", 1)[1].rsplit(")", 1)
        if name == "postgres" and f" {database} " in title:
            fields = rest.split()
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def report(label, timings, errors, wall, counts, cpu, args):
    def row(name, values):
        values = sorted(values)
        return (f"| {label} | {name} | {len(values)} | {quantile(values, 50) * 1000:.0f} | "
                f"{quantile(values, 99) * 1000:.0f} | {values[-1] * 1000:.0f} |")

    stored, expected = counts
    rush = f" opening within {args.rush:.0f} s" if args.rush else " at once"
    print(f"\n{label}: {args.devices} devices{rush}, {args.communes} communes, gunicorn "
          f"{args.workers} workers x {args.threads} threads; {wall:.1f} s wall for "
          f"{len(timings)} requests ({len(timings) / wall:.0f} requests/s, {expected / wall:.0f} "
          f"records pushed/s); {len(errors)} errors; {stored} records stored (expected "
          f"{expected})")
    database = f", PostgreSQL {cpu[2]:.1f} s" if label.startswith("PostgreSQL") else ""
    print(f"CPU during the run: server {cpu[0]:.1f} s, the {args.devices} clients {cpu[1]:.1f} s"
          f"{database} ({os.cpu_count()} cores give {os.cpu_count() * wall:.1f} s in "
          f"{wall:.1f} s)")
    server_cpu = cpu[0] + (cpu[2] if label.startswith("PostgreSQL") else 0)
    print(f"server CPU per device sync (push + pull{' + PostgreSQL' if database else ''}): "
          f"{server_cpu / args.devices * 1000:.1f} ms = {args.devices / server_cpu:.0f} device "
          f"syncs per core-second")
    for e in errors[:10]:
        print("  error:", e)
    print("| database | requests | n | p50 ms | p99 ms | max ms |")
    print("|---|---|---|---|---|---|")
    print(row("all", [s for _, s in timings]))
    for path in ("/sync/push", "/sync/pull"):
        print(row(path, [s for p, s in timings if p == path]))
    everything = sorted(s for _, s in timings)
    limit = 2.0 if args.rush else 1.0
    ok = not errors and stored == expected and quantile(everything, 99) <= limit
    print(f"budget (0 errors, p99 <= {limit:.0f} s): {'met' if ok else 'NOT met'}")
    return ok


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
    parser.add_argument("--devices", type=int, default=100)
    parser.add_argument("--communes", type=int, default=None,
                        help="communes the devices share (default: one each, as in the field: "
                             "a device pulls what its own collector can see)")
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--workers", type=int, default=2,
                        help="gunicorn workers (default 2, one per core: measured best on SQLite)")
    parser.add_argument("--threads", type=int, default=1, help="threads per worker (default 1)")
    parser.add_argument("--processes", type=int, default=4,
                        help="client processes the devices are spread over (default 4; "
                             "1 runs every device as a thread of one process)")
    parser.add_argument("--rush", type=float, default=0, metavar="SECONDS",
                        help="the morning rush: devices open the app over SECONDS (e.g. 60), "
                             "push yesterday's 5-50 leftovers and pull the day's changes")
    args = parser.parse_args()
    default = args.devices // 20 if args.rush else args.devices  # 20 collectors a commune
    args.communes = max(1, min(args.communes or default, args.devices))
    print("load before:", os.getloadavg())
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        tmp = Path(tmp)
        targets = []
        if args.db in ("sqlite", "both"):
            targets.append(("SQLite (WAL)", f"sqlite:///{tmp / 'server.db'}"))
        if args.db in ("postgres", "both"):
            url = pg_url()
            if url:
                targets.append(("PostgreSQL", url))
        for label, url in targets:
            workdir = tmp / label.split()[0].lower()
            workdir.mkdir()
            url = seed(url, args.devices, args.communes)
            results.append(report(label, *run(url, args, workdir), args))
    return 0 if results and all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
