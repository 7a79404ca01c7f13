"""How the record forms reach the browser: each field's kind and its messages as data- attributes.

The rules themselves stay in fieldapp/records/forms.py. HTML carries what it can express
(required, maxlength, min, max, pattern) and these attributes carry the messages the server
would give, in the page's language, so the phone explains a problem in the same words before
the record ever leaves it.
"""
from flask_babel import gettext as _
from wtforms.validators import InputRequired, Length, Regexp

from ..forms.fields import (
    PHONE_CHARS_RE,
    PHONE_RE,
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
)
from ..records.forms import LocationForm, MultiChoiceField

#: Fields required only when another field has a value: {type: {field: (other, value, msgid)}}.
#: The forms' validate_* methods are the rule; tests/unit/test_app_form_conditions.py checks
#: that this table says the same, so the phone cannot drift from the server.
#: The message is the form's own msgid for that case.
REQUIRED_WHEN = {
    "visit": {"follow_up_on": ("outcome", "interested",
                               "Choose a follow-up date when the household is interested.")},
    "enrollment": {"monthly_income": ("scheme", "vsi", "This field is required."),
                   "support_group": ("scheme", "vsi", "This field is required."),
                   "member_order": ("scheme", "hhi", "This field is required.")},
}


def field_kind(field):
    """How the browser turns the input into the record's JSON value."""
    for cls, kind in ((IntField, "int"), (CheckboxField, "bool"), (MultiChoiceField, "list"),
                      (RefField, "ref"), (OffsetDateTimeField, "datetime"),
                      (IsoDateField, "date"), (MonthField, "month")):
        if isinstance(field, cls):
            return kind
    return "text"


def field_attrs(record_type, field):
    """data- attributes for one field: kind, every rule the server judges this one field by
    (static/js/rules.js reads them and checks a record before Save), and their messages."""
    attrs = {"data-kind": field_kind(field)}
    for v in field.validators:
        if isinstance(v, InputRequired):
            attrs["data-required"] = "1"
            attrs["data-msg-required"] = str(v.message or _("This field is required."))
        elif isinstance(v, Length) and v.max and v.max > 0:
            attrs["data-max-len"] = str(v.max)
            attrs["data-msg-long"] = _("At most %(max)d characters.", max=v.max)
        elif isinstance(v, Regexp) and v.message:
            attrs["data-pattern"] = getattr(v, "source", v.regex.pattern)
            attrs["data-msg-pattern"] = str(v.message)
        elif isinstance(v, DateWithin):
            attrs["data-min-date"] = v.earliest.isoformat()
            attrs["data-max-date"] = v.latest if v.latest == "today" else v.latest.isoformat()
            attrs["data-msg-range"] = str(v.message)
        elif isinstance(v, NotBefore):
            attrs["data-not-before"] = v.other
            attrs["data-msg-not-before"] = str(v.message)
        elif isinstance(v, AtMost):
            attrs["data-at-most"] = v.other
            attrs["data-msg-at-most"] = str(v.message)
    if isinstance(field, PhoneField):
        attrs["data-phone"] = PHONE_RE.pattern
        attrs["data-phone-strip"] = PHONE_CHARS_RE.pattern
        attrs["data-msg-pattern"] = str(field.MESSAGE)
    if isinstance(field, IntField):
        attrs["data-min"] = "" if field.minimum is None else str(field.minimum)
        attrs["data-max"] = "" if field.maximum is None else str(field.maximum)
        attrs["data-msg-bad"] = _("Enter a whole number.")
        if field.minimum is not None:
            attrs["data-msg-min"] = _("Must be at least %(n)s.", n=field.minimum)
        if field.maximum is not None:
            attrs["data-msg-max"] = _("Must be at most %(n)s.", n=field.maximum)
    elif isinstance(field, IsoDateField):
        attrs["data-msg-bad"] = _("Enter a date as YYYY-MM-DD.")
    elif isinstance(field, MonthField):
        attrs["data-msg-bad"] = _("Enter a month as YYYY-MM.")
        attrs["data-years"] = "{}-{}".format(*field.YEARS)
    elif isinstance(field, OffsetDateTimeField):
        attrs["data-msg-bad"] = _("Enter a date and time with its offset, e.g. 2026-11-25T09:30:00+07:00.")
    when = REQUIRED_WHEN.get(record_type, {}).get(field.name)
    if when:
        other, value, msgid = when
        attrs["data-required-when"] = f"{other}={value}"
        attrs["data-msg-required"] = _(msgid)
    return attrs


def location_attrs():
    """The location box's rules: each coordinate's range and its message (LocationForm)."""
    ranges = " ".join(f"{n}:{a}:{b}" for n, a, b in LocationForm.RANGES)
    return {"data-kind": "location", "data-ranges": ranges,
            "data-msg-range": _("Must be a number from %(a)s to %(b)s."),
            "data-msg-pair": _("Latitude and longitude go together.")}


def render(field, **kwargs):
    """The field's HTML; fields the API alone uses (no widget) render as a plain <input>."""
    if field.widget is not None:
        return field(**kwargs)
    from markupsafe import Markup
    from wtforms.widgets import html_params

    attrs = {"name": field.name, "type": "text"}
    attrs.update(field.render_kw or {})
    attrs.update(kwargs)
    if field.flags.required:
        attrs["required"] = True
    return Markup(f"<input {html_params(**attrs)}>")
