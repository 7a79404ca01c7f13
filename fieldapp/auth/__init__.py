"""Sign-in, sign-out and the language switch for the web pages."""
from flask import Blueprint

bp = Blueprint("auth", __name__)

from . import views  # noqa: E402,F401
