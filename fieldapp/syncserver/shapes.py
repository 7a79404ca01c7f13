"""Records in the shape devices see them (docs/protocol.md §10 pull changes, docs/records.md field names).

One Core SELECT per type (joined to areas for codes and to users for usernames) and one
function per type turning a row into ``data`` as it was pushed (dates as strings, times in
the app's zone) and ``server`` (server-owned fields). Both are built once, at import, from
the record type's declaration (records/types.py): ``data`` has the form's fields in the
form's order. The pull, a conflict's ``current`` and the audit log's before/after all go
through here, so they always agree. ``shaper_for`` gives the pull of a role that may not read
personal IDs whole (a supervisor) a Shaper that masks them (rules/masking.py).
"""
from sqlalchemy import select

from ..records.columns import compile_function
from ..records.types import TYPES
from ..rules.masking import MASKED_FIELDS, mask_id, reveals_ids


class Shaper:
    """Turns rows into pull-change bodies; times are shown in ``zone`` (the app's zone).

    It has one method per record type (``household(row)`` ...), built from the declarations
    below the class: rows are unpacked by position (the column order of QUERIES), since a
    pull shapes tens of thousands of them and attribute access on a Row costs more than the
    dict.
    """

    def __init__(self, zone):
        self.zone = zone

    def _time(self, value):
        return None if value is None else value.astimezone(self.zone).isoformat()

    def shape(self, kind, row):
        """(data, server) of one row of ``kind``."""
        return getattr(self, kind)(row)


def _server_source(spec, names):
    """Source of the ``server`` dict of ``spec`` ({key: codec or {key: codec}})."""
    items = []
    for key, value in spec.items():
        if isinstance(value, dict):
            items.append(f"{key!r}: {_server_source(value, names)}")
        else:
            items.append(f"{key!r}: {value.read(names[value])}")
    return "{" + ", ".join(items) + "}"


def _build(record_type):
    """(SELECT without its WHERE, shaping function) of one record type."""
    model, joins = record_type.model, []
    columns, unpacked = [model.id, model.version], ["_id", "_version"]

    def take(codec):
        selected = codec.select(model, joins)
        names = [f"v{len(columns) + i}" for i in range(len(selected))]
        columns.extend(selected)
        unpacked.extend(names)
        return names

    data = ", ".join(f"{name!r}: {codec.read(take(codec))}"
                     for name, codec in record_type.fields.items())
    names = {codec: take(codec) for codec in record_type.server_codecs}
    server = _server_source(record_type.server, names)
    query = select(*columns).select_from(model)
    for target, on, outer in joins:
        query = query.outerjoin(target, on) if outer else query.join(target, on)
    kind = record_type.name
    source = (f"def {kind}(self, r):\n"
              f"    {', '.join(unpacked)} = r\n"
              f"    return {{{data}}}, {server}\n")
    return query, compile_function(kind, source, {})


#: The SELECT of each type, without its WHERE; rows carry the names the Shaper reads.
QUERIES = {}
for _kind, _record_type in TYPES.items():
    QUERIES[_kind], _shape = _build(_record_type)
    setattr(Shaper, _kind, _shape)

class MaskedShaper(Shaper):
    """A Shaper for roles that may not read personal IDs whole (rules/masking.py): the
    fields of ``MASKED_FIELDS`` keep their last four digits, as on the pages. Only the types
    holding such fields are shaped differently, so a supervisor's pull costs one more
    function call per person; collectors' and admins' pulls use the plain Shaper.
    """


def _masked(kind, fields):
    plain = getattr(Shaper, kind)

    def shape(self, r):
        data, server = plain(self, r)
        for name in fields:
            if data[name]:
                data[name] = mask_id(data[name])
        return data, server

    shape.__name__ = kind
    return shape


for _kind, _fields in MASKED_FIELDS.items():
    setattr(MaskedShaper, _kind, _masked(_kind, _fields))


def shaper_for(role, zone):
    """The Shaper of what ``role`` pulls: masked unless the role sees personal IDs whole."""
    return Shaper(zone) if reveals_ids(role) else MaskedShaper(zone)


#: The names of the SELECTs' columns in order (``id``, ``version``, then the data's and the
#: server's), for records not read back from the database: an accepted write is shaped for
#: the audit log from a list in this order (the shaping functions unpack any sequence).
ROW_NAMES = {kind: tuple(c.name for c in query.selected_columns) for kind, query in QUERIES.items()}

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
        model = TYPES[kind].model
        for start in range(0, len(ids), _CHUNK):
            query = QUERIES[kind].where(model.id.in_(ids[start:start + _CHUNK]))
            collect(conn.execute(query).all(), getattr(shaper, kind), out)
    return out


def live_query(kind, change_rows):
    """The SELECT of ``kind`` for the records whose change rows ``change_rows`` (a filtered
    subquery of ``changes``) selects: one join instead of a list of ids."""
    return QUERIES[kind].join(change_rows, change_rows.c.record_id == TYPES[kind].model.id)
