"""Forms of the collection network: organizations, collection points, coordination agreements.

The view sets ``scope`` (the acting user's Scope) and the organization choices before
validating; an area typed as a code must lie in that scope and be of the right level.
"""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, DateField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp, ValidationError

from ..extensions import db
from ..models import Area, Organization
from ..models.areas import ORGANIZATION_KINDS
from .auth import clean_text

REQUIRED = _l("This field is required.")
BAD_CHOICE = _l("Not one of the allowed values.")

KIND_LABELS = {
    "post_office": _l("Post office"),
    "cooperative_union": _l("Cooperative union"),
    "commune_committee": _l("Commune People's Committee"),
    "insurer": _l("Insurer"),
    "other": _l("Other"),
}


def kind_choices():
    return [(k, str(KIND_LABELS[k])) for k in ORGANIZATION_KINDS]


class _Scoped(FlaskForm):
    scope = None

    def _area(self, field, levels):
        code = (field.data or "").strip()
        area = db.session.scalar(select(Area).where(Area.code == code)) if len(code) <= 32 else None
        if area is None:
            raise ValidationError(_l("Unknown area code: %(codes)s", codes=code))
        if self.scope is not None and not self.scope.sees_area(area.id):
            raise ValidationError(_l("Outside your areas: %(codes)s", codes=code))
        if area.level not in levels:
            raise ValidationError(_l("Give the code of a commune."))
        return area


class OrganizationForm(_Scoped):
    code = StringField(_l("Organization code"),
                       [InputRequired(REQUIRED), Length(min=1, max=32),
                        Regexp(r"^[A-Za-z0-9._-]+$",
                               message=_l("Letters without diacritics, digits, dot, dash."))],
                       filters=[clean_text])
    name = StringField(_l("Name"), [DataRequired(REQUIRED), Length(max=200)], filters=[clean_text])
    kind = SelectField(_l("Kind"), [InputRequired(REQUIRED)], choices=kind_choices, validate_choice=False)
    area = StringField(_l("Area where it is based (code)"), [InputRequired(REQUIRED)], filters=[clean_text])

    area_obj = None

    def validate_kind(self, field):
        if field.data not in ORGANIZATION_KINDS:
            raise ValidationError(BAD_CHOICE)

    def validate_area(self, field):
        self.area_obj = self._area(field, ("province", "district", "commune"))

    def validate_code(self, field):
        if db.session.scalar(select(Organization.id).where(Organization.code == field.data)):
            raise ValidationError(_l("An organization with this code already exists."))


class CollectionPointForm(_Scoped):
    organization = SelectField(_l("Collection service organization"), [InputRequired(REQUIRED)],
                               choices=[], validate_choice=False)
    commune = StringField(_l("Commune (code)"), [InputRequired(REQUIRED)], filters=[clean_text])
    code = StringField(_l("Collection point code"),
                       [InputRequired(REQUIRED),
                        Regexp(r"^(?!000)[0-9]{3}$", message=_l("Three digits from 001 to 999."))],
                       filters=[clean_text], render_kw={"inputmode": "numeric", "maxlength": 3})
    name = StringField(_l("Name"), [DataRequired(REQUIRED), Length(max=200)], filters=[clean_text])
    address = StringField(_l("Address"), [Optional(), Length(max=300)], filters=[clean_text])

    commune_obj = None

    def validate_organization(self, field):
        if field.data not in {v for v, _label in field.choices}:
            raise ValidationError(BAD_CHOICE)

    def validate_commune(self, field):
        self.commune_obj = self._area(field, ("commune",))


class AgreementForm(_Scoped):
    organization = SelectField(_l("Collection service organization"), [InputRequired(REQUIRED)],
                               choices=[], validate_choice=False)
    commune = StringField(_l("Commune (code)"), [InputRequired(REQUIRED)], filters=[clean_text])
    signed = BooleanField(_l("Signed"))
    signed_on = DateField(_l("Signed on"), [Optional()], format=["%Y-%m-%d", "%d/%m/%Y"])
    document_ref = StringField(_l("Document reference"), [Optional(), Length(max=100)], filters=[clean_text])

    commune_obj = None

    def validate_organization(self, field):
        if field.data not in {v for v, _label in field.choices}:
            raise ValidationError(BAD_CHOICE)

    def validate_commune(self, field):
        self.commune_obj = self._area(field, ("commune",))

    def validate(self, extra_validators=None):
        # Not a field validator: Optional() on the date ends the field's checks when it is empty.
        ok = super().validate(extra_validators)
        if self.signed.data and self.signed_on.data is None and not self.signed_on.errors:
            self.signed_on.errors = [_l("Give the date it was signed.")]
            ok = False
        return ok
