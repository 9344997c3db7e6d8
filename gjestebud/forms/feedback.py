"""Forms for feedback to participants: consent, unsubscribe, data requests, staff texts."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, EmailField, RadioField, StringField, TextAreaField, URLField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, InputRequired, Length, Optional, ValidationError

from ..models import LANGUAGES
from ..services.outbox import InvalidMessage, clean_recipient

EMAIL_ATTRS = {"autocomplete": "email", "inputmode": "email", "spellcheck": "false"}


def _check_address(form, field) -> None:
    """One address on one line: CR/LF could forge e-mail headers."""
    value = field.data or ""
    if "\r" in value or "\n" in value:
        raise ValidationError(_l("The e-mail address must be on one line."))
    if not value.strip():
        raise ValidationError(_l("Write your e-mail address."))
    try:
        field.data = clean_recipient(value)
    except InvalidMessage as exc:
        raise ValidationError(_l("Enter an e-mail address like name@example.no.")) from exc


class _GuestForm(FlaskForm):
    """A public form with a honeypot (`website`) that people never see."""

    website = StringField(_l("Leave this field empty"))

    @property
    def is_spam(self) -> bool:
        """True when the honeypot was filled in: only robots do that."""
        return bool((self.website.data or "").strip())

    @property
    def csrf_failed(self) -> bool:
        return bool(self.errors.get("csrf_token"))


class ConsentForm(_GuestForm):
    """An e-mail address to receive the campaign's results (opt-in: empty to start with)."""

    email = EmailField(
        _l("Your e-mail address"),
        # Not stripped by WTForms: a line break must reach the check and be refused, not hidden.
        validators=[Length(max=254), _check_address],
        render_kw=EMAIL_ATTRS,
    )


class DataRequestForm(_GuestForm):
    """Ask for the data held about an address: a link to confirm is sent to it."""

    email = EmailField(
        _l("Your e-mail address"), validators=[Length(max=254), _check_address],
        render_kw=EMAIL_ATTRS,
    )
    purpose = RadioField(
        _l("Your request"),
        choices=[
            SelectChoice(value="export", label=_l("See the data you hold about me (download)")),
            SelectChoice(value="delete", label=_l("Delete the data you hold about me")),
        ],
        validators=[InputRequired(_l("Choose what you want us to do."))],
    )


class ConfirmForm(FlaskForm):
    """The button behind an e-mailed link: GET only shows it, so link scanners change nothing."""

    format = StringField(validators=[Optional()])

    def chosen_format(self) -> str:
        return "csv" if self.format.data == "csv" else "json"


class CampaignFeedbackForm(FlaskForm):
    """What staff tell participants once the campaign is reported."""

    report_url = URLField(
        _l("Link to the full report"),
        validators=[
            Optional(),
            URL(require_tld=False, message=_l("Enter a full web address, starting with https://.")),
            Length(max=500),
        ],
    )
    retention_until = DateField(_l("Delete feedback e-mail addresses on"), validators=[Optional()])

    def validate_report_url(self, field) -> None:
        # The link is shown to the public: only web addresses, never javascript: and the like.
        if field.data and not field.data.lower().startswith(("https://", "http://")):
            raise ValidationError(_l("Enter a full web address, starting with https://."))


for _code in LANGUAGES:
    setattr(
        CampaignFeedbackForm, f"heard_{_code}",
        TextAreaField(_l("What we heard"), validators=[Length(max=4000)]),
    )
    setattr(
        CampaignFeedbackForm, f"next_{_code}",
        TextAreaField(_l("What happens next"), validators=[Length(max=4000)]),
    )
