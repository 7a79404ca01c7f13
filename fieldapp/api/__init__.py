"""api blueprint: the sync API at /api/v1 (docs/protocol.md), for the PWA and the Python client.

Bearer tokens, no cookies, so it is exempt from CSRF; errors use the JSON shape of
web/errors.py everywhere under /api/. The views stay thin: they turn requests into calls of
fieldapp/syncserver (push and pull, which run sync/merge.py against its store and feed) and
the results into JSON.
"""
from flask import Blueprint

from ..extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

from . import devices, views  # noqa: E402,F401
