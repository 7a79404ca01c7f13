"""Checker: a record form's declarations compiled once into a fast check of a valid record.

Why: validating a pushed record with its form (even with LeanForm's driver) flattened the
record into form data, reset and bound every field's data, raw data, process errors and
errors, and stopped every empty optional field with an exception: about 45 µs per record of
a push whose whole cost is a few hundred, for records that are nearly all valid.

What it does: for each field of the form, in the form's order, the checker reads the
record's JSON value and runs the form's OWN rules on the form's own bound fields, as
WTForms' ``Form.process`` then ``Form.validate`` would: the same form data values
(``values_of``, the function ``to_formdata`` uses), each field's own ``process_formdata``
(inlined only where it is StringField's ``data = raw[0]``) and ``pre_validate``, then the
field's validator chain with ``Optional`` / ``InputRequired`` / ``Length`` decided inline
(their passing case, from their own parameters) and every other validator and
``validate_<field>`` method called as the form calls it. Cross-field rules read the other
fields' data exactly as they would mid-``validate``: every field processed, the fields
before it validated. A sub-form (the visit's location) is processed and validated by the
real sub-form.

What it does not do: word an error. The first sign that the record is not valid (a wrong
JSON type, a processing error, a failing rule, anything unusual) makes the checker answer
None, and ``validate_record`` judges that record with the form itself, so every message of a
refused record is the form's own, byte for byte. The checker only has to agree with the
form on the records it accepts; ``tests/unit/test_records_checker.py`` compares the two on
generated and realistic records, valid and not.

A form using anything the compiler does not know (a filter, a default, a ``post_validate``
or ``post_process``, its own ``validate``) gets no checker: ``compile_checker`` returns
None and the form judges every record, as before.
"""
from wtforms import Field, FormField, StringField
from wtforms.validators import InputRequired, Length, Optional, StopValidation, ValidationError

from .lean import _NONE_TO_NONE, LeanForm

#: Off: ``validate_record`` judges every record with its form (the tests compare the two).
ENABLED = True

_OPTIONAL, _REQUIRED, _LENGTH, _CALL = range(4)
_KINDS = {Optional: _OPTIONAL, InputRequired: _REQUIRED, Length: _LENGTH}
_PROBLEM = (ValueError, ValidationError, StopValidation)


class _Step:
    """One field of the form, as the checker runs it."""

    __slots__ = ("name", "field", "wanted", "string", "pre", "chain", "sub")

    def __init__(self, form, name, field, wanted, values_of):
        cls = type(field)
        self.name, self.field, self.wanted = name, field, wanted
        #: A sub-form's own checker (the location object), run on the record's value.
        self.sub = (Checker.compile(field.form, {}, values_of, values_of, plain_strings=False)
                    if isinstance(field, FormField) else None)
        #: StringField's process_formdata (``data = raw[0]`` when given), inlined.
        self.string = cls.process_formdata is StringField.process_formdata
        self.pre = cls.pre_validate is not Field.pre_validate
        inline = getattr(type(form), f"validate_{name}", None)
        validators = list(field.validators) + ([inline] if inline else [])
        self.chain = tuple((_KINDS.get(type(v), _CALL), v) for v in validators)


def _compilable(form):
    """True when every part of ``form`` is one the checker runs as WTForms would."""
    cls = type(form)
    if cls.validate is not LeanForm.validate or cls.process is not LeanForm.process:
        return False
    for name, field in form._fields.items():
        if isinstance(field, FormField):
            if field.validators or hasattr(cls, f"validate_{name}") \
                    or type(field).validate is not FormField.validate \
                    or not _compilable(field.form):
                return False
            continue
        ftype = type(field)
        if (field.default is not None or field.filters or hasattr(cls, f"filter_{name}")
                or ftype.process_data not in _NONE_TO_NONE
                or ftype.post_validate is not Field.post_validate
                or getattr(field, "_datalist", None) is not None
                or getattr(field, "_choices_callable", None) is not None):
            return False
    return True


def compile_checker(form, wanted_types, values_of, sub_values_of):
    """A ``Checker`` for the bound ``form`` (a record form instance the caller keeps), or
    None when the form needs its own driver.

    As ``to_formdata`` flattens a record: ``wanted_types``: {field name: JSON type its value
    must have}; ``values_of(name, value)``: the form data values of one JSON key (None:
    absent); ``sub_values_of(name, value)``: the same for a key of a sub-form's object."""
    return Checker.compile(form, wanted_types, values_of, sub_values_of)


class Checker:
    """``checker(data)``: the cleaned values of a valid record, or None (ask the form)."""

    __slots__ = ("form", "steps", "values_of", "plain_strings", "sub_keys", "rules")

    @classmethod
    def compile(cls, form, wanted_types, values_of, sub_values_of, plain_strings=True):
        """``plain_strings``: ``values_of`` gives a string value as itself (``[value]``),
        so the checker need not ask it (the location object's values are not so)."""
        if not _compilable(form):
            return None
        steps = tuple(_Step(form, name, field, wanted_types.get(name), sub_values_of)
                      for name, field in form._fields.items())
        return cls(form, steps, values_of, plain_strings)

    def __init__(self, form, steps, values_of, plain_strings):
        self.form, self.steps, self.values_of = form, steps, values_of
        self.plain_strings = plain_strings
        #: The form data keys a sub-form reads ("location-lat"): a record giving such a key
        #: itself (``to_formdata`` would pass it on) is left to the form.
        self.sub_keys = frozenset(f.name for s in steps if s.sub for f in s.field.form)
        #: The form's rules over several fields, when it has any (LeanForm.form_rules).
        self.rules = type(form).form_rules is not LeanForm.form_rules

    def __call__(self, data):
        if not self.sub_keys.isdisjoint(data):
            return None
        values_of, plain_strings = self.values_of, self.plain_strings
        raws = []
        # Form.process: every field gets its form data before any is validated.
        for step in self.steps:
            value = data.get(step.name)
            if step.sub:
                if value is not None and not isinstance(value, dict) \
                        or step.sub(value or {}) is None:
                    return None
                raws.append(None)
                continue
            if value is not None and step.wanted is not None \
                    and not isinstance(value, step.wanted):
                return None
            plain = plain_strings and type(value) is str
            raw = [value] if plain else values_of(step.name, value) or []
            field = step.field
            field.raw_data = raw
            if step.string:
                field.data = raw[0] if raw else None
            else:
                field.data = None
                try:
                    field.process_formdata(raw)
                except ValueError:
                    raw = None  # a processing error: the field fails unless Optional clears it
            raws.append(raw)
        # Form.validate, field by field in the same order.
        form = self.form
        for step, raw in zip(self.steps, raws):
            if step.sub:
                continue
            field = step.field
            bad = raw is None
            if bad:
                raw = field.raw_data
            if step.pre:
                try:
                    field.pre_validate(form)
                except ValidationError:
                    bad = True  # an error Optional may still clear, as in Field.validate
                except (ValueError, StopValidation):
                    return None  # the chain is skipped, or the form would not go on
            for kind, validator in step.chain:
                if kind == _OPTIONAL:
                    if not raw or isinstance(raw[0], str) and not validator.string_check(raw[0]):
                        bad = False  # Optional clears the field's errors and stops
                        break
                elif kind == _REQUIRED:
                    if not (raw and raw[0]):
                        return None
                elif kind == _LENGTH:
                    value = field.data
                    length = value and len(value) or 0
                    if length < validator.min or validator.max != -1 and length > validator.max:
                        return None
                else:
                    try:
                        validator(form, field)
                    except _PROBLEM:
                        return None
            if bad:
                return None
        if self.rules and not form.form_rules(True):
            return None
        cleaned = {}
        for step in self.steps:
            if step.sub:
                cleaned[step.name] = step.sub.form.point
            else:
                value = step.field.data
                cleaned[step.name] = None if value == "" else value
        return cleaned
