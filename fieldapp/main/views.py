"""The home page (one per role, after sign-in), the workspace menu and the ID mask."""
from flask import redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..rules.access import scope_of
from ..rules.masking import mask_id, reveals_ids
from ..web import labels
from . import bp

bp.record_once(lambda state: labels.register(state.app))

#: Workspaces by endpoint, with the roles that may open them (home page and menu). List a
#: workspace here when its view lands: url_for fails on a missing endpoint, and
#: tests/web/test_home_per_role.py checks every entry against the app's views.
WORKSPACES = (
    ("supervisor.overview", _l("Overview"), ("admin", "supervisor")),
    ("supervisor.review_queue", _l("Review visits"), ("admin", "supervisor")),
    ("supervisor.households", _l("Household register"), ("admin", "supervisor")),
    ("supervisor.progress_page", _l("Progress against plan"), ("admin", "supervisor")),
    ("supervisor.synthesis", _l("Monthly synthesis"), ("admin", "supervisor")),
    ("supervisor.payers_list", _l("Payments due / stopped paying"), ("admin", "supervisor")),
    ("supervisor.money_page", _l("Money collected and handed over"), ("admin", "supervisor")),
    ("supervisor.referrals", _l("Referrals"), ("admin", "supervisor")),
    ("supervisor.network", _l("Collection network"), ("admin", "supervisor")),
    ("admin.devices", _l("Devices"), ("admin", "supervisor")),
    ("admin.users", _l("Users and devices"), ("admin",)),
    ("admin.policy", _l("Premium parameters"), ("admin",)),
    ("admin.audit", _l("Audit log"), ("admin",)),
)

#: Roles that work in the server pages (the others work in the field app).
DESK_ROLES = ("admin", "supervisor")


def workspaces_for(user):
    return [{"endpoint": ep, "url": url_for(ep), "label": label}
            for ep, label, roles in WORKSPACES if user.role in roles]


def nav_for(user, path):
    """The menu of a desk user: home, then each workspace; the page being shown is marked.

    The current item is the one whose address is the longest prefix of ``path``, so a
    household's page marks the household register.
    """
    items = [{"endpoint": "main.home", "url": url_for("main.home"), "label": _l("Home")}]
    items += workspaces_for(user)
    best = max((i for i in items if path == i["url"] or path.startswith(i["url"].rstrip("/") + "/")),
               key=lambda i: len(i["url"]), default=None)
    for item in items:
        item["current"] = item is best
    return items


@bp.app_context_processor
def inject_nav():
    """``nav_items`` for base.html: only signed-in supervisors and admins get the menu."""
    if getattr(current_user, "is_authenticated", False) and current_user.role in DESK_ROLES:
        return {"nav_items": nav_for(current_user, request.path)}
    return {"nav_items": []}


@bp.app_template_filter("mask_id")
def mask_id_filter(value):
    """Personal IDs in full for the roles of rules/masking.py (admins, among desk users);
    every other role sees the last four digits, as in its sync pull."""
    reveal = getattr(current_user, "is_authenticated", False) and reveals_ids(current_user.role)
    return mask_id(value, reveal=reveal)


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
    app_url = url_for("collector.shell")
    desk = current_user.role in DESK_ROLES
    links = {a.id: url_for("supervisor.households", area=a.code) if desk else None
             for a in areas}
    return render_template("main/home.html", areas=areas, area_links=links, scope=scope,
                           desk=desk, workspaces=workspaces_for(current_user) if desk else [],
                           app_url=app_url)
