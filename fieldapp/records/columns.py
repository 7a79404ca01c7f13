"""How one field of a record's ``data`` lives in its table, and comes back out for a pull.

A codec per field knows the column(s) it is stored in, the SQL that reads them for the pull,
and two snippets of Python source: the value to store (from the cleaned form data) and the
value a device sees (from the row). types.py (the write) and syncserver/shapes.py (the pull)
compile those snippets into one plain function per record type, once at import, so a push
or a pull pays no per-field dispatch: the functions read as if written by hand (positional
row unpacking, one dict literal).

Most fields are 1:1 by name and their form field's class says the rest (``codec_for``).
The exceptions are explicit: the area (a code on the wire, an id in the table) and the
visit's location (one object, three columns) in the record type's declaration; references
(``household`` on the wire, ``household_id`` in the table) are the protocol's REFERENCES.
Phone numbers need nothing here: PhoneField normalises them before they are stored, so they
are stored and pulled as they are.
"""
from sqlalchemy import String, type_coerce
from wtforms import FormField, SelectMultipleField

from ..forms.fields import CheckboxField, IsoDateField, OffsetDateTimeField


class Codec:
    """A field stored 1:1 in the column of its name (or ``column``)."""

    def __init__(self, column=None):
        self.column = column

    def bind(self, name):
        """This codec for the field ``name`` (sets the column when not given)."""
        return type(self)(self.column or name)

    @property
    def stored(self):
        """The model columns the field is written to (and the analyst export shows)."""
        return (self.column,)

    def select(self, model, joins):
        """SQL expressions the pull reads, labelled; ``joins`` collects (target, on, outer)."""
        return [getattr(model, self.column)]

    def read(self, names):
        """Source of the value a device sees, given the unpacked names of ``select``."""
        return names[0]

    def write(self, value):
        """[(column, source)] to store, given the source of the cleaned value."""
        return [(self.column, value)]


class Date(Codec):
    """A date: read as stored text (SQLite) or a date (PostgreSQL), sent as YYYY-MM-DD.

    Reading the column without SQLAlchemy's parsing saves parsing a date on SQLite only to
    write it back out.
    """

    def select(self, model, joins):
        column = getattr(model, self.column)
        return [type_coerce(column, String).label(column.key)]

    def read(self, names):
        v = names[0]
        return f"({v} if {v} is None or {v}.__class__ is str else {v}.isoformat())"


class Time(Codec):
    """An aware time, stored in UTC, sent in the app's zone with its offset."""

    def read(self, names):
        return f"self._time({names[0]})"


class Bool(Codec):
    def read(self, names):
        return f"bool({names[0]})"

    def write(self, value):
        return [(self.column, f"bool({value})")]


class List(Codec):
    """A list of choices, stored as JSON."""

    def read(self, names):
        return f"list({names[0]} or ())"

    def write(self, value):
        return [(self.column, f"list({value} or [])")]


class Ref(Codec):
    """The id of another record: ``household`` on the wire, ``household_id`` in the table."""

    def bind(self, name):
        return Ref(self.column or f"{name}_id")


class AreaCode(Codec):
    """The record's area: its code on the wire, ``area_id`` in the table.

    The store sets ``area_id`` itself (from the code, or from the record a person, visit or
    enrollment hangs on), so the field writes nothing here.
    """

    def bind(self, name):
        return AreaCode("area_id")

    def select(self, model, joins):
        from ..models import Area

        joins.append((Area, Area.id == model.area_id, False))
        return [Area.code.label("area")]

    def write(self, value):
        return []


class Location(Codec):
    """{lat, lon, accuracy_m} or null on the wire; three nullable columns in the table."""

    PARTS = ("lat", "lon", "accuracy_m")

    def bind(self, name):
        return Location()

    @property
    def stored(self):
        return self.PARTS

    def select(self, model, joins):
        return [getattr(model, part) for part in self.PARTS]

    def read(self, names):
        lat = names[0]
        parts = ", ".join(f"{part!r}: {n}" for part, n in zip(self.PARTS, names))
        return f"(None if {lat} is None else {{{parts}}})"

    def write(self, value):
        return [(part, f"({value} or _EMPTY).get({part!r})") for part in self.PARTS]


# -- server-owned values (pull only: devices never write them) ------------------------------

class Server(Codec):
    """A server-owned column, with the value a device sees while it is unset."""

    def __init__(self, column, default=None):
        super().__init__(column)
        self.default = default

    def read(self, names):
        return names[0] if self.default is None else f"({names[0]} or {self.default!r})"


class Username(Codec):
    """A user named by a foreign key column, shown by username (``label`` in the SELECT)."""

    def __init__(self, column, label):
        super().__init__(column)
        self.label = label

    @property
    def stored(self):
        return ()

    def select(self, model, joins):
        from sqlalchemy.orm import aliased

        from ..models import User

        user = aliased(User)
        joins.append((user, user.id == getattr(model, self.column), True))
        return [user.username.label(self.label)]


#: Form field classes whose value needs converting on the way in or out; others are stored
#: as the form cleans them (text, choices, whole numbers, months, normalised phones).
_BY_FIELD_CLASS = ((IsoDateField, Date), (OffsetDateTimeField, Time), (CheckboxField, Bool),
                   (SelectMultipleField, List))


def codec_for(name, field, declared=None):
    """The codec of form field ``name`` (a bound field), bound to its column.

    ``declared`` is the record type's own codec for it, if any; a sub-form (an object on the
    wire) must be declared, since nothing tells how its parts are stored.
    """
    if declared is not None:
        return declared.bind(name)
    if isinstance(field, FormField):
        raise TypeError(f"{name}: an object field needs its columns declared")
    for field_class, codec in _BY_FIELD_CLASS:
        if isinstance(field, field_class):
            return codec(name)
    return Codec(name)


def compile_function(name, source, namespace):
    """The function ``name`` defined by ``source``, with ``namespace`` as its globals.

    The generated source stays on the function (``__source__``) for a reader in a debugger.
    """
    scope = dict(namespace)
    exec(compile(source, f"<{name}>", "exec"), scope)
    function = scope[name]
    function.__source__ = source
    return function
