"""Sign-in and sign-out (web pages), and choosing the language."""
from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from ..db.tx import begin_write
from ..extensions import db
from ..forms.auth import LoginForm
from ..models import User
from ..rules import audit
from ..web import ratelimit
from . import bp, sessions

_dummy_hash = None


def _burn_time(password):
    """Check against a throw-away hash so an unknown username costs as long as a known one.

    Otherwise the answer time alone tells an attacker which usernames exist.
    """
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = generate_password_hash("not a real password")
    check_password_hash(_dummy_hash, password)


def _safe_next(target):
    """Only same-site paths: ``next`` must never send someone to another site."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    # Browsers read "/\evil.example" as "//evil.example"; control characters are never needed.
    if "\\" in target or any(ord(c) < 32 or ord(c) == 127 for c in target):
        return None
    return target


def _too_many(form, wait):
    minutes = max(1, (wait + 59) // 60)
    flash(ngettext("Too many failed sign-ins. Try again in %(num)d minute.",
                   "Too many failed sign-ins. Try again in %(num)d minutes.", minutes), "error")
    resp = current_app.make_response((render_template("auth/login.html", form=form), 429))
    resp.headers["Retry-After"] = str(wait)
    return resp


def _start_session(user):
    """Sign ``user`` in on a fresh session, keeping the language chosen before signing in."""
    lang = session.get("lang")
    session.clear()  # a new session id: a session planted before sign-in is worth nothing
    login_user(user)
    sessions.start(user)
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
        if user.locale != lang:
            user.locale = lang
            db.session.commit()


def _record_sign_in(ok, username, user):
    """The attempt goes to the audit log (docs/security.md §8) in a transaction of its own."""
    begin_write()
    audit.sign_in(ok, username, user, via="web", address=request.remote_addr)
    db.session.commit()


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign in with username and password; repeated failures are refused for a while (429)."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        username = form.username.data.strip()
        wait = ratelimit.blocked(username)
        if wait:
            return _too_many(form, wait)
        user = db.session.scalar(
            select(User).where(func.lower(User.username) == username.lower()))
        if user is None:
            _burn_time(form.password.data)
        elif user.active and user.check_password(form.password.data):
            _start_session(user)
            _record_sign_in(True, username, user)
            return redirect(_safe_next(request.args.get("next")) or url_for("main.home"))
        ratelimit.failed(username)
        _record_sign_in(False, username, user)
        flash(_("Wrong username or password."), "error")
        status = 401
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Sign out (POST with the CSRF token, so a link on another site cannot sign you out).

    Every web session of the user ends, copies of this one's cookie included; the user's
    paired devices keep their tokens."""
    lang = session.get("lang") or current_user.locale
    user_id = current_user.id
    logout_user()
    session.clear()
    begin_write()
    sessions.end_all(user_id)
    db.session.commit()
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/lang/<code>", methods=["POST"])
def set_language(code):
    """Switch the interface language; it sticks for the session and on the user."""
    if code not in current_app.config["LANGUAGES"]:
        abort(404)
    session["lang"] = code
    if current_user.is_authenticated and current_user.locale != code:
        current_user.locale = code
        db.session.commit()
    return redirect(_safe_next(request.form.get("next")) or url_for("main.index"))
