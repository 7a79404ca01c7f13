"""The home page: one per role, after sign-in."""
from flask import current_app, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..access import scope_of
from . import bp

#: Workspaces by endpoint, with the roles that may open them. A workspace is listed on the
#: home page only when its blueprint is registered, so the page never links to nothing.
WORKSPACES = (
    ("supervisor.overview", _l("Overview"), ("admin", "supervisor")),
    ("supervisor.households", _l("Household register"), ("admin", "supervisor")),
    ("supervisor.visits", _l("Review visits"), ("admin", "supervisor")),
    ("supervisor.progress", _l("Progress against plan"), ("admin", "supervisor")),
    ("supervisor.synthesis", _l("Monthly synthesis"), ("admin", "supervisor")),
    ("supervisor.payers", _l("Payment due / stopped paying"), ("admin", "supervisor")),
    ("supervisor.referrals", _l("Referrals"), ("admin", "supervisor")),
    ("admin.users", _l("Users and devices"), ("admin",)),
    ("admin.audit", _l("Audit log"), ("admin",)),
)


def workspaces_for(user):
    have = current_app.view_functions
    return [{"url": url_for(ep), "label": label}
            for ep, label, roles in WORKSPACES if ep in have and user.role in roles]


@bp.route("/")
def index():
    """Send visitors to sign in, and people to their home page."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return redirect(url_for("main.home"))


@bp.route("/home")
@login_required
def home():
    """The signed-in user's starting point."""
    scope = scope_of(current_user)
    areas = sorted(current_user.areas, key=lambda a: a.code)
    app_url = url_for("collector.shell") if "collector.shell" in current_app.view_functions else "/app/"
    return render_template("main/home.html", areas=areas, scope=scope,
                           workspaces=workspaces_for(current_user), app_url=app_url)
