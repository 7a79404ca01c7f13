"""Lighthouse (mobile) scores of every screen, on the demo data under gunicorn.

``python -m bench.lighthouse [--npm-dir DIR] [--only PATH ...] [--runs 1]``

The quality bar is performance ≥ 97 and accessibility, best practices and SEO 100 on a phone
(Lighthouse's default mobile profile: a mid-range phone, slow 4G, simulated throttling). This
benchmark measures it; it does not run in the test suite (it needs Lighthouse from the npm
registry and about half a minute per screen), axe-core does that there (tests/e2e).

What it does:

- installs ``lighthouse`` into ``--npm-dir`` with npm when it is not there yet (the registry
  must be reachable; otherwise it stops with a message saying so);
- creates a fresh SQLite database with ``flask init-db`` and ``flask seed-demo`` (the README's
  demo city) and starts gunicorn on it, as a deployment does (compression, cache headers);
- signs in as each screen's user with the login form (a real session cookie) and hands the
  cookie to Lighthouse, so the desk pages are measured as their users see them;
- runs Lighthouse with Debian's Chromium (or ``CHROME_PATH``) and prints one row per screen,
  the median of ``--runs`` runs, and the audits that cost points.

Performance on a busy 2-core machine is noisy (Lighthouse simulates the phone from the trace
it records): run it on a quiet machine for the figures of record.
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
#: One user agent for signing in and for Lighthouse's phone: the web session is bound to it
#: (Flask-Login's strong session protection), so a cookie made by another client is refused.
PHONE_UA = ("Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 "
            "(KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36")
BAR = {"performance": 97, "accessibility": 100, "best-practices": 100, "seo": 100}
#: (path, user who sees it); None signs nobody in. Demo password: "demo".
SCREENS = [
    ("/login", None),
    ("/app/", None),
    ("/supervisor/", "supervisor"),
    ("/supervisor/households", "supervisor"),
    ("/supervisor/review", "supervisor"),
    ("/supervisor/referrals", "supervisor"),
    ("/supervisor/progress", "supervisor"),
    ("/supervisor/plans", "supervisor"),
    ("/supervisor/synthesis", "supervisor"),
    ("/supervisor/synthesis/print", "supervisor"),
    ("/supervisor/network", "supervisor"),
    ("/supervisor/payers", "supervisor"),
    ("/supervisor/money", "supervisor"),
    ("/admin/users", "admin"),
    ("/admin/devices", "admin"),
    ("/admin/policy", "admin"),
    ("/admin/audit", "admin"),
]


def lighthouse_bin(npm_dir):
    """The lighthouse command, installed into ``npm_dir`` when missing."""
    npm_dir = Path(npm_dir)
    exe = npm_dir / "node_modules" / ".bin" / "lighthouse"
    if exe.exists():
        return exe
    if not shutil.which("npm"):
        sys.exit("bench.lighthouse: npm is not installed (apt-get install nodejs npm); skipped.")
    npm_dir.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", str(npm_dir),
                           "lighthouse@12"], capture_output=True, text=True)
    if done.returncode or not exe.exists():
        sys.exit("bench.lighthouse: could not install lighthouse from the npm registry; skipped.\n"
                 + done.stderr[-2000:])
    return exe


def chrome_path():
    for path in (os.environ.get("CHROME_PATH"), "/usr/bin/chromium"):
        if path and Path(path).exists():
            return path
    sys.exit("bench.lighthouse: no Chromium (apt-get install chromium, or set CHROME_PATH).")


def start_app(workdir, port):
    """A fresh demo database and gunicorn on it; returns the gunicorn process."""
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{workdir}/fieldapp.db",
               SECRET_KEY="bench-lighthouse", PYTHONPATH=str(ROOT))
    flask = [sys.executable, "-m", "flask", "--app", "app"]
    for args in (["init-db"], ["seed-demo", "--if-empty"]):
        subprocess.run(flask + args, cwd=ROOT, env=env, check=True, capture_output=True)
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "fieldapp/gunicorn.conf.py", "-w", "2",
         "-b", f"127.0.0.1:{port}", "app:app"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{base}/login", timeout=1).status_code == 200:
                return proc, base
        except requests.RequestException:
            time.sleep(0.2)
    proc.kill()
    sys.exit("bench.lighthouse: gunicorn did not start:\n" + proc.stderr.read().decode()[-2000:])


def session_cookie(base, username, password="demo"):
    """Sign in through the login form; the Cookie header Lighthouse will send."""
    s = requests.Session()
    s.headers["User-Agent"] = PHONE_UA
    page = s.get(f"{base}/login").text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    reply = s.post(f"{base}/login", data={"csrf_token": token, "username": username,
                                          "password": password}, allow_redirects=False)
    if reply.status_code != 302:
        sys.exit(f"bench.lighthouse: could not sign in as {username} ({reply.status_code})")
    return "; ".join(f"{c.name}={c.value}" for c in s.cookies)


def audit(exe, url, cookie, chrome):
    """One Lighthouse run: {category: score 0-100} and the audits below 1 that weigh."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as out:
        report = out.name
    args = [str(exe), url, "--output=json", f"--output-path={report}", "--quiet",
            f"--only-categories={','.join(CATEGORIES)}",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
            f"--emulatedUserAgent={PHONE_UA}"]
    if cookie:
        args.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    env = dict(os.environ, CHROME_PATH=chrome)
    done = subprocess.run(args, env=env, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"lighthouse failed on {url}: {done.stderr[-1500:]}")
    data = json.loads(Path(report).read_text())
    os.unlink(report)
    scores = {c: round(100 * (data["categories"][c]["score"] or 0)) for c in CATEGORIES}
    lost = []
    for cid in CATEGORIES:
        for ref in data["categories"][cid]["auditRefs"]:
            a = data["audits"][ref["id"]]
            if ref.get("weight") and a.get("score") is not None and a["score"] < 1:
                lost.append(f"{cid}:{ref['id']} ({a.get('displayValue') or a['score']})")
                if cid != "performance":  # what to fix: the elements or messages at fault
                    for item in (a.get("details") or {}).get("items", [])[:5]:
                        node = item.get("node") or {}
                        what = node.get("snippet") or item.get("description") or item.get("source")
                        lost.append(f"      {str(what)[:160]}")
    metrics = {k: data["audits"][k].get("numericValue") for k in (
        "first-contentful-paint", "largest-contentful-paint", "total-blocking-time",
        "cumulative-layout-shift")}
    return scores, lost, metrics, data.get("finalDisplayedUrl") or data.get("finalUrl")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--npm-dir", default=str(Path(tempfile.gettempdir()) / "fieldapp-lighthouse"),
                        help="where lighthouse is installed from the npm registry")
    parser.add_argument("--only", nargs="*", help="measure only these paths")
    parser.add_argument("--runs", type=int, default=1, help="runs per screen (median reported)")
    parser.add_argument("--port", type=int, default=8765)
    opts = parser.parse_args(argv)
    exe, chrome = lighthouse_bin(opts.npm_dir), chrome_path()
    screens = [s for s in SCREENS if not opts.only or s[0] in opts.only]
    workdir = tempfile.mkdtemp(prefix="bench_lighthouse_")
    proc, base = start_app(workdir, opts.port)
    failing = 0
    try:
        cookies = {}
        print(f"{'screen':34} {'perf':>5} {'a11y':>5} {'best':>5} {'seo':>5}  FCP/LCP ms  TBT ms")
        for path, user in screens:
            if user and user not in cookies:
                cookies[user] = session_cookie(base, user)
            runs = [audit(exe, base + path, cookies.get(user), chrome) for _ in range(opts.runs)]
            scores = {c: statistics.median(r[0][c] for r in runs) for c in CATEGORIES}
            metrics = runs[-1][2]
            if not runs[-1][3].rstrip("/").endswith(path.rstrip("/")):
                print(f"  note: {path} ended at {runs[-1][3]}")
            below = [c for c in CATEGORIES if scores[c] < BAR[c]]
            failing += bool(below)
            print(f"{path:34} {scores['performance']:>5.0f} {scores['accessibility']:>5.0f} "
                  f"{scores['best-practices']:>5.0f} {scores['seo']:>5.0f}  "
                  f"{metrics['first-contentful-paint']:.0f}/{metrics['largest-contentful-paint']:.0f}"
                  f"  {metrics['total-blocking-time']:.0f}"
                  + ("   BELOW " + ",".join(below) if below else ""))
            for item in runs[-1][1]:
                print(f"    - {item}")
    finally:
        proc.terminate()
        proc.wait(10)
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"\n{len(screens) - failing} of {len(screens)} screens at the bar "
          f"(performance ≥ 97, the others 100)")
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
