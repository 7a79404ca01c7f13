"""The sync endpoints: bootstrap, push, pull. Thin: HTTP in, sync/merge.py via service, JSON out."""
import re
from datetime import UTC, datetime

from flask import current_app, g, request
from flask_babel import gettext as _

from sync import protocol as P
from sync.cursor import BadCursor, CursorCodec

from ..forms.choices import choices_json, labels_json
from ..rules.access import ancestor_ids, scope_of
from ..rules.areatree import area_tree
from ..syncserver import service
from ..web.errors import APIError
from . import bp
from .devices import user_json
from .http import bad_request, device_required, json_response, read_json, too_large

_LIMIT_RE = re.compile(r"^[0-9]{1,4}$")


def _server_time():
    return datetime.now(UTC).isoformat(timespec="seconds")


def _codec():
    return CursorCodec(current_app.config["SECRET_KEY"])


@bp.get("/bootstrap")
@device_required()
def bootstrap():
    """What a device needs before its first pull: user, areas, premiums' parameters, choices."""
    from ..rules.policy import parameter_sets

    user = g.device.user
    scope = scope_of(user)
    index = area_tree()
    ids = set(scope.area_ids) | ancestor_ids(scope.assigned_ids)
    areas = []
    for area_id in sorted(ids, key=lambda i: index.by_id[i].code):
        node = index.by_id[area_id]
        parent = index.by_id.get(node.parent_id)
        areas.append({"code": node.code, "name": node.name, "level": node.level,
                      "parent": parent.code if parent else None})
    return json_response({"protocol": P.PROTOCOL_VERSION, "server_time": _server_time(),
                          "user": user_json(user), "areas": areas, "policy": parameter_sets(),
                          "choices": choices_json(), "labels": labels_json()})


def _heartbeat(value):
    """The optional ``device`` object: what fits is kept, anything else ignored."""
    if not isinstance(value, dict):
        return {}
    out = {}
    outbox = value.get("outbox")
    if isinstance(outbox, int) and not isinstance(outbox, bool) and 0 <= outbox < 2**31:
        out["outbox_depth"] = outbox
    version = value.get("app_version")
    if isinstance(version, str):
        version = "".join(ch for ch in version if ch.isprintable())[:40]
        if version:
            out["app_version"] = version
    return out


@bp.post("/sync/push")
@device_required(roles=P.PUSH_ROLES)
def push():
    """Store a batch of records; one result per record, in order (docs/protocol.md)."""
    body = read_json()
    if not isinstance(body, dict):
        raise bad_request(_("The body must be a JSON object with protocol and records."))
    if "protocol" not in body:
        raise bad_request(_("Say which protocol you speak: \"protocol\": %(v)d.",
                            v=P.PROTOCOL_VERSION))
    version = body["protocol"]
    if not (isinstance(version, int) and not isinstance(version, bool)
            and version == P.PROTOCOL_VERSION):
        raise APIError(409, "protocol_version", _(
            "This server speaks sync protocol %(v)d. Please update the app.",
            v=P.PROTOCOL_VERSION))
    records = body.get("records")
    if not isinstance(records, list):
        raise bad_request(_("\"records\" must be a list of records."))
    if len(records) > P.MAX_RECORDS:
        raise too_large()
    results = service.push(g.device.user, g.device.id, records, _heartbeat(body.get("device")))
    return json_response({"results": results, "server_time": _server_time()})


@bp.get("/sync/pull")
@device_required(snapshot=True)
def pull():
    """The next page of changes the caller may see, after ``cursor`` (docs/protocol.md)."""
    limit_text = request.args.get("limit", "")
    if limit_text == "":
        limit = P.PULL_DEFAULT_LIMIT
    elif _LIMIT_RE.match(limit_text) and 1 <= int(limit_text) <= P.PULL_MAX_LIMIT:
        limit = int(limit_text)
    else:
        raise bad_request(_("limit must be a whole number from 1 to %(max)d.",
                            max=P.PULL_MAX_LIMIT))
    codec = _codec()
    try:
        after, seen_scope = codec.decode_with_scope(request.args.get("cursor", ""))
    except BadCursor:
        raise bad_request(_("This cursor was not made by this server. "
                            "Pull again from the beginning (no cursor).")) from None
    page, scope_key, reset = service.pull(g.device.user, g.device, after, limit, seen_scope,
                                          in_snapshot=g.get("api_snapshot", False))
    body = {"changes": page.changes, "cursor": codec.encode(page.cursor, scope_key),
            "more": page.more}
    if reset:
        # The caller's areas changed since its cursor was made: this page starts the feed
        # again, and the device should drop what it holds before applying it (docs/protocol.md,
        # extended: "reset" appears only when true).
        body["reset"] = True
    return json_response(body)
