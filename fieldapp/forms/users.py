"""Forms of the user administration: create a user, change one, set a new password.

Areas are typed as codes ("31001, 31001-1"): an administrator copies them from the official
lists, and a province has too many villages for a checkbox list.
"""
import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp, ValidationError

from ..extensions import db
from ..models import ROLES, Area, User
from ..web.labels import ROLE_LABELS
from .auth import clean_text
from .fields import PhoneField

REQUIRED = _l("This field is required.")
BAD_CHOICE = _l("Not one of the allowed values.")
LENGTH = _l("Between %(min)d and %(max)d characters.")
CODE_SPLIT = re.compile(r"[\s,;]+")
#: The roles a supervisor may create and change (admin/people.py: whom they manage).
SUPERVISED = ("collector", "village_head")


def _strip_lower(value):
    return clean_text(value).lower() if isinstance(value, str) else value


class AreaCodesField(StringField):
    """Area codes separated by commas or spaces; ``data`` is the list of codes."""

    def process_formdata(self, valuelist):
        text = valuelist[0] if valuelist else ""
        self.data = [c for c in CODE_SPLIT.split(text or "") if c]

    def _value(self):
        return ", ".join(self.data or [])


def role_choices():
    return [(role, str(ROLE_LABELS[role])) for role in ROLES]


class _UserFields(FlaskForm):
    """Fields shared by create and edit. The view sets ``scope`` (the acting user's Scope)
    and ``organization.choices`` before validating."""

    full_name = StringField(_l("Full name"),
                            [DataRequired(REQUIRED),
                             Length(max=200, message=_l("At most %(max)d characters."))],
                            filters=[clean_text])
    phone = PhoneField(_l("Phone"), [Optional()])
    role = SelectField(_l("Role"), [InputRequired(REQUIRED)], choices=role_choices,
                       validate_choice=False)
    organization = SelectField(_l("Collection service organization"), choices=[("", "—")],
                               validate_choice=False)
    collection_point = SelectField(_l("Collection point"), choices=[("", "—")],
                                   validate_choice=False)
    areas = AreaCodesField(_l("Areas (codes)"),
                           description=_l("Codes separated by commas, e.g. 31001, 31001-1"),
                           render_kw={"autocapitalize": "none", "spellcheck": "false"})

    scope = None
    area_objects = ()

    def validate_areas(self, field):
        codes = list(dict.fromkeys(field.data or []))
        if len(codes) > 200:
            raise ValidationError(_l("At most 200 areas."))
        plausible = [c for c in codes if len(c) <= 32 and c.isprintable()]
        found = ({a.code: a for a in db.session.scalars(select(Area).where(Area.code.in_(plausible)))}
                 if plausible else {})
        unknown = [c for c in codes if c not in found]
        if unknown:
            raise ValidationError(_l("Unknown area code: %(codes)s", codes=", ".join(unknown[:5])))
        outside = [c for c in codes if self.scope is not None and not self.scope.sees_area(found[c].id)]
        if outside:
            raise ValidationError(_l("Outside your areas: %(codes)s", codes=", ".join(outside[:5])))
        if self.role.data != "admin" and not codes:
            raise ValidationError(_l("Give at least one area: this role works only in its areas."))
        if self.role.data == "village_head" and any(found[c].level != "village" for c in codes):
            raise ValidationError(_l("A village head is assigned villages only."))
        self.area_objects = [found[c] for c in codes]

    def validate_role(self, field):
        if field.data not in ROLES:
            raise ValidationError(BAD_CHOICE)
        # Supervisors manage the field staff of their subtree, never other desk users.
        if self.scope is not None and self.scope.role == "supervisor" and field.data not in SUPERVISED:
            raise ValidationError(_l("A supervisor adds and changes collectors and village heads only."))

    def validate_organization(self, field):
        if field.data and field.data not in {value for value, _label in field.choices}:
            raise ValidationError(BAD_CHOICE)

    def validate_collection_point(self, field):
        """The view sets ``point_orgs``: {point id (text): its organization id (text)}."""
        if not field.data:
            return
        if field.data not in self.point_orgs:
            raise ValidationError(BAD_CHOICE)
        if self.point_orgs[field.data] != self.organization.data:
            raise ValidationError(_l("This collection point belongs to another organization."))

    point_orgs = {}

    def organization_id(self):
        return int(self.organization.data) if self.organization.data else None

    def collection_point_id(self):
        return int(self.collection_point.data) if self.collection_point.data else None


class UserCreateForm(_UserFields):
    username = StringField(
        _l("Username"),
        [InputRequired(REQUIRED), Length(min=3, max=64, message=LENGTH),
         Regexp(r"^[a-z0-9][a-z0-9._-]*$",
                message=_l("Use lower-case letters without diacritics, digits, dot, dash or underscore."))],
        filters=[_strip_lower], render_kw={"autocapitalize": "none", "autocomplete": "off"})
    password = PasswordField(_l("Password"),
                             [InputRequired(REQUIRED), Length(min=8, max=200, message=LENGTH)],
                             render_kw={"autocomplete": "new-password"})

    def validate_username(self, field):
        taken = db.session.scalar(
            select(User.id).where(func.lower(User.username) == (field.data or "").lower()))
        if taken is not None:
            raise ValidationError(_l("This username is already taken."))


class UserEditForm(_UserFields):
    active = BooleanField(_l("Active (may sign in and sync)"))


class PasswordResetForm(FlaskForm):
    password = PasswordField(_l("New password"),
                             [InputRequired(REQUIRED), Length(min=8, max=200, message=LENGTH)],
                             render_kw={"autocomplete": "new-password"})
