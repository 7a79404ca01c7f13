"""CSV imports: areas, households, official participant counts and plans (docs/cli.md).

Each import reads the whole file, checks every row, and writes only when no row has a
problem: a file with one bad line imports nothing, and the error lists the lines to fix
(csvfile.ImportFailed). Households are judged by the same HouseholdForm that judges a
pushed record, and enter the sync change feed like one. Counts and plans are upserts, so a
corrected file can simply be imported again; areas are upserts by code; a household already
in its village (same head and address) is skipped.
"""
import getpass
import re
from dataclasses import dataclass
from datetime import date

from flask_babel import force_locale
from sqlalchemy import select

from sync.protocol import MONTH_RE, SCHEMES

from ..db.tx import begin_write
from ..extensions import db
from ..models import LEVELS, Area, Household, ParticipantCount, Plan
from ..records.forms import validate_record
from ..records.textfold import fold
from ..records.types import TYPES
from ..rules import audit
from ..syncserver import bulk
from .csvfile import read_csv

LEVEL_RANK = {level: rank for rank, level in enumerate(LEVELS)}
#: Official code shapes: province 2 digits, district 3, commune 5; a village is
#: ``<commune code>-<n>`` (checked against its parent).
CODE_SHAPES = {"province": re.compile(r"^\d{2}$"), "district": re.compile(r"^\d{3}$"),
               "commune": re.compile(r"^\d{5}$"), "village": re.compile(r"^[0-9A-Za-z]+-\d{1,4}$")}
CODE_HINTS = {"province": "2 digits", "district": "3 digits", "commune": "5 digits",
              "village": "<commune code>-<number>, e.g. 31001-3"}
WHOLE_RE = re.compile(r"^\d{1,9}$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
WHOLE_MSG = "must be a whole number ≥ 0 (digits only, no separators)."


@dataclass
class Result:
    """What an import did, for the console and the audit log."""

    kind: str
    filename: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def summary(self):
        return (f"{self.filename}: {self.rows} rows; {self.created} created, "
                f"{self.updated} updated, {self.unchanged} unchanged.")


def _audit(result, user_id=None):
    audit.record("import", result.kind, result.filename[:64], after={
        "file": result.filename, "rows": result.rows, "created": result.created,
        "updated": result.updated, "unchanged": result.unchanged,
        "operator": _operator() if user_id is None else None}, user_id=user_id)


def _operator():
    try:
        return getpass.getuser()
    except Exception:
        return None


def _commit(result, write, user_id=None):
    """Run ``write`` in one writing transaction with the audit entry; all or nothing."""
    begin_write()
    try:
        write()
        _audit(result, user_id)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return result


def _areas_by_code(codes=None):
    query = select(Area)
    if codes is not None:
        codes = list(codes)
        found = {}
        for start in range(0, len(codes), 500):
            found.update({a.code: a for a in db.session.scalars(
                query.where(Area.code.in_(codes[start:start + 500])))})
        return found
    return {a.code: a for a in db.session.scalars(query)}


def _whole(rows, line, column, value, low=0, high=None):
    """The int in ``value`` or None after recording the problem."""
    if not WHOLE_RE.match(value or ""):
        rows.problem(line, column, WHOLE_MSG if value else "required: " + WHOLE_MSG[5:])
        return None
    number = int(value)
    if number < low or (high is not None and number > high):
        rows.problem(line, column, f"must be from {low} to {high}.")
        return None
    return number


def _scheme(rows, line, value):
    if value not in SCHEMES:
        rows.problem(line, "scheme", "must be vsi (voluntary social insurance) or hhi "
                                     "(household health insurance).")
        return None
    return value


def _known_area(rows, line, areas, code, allowed=None):
    """The area of ``code``; with ``allowed`` (an uploader's scope), an area outside it is
    refused with the same words as an unknown code, so an upload never tells a supervisor
    which codes exist in another subtree."""
    if not code:
        rows.problem(line, "area_code", "required.")
        return None
    area = areas.get(code)
    if allowed is not None and (area is None or area.id not in allowed):
        rows.problem(line, "area_code", f"no area of yours has the code {code}.")
        return None
    if area is None:
        rows.problem(line, "area_code", f"no area has the code {code} (import it with "
                                        f"import-areas first).")
    return area


def _first_seen(rows, seen, key, line, what):
    """Record a problem if ``key`` was already on an earlier line; True when it is new."""
    if key in seen:
        rows.problem(line, None, f"same {what} as line {seen[key]}.")
        return False
    seen[key] = line
    return True


# --- areas -----------------------------------------------------------------------------------

def import_areas(path):
    """Areas by code (code,name,level,parent_code[,valid_from,valid_to,central_city]); parents
    may come later in the file or already be in the database. ``central_city`` (yes/no) marks
    a province-level centrally-run city, which reports name "toàn thành phố"."""
    rows = read_csv(path, ("code", "name", "level", "parent_code"),
                    ("valid_from", "valid_to", "central_city"))
    existing = _areas_by_code()
    in_file = {}
    for line, row in rows.items:
        code, level = row["code"], row["level"]
        if not code:
            rows.problem(line, "code", "required.")
        elif len(code) > 32 or not re.match(r"^[0-9A-Za-z][0-9A-Za-z-]*$", code):
            rows.problem(line, "code", "letters, digits and '-' only, at most 32 characters.")
        elif code in in_file:
            rows.problem(line, "code", f"{code} is already on line {in_file[code][0]}.")
        if not row["name"]:
            rows.problem(line, "name", "required.")
        elif len(row["name"]) > 200:
            rows.problem(line, "name", "at most 200 characters.")
        if level not in LEVELS:
            rows.problem(line, "level", f"must be one of {', '.join(LEVELS)}.")
        elif code and not CODE_SHAPES[level].match(code):
            rows.problem(line, "code", f"a {level} code is {CODE_HINTS[level]}.")
        elif code in existing and existing[code].level != level:
            # Its children were placed for the old level; a merge makes a new code instead.
            rows.problem(line, "level", f"{code} is already a {existing[code].level}; the "
                                        f"level of an area cannot change.")
        dates = {key: _iso_date(rows, line, key, row.get(key, "")) for key in ("valid_from", "valid_to")}
        if "central_city" in row:
            dates["central_city"] = _central_city(rows, line, row["central_city"], level)
        if dates["valid_from"] and dates["valid_to"] and dates["valid_to"] < dates["valid_from"]:
            rows.problem(line, "valid_to", "cannot be before valid_from.")
        if code and code not in in_file:
            in_file[code] = (line, row, dates)
    for code, (line, row, _dates) in in_file.items():
        _check_parent(rows, line, code, row, in_file, existing)
    rows.raise_if_problems()

    result = Result("areas", rows.filename, rows=len(in_file))

    def write():
        by_code = dict(existing)
        # Parents first, so every child finds its parent's id.
        ordered = sorted(in_file.items(), key=lambda item: LEVEL_RANK[item[1][1]["level"]])
        for code, (_line, row, dates) in ordered:
            parent = by_code.get(row["parent_code"]) if row["parent_code"] else None
            values = {"name": row["name"], "level": row["level"],
                      "parent_id": parent.id if parent else None}
            values.update({k: v for k, v in dates.items() if k in row})
            area = by_code.get(code)
            if area is None:
                area = Area(code=code, **values)
                db.session.add(area)
                db.session.flush()
                by_code[code] = area
                result.created += 1
            elif any(getattr(area, k) != v for k, v in values.items()):
                before = audit.values_of(area)
                for key, value in values.items():
                    setattr(area, key, value)
                db.session.flush()
                audit.record("update", "area", area.id, before=before, after=audit.values_of(area),
                             area_id=area.id)
                result.updated += 1
            else:
                result.unchanged += 1

    return _commit(result, write)


def _central_city(rows, line, value, level):
    """yes/no (also 1/0, true/false, có/không) -> bool; only a province may be a city."""
    flag = {"yes": True, "1": True, "true": True, "có": True,
            "no": False, "0": False, "false": False, "không": False, "": False}.get(value.lower())
    if flag is None:
        rows.problem(line, "central_city", "must be yes or no.")
    elif flag and level != "province":
        rows.problem(line, "central_city", "only a province can be a centrally-run city.")
    return flag


def _iso_date(rows, line, column, value):
    if not value:
        return None
    try:
        if not DATE_RE.match(value):
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        rows.problem(line, column, "must be a date as YYYY-MM-DD.")
        return None


def _check_parent(rows, line, code, row, in_file, existing):
    level, parent_code = row["level"], row["parent_code"]
    if level not in LEVELS:
        return
    if level == "province":
        if parent_code:
            rows.problem(line, "parent_code", "a province has no parent; leave it empty.")
        return
    if not parent_code:
        rows.problem(line, "parent_code", f"required for a {level}.")
        return
    if parent_code == code:
        rows.problem(line, "parent_code", "an area cannot be its own parent.")
        return
    if parent_code in in_file:
        parent_level = in_file[parent_code][1]["level"]
    elif parent_code in existing:
        parent_level = existing[parent_code].level
    else:
        rows.problem(line, "parent_code", f"no area has the code {parent_code}, in this file "
                                          f"or in the database.")
        return
    if parent_level not in LEVELS or LEVEL_RANK[parent_level] >= LEVEL_RANK[level]:
        rows.problem(line, "parent_code", f"{parent_code} is a {parent_level}; a {level} "
                                          f"must be under a higher level.")
    elif level == "village" and not code.startswith(parent_code + "-"):
        rows.problem(line, "code", f"a village code starts with its commune's code: "
                                   f"{parent_code}-<number>.")


# --- households ------------------------------------------------------------------------------

HOUSEHOLD = TYPES["household"]
#: HouseholdForm field -> CSV column.
HOUSEHOLD_COLUMNS = {"area": "area_code", "address": "address", "head_name": "head_name",
                     "phone": "phone", "note": "note"}


def import_households(path):
    """New households (area_code,address,head_name[,phone,note]) into the register and the
    change feed; each row is judged by HouseholdForm, the form that judges pushed ones, and
    stored as a push stores it (the household's declaration, records/types.py)."""
    rows = read_csv(path, ("area_code", "address", "head_name"), ("phone", "note"))
    areas = _areas_by_code({row["area_code"] for _line, row in rows.items if row["area_code"]})
    today = date.today()
    seen, valid = {}, []
    with force_locale("en"):
        for line, row in rows.items:
            data = {field: row.get(column, "") for field, column in HOUSEHOLD_COLUMNS.items()}
            cleaned, errors = validate_record("household", data)
            for field, messages in errors.items():
                for message in messages:
                    rows.problem(line, HOUSEHOLD_COLUMNS.get(field, field), message)
            if errors:
                continue
            area = areas.get(cleaned["area"])
            if area is None:
                rows.problem(line, "area_code", f"no area has the code {cleaned['area']}.")
                continue
            if area.level != "village":
                rows.problem(line, "area_code", f"{area.code} is a {area.level}; a household "
                                                f"belongs to a village.")
                continue
            if area.valid_to is not None and area.valid_to < today:
                rows.problem(line, "area_code", f"{area.code} ended on "
                                                f"{area.valid_to.isoformat()}.")
                continue
            key = (area.id, fold(cleaned["address"]), fold(cleaned["head_name"]))
            if _first_seen(rows, seen, key, line, "household (village, address and head)"):
                valid.append((key, area, cleaned))
    rows.raise_if_problems()

    result = Result("households", rows.filename, rows=len(valid))

    def write():
        have = _existing_household_keys({area.id for _key, area, _c in valid})
        records = []
        for key, area, cleaned in valid:
            if key in have:
                result.unchanged += 1
                continue
            records.append({"id": bulk.new_id(), "area_id": area.id,
                            **HOUSEHOLD.to_row(cleaned, None)})
        result.created = len(records)
        bulk.register_changes(bulk.insert_records(Household, records))

    return _commit(result, write)


def _existing_household_keys(area_ids):
    keys = set()
    ids = list(area_ids)
    for start in range(0, len(ids), 500):
        query = select(Household.area_id, Household.address, Household.head_name).where(
            Household.area_id.in_(ids[start:start + 500]))
        keys.update((a, fold(addr), fold(head)) for a, addr, head in db.session.execute(query))
    return keys


# --- participant counts and plans ------------------------------------------------------------

def import_counts(path, allowed_area_ids=None, user_id=None):
    """Official participant counts (area_code,month,scheme,participants); upsert by area,
    month and scheme. ``allowed_area_ids``: the uploader's scope (the browser upload of the
    plans page); ``user_id`` goes into the audit entry."""
    rows = read_csv(path, ("area_code", "month", "scheme", "participants"))
    areas = _areas_by_code({row["area_code"] for _line, row in rows.items if row["area_code"]})
    this_month = date.today().strftime("%Y-%m")
    seen, valid = {}, []
    for line, row in rows.items:
        area = _known_area(rows, line, areas, row["area_code"], allowed_area_ids)
        month = row["month"]
        match = MONTH_RE.match(month)
        if not match or not 2000 <= int(match[1]) <= 2100:
            rows.problem(line, "month", "must be a month as YYYY-MM, e.g. 2026-10.")
            month = None
        elif month > this_month:
            rows.problem(line, "month", f"{month} has not begun yet.")
            month = None
        scheme = _scheme(rows, line, row["scheme"])
        participants = _whole(rows, line, "participants", row["participants"])
        if None in (area, month, scheme, participants):
            continue
        if _first_seen(rows, seen, (area.id, month, scheme), line, "area, month and scheme"):
            valid.append((area.id, month, scheme, participants))
    rows.raise_if_problems()

    result = Result("participant_counts", rows.filename, rows=len(valid))

    def write():
        current = {(c.area_id, c.month, c.scheme): c for c in db.session.scalars(
            select(ParticipantCount).where(
                ParticipantCount.area_id.in_({v[0] for v in valid})))} if valid else {}
        for area_id, month, scheme, participants in valid:
            row = current.get((area_id, month, scheme))
            if row is None:
                db.session.add(ParticipantCount(area_id=area_id, month=month, scheme=scheme,
                                                participants=participants))
                result.created += 1
            elif row.participants != participants:
                row.participants = participants
                result.updated += 1
            else:
                result.unchanged += 1

    return _commit(result, write, user_id)


def import_plans(path, allowed_area_ids=None, user_id=None):
    """The year's target per area (area_code,year,scheme,participants[,new_participants]);
    upsert by area, year and scheme. A changed target drops its old monthly split, which no
    longer adds up. Without the fifth column a plan's target for new participants is kept;
    an empty value in it clears that target. ``allowed_area_ids`` and ``user_id`` as for
    import_counts."""
    rows = read_csv(path, ("area_code", "year", "scheme", "participants"), ("new_participants",))
    areas = _areas_by_code({row["area_code"] for _line, row in rows.items if row["area_code"]})
    has_new = any("new_participants" in row for _line, row in rows.items)
    seen, valid = {}, []
    for line, row in rows.items:
        area = _known_area(rows, line, areas, row["area_code"], allowed_area_ids)
        year = _whole(rows, line, "year", row["year"], low=2000, high=2100)
        scheme = _scheme(rows, line, row["scheme"])
        participants = _whole(rows, line, "participants", row["participants"])
        new = None
        if row.get("new_participants"):
            new = _whole(rows, line, "new_participants", row["new_participants"])
            if new is None:
                continue
            if participants is not None and new > participants:
                rows.problem(line, "new_participants", "cannot be more than participants.")
                continue
        if None in (area, year, scheme, participants):
            continue
        if _first_seen(rows, seen, (area.id, year, scheme), line, "area, year and scheme"):
            valid.append((area.id, year, scheme, participants, new))
    rows.raise_if_problems()

    result = Result("plans", rows.filename, rows=len(valid))

    def write():
        current = {(p.area_id, p.year, p.scheme): p for p in db.session.scalars(
            select(Plan).where(Plan.organization_id.is_(None),
                               Plan.area_id.in_({v[0] for v in valid})))} if valid else {}
        for area_id, year, scheme, participants, new in valid:
            plan = current.get((area_id, year, scheme))
            if plan is None:
                db.session.add(Plan(area_id=area_id, year=year, scheme=scheme,
                                    target=participants, new_participants=new))
                result.created += 1
            elif plan.target != participants or (has_new and plan.new_participants != new):
                if plan.target != participants:
                    plan.target, plan.monthly = participants, None
                if has_new:
                    plan.new_participants = new
                result.updated += 1
            else:
                result.unchanged += 1

    return _commit(result, write, user_id)
