"""bench/peers: our sync push side by side with pouchdb-server (leveldb), one client, one run.

pouchdb-server 4.2 speaks the CouchDB replication protocol, the one the best-known offline
health-worker toolkit syncs with: the natural peer to measure the push against. For each size
(10,000 and 100,000 records by default) the same records of bench/data.py, in the same
batches of 500, are sent by ONE client connection:

- ours: ``POST /api/v1/sync/push`` to gunicorn (2 workers, one per core) on a fresh SQLite
  database (WAL), every record checked ``accepted``;
- pouchdb-server: ``POST /<db>/_bulk_docs`` to a fresh leveldb database, each record a
  document with the same ``_id`` (type, data and client time in its body), every document
  checked ``ok``;
- the floor: the rows our server wrote, with the same ids, written again with plain
  ``sqlite3.executemany``, one transaction per batch (bench/push.py).

pouchdb-server is installed from the npm registry only when asked (``--pouchdb``), into the
gitignored ``bench/out/pouchdb-server-4.2`` (``--npm-dir`` for another place); without it,
or without node and npm, that column is skipped with a message saying why.
Budget (docs/budgets.md): ours at least 2 x pouchdb-server at both sizes.

    .venv/bin/python -m bench.peers --pouchdb
    .venv/bin/python -m bench.peers --pouchdb --sizes 10000 --repeat 3
"""
import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.data import ID_VERSION  # noqa: E402
from bench.push import floor_run, http_run  # noqa: E402

POUCH_VERSION = "4.2.0"
DEFAULT_NPM_DIR = ROOT / "bench" / "out" / "pouchdb-server-4.2"


def install_pouchdb(npm_dir):
    """The pouchdb-server executable, installed with npm into ``npm_dir`` if not there yet;
    None (and the reason printed) when node or npm is missing or the install fails."""
    exe = npm_dir / "node_modules" / ".bin" / "pouchdb-server"
    if exe.exists():
        return exe
    if not (shutil.which("node") and shutil.which("npm")):
        print("pouchdb-server: skipped (node and npm are needed: apt-get install nodejs npm)")
        return None
    npm_dir.mkdir(parents=True, exist_ok=True)
    (npm_dir / "package.json").write_text('{"name": "bench-peers", "private": true}\n')
    print(f"pouchdb-server: npm install pouchdb-server@{POUCH_VERSION} into {npm_dir} ...")
    done = subprocess.run(["npm", "install", f"pouchdb-server@{POUCH_VERSION}", "--no-audit",
                           "--no-fund"], cwd=npm_dir, capture_output=True, text=True)
    if done.returncode != 0 or not exe.exists():
        print(f"pouchdb-server: skipped (npm install failed: {done.stderr.strip()[-300:]})")
        return None
    return exe


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Pouch:
    """A pouchdb-server on leveldb in a fresh folder: ``start``, ``stop``, ``url``."""

    def __init__(self, exe, folder):
        self.exe, self.folder = exe, folder
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = None

    def start(self, timeout=60):
        data = self.folder / f"pouch-{self.port}"
        data.mkdir()
        with open(self.folder / f"pouch-{self.port}.log", "wb") as log:
            self.proc = subprocess.Popen(
                [str(self.exe), "--port", str(self.port), "--dir", str(data), "--no-stdout-logs"],
                stdout=log, stderr=log, start_new_session=True,
                cwd=self.folder)  # it writes config.json and log.txt where it starts
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url, timeout=2).ok:
                    return
            except requests.ConnectionError:
                time.sleep(0.2)
        self.stop()
        raise SystemExit(f"pouchdb-server did not answer on {self.url}")

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=20)


def _process_cpu(pid):
    """CPU seconds so far of process ``pid`` (all its threads)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pouch_push(exe, batches, folder):
    """(seconds, CPU seconds of pouchdb-server) for one client to ``_bulk_docs`` every batch
    into a fresh database."""
    bodies = [json.dumps({"docs": [{"_id": r["id"], "type": r["type"], "client_time":
                                    r["client_time"], "data": r["data"]} for r in batch]},
                         ensure_ascii=False).encode() for batch in batches]
    server = Pouch(exe, folder)
    server.start()
    try:
        session = requests.Session()
        assert session.put(f"{server.url}/records", timeout=30).status_code in (201, 412)
        headers = {"Content-Type": "application/json"}
        cpu = _process_cpu(server.proc.pid)
        start = time.perf_counter()
        for body in bodies:
            resp = session.post(f"{server.url}/records/_bulk_docs", data=body, headers=headers,
                                timeout=300)
            bad = [r for r in resp.json() if not r.get("ok")] if resp.ok else [resp.text[:300]]
            if bad:
                raise SystemExit(f"pouchdb-server push failed: {bad[:3]}")
        elapsed = time.perf_counter() - start
        cpu = _process_cpu(server.proc.pid) - cpu
        stored = session.get(f"{server.url}/records", timeout=30).json()["doc_count"]
        assert stored == sum(len(b) for b in batches), stored
    finally:
        server.stop()
    return elapsed, cpu


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--ids", type=int, choices=(4, 7), default=7,
                        help="record ids: UUID version 7 (time-ordered, default) or 4 (random)")
    parser.add_argument("--pouchdb", action="store_true",
                        help=f"install (npm) and run pouchdb-server {POUCH_VERSION} beside ours")
    parser.add_argument("--npm-dir", type=Path, default=DEFAULT_NPM_DIR,
                        help="where npm installs pouchdb-server (default: bench/out/, gitignored)")
    args = parser.parse_args(argv)
    ID_VERSION[0] = args.ids
    exe = install_pouchdb(args.npm_dir) if args.pouchdb else None
    if not args.pouchdb:
        print("pouchdb-server: skipped (run with --pouchdb to install it from npm and compare)")
    print(f"bench/peers: one client, batches of 500, UUIDv{args.ids} ids; ours: gunicorn "
          f"--workers {args.workers}, SQLite (WAL); load average {os.getloadavg()[0]:.2f}")
    print(f"{'records':>8} {'ours rec/s':>11} {'pouchdb rec/s':>14} {'floor rec/s':>12} "
          f"{'ours/pouch':>10} {'ours/floor':>10} {'CPU µs/rec ours':>15} {'pouch':>6}  load")
    with tempfile.TemporaryDirectory(prefix="bench-peers-") as tmp:
        folder = Path(tmp)
        for size in args.sizes:
            for _run in range(args.repeat):
                load = os.getloadavg()[0]
                db_path, batches, ours_s, total, ours_cpu = http_run(size, args.workers, 1,
                                                                     folder)
                floor_s = floor_run(db_path, batches, folder)
                for path in folder.glob("*.db*"):
                    path.unlink()
                ours, floor = total / ours_s, total / floor_s
                pouch = pouch_cpu = None
                if exe:
                    pouch_s, pouch_cpu = pouch_push(exe, batches, folder)
                    pouch = total / pouch_s
                ratio = f"{ours / pouch:10.2f}" if pouch else f"{'—':>10}"
                pouch_text = f"{pouch:14,.0f}" if pouch else f"{'skipped':>14}"
                pouch_cpu = f"{pouch_cpu / total * 1e6:6.0f}" if pouch else f"{'—':>6}"
                print(f"{total:>8,} {ours:11,.0f} {pouch_text} {floor:12,.0f} {ratio} "
                      f"{ours / floor:10.2f} {ours_cpu / total * 1e6:15.0f} {pouch_cpu}  "
                      f"{load:.1f}", flush=True)
                for path in folder.glob("pouch-*"):
                    shutil.rmtree(path) if path.is_dir() else path.unlink()


if __name__ == "__main__":
    main()
