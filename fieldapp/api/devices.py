"""Pairing a device (its bearer token) and revoking it (docs/protocol.md §3)."""
import secrets
import uuid

from flask import g, request
from flask_babel import gettext as _
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from ..db.tx import begin_write
from ..extensions import db
from ..models import Device, User, hash_token
from ..models.base import utcnow
from ..rules import audit
from ..web import ratelimit
from ..web.errors import APIError
from . import bp
from .http import bad_request, device_required, json_response, read_json

_dummy_hash = None


def _burn_time(password):
    """An unknown username costs as long as a wrong password: timing tells nothing."""
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = generate_password_hash("not a real password")
    check_password_hash(_dummy_hash, password)


def user_json(user):
    return {"username": user.username, "full_name": user.full_name, "role": user.role,
            "areas": sorted(area.code for area in user.areas)}


def _clean(text, limit):
    return "".join(ch for ch in text if ch.isprintable())[:limit].strip()


def _is_text(value):
    """A string that is real text: JSON allows lone surrogates ("\\ud800"), which no
    database or password hash can take."""
    if not isinstance(value, str):
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _record_failure(username, user, device_name):
    """A failed pairing goes to the audit log (docs/security.md §8), committed at once."""
    begin_write()
    audit.sign_in(False, username, user, via="pairing", address=request.remote_addr,
                  device_name=_clean(device_name, 100))
    db.session.commit()


@bp.post("/devices")
def pair():
    """Pair a device: username + password -> a bearer token, shown once (201)."""
    body = read_json()
    names = ("username", "password", "device_name")
    if not isinstance(body, dict) or not all(_is_text(body.get(n)) for n in names):
        raise bad_request(_("Send username, password and device_name, each as text."))
    username = body["username"].strip()
    wait = ratelimit.blocked(username)
    if wait:
        raise APIError(429, "rate_limited", _(
            "Too many failed attempts. Please wait %(minutes)d minutes and try again.",
            minutes=max(1, (wait + 59) // 60)), headers={"Retry-After": str(wait)})
    user = None
    if username and "\x00" not in username and len(username) <= 64:
        user = db.session.scalar(select(User).where(func.lower(User.username) == username.lower()))
    password = body["password"]
    if user is None:
        _burn_time(password)
    if user is None or not user.active or not user.check_password(password):
        ratelimit.failed(username)
        _record_failure(username, user, body["device_name"])
        raise APIError(401, "unauthorized", _("Wrong username or password."))
    token = secrets.token_urlsafe(32)
    device = Device(id=str(uuid.uuid4()), user_id=user.id, token_hash=hash_token(token),
                    name=_clean(body["device_name"], 100) or _("Device"), created_at=utcnow())
    db.session.add(device)
    audit.record("create", "device", device.id, after={"name": device.name, "user": user.username},
                  user_id=user.id)
    audit.sign_in(True, username, user, via="pairing", address=request.remote_addr,
                  device=device.id, device_name=device.name)
    db.session.commit()
    return json_response({"device_id": device.id, "token": token, "user": user_json(user)}, 201)


@bp.delete("/devices/current")
@device_required()
def revoke_current():
    """Sign this device out: its token stops working at once (204)."""
    device = g.device
    device.revoked_at = utcnow()
    audit.record("revoke", "device", device.id, user_id=device.user_id)
    db.session.commit()
    return "", 204
