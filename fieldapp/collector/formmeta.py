"""How the record forms reach the browser: each field's kind and its messages as data- attributes.

The rules themselves stay in fieldapp/records/forms.py. HTML carries what it can express
(required, maxlength, min, max, pattern) and these attributes carry the messages the server
would give, in the page's language, so the phone explains a problem in the same words before
the record ever leaves it.
"""
from flask_babel import gettext as _
from wtforms.validators import InputRequired, Length, Regexp

from ..forms.fields import CheckboxField, IntField, IsoDateField, MonthField, OffsetDateTimeField, RefField
from ..records.forms import MultiChoiceField

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
    """data- attributes for one field: kind, messages, and a conditional requirement."""
    attrs = {"data-kind": field_kind(field)}
    for v in field.validators:
        if isinstance(v, InputRequired):
            attrs["data-msg-required"] = str(v.message or _("This field is required."))
        elif isinstance(v, Length) and v.max and v.max > 0:
            attrs["data-msg-long"] = _("At most %(max)d characters.", max=v.max)
        elif isinstance(v, Regexp) and v.message:
            attrs["data-msg-pattern"] = str(v.message)
    if isinstance(field, IntField):
        attrs["data-msg-bad"] = _("Enter a whole number.")
        if field.minimum is not None:
            attrs["data-msg-min"] = _("Must be at least %(n)s.", n=field.minimum)
        if field.maximum is not None:
            attrs["data-msg-max"] = _("Must be at most %(n)s.", n=field.maximum)
    elif isinstance(field, IsoDateField):
        attrs["data-msg-bad"] = _("Enter a date as YYYY-MM-DD.")
    elif isinstance(field, MonthField):
        attrs["data-msg-bad"] = _("Enter a month as YYYY-MM.")
    when = REQUIRED_WHEN.get(record_type, {}).get(field.name)
    if when:
        other, value, msgid = when
        attrs["data-required-when"] = f"{other}={value}"
        attrs["data-msg-required"] = _(msgid)
    return attrs


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
