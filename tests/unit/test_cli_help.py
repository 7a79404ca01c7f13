"""Every command of docs/cli.md exists, explains itself with --help and has a README line (#2)."""
from pathlib import Path

import pytest

from fieldapp.data.cli import command_names
from tests.unit.cli_support import invoke

README = Path(__file__).resolve().parents[2] / "README.md"
#: The command line of docs/cli.md (a contract).
CONTRACT = ["init-db", "seed-demo", "create-user", "import-areas", "import-households",
            "import-counts", "import-plans", "export-sqlite"]


def test_the_contract_commands_are_the_registered_ones():
    assert sorted(command_names()) == sorted(CONTRACT)


@pytest.mark.parametrize("name", CONTRACT)
def test_every_command_has_help(app, name):
    command = app.cli.get_command(None, name)
    assert command is not None, name
    assert len(command.get_short_help_str(limit=200)) > 20
    result = invoke(app, name, "--help")
    assert result.exit_code == 0
    assert "Usage: " in result.output and len(result.output.splitlines()) > 4


@pytest.mark.parametrize("name", CONTRACT)
def test_every_command_has_a_readme_line(name):
    lines = README.read_text(encoding="utf-8").splitlines()
    assert any(f"flask --app app {name}" in line for line in lines), name
