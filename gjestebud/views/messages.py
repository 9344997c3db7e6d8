"""The outbox for staff: which e-mails went out, which failed and why, and the messages themselves.

For admins and coordinators (see gjestebud/access.py). Only the staff member's own organisation's
messages are shown; another organisation's message id gives 404. Without an SMTP server
(development) nothing is sent, so this is where invitations and password links can be read.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from ..extensions import db
from ..forms.messages import KIND_LABELS, STATUS_LABELS, MessageFilterForm, RetryForm
from ..models import Message, MessageStatus
from ..security import form_checks_csrf
from ..services import outbox, outbox_pages

bp = Blueprint("messages", __name__, url_prefix="/staff/messages")


@bp.context_processor
def _labels():
    return {
        "status_labels": STATUS_LABELS,
        "kind_labels": KIND_LABELS,
        "failed": MessageStatus.FAILED.value,
        "development_mode": not current_app.config.get("SMTP_HOST"),
    }


def _own_message(message_id: int) -> Message:
    """A message of the staff member's organisation; 404 for anyone else's."""
    message = outbox_pages.message_in_organisation(current_user.organisation_id, message_id)
    if message is None:
        abort(404)
    return message


@bp.get("/")
def index():
    """Counts per status and the organisation's messages, newest first, 50 a page."""
    org_id = current_user.organisation_id
    counts = outbox.status_counts(org_id)
    form = MessageFilterForm(request.args)
    form.status.choices = [SelectChoice("", _("All statuses"))] + [
        SelectChoice(status, f"{label} ({counts.get(status, 0)})")
        for status, label in STATUS_LABELS.items()
    ]
    status = form.status.data if form.status.data in STATUS_LABELS else None
    page = outbox_pages.messages_for(org_id, status=status, page=form.page.data or 1)
    return render_template(
        "messages/index.html", form=form, counts=counts, page=page, status=status,
        retry_form=RetryForm(),
    )


@bp.get("/<int:id>")
def message(id: int):
    """One message: its headers, delivery state and plain-text body."""
    message = _own_message(id)
    return render_template("messages/message.html", message=message,
                           retry_form=RetryForm(back="message"))


@bp.post("/<int:id>/retry")
@form_checks_csrf
def retry(id: int):
    """Give a failed message a fresh set of attempts; delivery starts after the commit."""
    message = _own_message(id)
    form = RetryForm()
    if not form.validate_on_submit():
        flash(_("The page was open for a long time, so the button had to be renewed. "
                "Please try again."), "error")
    else:
        try:
            outbox.requeue(message)
        except outbox.InvalidMessage:
            flash(_("This message has not failed, so there is nothing to try again."), "warning")
        else:
            db.session.commit()
            flash(_("The message to %(recipient)s is queued again. Reload the page in a "
                    "minute to see whether it was sent.", recipient=message.recipient),
                  "success")
    if form.back.data == "message":
        return redirect(url_for(".message", id=message.id), 303)
    return redirect(url_for(".index"), 303)
