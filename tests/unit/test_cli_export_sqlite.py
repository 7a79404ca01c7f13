"""`export-sqlite` writes a standalone file any SQLite tool can read (#2)."""
import sqlite3
from datetime import datetime

import pytest

from fieldapp.models import (
    Area,
    Enrollment,
    Household,
    Organization,
    Outreach,
    ParticipantCount,
    Payment,
    Person,
    Plan,
    Referral,
    Task,
    Visit,
)
from tests.unit.cli_support import count, invoke

TABLES = {"areas": Area, "organizations": Organization, "households": Household,
          "persons": Person, "visits": Visit, "enrollments": Enrollment, "referrals": Referral,
          "outreach": Outreach, "plans": Plan, "participant_counts": ParticipantCount,
          "payments": Payment, "tasks": Task}


@pytest.fixture
def exported(app, tmp_path):
    assert invoke(app, "seed-demo").exit_code == 0
    out = tmp_path / "export.db"
    result = invoke(app, "export-sqlite", out)
    assert result.exit_code == 0, result.output
    conn = sqlite3.connect(out)
    yield conn
    conn.close()


def test_the_export_holds_every_table_with_every_row(app, exported):
    names = {r[0] for r in exported.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert names == set(TABLES)
    for table, model in TABLES.items():
        assert exported.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == count(app, model), table
    assert exported.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_the_export_links_tables_and_indexes_them(exported):
    links = {(t, r[3], r[2]) for t in TABLES for r in exported.execute(f"PRAGMA foreign_key_list({t})")}
    assert {("persons", "household_id", "households"), ("visits", "household_id", "households"),
            ("enrollments", "person_id", "persons"), ("enrollments", "visit_id", "visits"),
            ("visits", "referral_id", "referrals"), ("households", "area_id", "areas"),
            ("areas", "parent_id", "areas"), ("plans", "organization_id", "organizations"),
            ("participant_counts", "area_id", "areas")} <= links
    assert exported.execute("PRAGMA foreign_key_check").fetchall() == []
    indexed = {(t, r[1]) for t in TABLES for r in exported.execute(f"PRAGMA index_list({t})")}
    assert ("persons", "idx_persons_household_id") in indexed
    assert ("visits", "idx_visits_visited_at") in indexed


def test_the_export_reads_without_the_app(exported):
    row = exported.execute(
        "SELECT p.full_name, p.personal_id, h.head_name, a.code, a.name, p.birth_date "
        "FROM persons p JOIN households h ON h.id = p.household_id "
        "JOIN areas a ON a.id = h.area_id WHERE p.personal_id IS NOT NULL LIMIT 1").fetchone()
    assert len(row[1]) == 12 and row[3].count("-") == 1 and row[5][4] == "-"
    visit = exported.execute("SELECT collector, visited_at, topics, area_code FROM visits "
                             "ORDER BY visited_at LIMIT 1").fetchone()
    assert visit[0] in ("collector1", "collector2")
    assert datetime.fromisoformat(visit[1]).utcoffset().total_seconds() == 0
    assert visit[2].startswith("[")
    plan = exported.execute("SELECT organization_code, participants FROM plans "
                            "WHERE area_id IS NULL LIMIT 1").fetchone()
    assert plan[0] == "BD31" and plan[1] > 0


def test_export_overwrites_only_with_force(app, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "export.db"
    out.write_bytes(b"keep me")
    refused = invoke(app, "export-sqlite", out)
    assert refused.exit_code != 0 and "--force" in refused.output
    assert out.read_bytes() == b"keep me"
    forced = invoke(app, "export-sqlite", out, "--force")
    assert forced.exit_code == 0, forced.output
    with sqlite3.connect(out) as conn:
        assert conn.execute("SELECT count(*) FROM households").fetchone()[0] == 0
    assert [p.name for p in folder.iterdir()] == ["export.db"]  # no temporary file left


def test_export_help_warns_about_personal_ids(app):
    result = invoke(app, "export-sqlite", "--help")
    assert "personal IDs" in result.output
