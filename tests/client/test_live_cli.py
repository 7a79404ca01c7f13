"""`python -m sync` against a live server: records typed from paper, uploaded in bulk."""
import json
import os
import subprocess
import sys

from sync.client import SyncClient

from .live import ROOT, free_port
from .records import household, person


def cli(tmp_path, *args, stdin=None):
    env = dict(os.environ, LANG="en_US.UTF-8", PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "sync", "--outbox", str(tmp_path / "o.db"),
                           "--retries", "1", *args], cwd=tmp_path, input=stdin, env=env,
                          capture_output=True, text=True, timeout=120)


def write_lines(path, records):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                    encoding="utf-8")


def test_bulk_upload_from_a_file_with_a_summary_per_line(live, tmp_path):
    bad = cli(tmp_path, "--server", live.url, "pair", "col_a", stdin="wrong\n")
    assert bad.returncode == 1
    assert bad.stderr.strip() == "error: wrong username or password"
    paired = cli(tmp_path, "--server", live.url, "pair", "col_a", "--device-name", "điểm thu 01",
                 stdin="pw\n")
    assert paired.returncode == 0 and "Paired as col_a" in paired.stdout

    homes = [household(n) for n in range(3)]
    typed = person(2, homes[1]["id"])
    del typed["id"]  # typed from paper: no id, one is made from the content
    typed["data"]["birth_date"] = "1985-13-45"
    lines = [*homes, person(1, homes[0]["id"]), household(9, village="31002-1"), typed]
    paper = tmp_path / "paper.jsonl"
    write_lines(paper, lines)

    queued = cli(tmp_path, "enqueue", str(paper))
    assert queued.returncode == 0 and "Queued 6 records" in queued.stdout
    pushed = cli(tmp_path, "push", "--progress")
    assert pushed.returncode == 3, pushed.stderr
    assert "4 accepted" in pushed.stdout and "2 rejected" in pushed.stdout
    assert "paper.jsonl line 5 " in pushed.stdout and "area" in pushed.stdout
    assert "paper.jsonl line 6 " in pushed.stdout and "birth_date" in pushed.stdout
    assert "push" in pushed.stderr  # the progress bar went to stderr

    lines[4]["data"]["area"] = "31001-2"
    lines[5]["data"]["birth_date"] = "1985-12-05"
    write_lines(paper, lines)
    assert cli(tmp_path, "discard", "--all").returncode == 0
    again = cli(tmp_path, "enqueue", str(paper))
    assert "Queued 2 records" in again.stdout and "4 were already synced" in again.stdout
    pushed = cli(tmp_path, "push")
    assert pushed.returncode == 0 and "2 accepted" in pushed.stdout
    assert live.scalar("SELECT count(*) FROM households") == 4
    assert live.scalar("SELECT count(*) FROM persons") == 2

    pulled = cli(tmp_path, "pull", "--limit", "2")
    assert pulled.returncode == 0 and "4 household, 2 person" in pulled.stdout
    status = cli(tmp_path, "status")
    assert "0 waiting, 0 need attention" in status.stdout and "điểm thu 01" in status.stdout


def test_clear_errors_when_signed_out_or_unreachable(live, tmp_path):
    cli(tmp_path, "--server", live.url, "pair", "col_a", stdin="pw\n")
    token = SyncClient(outbox_path=tmp_path / "o.db").token
    SyncClient(live.url, tmp_path / "elsewhere.db", token=token).logout()  # revoked elsewhere
    write_lines(tmp_path / "one.jsonl", [household(1)])
    cli(tmp_path, "enqueue", str(tmp_path / "one.jsonl"))

    revoked = cli(tmp_path, "push")
    assert revoked.returncode == 1
    assert revoked.stderr.strip() == "error: this device was signed out; pair again"

    nowhere = cli(tmp_path, "--server", f"http://127.0.0.1:{free_port()}", "pull")
    assert nowhere.returncode == 1
    assert nowhere.stderr.startswith("error: cannot reach the server at http://127.0.0.1:")
    assert len(nowhere.stderr.strip().splitlines()) == 1

    refused = cli(tmp_path, "logout")
    assert refused.returncode == 1 and "push them first" in refused.stderr
