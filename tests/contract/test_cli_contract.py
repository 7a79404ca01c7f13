"""The command line of docs/cli.md from the outside: `flask --app app <command>` and its effects.

Effects are observed the way an operator or a device would: pairing and pulling over the
sync API, and reading the analyst's export (export-sqlite) with Python's own sqlite3 (the
"any SQLite tool" of §7). Nothing of the application is imported.

How the sentences are read here: "errors name the file, line and field" means the message
holds the file's name, "line N" with N counted in the file as a text editor shows it (the
header is line 1) and the column's name; "import nothing" is checked on what the import
would have made visible (areas in bootstrap, households in a pull, counts and plans in the
export). import-households' columns are not in §7; those of its --help are used.
"""
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import make_app
from tests.device import Device, pair_raw
from tests.records import household

ROOT = Path(__file__).resolve().parents[2]
COMMANDS = ["init-db", "seed-demo", "create-user", "import-areas", "import-households",
            "import-counts", "import-plans", "export-sqlite"]
DEMO_USERS = ["admin", "supervisor", "collector1", "collector2", "village1"]


def _ok(result):
    assert result.exit_code == 0, f"{result.exit_code}: {result.output}"
    return result.output


def _failed(result):
    assert result.exit_code != 0, result.output
    return result.output


def _device(client, username, password):
    return Device.paired(client, username, password)


def _export_values(runner, tmp_path, name="export.db"):
    """Every value of every table of a fresh export-sqlite file: {table: [row dicts]}."""
    out = tmp_path / name
    _ok(runner.invoke(args=["export-sqlite", str(out), "--force"]))
    conn = sqlite3.connect(out)
    conn.row_factory = sqlite3.Row
    try:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        return {t: [dict(row) for row in conn.execute(f'SELECT * FROM "{t}"')] for t in tables}
    finally:
        conn.close()


def _holds(exported, value):
    return any(value in row.values() for rows in exported.values() for row in rows)


def _csv(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# -- the commands and their arguments ----------------------------------------------------

def test_flask_app_lists_every_command(tmp_path):
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path / 'cli.db'}",
               SECRET_KEY="contract-test")
    env.pop("FLASK_APP", None)
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "app", "--help"], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    for command in COMMANDS:
        assert f"  {command} " in done.stdout, command


@pytest.mark.parametrize("command,words", [
    ("init-db", []), ("seed-demo", ["--password"]),
    ("create-user", ["USERNAME", "--role", "--area", "--password"]),
    ("import-areas", ["FILE"]), ("import-households", ["FILE"]), ("import-counts", ["FILE"]),
    ("import-plans", ["FILE"]), ("export-sqlite", ["OUT"]),
])
def test_each_command_takes_its_documented_arguments(runner, command, words):
    out = _ok(runner.invoke(args=[command, "--help"]))
    usage = out.splitlines()[0]
    assert command in usage
    for word in words:
        assert word in (usage if word.isupper() else out), (word, out)


# -- init-db ---------------------------------------------------------------------------

def test_init_db_creates_an_empty_database_and_is_idempotent(tmp_path):
    fresh = make_app(tmp_path, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'fresh.db'}")
    cli = fresh.test_cli_runner()
    _ok(cli.invoke(args=["init-db"]))
    _ok(cli.invoke(args=["init-db"]))
    areas = _csv(tmp_path, "areas.csv", "code,name,level,parent_code\n"
                 "31,Hải Phòng,province,\n31001,Hồng Bàng,commune,31\n"
                 "31001-1,Tổ 1,village,31001\n")
    _ok(cli.invoke(args=["import-areas", str(areas)]))
    _ok(cli.invoke(args=["create-user", "thu", "--role", "collector", "--area", "31001",
                         "--password", "secret-pass-1"]))
    _ok(cli.invoke(args=["init-db"]))  # again, on a database in use: nothing lost
    device = _device(fresh.test_client(), "thu", "secret-pass-1")
    assert device.pairing["user"]["areas"] == ["31001"]
    device.accepted([household("31001-1")])


def test_init_db_on_a_database_in_use_keeps_its_data(runner, client, world):
    device = _device(client, "col_a", "pw")
    h = household()
    device.accepted([h])
    _ok(runner.invoke(args=["init-db"]))
    _ok(runner.invoke(args=["init-db"]))
    assert list(_device(client, "col_a", "pw").latest()) == [h["id"]]


# -- seed-demo -------------------------------------------------------------------------

def test_seed_demo_makes_the_demo_city_and_users_with_the_default_password(app, client, runner,
                                                                           tmp_path):
    out = _ok(runner.invoke(args=["seed-demo"]))
    assert "demo" in out
    devices = {name: _device(client, name, "demo") for name in DEMO_USERS}
    roles = {name: d.pairing["user"]["role"] for name, d in devices.items()}
    assert roles == {"admin": "admin", "supervisor": "supervisor", "collector1": "collector",
                     "collector2": "collector", "village1": "village_head"}
    areas = devices["admin"].bootstrap().get_json()["areas"]
    levels = {a["level"] for a in areas}
    assert {"commune", "village"} <= levels
    assert sum(a["level"] == "commune" for a in areas) >= 2
    pulled = devices["collector1"].pull_all()[0]
    assert any(c["type"] == "household" for c in pulled)
    exported = _export_values(runner, tmp_path)
    assert exported["organizations"], "a collection organization"
    assert exported["households"]
    assert exported["plans"], "a plan"
    months = {row["month"] for row in exported["participant_counts"]}
    assert len(months) >= 2, "official counts for past months"


def test_seed_demo_password_option_is_used_and_printed(client, runner):
    out = _ok(runner.invoke(args=["seed-demo", "--password", "another-pass"]))
    assert "another-pass" in out
    for name in DEMO_USERS:
        _device(client, name, "another-pass")
    assert pair_raw(client, "collector1", "demo").status_code == 401


# -- create-user -----------------------------------------------------------------------

def test_create_user_with_role_areas_and_password(client, runner, world):
    _ok(runner.invoke(args=["create-user", "new_col", "--role", "collector", "--area", "31001",
                            "--area", "31002", "--password", "long-enough-pw"]))
    user = _device(client, "new_col", "long-enough-pw").pairing["user"]
    assert (user["role"], user["areas"]) == ("collector", ["31001", "31002"])


def test_create_user_prompts_for_the_password_when_omitted(client, runner, world):
    _ok(runner.invoke(args=["create-user", "new_head", "--role", "village_head",
                            "--area", "31002-1"], input="typed-pass-9\ntyped-pass-9\n"))
    user = _device(client, "new_head", "typed-pass-9").pairing["user"]
    assert (user["role"], user["areas"]) == ("village_head", ["31002-1"])


@pytest.mark.parametrize("args", [
    ["--role", "king", "--area", "31001"], ["--role", "collector", "--area", "99999"],
    ["--area", "31001"],
])
def test_create_user_refuses_what_it_cannot_make(client, runner, world, args):
    _failed(runner.invoke(args=["create-user", "nobody_new", *args, "--password", "pw-long-1"]))
    assert pair_raw(client, "nobody_new", "pw-long-1").status_code == 401


# -- imports ---------------------------------------------------------------------------

def _admin_area_codes(client):
    return {a["code"] for a in _device(client, "admin", "pw").bootstrap().get_json()["areas"]}


def test_import_areas(client, runner, world, tmp_path):
    path = _csv(tmp_path, "areas.csv", "code,name,level,parent_code\n"
                "31003-1,Thôn Mới,village,31003\n31003,Xã Mới,commune,31\n")
    _ok(runner.invoke(args=["import-areas", str(path)]))
    areas = {a["code"]: a for a in _device(client, "admin", "pw").bootstrap().get_json()["areas"]}
    assert (areas["31003"]["parent"], areas["31003"]["level"], areas["31003"]["name"]) == \
        ("31", "commune", "Xã Mới")
    assert (areas["31003-1"]["parent"], areas["31003-1"]["level"]) == ("31003", "village")


def test_import_households_reach_the_collectors_phones(client, runner, world, tmp_path):
    path = _csv(tmp_path, "households.csv", "area_code,address,head_name,phone,note\n"
                "31001-1,Số 3 Lạch Tray,Vũ Văn Tài,+84 912 345 678,\n"
                "31001-2,Số 8 Tô Hiệu,Lê Thị Hoa,,Bán hàng\n")
    _ok(runner.invoke(args=["import-households", str(path)]))
    pulled = [c["data"] for c in _device(client, "col_a", "pw").pull_all()[0]]
    assert {(d["area"], d["head_name"], d["phone"]) for d in pulled} == {
        ("31001-1", "Vũ Văn Tài", "0912345678"), ("31001-2", "Lê Thị Hoa", None)}


def test_import_counts_and_plans(runner, world, tmp_path):
    counts = _csv(tmp_path, "counts.csv", "area_code,month,scheme,participants\n"
                  "31001,2026-09,vsi,424241\n31001,2026-10,hhi,424242\n")
    plans = _csv(tmp_path, "plans.csv", "area_code,year,scheme,participants\n"
                 "31001,2026,vsi,434343\n")
    _ok(runner.invoke(args=["import-counts", str(counts)]))
    _ok(runner.invoke(args=["import-plans", str(plans)]))
    exported = _export_values(runner, tmp_path)
    assert all(_holds(exported, n) for n in (424241, 424242, 434343))


BAD_FILES = [
    ("import-areas", "code,name,level,parent_code\n31004,Xã Tốt,commune,31\n"
                     "31005,Xã Xấu,planet,31\n", 3, "level"),
    ("import-areas", "code,name,level,parent_code\n31004,Xã Tốt,commune,31\n"
                     "31004-1,Thôn,village,88888\n", 3, "parent_code"),
    ("import-households", "area_code,address,head_name,phone,note\n"
                          "31001-1,Số 1,Ngô Văn Tốt,,\n31001-2,Số 2,Ngô Văn Xấu,12345,\n", 3,
     "phone"),
    ("import-households", "area_code,address,head_name,phone,note\n"
                          "31001-1,Số 1,Ngô Văn Tốt,,\n31001-1,Số 2,Ngô Văn Hai,,\n"
                          "99999-9,Số 3,Ngô Văn Xấu,,\n", 4, "area_code"),
    ("import-counts", "area_code,month,scheme,participants\n31001,2026-09,vsi,424241\n"
                      "31001,2026-13,vsi,424242\n", 3, "month"),
    ("import-counts", "area_code,month,scheme,participants\n31001,2026-09,pension,424241\n"
                      "31001,2026-10,vsi,424242\n", 2, "scheme"),
    ("import-plans", "area_code,year,scheme,participants\n31001,2026,vsi,434343\n"
                     "31001,2026,hhi,many\n", 3, "participants"),
    ("import-plans", "area_code,year,scheme,participants\n31001,2026,vsi,434343\n"
                     "77777,2026,hhi,100\n", 3, "area_code"),
]


@pytest.mark.parametrize("command,text,line,field", BAD_FILES)
def test_a_bad_file_names_file_line_and_field_and_imports_nothing(client, runner, world,
                                                                  tmp_path, command, text,
                                                                  line, field):
    path = _csv(tmp_path, "operator_input.csv", text)
    out = _failed(runner.invoke(args=[command, str(path)]))
    assert "operator_input.csv" in out
    assert f"line {line}" in out.lower(), out
    assert field in out, out
    assert "Traceback" not in out
    assert {"31004", "31005", "31004-1"}.isdisjoint(_admin_area_codes(client))
    assert _device(client, "col_a", "pw").pull_all()[0] == []
    exported = _export_values(runner, tmp_path)
    assert not any(_holds(exported, n) for n in (424241, 424242, 434343))


@pytest.mark.parametrize("command,header", [
    ("import-areas", "code,name,level"), ("import-households", "area_code,address"),
    ("import-counts", "area_code,month,scheme"), ("import-plans", "area_code,year,participants"),
])
def test_a_file_missing_a_column_names_the_file_and_the_column(runner, world, tmp_path, command,
                                                               header):
    path = _csv(tmp_path, "short.csv", header + "\n" + ",".join(["x"] * header.count(",")) + "x\n")
    out = _failed(runner.invoke(args=[command, str(path)]))
    assert "short.csv" in out
    expected = {"import-areas": "parent_code", "import-households": "head_name",
                "import-counts": "participants", "import-plans": "scheme"}[command]
    assert expected in out, out


# -- export-sqlite ---------------------------------------------------------------------

def test_export_sqlite_writes_a_file_any_sqlite_tool_reads(client, runner, world, tmp_path):
    device = _device(client, "col_a", "pw")
    h = household(phone="+84 912 345 678")
    device.accepted([h])
    out = tmp_path / "analyst.db"
    _ok(runner.invoke(args=["export-sqlite", str(out)]))
    conn = sqlite3.connect(out)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"areas", "households", "persons", "visits", "enrollments", "referrals",
                "outreach", "plans", "participant_counts"} <= tables
        row = conn.execute("SELECT head_name, phone FROM households WHERE id = ?",
                           (h["id"],)).fetchone()
        assert row == (h["data"]["head_name"], "0912345678")
    finally:
        conn.close()
