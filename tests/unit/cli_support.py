"""Helpers for the command-line tests: CSV files on disk, the sample files, counting rows."""
from pathlib import Path

from sqlalchemy import func, select

from fieldapp.extensions import db

SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "samples"


def write_csv(tmp_path, name, text, bom=False, encoding="utf-8"):
    """Write ``text`` (lines joined by newlines) as the file ``name``; returns its path."""
    path = tmp_path / name
    data = text.encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def count(app, model, *where):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def invoke(app, *args, **kwargs):
    """Run a flask command in-process; returns click's Result (output has stdout + stderr)."""
    return app.test_cli_runner().invoke(args=[str(a) for a in args], **kwargs)
