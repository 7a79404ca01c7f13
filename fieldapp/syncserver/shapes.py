"""Records in the shape devices see them (DESIGN §4 pull changes, §5 field names).

One Core SELECT per type (joined to areas for codes and to users for usernames) and one
small function per type turning a row into ``data`` as it was pushed (dates as strings,
phone numbers normalised) and ``server`` (server-owned fields). The pull, a conflict's
``current`` and the audit log's before/after all go through here, so they always agree.
"""
from collections import namedtuple

from sqlalchemy import String, select, type_coerce
from sqlalchemy.orm import aliased

from ..models import Area, Enrollment, Household, Outreach, Person, Referral, User, Visit

_reviewer = aliased(User)
_assignee = aliased(User)


def _iso(value):
    """A date as YYYY-MM-DD: SQLite hands the stored text (see ``_date_text``), PostgreSQL
    a date."""
    return value if value is None or isinstance(value, str) else value.isoformat()


def _date_text(column):
    # Read a date column without SQLAlchemy's parsing: the pull only writes it back out.
    return type_coerce(column, String).label(column.key)


class Shaper:
    """Turns rows into pull-change bodies; times are shown in ``zone`` (the app's zone)."""

    def __init__(self, zone):
        self.zone = zone

    def _time(self, value):
        return None if value is None else value.astimezone(self.zone).isoformat()

    # Rows are unpacked by position (the column order of QUERIES below): a pull shapes
    # tens of thousands of them, and attribute access on a Row costs more than the dict.
    def household(self, r):
        _id, _version, area, address, head_name, phone, note = r
        return {"area": area, "address": address, "head_name": head_name, "phone": phone,
                "note": note}, {}

    def person(self, r):
        (_id, _version, household, full_name, birth_date, sex, personal_id, si_code, phone,
         relation, coverage) = r
        return {"household": household, "full_name": full_name,
                "birth_date": birth_date if birth_date is None or birth_date.__class__ is str
                else birth_date.isoformat(),
                "sex": sex, "personal_id": personal_id, "si_code": si_code, "phone": phone,
                "relation": relation, "coverage": coverage}, {}

    def visit(self, r):
        (_id, _version, household, visited_at, outcome, topics, follow_up_on, referral, note,
         lat, lon, accuracy_m, review_status, review_note, reviewed_at, reviewed_by) = r
        location = None
        if lat is not None:
            location = {"lat": lat, "lon": lon, "accuracy_m": accuracy_m}
        data = {"household": household, "visited_at": self._time(visited_at),
                "outcome": outcome, "topics": list(topics or ()),
                "follow_up_on": _iso(follow_up_on), "referral": referral, "note": note,
                "location": location}
        review = {"status": review_status or "pending", "note": review_note,
                  "by": reviewed_by, "at": self._time(reviewed_at)}
        return data, {"review": review}

    def enrollment(self, r):
        (_id, _version, person, scheme, start_month, period_months, amount_due, visit,
         monthly_income, support_group, member_order, receipt_no, paid) = r
        return {"person": person, "scheme": scheme, "start_month": start_month,
                "period_months": period_months, "amount_due": amount_due, "visit": visit,
                "monthly_income": monthly_income, "support_group": support_group,
                "member_order": member_order, "receipt_no": receipt_no,
                "paid": bool(paid)}, {}

    def referral(self, r):
        (_id, _version, area, contact_name, reason, household, contact_phone, address, note,
         status, assigned_to) = r
        return {"area": area, "contact_name": contact_name, "reason": reason,
                "household": household, "contact_phone": contact_phone, "address": address,
                "note": note}, {"status": status or "new", "assigned_to": assigned_to}

    def outreach(self, r):
        _id, _version, area, kind, held_at, attendees, leads, note = r
        return {"area": area, "kind": kind, "held_at": self._time(held_at),
                "attendees": attendees, "leads": leads, "note": note}, {}

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
    "person": select(*_columns(Person, _BASE + ("household_id", "full_name")),
                     _date_text(Person.birth_date), *_columns(Person, (
                         "sex", "personal_id", "si_code", "phone", "relation", "coverage")))
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


def collect(rows, shape, out=None):
    """{id: {"version", "data", "server"}} of ``rows`` shaped with ``shape``."""
    out = {} if out is None else out
    for row in rows:
        data, server = shape(row)
        out[row[0]] = {"version": row[1], "data": data, "server": server}
    return out


def fetch(conn, shaper, wanted):
    """{id: {"version", "data", "server"}} for ``wanted`` ({type: ids}) that exist."""
    out = {}
    for kind, ids in wanted.items():
        ids = list(ids)
        model = MODELS[kind]
        for start in range(0, len(ids), _CHUNK):
            query = QUERIES[kind].where(model.id.in_(ids[start:start + _CHUNK]))
            collect(conn.execute(query).all(), getattr(shaper, kind), out)
    return out


def live_query(kind, change_rows):
    """The SELECT of ``kind`` for the records whose change rows ``change_rows`` (a filtered
    subquery of ``changes``) selects: one join instead of a list of ids."""
    return QUERIES[kind].join(change_rows, change_rows.c.record_id == MODELS[kind].id)
