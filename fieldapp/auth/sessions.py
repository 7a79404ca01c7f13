"""Web sessions: what a session holds besides Flask-Login's user id, and when it ends.

The session cookie is signed, not stored on the server, so a copy of it stays valid until
the server refuses it. Two things in it let the server do so:

- ``sv``: the user's ``session_version`` at sign-in. Sign-out and a password reset add one
  to the user's number (:func:`end_all`), so every session signed in before, including
  copies of its cookie, is refused from then on. Device tokens are not touched.
- ``seen``: when the session was last used (epoch seconds, refreshed at most once a
  minute). A session unused for ``SESSION_IDLE_HOURS`` (FIELDAPP_SESSION_IDLE_HOURS,
  default 8) is refused; the next page sends its user to sign in again.
"""
import time

from flask import current_app, request, session
from flask.sessions import SecureCookieSessionInterface
from sqlalchemy import update

from ..extensions import db
from ..models import User

#: ``seen`` is written back at most this often, so that not every page sets a cookie.
SEEN_EVERY = 60


def start(user):
    """Mark the session just signed in (after ``login_user``) with ``user``'s number."""
    session["sv"] = user.session_version
    session["seen"] = int(time.time())


def end_all(user_id):
    """End every web session of the user (in the caller's writing transaction)."""
    db.session.execute(update(User).where(User.id == user_id)
                       .values(session_version=User.session_version + 1))


def _idle_limit():
    hours = current_app.config.get("SESSION_IDLE_HOURS") or 0
    return hours * 3600 if hours > 0 else None


def load_user(user_id):
    """Flask-Login's user loader: the user of a session that is still valid, else None."""
    try:
        user = db.session.get(User, int(user_id))
    except (TypeError, ValueError):
        return None
    if user is None or not user.active:
        return None
    if session.get("sv") != user.session_version:
        return None  # signed out, password reset, or a session from before versions
    now = int(time.time())
    seen = session.get("seen")
    if not isinstance(seen, int):
        return None
    limit = _idle_limit()
    if limit is not None and now - seen > limit:
        return None
    if now - seen >= SEEN_EVERY and request.blueprint != "api":  # the API sets no cookie
        session["seen"] = now
    return user


class CookieSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, minus ``Vary: Cookie`` on static files.

    Flask-Login looks into the session after every request (its remember-me check), which
    makes Flask add ``Vary: Cookie`` to every answer, static files included: a shared cache
    would then keep one copy of app.js per visitor. A static file is the same for everyone, so
    unless the request changed the session its answer does not vary by cookie.
    """

    def save_session(self, app, sess, response):
        if request.endpoint == "static" and not sess.modified:
            sess.accessed = False
        return super().save_session(app, sess, response)
