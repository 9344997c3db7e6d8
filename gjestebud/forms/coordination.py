"""Forms for coordinating invitations: adding hosts, importing a list, texts, reminders, contact."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    RadioField,
    StringField,
    SubmitField,
    TelField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
)

from .host import MEAL_LANGUAGES, ChoiceOfList, choice, coerce_id, no_line_breaks, strip

CONTACT_LABELS = {
    "phone": _l("Phone call"),
    "in_person": _l("Met in person"),
    "email": _l("Own e-mail"),
    "other": _l("Other"),
}
TEXT_MAX = 6000


class OptionalChoice(ChoiceOfList):
    """A choice from a list that may also be left empty (the prompt)."""

    def pre_validate(self, form) -> None:
        if self.data is not None:
            super().pre_validate(form)


class AddHostForm(FlaskForm):
    """One host, typed in by a coordinator. Place and group choices are set by the view."""

    name = StringField(
        _l("Name"), filters=[strip],
        validators=[DataRequired(_l("Enter the host's name.")), Length(max=200), no_line_breaks],
        render_kw={"autocomplete": "off"},
    )
    email = EmailField(
        _l("E-mail"), filters=[strip],
        validators=[Optional(), no_line_breaks, Length(max=254),
                    Email(_l("Enter an e-mail address like name@example.no."))],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
    phone = TelField(
        _l("Phone"), filters=[strip],
        validators=[
            Optional(), no_line_breaks, Length(max=40),
            Regexp(r"^\+?[0-9][0-9 ().-]{4,}$",
                   message=_l("Enter a phone number with digits, for example 912 34 567.")),
        ],
        render_kw={"autocomplete": "off"},
    )
    language = ChoiceOfList(
        _l("Language"), choices=[choice(code, name) for code, name in MEAL_LANGUAGES],
        choice_message=_l("Choose one of the languages in the list."),
    )
    place = OptionalChoice(_l("Place (optional)"), coerce=coerce_id,
                           choice_message=_l("Choose one of the places in the list."))
    target_group = OptionalChoice(_l("Target group (optional)"), coerce=coerce_id,
                                  choice_message=_l("Choose one of the groups in the list."))
    submit = SubmitField(_l("Add the host"))

    def set_choices(self, campaign) -> None:
        """Offer only the campaign's places and groups; choosing none is allowed."""
        self.place.choices = [choice(None, _l("No place yet"))] + [
            choice(p.id, p.name) for p in campaign.places]
        self.target_group.choices = [choice(None, _l("No group yet"))] + [
            choice(g.id, g.name) for g in campaign.target_groups]

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        has_contact = self.email.data or self.phone.data
        if not has_contact and not (self.email.errors or self.phone.errors):
            self.email.errors = list(self.email.errors) + [
                _l("Enter an e-mail address or a phone number.")]
            ok = False
        return ok


class ImportForm(FlaskForm):
    """A list of hosts, pasted or uploaded as a CSV file."""

    csv_file = FileField(_l("CSV file"), render_kw={"accept": ".csv,text/csv"})
    csv_text = TextAreaField(
        _l("Or paste the list"), validators=[Optional(), Length(max=100_000)],
        render_kw={"rows": 10, "spellcheck": "false"},
    )
    check = SubmitField(_l("Check the list"))
    confirm = SubmitField(_l("Import the hosts without problems"))


class InvitationTextForm(FlaskForm):
    """The invitation text in each language."""

    text_nb = TextAreaField(_l("Bokmål"), validators=[Optional(), Length(max=TEXT_MAX)],
                            render_kw={"rows": 18, "lang": "nb"})
    text_nn = TextAreaField(_l("Nynorsk"), validators=[Optional(), Length(max=TEXT_MAX)],
                            render_kw={"rows": 18, "lang": "nn"})
    text_en = TextAreaField(_l("English"), validators=[Optional(), Length(max=TEXT_MAX)],
                            render_kw={"rows": 18, "lang": "en"})
    contact_name = StringField(_l("Contact person"), filters=[strip],
                               validators=[Optional(), Length(max=200), no_line_breaks],
                               render_kw={"autocomplete": "name"})
    contact_phone = TelField(_l("Phone"), filters=[strip],
                             validators=[Optional(), Length(max=40), no_line_breaks],
                             render_kw={"autocomplete": "tel"})
    contact_email = EmailField(_l("E-mail"), filters=[strip], validators=[
        Optional(), Length(max=254), no_line_breaks,
        Email(_l("Enter an e-mail address like name@example.no."))],
        render_kw={"autocomplete": "email"})
    reply_by = DateField(_l("Please answer by"), validators=[Optional()],
                         render_kw={"class": "date-input"})
    submit = SubmitField(_l("Save the texts"))


class ReminderSettingsForm(FlaskForm):
    """How the campaign reminds hosts."""

    enabled = BooleanField(_l("Send reminders automatically"))
    after_days = IntegerField(
        _l("Days without news before a reminder"),
        validators=[InputRequired(_l("Enter a number of days.")),
                    NumberRange(1, 60, _l("Enter a number from 1 to 60."))],
        invalid_value_message=_l("Enter a whole number, for example 7."),
        render_kw={"min": 1, "max": 60, "inputmode": "numeric"},
    )
    max_reminders = IntegerField(
        _l("Most reminders at each step"),
        validators=[InputRequired(_l("Enter a number of reminders.")),
                    NumberRange(0, 5, _l("Enter a number from 0 to 5."))],
        invalid_value_message=_l("Enter a whole number, for example 2."),
        render_kw={"min": 0, "max": 5, "inputmode": "numeric"},
    )
    submit = SubmitField(_l("Save the reminder settings"))


class ContactForm(FlaskForm):
    """A contact with a host made outside the e-mails. Prefixed per invitation on the page."""

    method = RadioField(
        _l("How"), default="phone",
        choices=[SelectChoice(value=key, label=label) for key, label in CONTACT_LABELS.items()],
        validators=[InputRequired(_l("Choose how you made contact."))],
    )
    note = StringField(_l("Short note (optional)"), filters=[strip],
                       validators=[Optional(), Length(max=500), no_line_breaks])
    submit = SubmitField(_l("Save the contact"))


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token is checked."""
