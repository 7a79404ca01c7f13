"""The supervisor workspace: server-rendered pages for review, progress and the register."""
from flask import Blueprint

bp = Blueprint("supervisor", __name__, url_prefix="/supervisor")

from . import money, network, payers, plans, progress, referrals, review, synthesis, views  # noqa: E402,F401
