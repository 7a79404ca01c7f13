"""Sync protocol v1 (docs/protocol.md, docs/records.md): the numbers and names both ends agree on.

Importable without Flask or fieldapp: the server's api blueprint, the Python client and the
tests read the contract from here rather than from string literals scattered around.
"""
import hashlib
import json
import re

PROTOCOL_VERSION = 1

#: Record types in the order their references point (a type only names types before it),
#: which is also the order a batch's rows are written so foreign keys always hold.
RECORD_TYPES = ("household", "referral", "person", "visit", "enrollment", "outreach", "payment",
                "task")

#: Fields of ``data`` naming another record, per type: {field: referenced type} (docs/records.md).
REFERENCES = {
    "household": {},
    "person": {"household": "household"},
    "visit": {"household": "household", "referral": "referral"},
    "enrollment": {"person": "person", "visit": "visit"},
    "referral": {"household": "household"},
    "outreach": {},
    "payment": {"enrollment": "enrollment"},
    "task": {"household": "household", "person": "person"},
}

#: A payment's ``method``; a task's ``kind`` (made by the server, docs/payers.md).
PAYMENT_METHODS = ("cash", "transfer")
TASK_KINDS = ("payment_due", "lapsed", "follow_up")

# Per-record outcomes of a push, in the order a record is judged.
DUPLICATE = "duplicate"
REJECTED = "rejected"
CONFLICT = "conflict"
ACCEPTED = "accepted"
STATUSES = (DUPLICATE, REJECTED, CONFLICT, ACCEPTED)

#: Roles that may push; the others (supervisor, admin) read only.
PUSH_ROLES = ("collector", "village_head")

MAX_RECORDS = 500
MAX_BODY = 2 * 1024 * 1024  # bytes of the request body

PULL_DEFAULT_LIMIT = 500
PULL_MAX_LIMIT = 1000

# Server-owned fields (docs/protocol.md §10).
REVIEW_STATUSES = ("pending", "approved", "flagged")
REFERRAL_STATUSES = ("new", "assigned", "visited", "enrolled", "closed")
#: A referral's optional ``close_reason``: pushed by a collector, it closes the referral.
CLOSE_REASONS = ("not_eligible", "already_covered", "moved_away", "refused", "unreachable")

#: An enrollment's ``scheme``: voluntary social insurance, household health insurance.
SCHEMES = ("vsi", "hhi")

# The patterns hold the whole string (``\A``...``\Z``) whether called with ``match`` or
# ``fullmatch``: ``$`` would let a value ending in a newline through, and ``\d`` any
# script's digits. Every check of an id, a reference or a month uses these.

#: An id or a reference in its canonical 36-character form, any UUID version, either case.
UUID_RE = re.compile(
    r"\A[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\Z")

#: A month, YYYY-MM (an enrollment's ``start_month``, the plan files); groups: year, month.
#: static/js/premium.js has the same pattern between ``^`` and ``$`` (a test compares them).
MONTH_RE = re.compile(r"\A([0-9]{4})-(0[1-9]|1[0-2])\Z")

#: Error codes and their HTTP statuses (docs/protocol.md).
ERROR_STATUS = {
    "invalid_json": 400, "bad_request": 400, "unauthorized": 401, "forbidden": 403,
    "not_found": 404, "method_not_allowed": 405, "protocol_version": 409, "too_large": 413,
    "unsupported_media_type": 415, "rate_limited": 429,
}


_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=True,
                              allow_nan=False)


def canonical_json(value):
    """The one text of a JSON value that two equal values share: sorted keys, no spaces.

    Non-ASCII is escaped so the text is plain ASCII whatever the input holds (a lone
    surrogate from a broken client cannot make hashing fail).
    """
    return _CANONICAL.encode(value)


def content_hash(record_type, data):
    """sha256 hex of the canonical JSON of ``[type, data]`` as pushed: equal means duplicate."""
    return hashlib.sha256(canonical_json([record_type, data]).encode("ascii")).hexdigest()
