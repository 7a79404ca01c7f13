"""Field types for synced records: each parses the protocol's JSON shape and renders HTML rules."""
import re
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from wtforms import Field, StringField
from wtforms.validators import ValidationError

from sync.protocol import MONTH_RE, UUID_RE

PHONE_CHARS_RE = re.compile(r"[\s.\-()]")
#: National form after normalising: mobile 0 + 9 digits, landline 02 + 9 digits.
PHONE_RE = re.compile(r"^0(?:[35789]\d{8}|2\d{9})$")


def normalize_phone(raw):
    """'+84 912 345 678' -> '0912345678'; None if it cannot be a Vietnamese number."""
    text = PHONE_CHARS_RE.sub("", raw or "")
    if text.startswith("+84"):
        text = "0" + text[3:]
    elif text.startswith("84") and len(text) in (11, 12):
        text = "0" + text[2:]
    return text if PHONE_RE.match(text) else None


class PhoneField(StringField):
    """A Vietnamese phone number, stored as national digits starting with 0."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": "tel", "autocomplete": "tel", "maxlength": 20})
        super().__init__(label, validators, **kwargs)

    def pre_validate(self, form):
        if self.data:
            normal = normalize_phone(self.data)
            if normal is None:
                raise ValidationError(_l("Enter a Vietnamese phone number, e.g. 0912 345 678."))
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

    DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", {"type": "date"})
        super().__init__(label, validators, **kwargs)

    def pre_validate(self, form):
        if not self.data:
            self.data = None
            return
        try:
            if not self.DATE_RE.match(self.data):
                raise ValueError
            self.data = date.fromisoformat(self.data)
        except ValueError:
            self.data = None
            raise ValidationError(_l("Enter a date as YYYY-MM-DD.")) from None


class MonthField(StringField):
    """YYYY-MM, kept as that string."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", {"type": "month"})
        super().__init__(label, validators, **kwargs)

    def pre_validate(self, form):
        if self.data and not MONTH_RE.match(self.data):
            raise ValidationError(_l("Enter a month as YYYY-MM."))
        if self.data:
            year = int(self.data[:4])
            if year < 2000 or year > 2100:
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


class IntField(Field):
    """A whole number given as a JSON number or its digits; 1.5, true and '' are refused."""

    INT_RE = re.compile(r"^-?\d{1,15}$")

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
            text = str(valuelist[0]).strip()
            if not self.INT_RE.match(text):
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
