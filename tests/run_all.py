"""Run the whole suite on SQLite, then again on PostgreSQL when one answers.

`make test` calls this. PostgreSQL is found at TEST_DATABASE_URL, else 127.0.0.1:5432 as
user postgres; a database `fieldapp_test` is created there for the run. Exits non-zero if
any pass fails (pytest's "no tests ran" counts as a failure).
"""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/postgres"
#: pytest-xdist workers: one per core (the machines have 2); FIELDAPP_TEST_WORKERS=0 runs serially.
WORKERS = int(os.environ.get("FIELDAPP_TEST_WORKERS") or min(os.cpu_count() or 1, 4))


def pg_url():
    """The admin URL and the test database URL, or (None, None) if nothing answers."""
    base = os.environ.get("TEST_DATABASE_URL") or DEFAULT_PG
    try:
        import psycopg
    except ImportError:
        return None, None
    admin = base.replace("postgresql+psycopg://", "postgresql://")
    try:
        given = bool(os.environ.get("TEST_DATABASE_URL"))
        main_db = admin.rsplit("/", 1)[1].split("?")[0] if given else "fieldapp_test"
        with psycopg.connect(admin, connect_timeout=3, autocommit=True) as conn:
            names = [] if given else [main_db]
            for name in names + [f"{main_db}_gw{i}" for i in range(WORKERS)]:
                exists = conn.execute(
                    "SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
                if not exists:
                    conn.execute(f"CREATE DATABASE {name}")
    except Exception as exc:
        print(f"PostgreSQL not reachable ({exc.__class__.__name__}); SQLite pass only.")
        return None, None
    if given:
        return admin, admin
    return admin, admin.rsplit("/", 1)[0] + "/fieldapp_test"


def run(label, env_extra, args):
    env = dict(os.environ, **env_extra)
    print(f"\n=== test suite on {label} ===", flush=True)
    code = subprocess.call([sys.executable, "-m", "pytest", *args], cwd=ROOT, env=env)
    return code


def main():
    args = sys.argv[1:] or ["-q", "-p", "no:cacheprovider", "tests"]
    if WORKERS > 1 and not sys.argv[1:]:
        args = ["-n", str(WORKERS), *args]
    results = [("SQLite", run("SQLite", {"FIELDAPP_TEST_DATABASE_URL": ""}, args))]
    _admin, url = pg_url()
    if url:
        results.append(("PostgreSQL", run("PostgreSQL", {"FIELDAPP_TEST_DATABASE_URL": url}, args)))
    print("\n=== summary ===")
    for label, code in results:
        print(f"{label}: {'passed' if code == 0 else f'FAILED (pytest exit {code})'}")
    if len(results) == 1:
        print("PostgreSQL: not run (no server answered)")
    sys.exit(0 if all(code == 0 for _, code in results) else 1)


if __name__ == "__main__":
    main()
