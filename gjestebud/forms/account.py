"""Forms for one's own account: setting a password from a link, forgotten password, two-factor."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from ..services.password_policy import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH

PASSWORD_MESSAGES = {
    "too_short": _l("The password must be at least %(n)s characters.", n=MIN_PASSWORD_LENGTH),
    "too_long": _l("The password can be at most %(n)s characters.", n=MAX_PASSWORD_LENGTH),
    "common": _l(
        "This password is too common or too easy to guess. Try a few unrelated words instead."
    ),
}


class SetPasswordForm(FlaskForm):
    # The length is checked by the service's policy, so every rule and message lives there.
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(_l("Choose a password.")), Length(max=4096)],
        render_kw={"autocomplete": "new-password", "spellcheck": "false"},
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[
            DataRequired(_l("Write the password again.")),
            EqualTo("password", _l("The two passwords are not the same.")),
        ],
        render_kw={"autocomplete": "new-password", "spellcheck": "false"},
    )


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        _l("E-mail address"),
        validators=[DataRequired(_l("Enter your e-mail address.")), Length(max=254)],
        render_kw={"autocomplete": "username", "spellcheck": "false"},
    )


class CodeForm(FlaskForm):
    code = StringField(
        _l("Code"),
        validators=[DataRequired(_l("Enter the code.")), Length(max=20)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric",
                   "spellcheck": "false", "autocapitalize": "off"},
    )


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token."""


class ReplaceCodeForm(CodeForm):
    """Moving two-factor to a new app: the new app's code and the account's password."""

    password = PasswordField(
        _l("Your password"),
        validators=[DataRequired(_l("Write your password.")), Length(max=4096)],
        render_kw={"autocomplete": "current-password", "spellcheck": "false"},
    )
