"""The shipped gunicorn config keeps query strings (searches by phone number or personal ID)
and referrers out of the access log (issue #9, point 7)."""
import logging
import runpy
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

from gunicorn import glogging
from gunicorn.config import Config

ROOT = Path(__file__).resolve().parents[2]
CONF = ROOT / "fieldapp" / "gunicorn.conf.py"
PHONE = "0912345678"


def shipped_config():
    cfg = Config()
    for key, value in runpy.run_path(str(CONF)).items():
        if key in cfg.settings:
            cfg.set(key, value)
    return cfg


def test_the_format_has_no_query_string_request_line_or_referrer():
    fmt = shipped_config().access_log_format
    for atom in ("%(q)s", "%(r)s", "%(f)s", "{query_string}e", "{raw_uri}e", "{referer}i"):
        assert atom not in fmt.lower(), atom
    assert "%(U)s" in fmt and "%(s)s" in fmt


def test_a_search_leaves_no_number_in_the_access_line():
    cfg = shipped_config()
    assert cfg.accesslog == "-"
    logger = glogging.Logger(cfg)
    lines = []
    handler = logging.Handler()
    handler.emit = lambda record: lines.append(record.getMessage())
    logger.access_log.addHandler(handler)
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": f"/supervisor/households?q={PHONE}",
               "PATH_INFO": "/supervisor/households", "QUERY_STRING": f"q={PHONE}",
               "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1",
               "HTTP_REFERER": f"https://x.example/supervisor/households?q={PHONE}",
               "HTTP_USER_AGENT": "test"}
    resp = SimpleNamespace(status="200 OK", headers=[], sent=10)
    req = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
    logger.access(resp, req, environ, timedelta(milliseconds=5))
    [line] = lines
    assert "GET /supervisor/households HTTP/1.1" in line and " 200 " in line
    assert PHONE not in line


def test_the_readme_starts_gunicorn_with_the_config():
    readme = (ROOT / "README.md").read_text()
    assert "gunicorn -c fieldapp/gunicorn.conf.py" in readme
