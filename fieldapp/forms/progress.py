"""Forms of the progress pages (#12): the GET filter of the progress page, a plan, an upload.

The filter is a GET form (no CSRF: it changes nothing) so every view of the page has its own
address: ``/supervisor/progress?area=31&month=2024-10&scheme=vsi``.
"""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import InputRequired, NumberRange, Optional, Regexp

from sync.protocol import MONTH_RE

#: A month as the office writes it in files and addresses: the protocol's own pattern.
MONTH_PATTERN = MONTH_RE
REQUIRED = _l("This field is required.")
MONTH_MSG = _l("Enter a month as YYYY-MM, e.g. 2024-10.")


def scheme_choices():
    return [("vsi", str(_l("Voluntary social insurance (VSI)"))),
            ("hhi", str(_l("Household health insurance (HHI)")))]


class ProgressFilter(FlaskForm):
    """Area, month and scheme of the progress page; the view sets ``area.choices``."""

    class Meta:
        csrf = False

    area = SelectField(_l("Area"), validate_choice=True)
    month = StringField(_l("Month"), [Optional(), Regexp(MONTH_PATTERN, message=MONTH_MSG)],
                        render_kw={"type": "month", "pattern": r"\d{4}-\d{2}",
                                   "placeholder": "YYYY-MM"})
    scheme = SelectField(_l("Scheme"), choices=scheme_choices, default="vsi")


class PlanForm(FlaskForm):
    """One year's targets for an area (or an organization in it) and a scheme; the view sets
    ``area.choices`` and ``organization.choices``. The monthly split is optional: cumulative
    targets at each month's end."""

    area = SelectField(_l("Area"), [InputRequired(REQUIRED)])
    organization = SelectField(_l("Collection service organization"), validate_choice=True)
    year = IntegerField(_l("Year"), [InputRequired(REQUIRED),
                                     NumberRange(2000, 2100, _l("A year from %(min)s to %(max)s."))])
    scheme = SelectField(_l("Scheme"), choices=scheme_choices, default="vsi")
    target = IntegerField(_l("Target: participants at the year's end"),
                          [InputRequired(REQUIRED),
                           NumberRange(0, 10**9, _l("A whole number, 0 or more."))])
    new_participants = IntegerField(_l("Target: new participants in the year"),
                                    [Optional(), NumberRange(0, 10**9, _l("A whole number, 0 or more."))])


for _number in range(1, 13):
    setattr(PlanForm, f"m{_number:02d}", IntegerField(
        _l("End of month %(n)s", n=_number),
        [Optional(), NumberRange(0, 10**9, _l("A whole number, 0 or more."))]))


UPLOAD_KINDS = ("plans", "counts")


class UploadForm(FlaskForm):
    """A plan file or an official counts file, judged whole as the CLI judges it."""

    kind = SelectField(_l("File"), choices=lambda: [
        ("plans", str(_l("Plans (area_code, year, scheme, participants[, new_participants])"))),
        ("counts", str(_l("Official counts (area_code, month, scheme, participants)")))])
    file = FileField(_l("CSV file (UTF-8)"), render_kw={"accept": ".csv,text/csv"})
