"""Admin forms: inviting staff, changing a role, the organisation's settings, the audit filter."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, IntegerField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional

from ..models import Role

ROLE_LABELS = {
    Role.ADMIN.value: _l("Administrator"),
    Role.COORDINATOR.value: _l("Coordinator"),
    Role.ANALYST.value: _l("Analyst"),
}
ROLE_HINTS = {
    Role.ADMIN.value: _l("users and settings, and everything else"),
    Role.COORDINATOR.value: _l("campaigns, invitations and hosts"),
    Role.ANALYST.value: _l("analysis and reports"),
}
LANGUAGE_CHOICES = [
    SelectChoice("nb", _l("Bokmål")), SelectChoice("nn", _l("Nynorsk")),
    SelectChoice("en", _l("English")),
]


def role_choices() -> list[SelectChoice]:
    """The roles with what each may do, in the current language."""
    return [SelectChoice(value, f"{label} – {ROLE_HINTS[value]}")
            for value, label in ROLE_LABELS.items()]


class _RoleChoices:
    """Fills the role list when the form is made, so the labels are in the page's language."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = role_choices()


class InviteForm(_RoleChoices, FlaskForm):
    email = EmailField(
        _l("E-mail address"),
        validators=[DataRequired(_l("Enter the e-mail address.")), Length(max=254),
                    Email(_l("Enter an e-mail address like name@kommune.no."))],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
    name = StringField(
        _l("Name"), validators=[DataRequired(_l("Enter the name.")), Length(max=200)],
        render_kw={"autocomplete": "off"},
    )
    role = SelectField(_l("Role"), choices=[], default=Role.COORDINATOR.value)
    language = SelectField(_l("Language of the e-mail"), choices=LANGUAGE_CHOICES, default="nb")


class RoleForm(_RoleChoices, FlaskForm):
    role = SelectField(_l("Role"), choices=[])


class OrganisationForm(FlaskForm):
    name = StringField(
        _l("Name of the organisation"),
        validators=[DataRequired(_l("Enter the name.")), Length(max=200)],
    )


class AuditFilterForm(FlaskForm):
    """The audit log's filter, sent with GET: no CSRF token needed for reading."""

    class Meta:
        csrf = False

    action = SelectField(_l("Action"), choices=[], validate_choice=False, validators=[Optional()])
    page = IntegerField(_l("Page"), validators=[Optional()], default=1)
