"""LeanForm: the record forms' own rules, run without WTForms' per-call bookkeeping.

Why: a push of 500 records processes and validates about 6,000 fields, and the profile of a
push showed WTForms' generic driver costing more than the rules themselves: per field and
per call it calls the default to learn it is not callable (a caught ``TypeError``), looks up
``filter_<name>`` and ``validate_<name>`` by name, checks the validators' types, chains
iterators, and raises a ``StopValidation`` for every empty optional field.

A LeanForm class is declared exactly like a Form and its fields, validators and
``validate_<field>`` methods stay the rules (they render the PWA's forms too). Only the
driver loop changes: it is planned once per class, calls every field's own
``process_formdata`` / ``pre_validate`` and every validator it cannot decide cheaply, and
decides the common validators' passing case inline (``Optional`` on a filled field,
``InputRequired`` on a given value, ``Length`` and ``Regexp`` that hold). A failing
``InputRequired`` / ``Length`` / ``Regexp`` is still called, so its message is its own.
A class using anything the plan does not know (a filter, a default other than None, a
``process_data`` that does more than store None) keeps the stock driver.
``tests/unit/test_forms_lean.py`` runs both drivers on the fixtures and on generated records and
requires the same data and the same errors.
"""
import re

from wtforms import Field, Form, FormField, SelectField, SelectMultipleField
from wtforms.utils import unset_value
from wtforms.validators import InputRequired, Length, Optional, Regexp, StopValidation, ValidationError

#: Off: every LeanForm uses WTForms' own driver (the equivalence tests compare the two).
ENABLED = True

_OPTIONAL, _REQUIRED, _LENGTH, _REGEXP, _CALL = range(5)
_KINDS = {Optional: _OPTIONAL, InputRequired: _REQUIRED, Length: _LENGTH, Regexp: _REGEXP}
#: process_data implementations that, given None, only set ``data`` to None.
_NONE_TO_NONE = {Field.process_data, SelectField.process_data, SelectMultipleField.process_data}
_PLANS = {}


class _FieldPlan:
    __slots__ = ("name", "sub_form", "data_none", "post_validate", "post_process", "chain")

    def __init__(self, form, name, field):
        cls = type(field)
        self.name = name
        self.sub_form = isinstance(field, FormField)
        if self.sub_form:  # processed and validated by its own (Lean)Form
            self.data_none = self.post_validate = self.post_process = False
            self.chain = ()
            return
        self.data_none = cls.process_data in _NONE_TO_NONE
        self.post_validate = cls.post_validate is not Field.post_validate
        self.post_process = (getattr(field, "_datalist", None) is not None
                             or getattr(field, "_choices_callable", None) is not None)
        inline = getattr(type(form), f"validate_{name}", None)
        validators = list(field.validators) + ([inline] if inline is not None else [])
        self.chain = tuple((_KINDS.get(type(v), _CALL), v) for v in validators)


def _plan(form):
    """The field plans of ``form``'s class, or None when it needs the stock driver."""
    cls = type(form)
    plan = _PLANS.get(cls)
    if plan is None:
        plan = []
        for name, field in form._fields.items():
            if isinstance(field, FormField):
                pass
            elif field.default is not None or field.filters or hasattr(cls, f"filter_{name}"):
                plan = False
                break
            plan.append(_FieldPlan(form, name, field))
        plan = _PLANS[cls] = tuple(plan) if plan is not False else False
    return plan or None


class LeanForm(Form):
    """A Form whose ``process(formdata)`` and ``validate()`` run a per-class plan."""

    def process(self, formdata=None, obj=None, data=None, extra_filters=None, **kwargs):
        stock = (not ENABLED or formdata is None or obj is not None or data is not None
                 or extra_filters or kwargs)
        plan = None if stock else _plan(self)
        if plan is None:
            return super().process(formdata, obj, data, extra_filters, **kwargs)
        formdata = self.meta.wrap_formdata(self, formdata)
        fields = self._fields
        for fp in plan:
            field = fields[fp.name]
            if fp.sub_form:
                field.process(formdata, unset_value, extra_filters=[])
                continue
            field.process_errors = []
            field.object_data = None
            if fp.data_none:
                field.data = None
            else:
                try:
                    field.process_data(None)
                except ValueError as exc:
                    field.process_errors.append(exc.args[0])
            raw = field.raw_data = formdata.getlist(field.name) if field.name in formdata else []
            try:
                field.process_formdata(raw)
            except ValueError as exc:
                field.process_errors.append(exc.args[0])
        if self._parent_form is None:
            for fp in plan:
                if fp.post_process or fp.sub_form:
                    fields[fp.name].post_process(formdata)
        return None

    def validate(self, extra_validators=None):
        return self.form_rules(self._validate_fields(extra_validators))

    def form_rules(self, ok):
        """The rules over several fields of the form, judged once each field has been
        validated (``ok``: whether every field passed): the form's verdict. None here; a
        form overrides this rather than ``validate`` so the push's compiled checker
        (checker.py) runs the same method."""
        return ok

    def _validate_fields(self, extra_validators):
        plan = _plan(self) if ENABLED else None
        if plan is None or extra_validators:
            return super().validate(extra_validators)
        ok = True
        fields = self._fields
        for fp in plan:
            field = fields[fp.name]
            if fp.sub_form:
                # FormField.validate takes no extra validators; the class plan has none.
                if not field.validate(self, ()):
                    ok = False
                continue
            if not _validate_field(self, field, fp):
                ok = False
        return ok


def _validate_field(form, field, fp):
    """Field.validate with the plan's chain: the same errors, fewer exceptions."""
    field.errors = list(field.process_errors)
    stopped = False
    try:
        field.pre_validate(form)
    except StopValidation as exc:
        if exc.args and exc.args[0]:
            field.errors.append(exc.args[0])
        stopped = True
    except ValidationError as exc:
        field.errors.append(exc.args[0])
    if not stopped:
        for kind, validator in fp.chain:
            if kind == _OPTIONAL:
                raw = field.raw_data
                if not raw or isinstance(raw[0], str) and not validator.string_check(raw[0]):
                    field.errors[:] = []
                    stopped = True
                    break
                continue
            if kind == _REQUIRED:
                raw = field.raw_data
                if raw and raw[0]:
                    continue
            elif kind == _LENGTH:
                value = field.data
                length = value and len(value) or 0
                if length >= validator.min and (validator.max == -1 or length <= validator.max):
                    continue
            elif kind == _REGEXP:
                value = field.data or ""
                if (validator.regex.match(value) if validator.matcher is re.match
                        else validator.matcher(validator.regex, value)):
                    continue
            try:
                validator(form, field)
            except StopValidation as exc:
                if exc.args and exc.args[0]:
                    field.errors.append(exc.args[0])
                stopped = True
                break
            except ValidationError as exc:
                field.errors.append(exc.args[0])
    if fp.post_validate:
        try:
            field.post_validate(form, stopped)
        except ValidationError as exc:
            field.errors.append(exc.args[0])
    return not field.errors
