"""The synced record types: one declaration each, from which every other list of their fields
is derived.

A type's fields are its form's fields (forms.py: the rules, and the PWA's form page). The
declaration adds what the form cannot tell: the model, the columns a field lives in where
its name and field class do not say (codecs in columns.py), server-owned values, what the
server stores besides the data, the analyst export's table, and the PWA's IndexedDB store.

Derived from it:
  * the write: ``RecordType.to_row`` (cleaned data -> column values) for the sync push
    (syncserver/store.py) and the household import (data/importers.py);
  * the pull: the SELECT and shaping function of each type (syncserver/shapes.py), whose
    ``data`` keys are the form's field names in the form's order;
  * the analyst export's columns, users and links (data/export.py);
  * ``RECORD_MODELS``, ``RECORD_FORMS``: the one map of type -> model and type -> form.

So a new field of a record type means: the model column and its migration, the form field
(and, if it is not 1:1 by name, its codec here), the form template and the screen that shows
it. tests/unit/test_record_declarations.py walks every type and fails when a form field is
missing from the columns, the pull, the export or the PWA's stores.
"""
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType

from sync import protocol as P

from ..models import Enrollment, Household, Outreach, Payment, Person, Referral, Task, Visit
from .columns import AreaCode, Date, Location, Ref, Server, Time, Username, codec_for, compile_function
from .forms import (
    EnrollmentForm,
    HouseholdForm,
    OutreachForm,
    PaymentForm,
    PersonForm,
    ReferralForm,
    TaskForm,
    VisitForm,
)
from .textfold import household_search_text


@dataclass(eq=False)
class RecordType:
    """One synced record type (see the module's docstring for what derives from it)."""

    #: The protocol's name of the type.
    name: str
    form: type
    model: type
    #: The IndexedDB object store holding these records on a device (static/js/db.js STORES).
    pwa_store: str
    #: Codecs of the form fields whose column is not the one of their name and class.
    columns: dict = field(default_factory=dict)
    #: Server-owned values a device pulls under ``server``: {key: codec or {key: codec}}.
    server: dict = field(default_factory=dict)
    #: {column: value} stored with every write of the data (a visit's edit awaits review anew).
    on_write: dict = field(default_factory=dict)
    #: {column: value} stored when the record is created.
    on_create: dict = field(default_factory=dict)
    #: {column: function(cleaned data)}: columns the server computes from the data.
    derived: dict = field(default_factory=dict)
    #: Columns the store's checks compute (an enrollment's premium), taken from its facts.
    facts: tuple = ()
    #: The export's name for the user who created the record.
    export_owner: str = "created_by"
    #: The export's data columns where the analysts' file has its own order (else derived).
    export_order: tuple = None
    #: Indexes of the export's table.
    export_indexes: tuple = ()

    @property
    def refs(self):
        """{field: referenced type}: the protocol's references (sync/protocol.py)."""
        return P.REFERENCES[self.name]

    @cached_property
    def fields(self):
        """{form field: codec bound to its column(s)}, in the form's order."""
        out = {}
        table = self.model.__table__.c
        for name, bound in self.form()._fields.items():
            declared = self.columns.get(name)
            if declared is None and name in self.refs:
                declared = Ref()
            codec = out[name] = codec_for(name, bound, declared)
            for column in codec.stored:
                if column not in table:
                    raise LookupError(
                        f"{self.name}.{name}: {self.model.__tablename__} has no column {column}"
                        f" (add it with a migration, or declare the field's codec)")
        return out

    @cached_property
    def server_codecs(self):
        """Every server-owned codec, nested ones in order."""
        out = []
        for value in self.server.values():
            out += value.values() if isinstance(value, dict) else [value]
        return out

    @cached_property
    def to_row(self):
        """function(cleaned data, facts) -> {column: value} of the record's data as stored.

        Compiled once: a push turns every accepted record into a row with it. ``area_id``,
        ids and versions are the store's; server-owned columns keep their value on update.
        """
        namespace = {"_EMPTY": MappingProxyType({})}
        items = []
        for name, codec in self.fields.items():
            items += codec.write(f"c[{name!r}]")
        for column, function in self.derived.items():
            namespace[f"_{column}"] = function
            items.append((column, f"_{column}(c)"))
        items += [(column, f"facts[{column!r}]") for column in self.facts]
        items += [(column, repr(value)) for column, value in self.on_write.items()]
        body = ", ".join(f"{column!r}: {source}" for column, source in items)
        source = f"def to_row(c, facts):\n    return {{{body}}}\n"
        return compile_function("to_row", source, namespace)

    @cached_property
    def export_columns(self):
        """The export's data columns: the fields', then the server's and the facts'."""
        if self.export_order is not None:
            return self.export_order
        columns = [c for name, codec in self.fields.items() if not isinstance(codec, AreaCode)
                   for c in codec.stored]
        columns += [c for codec in self.server_codecs for c in codec.stored]
        return tuple(columns) + self.facts

    @cached_property
    def export_users(self):
        """(foreign key column, export label) of the users the export names."""
        return (("created_by_id", self.export_owner),) + tuple(
            (codec.column, codec.label) for codec in self.server_codecs
            if isinstance(codec, Username))


def _search_text(cleaned):
    return household_search_text(cleaned["head_name"], cleaned["address"])


#: In the protocol's order: a type only names types before it (foreign keys hold when rows
#: are written in this order).
_DECLARED = (
    RecordType("household", HouseholdForm, Household, "households",
               columns={"area": AreaCode()},
               derived={"search_text": _search_text},
               export_indexes=(["area_id"], ["area_code"])),
    RecordType("referral", ReferralForm, Referral, "referrals",
               columns={"area": AreaCode()},
               server={"status": Server("status", default="new"),
                       "assigned_to": Username("assigned_to_id", "assigned_to"),
                       # When the referral reached each step (null: not yet).
                       "dates": {"new": Time("received_at"), "assigned": Time("assigned_at"),
                                 "visited": Time("visited_at"), "enrolled": Time("enrolled_at"),
                                 "closed": Time("closed_at")}},
               on_create={"status": "new"},
               export_owner="referred_by",
               export_order=("household_id", "contact_name", "reason", "contact_phone",
                             "address", "note", "close_reason", "status", "assigned_at",
                             "visited_at", "enrolled_at", "closed_at"),
               export_indexes=(["area_id"], ["household_id"], ["status"])),
    RecordType("person", PersonForm, Person, "persons",
               # #15: set at the desk when the person no longer pays (moved away, died,
               # joined compulsory SI): the phone stops reminding them.
               server={"ended": {"reason": Server("ended_reason"), "on": Date("ended_on")}},
               export_indexes=(["household_id"], ["area_id"], ["personal_id"])),
    RecordType("visit", VisitForm, Visit, "visits",
               columns={"location": Location()},
               server={"review": {"status": Server("review_status", default="pending"),
                                  "note": Server("review_note"),
                                  "by": Username("reviewed_by_id", "reviewed_by"),
                                  "at": Time("reviewed_at")}},
               # An edit awaits review anew: the whole review goes, not just its status.
               on_write={"review_status": "pending", "review_note": None, "reviewed_by_id": None,
                         "reviewed_at": None},
               export_owner="collector",
               export_indexes=(["household_id"], ["area_id"], ["visited_at"], ["collector"])),
    RecordType("enrollment", EnrollmentForm, Enrollment, "enrollments",
               facts=("monthly_amount", "monthly_support", "policy_set_id", "kind", "made_month"),
               # Server-owned, carried by the pull: the sign-up kind (new / renewed / resumed)
               # and the month the start window is judged from (syncserver/checks.py).
               server={"kind": Server("kind"), "made_month": Server("made_month")},
               export_owner="collector",
               export_order=("person_id", "visit_id", "scheme", "start_month", "period_months",
                             "monthly_income", "support_group", "member_order",
                             "monthly_amount", "monthly_support", "amount_due", "receipt_no",
                             "paid", "policy_set_id", "kind", "hhi_group", "made_month"),
               export_indexes=(["person_id"], ["area_id"], ["start_month"], ["collector"])),
    RecordType("outreach", OutreachForm, Outreach, "outreach",
               columns={"area": AreaCode()},
               export_owner="collector",
               export_indexes=(["area_id"], ["held_at"])),
    # #15: the money a collector took, and the server's tasks for the collectors of an area.
    RecordType("payment", PaymentForm, Payment, "payments",
               server={"remitted_on": Date("remitted_on")},
               facts=("organization_id",),
               export_owner="collector",
               export_indexes=(["enrollment_id"], ["area_id"], ["paid_on"], ["collector"])),
    RecordType("task", TaskForm, Task, "payer_tasks",
               export_indexes=(["household_id"], ["area_id"])),
)

#: {type: RecordType} in the protocol's order.
TYPES = {t.name: t for t in _DECLARED}
if tuple(TYPES) != P.RECORD_TYPES:
    raise LookupError("declare every record type of the protocol, in its order")
RECORD_MODELS = {name: t.model for name, t in TYPES.items()}
RECORD_FORMS = {name: t.form for name, t in TYPES.items()}
