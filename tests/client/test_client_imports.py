"""The client runs on a laptop without the server: importing it pulls in neither Flask nor
fieldapp (docs/architecture.md: sync/ never imports Flask)."""
import subprocess
import sys

from .live import ROOT


def test_the_client_and_its_cli_import_without_flask_or_fieldapp():
    code = ("import sys, sync.client, sync.__main__; "
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('flask', 'fieldapp', "
            "'sqlalchemy', 'wtforms')); print(bad); sys.exit(1 if bad else 0)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
