"""Every `python -m sync` command has --help and a README line (docs and code in step)."""
import re

import pytest

from sync.__main__ import COMMANDS, main

from .live import ROOT


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_has_help_and_a_readme_line(command, capsys):
    with pytest.raises(SystemExit) as exit_:
        main([command, "--help"])
    assert exit_.value.code == 0
    assert "usage: python -m sync " + command in capsys.readouterr().out
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert re.search(rf"`python -m sync [^`]*\b{command}\b[^`]*`|`{command}`", readme)
