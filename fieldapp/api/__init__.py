"""api blueprint: the sync API at /api/v1 (DESIGN §4), for the PWA and the Python client.

Bearer tokens, no cookies, so it is exempt from CSRF; errors use the JSON shape of
errors.py everywhere under /api/. The views stay thin: api/service.py runs sync/merge.py
against api/store.py (push) and api/feed.py (pull).
"""
from flask import Blueprint

from ..extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

from . import devices, views  # noqa: E402,F401
