"""Administration: users and devices, policy parameters, the audit log."""
from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from . import audit_views, policy_views, users_views  # noqa: E402,F401
