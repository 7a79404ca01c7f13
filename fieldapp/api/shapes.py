"""Records in the shape devices see them (DESIGN §4 pull changes, §5 field names).

One Core SELECT per type (joined to areas for codes and to users for usernames) and one
small function per type turning a row into ``data`` as it was pushed (dates as strings,
phone numbers normalised) and ``server`` (server-owned fields). The pull, a conflict's
``current`` and the audit log's before/after all go through here, so they always agree.
"""
from collections import namedtuple

from sqlalchemy import select
from sqlalchemy.orm import aliased

from ..models import Area, Enrollment, Household, Outreach, Person, Referral, User, Visit

_reviewer = aliased(User)
_assignee = aliased(User)


def _iso(value):
    return None if value is None else value.isoformat()


class Shaper:
    """Turns rows into pull-change bodies; times are shown in ``zone`` (the app's zone)."""

    def __init__(self, zone):
        self.zone = zone

    def _time(self, value):
        return None if value is None else value.astimezone(self.zone).isoformat()

    def household(self, r):
        return {"area": r.area, "address": r.address, "head_name": r.head_name,
                "phone": r.phone, "note": r.note}, {}

    def person(self, r):
        return {"household": r.household_id, "full_name": r.full_name,
                "birth_date": _iso(r.birth_date), "sex": r.sex, "personal_id": r.personal_id,
                "si_code": r.si_code, "phone": r.phone, "relation": r.relation,
                "coverage": r.coverage}, {}

    def visit(self, r):
        location = None
        if r.lat is not None:
            location = {"lat": r.lat, "lon": r.lon, "accuracy_m": r.accuracy_m}
        data = {"household": r.household_id, "visited_at": self._time(r.visited_at),
                "outcome": r.outcome, "topics": list(r.topics or ()),
                "follow_up_on": _iso(r.follow_up_on), "referral": r.referral_id,
                "note": r.note, "location": location}
        review = {"status": r.review_status or "pending", "note": r.review_note,
                  "by": r.reviewed_by, "at": self._time(r.reviewed_at)}
        return data, {"review": review}

    def enrollment(self, r):
        return {"person": r.person_id, "scheme": r.scheme, "start_month": r.start_month,
                "period_months": r.period_months, "amount_due": r.amount_due,
                "visit": r.visit_id, "monthly_income": r.monthly_income,
                "support_group": r.support_group, "member_order": r.member_order,
                "receipt_no": r.receipt_no, "paid": bool(r.paid)}, {}

    def referral(self, r):
        return {"area": r.area, "contact_name": r.contact_name, "reason": r.reason,
                "household": r.household_id, "contact_phone": r.contact_phone,
                "address": r.address, "note": r.note}, {
                    "status": r.status or "new", "assigned_to": r.assigned_to}

    def outreach(self, r):
        return {"area": r.area, "kind": r.kind, "held_at": self._time(r.held_at),
                "attendees": r.attendees, "leads": r.leads, "note": r.note}, {}

    def shape(self, kind, row):
        """(data, server) of one row of ``kind``."""
        return getattr(self, kind)(row)


def _columns(model, names):
    return [getattr(model, name) for name in names]


_BASE = ("id", "version")
#: The SELECT of each type, without its WHERE; rows carry the names the Shaper reads.
QUERIES = {
    "household": select(*_columns(Household, _BASE), Area.code.label("area"),
                        *_columns(Household, ("address", "head_name", "phone", "note")))
    .join(Area, Area.id == Household.area_id),
    "person": select(*_columns(Person, _BASE + (
        "household_id", "full_name", "birth_date", "sex", "personal_id", "si_code", "phone",
        "relation", "coverage")))
    .select_from(Person),
    "visit": select(*_columns(Visit, _BASE + (
        "household_id", "visited_at", "outcome", "topics", "follow_up_on", "referral_id",
        "note", "lat", "lon", "accuracy_m", "review_status", "review_note", "reviewed_at")),
        _reviewer.username.label("reviewed_by"))
    .outerjoin(_reviewer, _reviewer.id == Visit.reviewed_by_id),
    "enrollment": select(*_columns(Enrollment, _BASE + (
        "person_id", "scheme", "start_month", "period_months", "amount_due", "visit_id",
        "monthly_income", "support_group", "member_order", "receipt_no", "paid")))
    .select_from(Enrollment),
    "referral": select(*_columns(Referral, _BASE), Area.code.label("area"), *_columns(Referral, (
        "contact_name", "reason", "household_id", "contact_phone", "address", "note",
        "status")), _assignee.username.label("assigned_to"))
    .join(Area, Area.id == Referral.area_id)
    .outerjoin(_assignee, _assignee.id == Referral.assigned_to_id),
    "outreach": select(*_columns(Outreach, _BASE), Area.code.label("area"),
                       *_columns(Outreach, ("kind", "held_at", "attendees", "leads", "note")))
    .join(Area, Area.id == Outreach.area_id),
}

MODELS = {"household": Household, "person": Person, "visit": Visit, "enrollment": Enrollment,
          "referral": Referral, "outreach": Outreach}

#: Row types with the same attribute names as the SELECTs, for records not read back from
#: the database (an accepted write, shaped for the audit log).
ROWS = {kind: namedtuple(f"{kind.title()}Row", [c.name for c in query.selected_columns])
        for kind, query in QUERIES.items()}

_CHUNK = 900  # ids per IN (...): under every database's parameter limit


def _collect(out, rows, shape):
    for row in rows:
        data, server = shape(row)
        out[row.id] = {"version": row.version, "data": data, "server": server}


def fetch(conn, shaper, wanted):
    """{id: {"version", "data", "server"}} for ``wanted`` ({type: ids}) that exist."""
    out = {}
    for kind, ids in wanted.items():
        ids = list(ids)
        model = MODELS[kind]
        for start in range(0, len(ids), _CHUNK):
            query = QUERIES[kind].where(model.id.in_(ids[start:start + _CHUNK]))
            _collect(out, conn.execute(query).all(), getattr(shaper, kind))
    return out


def fetch_live(conn, shaper, kind, change_rows):
    """Like ``fetch`` for the records whose live change rows ``change_rows`` (a filtered
    selectable of ``changes``) selects: one join, no list of ids to send."""
    model = MODELS[kind]
    query = QUERIES[kind].join(change_rows, change_rows.c.record_id == model.id)
    out = {}
    _collect(out, conn.execute(query).all(), getattr(shaper, kind))
    return out
