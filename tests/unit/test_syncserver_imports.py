"""fieldapp/syncserver/ holds no request objects and does not reach into the sync API (#8).

The server half of push/pull is called by the API views, by the demo data and by the
importers; what it needs of a request (the user, the device, whether the transaction is one
read snapshot) comes in as arguments. Every import statement of every module there, at top
level or inside a function, is read with ``ast``: Flask itself (``flask.request``,
``flask.g``, ``current_app``, ...) and the ``fieldapp.api`` package are refused;
flask_babel (messages) and fieldapp.extensions (the ``db`` handle) are allowed.
"""
import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "fieldapp" / "syncserver"
MODULES = sorted(PACKAGE.glob("*.py"))


def _imported_names(path):
    """Every dotted name an import statement of ``path`` brings in, relative ones resolved
    against fieldapp.syncserver (``from .. import api`` gives fieldapp.api)."""
    package = ["fieldapp", "syncserver"]
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            names.append(module)
            names += [f"{module}.{alias.name}" for alias in node.names]
    return names


def _refused(name):
    parts = name.split(".")
    return parts[0] == "flask" or parts[:2] == ["fieldapp", "api"]


def test_the_package_has_modules():
    assert {p.name for p in MODULES} >= {"service.py", "store.py", "feed.py", "bulk.py",
                                         "checks.py"}


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_no_request_objects_nor_api_imports(path):
    assert [n for n in _imported_names(path) if _refused(n)] == []


@pytest.mark.parametrize("source, bad", [
    ("from flask import g", "flask.g"),
    ("from flask import request", "flask.request"),
    ("import flask", "flask"),
    ("def f():\n    from ..api import http", "fieldapp.api.http"),
    ("from .. import api", "fieldapp.api"),
    ("import fieldapp.api.views", "fieldapp.api.views"),
])
def test_the_check_sees_what_it_refuses(tmp_path, source, bad):
    path = tmp_path / "sample.py"
    path.write_text("from flask_babel import gettext\nfrom ..extensions import db\n" + source)
    found = [n for n in _imported_names(path) if _refused(n)]
    assert bad in found
    assert not any(n.startswith(("flask_babel", "fieldapp.extensions")) for n in found)
