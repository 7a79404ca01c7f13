"""HTTP plumbing of the sync API: bearer tokens, the request checks of docs/protocol.md, JSON out.

A request is checked in the contract's order: token (401), role (403), content type (415),
size (413), JSON (400), then what the view itself checks (``protocol``, records).
"""
import json
from datetime import timedelta
from functools import wraps

import flask_babel
import orjson
from flask import Response, current_app, g, request
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from sync import protocol as P

from ..extensions import db
from ..models import Device, User, hash_token
from ..models.base import utcnow
from ..rules.areatree import remember_stamp, stamp_column
from ..web.errors import APIError


def unauthorized():
    return APIError(401, "unauthorized",
                    _("This device is not signed in, or its sign-in was revoked. "
                      "Please pair it again with your username and password."),
                    headers={"WWW-Authenticate": 'Bearer realm="fieldapp"'})


def _device_from_header():
    scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or len(token) > 200:
        return None
    # One statement: the device, its user and the user's areas (scope needs them), and the
    # area tree's stamp (rules/areatree.py) so that the tree needs no statement of its own.
    row = db.session.execute(select(Device, stamp_column())
                             .options(joinedload(Device.user).joinedload(User.areas))
                             .where(Device.token_hash == hash_token(token))).unique().first()
    if row is None:
        return None
    device, stamp = row
    remember_stamp(stamp)
    if device is None or device.revoked_at is not None:
        return None
    if device.user is None or not device.user.active:
        return None
    if _idle_too_long(device):
        return None
    return device


def _idle_too_long(device):
    """A token whose device has not synced for DEVICE_IDLE_DAYS (FIELDAPP_DEVICE_IDLE_DAYS,
    default 60; since pairing if it never synced) has expired: 401 like a revoked one."""
    days = current_app.config.get("DEVICE_IDLE_DAYS") or 0
    if days <= 0:
        return False
    last = device.last_sync_at or device.created_at
    return last is not None and utcnow() - last > timedelta(days=days)


def device_required(roles=None, snapshot=False):
    """View decorator: a valid bearer token (else 401), then one of ``roles`` (else 403).

    The token's user becomes ``current_user`` for this request only (no session is made),
    so messages come in that user's language. With ``snapshot`` the request's transaction
    is one consistent snapshot from its first statement (REPEATABLE READ on PostgreSQL;
    a SQLite read transaction is one), marked in ``g.api_snapshot``: the pull view hands
    that to syncserver/service.py, which then reads its page in the transaction that
    checked the token, with no second transaction (nor connection check-out) to start.
    """

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            # Push and pull commit along the way (a snapshot per page, a write lock per
            # batch); the device and its user stay as loaded instead of being read again.
            db.session().expire_on_commit = False
            if snapshot:
                options = {}
                if db.engine.dialect.name == "postgresql":
                    options["isolation_level"] = "REPEATABLE READ"
                db.session.connection(execution_options=options)
                g.api_snapshot = True
            device = _device_from_header()
            if device is None:
                raise unauthorized()
            g._login_user = device.user
            g.device = device
            flask_babel.refresh()
            if roles is not None and device.user.role not in roles:
                raise APIError(403, "forbidden", _("Your role may not do this through sync."))
            return view(*args, **kwargs)

        return wrapper

    return decorate


def _no_constants(name):
    raise ValueError(f"{name} is not JSON")


def read_json():
    """The request body as JSON, after the content-type and size checks."""
    if request.mimetype != "application/json":
        raise APIError(415, "unsupported_media_type",
                       _("Send the body as JSON with Content-Type: application/json."))
    length = request.content_length
    if length is not None and length > P.MAX_BODY:
        raise too_large()
    raw = request.stream.read(P.MAX_BODY + 1)
    if len(raw) > P.MAX_BODY:
        raise too_large()
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        pass  # the standard parser takes what orjson refuses (lone surrogates, 1e400)
    try:
        return json.loads(raw.decode("utf-8"), parse_constant=_no_constants)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise APIError(400, "invalid_json", _("The body is not valid JSON.")) from None


def too_large():
    return APIError(413, "too_large", _(
        "The request is too large: at most %(records)d records and %(mib)d MiB per push.",
        records=P.MAX_RECORDS, mib=P.MAX_BODY // (1024 * 1024)))


def bad_request(message):
    return APIError(400, "bad_request", message)


def json_response(body, status=200):
    """Compact UTF-8 JSON (orjson: a 1,000-change pull page encodes ten times faster).

    What orjson cannot encode (an id echoed back holding a lone surrogate or a huge
    number) goes through the standard encoder, escaped to ASCII."""
    try:
        text = orjson.dumps(body)
    except (TypeError, orjson.JSONEncodeError):
        text = json.dumps(body, ensure_ascii=True, separators=(",", ":"))
    return Response(text, status=status, mimetype="application/json")
