"""Forms for the staff view of the outbox: the status filter and the "Try again" button."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField
from wtforms.validators import AnyOf, Optional

from ..models import MessageStatus

STATUS_LABELS = {
    MessageStatus.PENDING.value: _l("Pending"),
    MessageStatus.SENDING.value: _l("Sending"),
    MessageStatus.SENT.value: _l("Sent"),
    MessageStatus.FAILED.value: _l("Failed"),
}

# What each kind of message is, in words staff know; an unknown kind is shown as it is stored.
KIND_LABELS = {
    "invitation": _l("Invitation to host"),
    "reminder_register": _l("Reminder: register the meal"),
    "reminder_answer": _l("Reminder: answer the invitation"),
    "reminder_close": _l("Reminder after the meal"),
    "feedback_results": _l("Results to participants"),
    "feedback_thanks": _l("Results to a guest"),
    "feedback_thanks_host": _l("Results to a host"),
    "feedback_update": _l("News to a guest"),
    "feedback_update_host": _l("News to a host"),
    "data_request": _l("Confirm a data request"),
    "staff_invite": _l("Invitation to a staff account"),
    "staff_invite_elsewhere": _l("Invitation to an address with an account elsewhere"),
    "password_reset": _l("Password link"),
    "test": _l("Test message"),
}


class MessageFilterForm(FlaskForm):
    """The list's filter, sent with GET: no CSRF token needed for reading."""

    class Meta:
        csrf = False

    status = SelectField(_l("Status"), choices=[], validate_choice=False, validators=[Optional()])
    page = IntegerField(_l("Page"), validators=[Optional()], default=1)


class RetryForm(FlaskForm):
    """The "Try again" button of a failed message; `back` says which page to return to."""

    back = HiddenField(validators=[Optional(), AnyOf(["list", "message"])], default="list")
