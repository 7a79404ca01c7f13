"""The sign-in form, and the input clean-up the web forms share."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length


def clean_text(value):
    """Trim, and drop control characters: PostgreSQL refuses NUL and no name needs them."""
    if not isinstance(value, str):
        return value
    return "".join(c for c in value if c >= " " and c != "\x7f").strip()


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)],
                           filters=[clean_text],
                           render_kw={"autocomplete": "username", "autocapitalize": "none"})
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)],
                             render_kw={"autocomplete": "current-password"})
