"""The record forms: the ONE place where the fields of synced records and their rules live.

Each record type's declaration (types.py) names its form; the columns, the pull's shape and
the analyst export are derived from the form's fields. The forms render the PWA's forms (HTML
attributes carry required / maxlength / min / pattern to the browser) and validate every
pushed record (``validate_record``). Rules that need other records
(references, scope, premiums) are checked by the sync merge with the store; here are the rules
a single record can be judged on.
"""
import threading
from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import FormField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.utils import unset_value
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from ..forms.choices import CHOICES
from ..forms.fields import (
    AtMost,
    CheckboxField,
    DateWithin,
    IntField,
    IsoDateField,
    MonthField,
    NotBefore,
    OffsetDateTimeField,
    PhoneField,
    RefField,
    digits,
    no_bidi_controls,
)
from . import checker as _checker
from .lean import LeanForm

REQUIRED = _l("This field is required.")
BAD_CHOICE = _l("Not one of the allowed values.")


def required():
    return InputRequired(message=REQUIRED)


def text(label, max_len, req=False, area=False, plain=False, **kw):
    """A text field; ``plain``: a name or an address, which may not hold bidirectional
    override characters (they could show it reversed on a list or a printed form)."""
    validators = [required()] if req else [Optional()]
    validators.append(Length(max=max_len, message=_l("At most %(max)d characters.")))
    if plain:
        rule = no_bidi_controls()
        validators.append(rule)
        kw["render_kw"] = {**kw.get("render_kw", {}), "pattern": rule.source}
    cls = TextAreaField if area else StringField
    return cls(label, validators, **kw)


def digit_field(label, count, message):
    """Exactly ``count`` ASCII digits (personal ID, SI code); the browser gets the same
    pattern as its ``pattern`` attribute."""
    rule = digits(count, message)
    return StringField(label, [Optional(), rule], render_kw={
        "inputmode": "numeric", "pattern": rule.source, "maxlength": count})


class ChoiceField(SelectField):
    """A select whose error is ours (translated) and which renders an empty first option."""

    def __init__(self, label, field, req=False, conditional=False, **kwargs):
        # A conditionally required field has no Optional(): Optional would stop the chain
        # before the form's validate_<field> method could require it.
        validators = [required()] if req else ([] if conditional else [Optional()])
        super().__init__(label, validators, choices=[("", "—")] + list(CHOICES[field]),
                         validate_choice=False, **kwargs)
        self._allowed = {v for v, _ in CHOICES[field]}

    def pre_validate(self, form):
        if self.data in (None, ""):
            self.data = None
        elif self.data not in self._allowed:
            raise ValidationError(BAD_CHOICE)


class MultiChoiceField(SelectMultipleField):
    def __init__(self, label, field, **kwargs):
        super().__init__(label, [Optional()], choices=list(CHOICES[field]),
                         validate_choice=False, **kwargs)
        self._allowed = {v for v, _ in CHOICES[field]}

    def pre_validate(self, form):
        data = self.data or []
        if any(v not in self._allowed for v in data):
            raise ValidationError(BAD_CHOICE)
        self.data = sorted(set(data), key=data.index)


class LocationForm(LeanForm):
    #: (field, lowest, highest): read by form_rules() and sent to the phone (formmeta).
    RANGES = (("lat", -90, 90), ("lon", -180, 180), ("accuracy_m", 0, 100000))

    lat = StringField(_l("Latitude"), [Optional()])
    lon = StringField(_l("Longitude"), [Optional()])
    accuracy_m = StringField(_l("Accuracy (m)"), [Optional()])

    def form_rules(self, ok):
        """Each coordinate a number in its range, latitude and longitude together; sets
        ``point`` ({lat, lon, accuracy_m} as floats, or None) when the location is valid."""
        self.point = None
        values = {}
        for name, low, high in self.RANGES:
            field = self[name]
            if field.data in (None, ""):
                values[name] = None
                continue
            try:
                number = float(field.data)
            except (TypeError, ValueError):
                number = None
            if number is None or number != number or not (low <= number <= high):
                message = _l("Must be a number from %(a)s to %(b)s.", a=low, b=high)
                field.errors = [*field.errors, message]
                ok = False
            values[name] = number
        if ok and (values["lat"] is None) != (values["lon"] is None):
            self.lat.errors = list(self.lat.errors) + [_l("Latitude and longitude go together.")]
            ok = False
        if ok and values["lat"] is not None:
            self.point = values
        return ok


class ReusedFormField(FormField):
    """A FormField that keeps its sub-form between ``process`` calls.

    WTForms builds a new sub-form (binding each of its fields) on every ``process``; with
    the forms reused per thread (``_form_for``) that was a third of a visit's validation.
    The sub-form's own ``process`` resets its fields' data and errors just as well.
    """

    def process(self, formdata, data=unset_value, extra_filters=None):
        form = self.__dict__.get("form")  # FormField.__getattr__ would ask the sub-form
        if form is None or data is not unset_value or extra_filters:
            return super().process(formdata, data, extra_filters)
        self.object_data = None
        form.process(formdata)
        return None


class HouseholdForm(LeanForm):
    area = text(_l("Village"), 32, req=True)
    address = text(_l("Address"), 300, req=True, plain=True)
    head_name = text(_l("Head of household"), 200, req=True, plain=True,
                     render_kw={"autocomplete": "off"})
    phone = PhoneField(_l("Phone"), [Optional()])
    note = text(_l("Note"), 1000, area=True)


class PersonForm(LeanForm):
    household = RefField(_l("Household"), [required()])
    full_name = text(_l("Full name"), 200, req=True, plain=True, render_kw={"autocomplete": "off"})
    birth_date = IsoDateField(_l("Date of birth"), [required(), DateWithin(
        date(1900, 1, 1), "today", _l("Enter a real date of birth."))])
    sex = ChoiceField(_l("Sex"), "sex", req=True)
    personal_id = digit_field(_l("Personal ID (CCCD)"), 12,
                              _l("A personal ID has exactly 12 digits."))
    si_code = digit_field(_l("Social-insurance code"), 10,
                          _l("A social-insurance code has exactly 10 digits."))
    phone = PhoneField(_l("Phone"), [Optional()])
    relation = ChoiceField(_l("Relation to the head"), "relation")
    coverage = ChoiceField(_l("Current coverage"), "coverage")


class VisitForm(LeanForm):
    household = RefField(_l("Household"), [required()])
    visited_at = OffsetDateTimeField(_l("Visited at"), [required()])
    outcome = ChoiceField(_l("Outcome"), "outcome", req=True)
    topics = MultiChoiceField(_l("Topics"), "topics")
    #: Required when the outcome is "interested" (validate_follow_up_on); no Optional() here,
    #: which would skip that method for an empty value.
    follow_up_on = IsoDateField(_l("Follow-up date"), [NotBefore(
        "visited_at", _l("The follow-up date cannot be before the visit."))])
    referral = RefField(_l("Referral"), [Optional()])
    note = text(_l("Note"), 1000, area=True)
    location = ReusedFormField(LocationForm)

    def validate_follow_up_on(self, field):
        if self.outcome.data == "interested" and not field.data:
            raise ValidationError(_l("Choose a follow-up date when the household is interested."))


class EnrollmentForm(LeanForm):
    person = RefField(_l("Participant"), [required()])
    scheme = ChoiceField(_l("Scheme"), "scheme", req=True)
    start_month = MonthField(_l("Start month"), [required()])
    period_months = IntField(_l("Payment period"), [required()], minimum=1, maximum=120)
    amount_due = IntField(_l("Amount due"), [required()], minimum=0, maximum=10**12)
    visit = RefField(_l("Visit"), [Optional()])
    # The scheme's fields carry no Optional(): validate_<field> requires them per scheme.
    monthly_income = IntField(_l("Chosen monthly income"), minimum=0,
                              maximum=10**12)
    support_group = ChoiceField(_l("Support group"), "support_group", conditional=True)
    member_order = IntField(_l("Place in the household"), minimum=1, maximum=5)
    hhi_group = ChoiceField(_l("Health insurance support group"), "hhi_group")
    receipt_no = text(_l("Receipt number"), 40)
    paid = CheckboxField(_l("Paid"))

    def validate_monthly_income(self, field):
        if self.scheme.data == "vsi" and field.data is None:
            raise ValidationError(REQUIRED)

    def validate_support_group(self, field):
        if self.scheme.data == "vsi" and not field.data:
            raise ValidationError(REQUIRED)

    def validate_member_order(self, field):
        if self.scheme.data == "hhi" and field.data is None:
            raise ValidationError(REQUIRED)


class ReferralForm(LeanForm):
    area = text(_l("Village"), 32, req=True)
    contact_name = text(_l("Name of the person referred"), 200, req=True, plain=True)
    reason = ChoiceField(_l("Reason"), "reason", req=True)
    household = RefField(_l("Household"), [Optional()])
    contact_phone = PhoneField(_l("Phone"), [Optional()])
    address = text(_l("Address"), 300, plain=True)
    note = text(_l("Note"), 1000, area=True)
    # A collector closes the referral by pushing it with a reason (docs/protocol.md).
    close_reason = ChoiceField(_l("Reason for closing"), "close_reason")


class OutreachForm(LeanForm):
    area = text(_l("Area"), 32, req=True)
    kind = ChoiceField(_l("Kind of session"), "kind", req=True)
    held_at = OffsetDateTimeField(_l("Held at"), [required()])
    attendees = IntField(_l("Attendees"), [required()], minimum=1, maximum=100000)
    leads = IntField(_l("Interested"), [Optional(), AtMost(
        "attendees", _l("Cannot be more than the attendees."))], minimum=0, maximum=100000)
    note = text(_l("Note"), 1000, area=True)


class PaymentForm(LeanForm):
    """Money taken for an enrollment (#15): the receipt's rules that need other records
    (unique within the organization, the amount due) are syncserver/checks.py's."""

    enrollment = RefField(_l("Sign-up"), [required()])
    amount = IntField(_l("Amount paid"), [required()], minimum=1, maximum=10**12)
    paid_on = IsoDateField(_l("Paid on"), [required()])
    receipt_no = text(_l("Receipt number"), 40, req=True, plain=True)
    method = ChoiceField(_l("Paid by"), "method", req=True)


class TaskForm(LeanForm):
    """A task the server makes for the collectors of an area (#15); they push only ``done``."""

    kind = ChoiceField(_l("Task"), "task_kind", req=True)
    household = RefField(_l("Household"), [required()])
    person = RefField(_l("Participant"), [Optional()])
    due_on = IsoDateField(_l("Due on"))
    amount = IntField(_l("Amount"), [Optional()], minimum=0, maximum=10**12)
    note = text(_l("Note"), 1000, area=True)
    done = CheckboxField(_l("Done"))


def to_formdata(data):
    """Flatten a record's JSON ``data`` into the form data a form reads.

    Lists become repeated keys, the location object ``location-lat`` etc., booleans 'y' or
    nothing, numbers their digits. Anything of the wrong JSON shape is passed as its repr
    so the field refuses it (a dict where a string belongs never slips through as valid).
    """
    items = _FormData()
    for key, value in data.items():
        if isinstance(value, dict) and key == "location":
            items.update(location_items(key, value))
            continue
        values = form_values(key, value)
        if values is not None:
            items[key] = values
    return items


def form_values(key, value):
    """The form data values of one JSON key of a record other than the location object
    (None: the key is absent from the form data). Read by ``to_formdata`` and the checker.
    """
    if isinstance(value, str):  # most values: checked first
        return [value]
    if value is None:
        return None
    if isinstance(value, bool):
        if value:
            return ["y"]
        return None if key in ("paid", "done") else ["false"]
    if isinstance(value, list):
        if key == "topics":
            return [v if isinstance(v, str) else repr(v) for v in value]
        return [repr(value)]
    if isinstance(value, dict):
        return [repr(value)]
    return [str(value)]


def location_items(key, value):
    """The form data of the location object ``value``: {"location-lat": [text], ...}."""
    items = {}
    for sub, subval in value.items():
        if subval is not None and sub in ("lat", "lon", "accuracy_m"):
            items[f"{key}-{sub}"] = location_values(sub, subval)
    return items


def location_values(_sub, value):
    """The form data values of one coordinate of the location object (None: absent): its
    digits when it is a JSON number, else "x", which the number check refuses."""
    if value is None:
        return None
    ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    return [str(value) if ok else "x"]


class _FormData(dict):
    """{key: [values]} with the one method WTForms reads form data through (``getlist``).

    A werkzeug MultiDict does the same with more work per key; a push builds one per record.
    """

    __slots__ = ()

    def getlist(self, key):
        return self.get(key, [])


_local = threading.local()


def _form_for(record_type):
    """A form instance per type and thread, re-processed for each record.

    Building a WTForms form binds every field anew (about 0.3 ms); a push of 500 records
    would spend most of its time there. ``process`` resets every field's data and errors,
    so reuse is safe within one thread.
    """
    forms = getattr(_local, "forms", None)
    if forms is None:
        forms = _local.forms = {}
    form = forms.get(record_type)
    if form is None:
        from .types import RECORD_FORMS  # types.py imports this module

        form = forms[record_type] = RECORD_FORMS[record_type]()
    return form


WRONG_LIST = _l("Must be a list.")
WRONG_BOOL = _l("Must be true or false.")
WRONG_OBJECT = _l("Must be an object with lat, lon and accuracy_m.")
WRONG_TEXT = _l("Must be text.")


def _shape_errors(form, data):
    """JSON-type errors, read off the form's field classes (a list where a list belongs...).

    Form data is text, so without this a string "vsi" would pass for the list ["vsi"] and
    "yes" for a boolean; the protocol says what JSON type each field has.
    """
    errors = {}
    for name, wanted, message in _shape_plan(form):
        value = data.get(name)
        if value is not None and not isinstance(value, wanted):
            errors[name] = [str(message)]
    return errors


_SHAPE_PLANS = {}


def _shape_plan(form):
    """(field name, JSON type wanted, message) per field of the form's class, built once."""
    plan = _SHAPE_PLANS.get(type(form))
    if plan is None:
        plan = []
        for name, field in form._fields.items():
            if isinstance(field, SelectMultipleField):
                plan.append((name, list, WRONG_LIST))
            elif isinstance(field, CheckboxField):
                plan.append((name, bool, WRONG_BOOL))
            elif isinstance(field, FormField):
                plan.append((name, dict, WRONG_OBJECT))
            elif isinstance(field, IntField):
                continue  # digits as text are tolerated; the field itself refuses 1.5 and true
            else:
                plan.append((name, str, WRONG_TEXT))
        plan = _SHAPE_PLANS[type(form)] = tuple(plan)
    return plan


def _checker_for(record_type):
    """The compiled checker of the thread's form of ``record_type`` (None: none compiles)."""
    checkers = getattr(_local, "checkers", None)
    if checkers is None:
        checkers = _local.checkers = {}
    if record_type not in checkers:
        form = _form_for(record_type)
        wanted = {name: kind for name, kind, _message in _shape_plan(form)}
        checkers[record_type] = _checker.compile_checker(form, wanted, form_values,
                                                         location_values)
    return checkers[record_type]


def validate_record(record_type, data):
    """Judge one record's ``data`` alone: ({field: value} cleaned, {field: [messages]}).

    Cleaned values are Python types: dates, aware datetimes, ints, lists; ``location`` is a
    dict or None. Unknown keys are ignored.

    The form's compiled checker (checker.py) accepts a valid record without the form's
    bookkeeping; any record it does not accept is judged by the form, which words the
    errors.
    """
    if _checker.ENABLED:
        checker = _checker_for(record_type)
        if checker is not None:
            cleaned = checker(data)
            if cleaned is not None:
                return cleaned, {}
    return validate_with_form(record_type, data)


def validate_with_form(record_type, data):
    """``validate_record`` by the form alone: the reference the checker must agree with."""
    form = _form_for(record_type)
    shape_errors = _shape_errors(form, data)
    if shape_errors:
        return None, shape_errors
    form.process(formdata=to_formdata(data))
    if not form.validate():
        errors = {}
        for name, messages in form.errors.items():
            if isinstance(messages, dict):  # the location sub-form
                flat = [str(m) for sub in messages.values() for m in sub]
                errors[name] = flat
            else:
                errors[name] = [str(m) for m in messages]
        return None, errors
    cleaned = {}
    for name, field in form._fields.items():
        if name == "location":
            cleaned[name] = field.form.point
        else:
            value = field.data
            cleaned[name] = None if value == "" else value
    return cleaned, {}
