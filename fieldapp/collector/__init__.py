"""collector blueprint: the installable offline app (PWA) for collectors and village heads.

The app is one shell page (``/app/``) that JavaScript modules fill from IndexedDB; the server
gives it the record forms rendered from the WTForms classes, its message catalogs, and the
service worker that keeps all of it on the phone.
"""
from flask import Blueprint

bp = Blueprint("collector", __name__)

from . import views  # noqa: E402,F401
