"""Field types for synced records: each parses the protocol's JSON shape and renders HTML rules."""
import re
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from wtforms import Field, StringField
from wtforms.validators import Regexp, ValidationError

from sync.protocol import MONTH_RE, UUID_RE

#: The separators a phone number may be written with (docs/records.md §8): the ASCII space,
#: dots, dashes and parentheses. Not ``\s``: a newline, a tab or an ideographic space is not
#: a separator.
PHONE_CHARS_RE = re.compile(r"[ .\-()]")
#: National form after normalising: mobile 0 + 9 digits, landline 02 + 9 digits. ASCII digits
#: only (``\d`` is every script's digits), over the whole value (``fullmatch``).
PHONE_RE = re.compile(r"0(?:[35789][0-9]{8}|2[0-9]{9})")


def normalize_phone(raw):
    """'+84 912 345 678' -> '0912345678'; None if it cannot be a Vietnamese number."""
    text = PHONE_CHARS_RE.sub("", raw or "")
    if text.startswith("+84"):
        text = "0" + text[3:]
    elif text.startswith("84") and len(text) in (11, 12):
        text = "0" + text[2:]
    return text if PHONE_RE.fullmatch(text) else None


class WholeMatch(Regexp):
    """A value that ``source`` matches from its first character to its last.

    ``source`` is written once and used twice: here with ``re.fullmatch`` (so neither ``$``
    before a trailing newline nor a prefix match lets anything through) and in the browser as
    the input's HTML ``pattern`` attribute, which the browser also matches whole. It must be
    valid both as a Python and as a JavaScript (``v`` flag) regular expression: character
    classes of ASCII ranges and ``\\uXXXX`` escapes, never ``\\d`` (every script's digits in
    Python) or ``\\Z`` (unknown to JavaScript).
    """

    def __init__(self, source, message):
        super().__init__(source, message=message)
        self.source = source

    def __call__(self, form, field, message=None):
        if self.regex.fullmatch(field.data or "") is None:
            raise ValidationError(self.message)


def digits(count, message):
    """Exactly ``count`` ASCII digits: no spaces, no other script's digits, no newline."""
    return WholeMatch(f"[0-9]{{{count}}}", message)


#: The bidirectional embedding, override and isolate characters (U+202A–U+202E,
#: U+2066–U+2069): in a name or an address they can show text reversed or reordered
#: ("Trojan Source"), so a list or a printed form misleads its reader.
BIDI_CONTROLS = r"\u202A-\u202E\u2066-\u2069"


def no_bidi_controls():
    """Text without bidirectional override characters (names, addresses)."""
    return WholeMatch(f"[^{BIDI_CONTROLS}]*", _l(
        "Remove the invisible text-direction characters (U+202A to U+202E, U+2066 to U+2069)."))


class PhoneField(StringField):
    """A Vietnamese phone number, stored as national digits starting with 0.

    ``MESSAGE`` is read by the app's form metadata (collector/formmeta.py) with
    PHONE_CHARS_RE and PHONE_RE, so the phone refuses the same numbers in the same words."""

    MESSAGE = _l("Enter a Vietnamese phone number, e.g. 0912 345 678.")

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": "tel", "autocomplete": "tel", "maxlength": 20})
        super().__init__(label, validators, **kwargs)

    def pre_validate(self, form):
        if self.data:
            normal = normalize_phone(self.data)
            if normal is None:
                raise ValidationError(self.MESSAGE)
            self.data = normal
        else:
            self.data = None


class RefField(StringField):
    """The id of another record (a UUID; stored lowercase)."""

    def pre_validate(self, form):
        if self.data:
            if not UUID_RE.match(self.data):
                raise ValidationError(_l("Not a valid record id."))
            self.data = self.data.lower()
        else:
            self.data = None


class IsoDateField(StringField):
    """YYYY-MM-DD, exactly (strptime alone would accept 2026-1-5)."""

    DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", {"type": "date"})
        super().__init__(label, validators, **kwargs)

    def pre_validate(self, form):
        if not self.data:
            self.data = None
            return
        try:
            if not self.DATE_RE.fullmatch(self.data):
                raise ValueError
            self.data = date.fromisoformat(self.data)
        except ValueError:
            self.data = None
            raise ValidationError(_l("Enter a date as YYYY-MM-DD.")) from None


class MonthField(StringField):
    """YYYY-MM, kept as that string, of a year in ``YEARS`` (the app reads them too)."""

    YEARS = (2000, 2100)

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", {"type": "month"})
        super().__init__(label, validators, **kwargs)

    def pre_validate(self, form):
        if self.data and not MONTH_RE.match(self.data):
            raise ValidationError(_l("Enter a month as YYYY-MM."))
        if self.data:
            year = int(self.data[:4])
            if year < self.YEARS[0] or year > self.YEARS[1]:
                raise ValidationError(_l("Enter a month as YYYY-MM."))


class OffsetDateTimeField(StringField):
    """An ISO 8601 time with its UTC offset (a device's clock zone must be known)."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", {"type": "datetime-local"})
        super().__init__(label, validators, **kwargs)

    def pre_validate(self, form):
        if not self.data:
            self.data = None
            return
        try:
            value = datetime.fromisoformat(self.data)
        except ValueError:
            value = None
        if value is None or value.tzinfo is None or not (2000 <= value.year <= 2100):
            self.data = None
            raise ValidationError(
                _l("Enter a date and time with its offset, e.g. 2026-11-25T09:30:00+07:00."))
        self.data = value


class DateWithin:
    """A date from ``earliest`` to ``latest`` (a date, or "today": never in the future).

    A declared validator rather than a ``validate_<field>`` method so the app's form metadata
    can read its bounds and send them to the phone, which checks them before Save."""

    def __init__(self, earliest, latest, message):
        self.earliest, self.latest, self.message = earliest, latest, message

    def bounds(self):
        return self.earliest, (date.today() if self.latest == "today" else self.latest)

    def __call__(self, form, field):
        if field.data:
            low, high = self.bounds()
            if not (low <= field.data <= high):
                raise ValidationError(self.message)


class NotBefore:
    """A date not before the calendar day of another field's date or time (a follow-up is
    never before its visit); declared so the phone gets the rule by name."""

    def __init__(self, other, message):
        self.other, self.message = other, message

    def __call__(self, form, field):
        other = form[self.other].data
        day = other.date() if isinstance(other, datetime) else other
        if field.data and isinstance(day, date) and field.data < day:
            raise ValidationError(self.message)


class AtMost:
    """A number not above another field's number (the interested are among the attendees)."""

    def __init__(self, other, message):
        self.other, self.message = other, message

    def __call__(self, form, field):
        other = form[self.other].data
        if field.data is not None and other is not None and field.data > other:
            raise ValidationError(self.message)


class IntField(Field):
    """A whole number given as a JSON number or its digits; 1.5, true and '' are refused."""

    #: ASCII digits, the whole value: ``int()`` would read "١٢" or "１２" as 12.
    INT_RE = re.compile(r"-?[0-9]{1,15}")

    def __init__(self, label=None, validators=None, minimum=None, maximum=None, **kwargs):
        render = kwargs.setdefault("render_kw", {})
        render.setdefault("type", "number")
        render.setdefault("inputmode", "numeric")
        if minimum is not None:
            render.setdefault("min", minimum)
        if maximum is not None:
            render.setdefault("max", maximum)
        super().__init__(label, validators, **kwargs)
        self.minimum, self.maximum = minimum, maximum

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else str(self.data)

    def process_formdata(self, valuelist):
        self.data = None
        if valuelist and valuelist[0] not in ("", None):
            text = str(valuelist[0])
            if not self.INT_RE.fullmatch(text):
                raise ValueError(_l("Enter a whole number."))
            self.data = int(text)

    def pre_validate(self, form):
        if self.data is None:
            return
        if self.minimum is not None and self.data < self.minimum:
            raise ValidationError(_l("Must be at least %(n)s.", n=self.minimum))
        if self.maximum is not None and self.data > self.maximum:
            raise ValidationError(_l("Must be at most %(n)s.", n=self.maximum))


class CheckboxField(Field):
    """A JSON boolean (true/false); forms send 'y' when ticked."""

    def process_formdata(self, valuelist):
        self.data = bool(valuelist) and str(valuelist[0]).lower() in ("y", "true", "1", "on")
