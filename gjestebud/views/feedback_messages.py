"""Staff send the results to hosts and guests, and later updates: write, preview, confirm, send.

For admins and coordinators (gjestebud/access.py). Another organisation's campaign, or another
campaign's message, gives 404.
"""

from __future__ import annotations

import logging

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..extensions import db
from ..forms.feedback_messages import FeedbackMessageForm, SendForm
from ..models import Campaign, FeedbackMessage
from ..security import form_checks_csrf
from ..services import audit, consent, retention
from ..services import feedback_messages as service
from ..services.themes import live_themes
from . import own_campaign

bp = Blueprint(
    "feedback_messages", __name__, url_prefix="/staff/campaigns/<int:campaign_id>/feedback"
)
log = logging.getLogger(__name__)


def _own_message(campaign: Campaign, message_id: int) -> FeedbackMessage:
    message = service.message_in_campaign(campaign, message_id)
    if message is None:
        abort(404)
    return message


@bp.get("/messages")
def index(campaign_id: int):
    """The campaign's feedback e-mails and updates, sent or not, with who will get them."""
    campaign = own_campaign(campaign_id)
    messages = service.messages_for(campaign)
    return render_template(
        "feedback_messages/index.html", campaign=campaign, messages=messages,
        audience=service.audience(campaign),
        deliveries={m.id: service.delivery(m) for m in messages if m.sent_at},
        delete_by=retention.retention_date(campaign),
        grace_days=current_app.config["FEEDBACK_GRACE_DAYS"],
    )


# --- writing ------------------------------------------------------------------------------------

def _form(campaign: Campaign, kind: str, data: dict | None = None) -> FeedbackMessageForm:
    form = FeedbackMessageForm(
        formdata=None if data is not None else request.form, data=data,
        kind=kind, main_language=campaign.main_language,
    )
    form.themes.choices = [(theme.id, theme.label) for theme in live_themes(campaign)]
    return form


def _compose_page(campaign: Campaign, form: FeedbackMessageForm, message=None):
    status = 400 if form.errors else 200
    return render_template(
        "feedback_messages/compose.html", campaign=campaign, form=form, message=message,
        kind=form.kind, languages=service.languages(campaign),
        report_published=bool(service.report_link(campaign, campaign.main_language)),
        guests=len(consent.contacts_for(campaign)),
    ), status


@bp.route("/messages/new/<kind>", methods=["GET", "POST"])
def new(campaign_id: int, kind: str):
    """Write the results e-mail (the results prefilled from the report) or an update."""
    campaign = own_campaign(campaign_id)
    if kind not in service.KINDS:
        abort(404)
    if request.method == "GET":
        draft = service.default_draft(campaign, kind)
        return _compose_page(campaign, _form(campaign, kind, FeedbackMessageForm.data_from(draft)))
    form = _form(campaign, kind)
    if not form.validate():
        return _compose_page(campaign, form)
    message = service.create_message(campaign, kind, form.draft(), current_user)
    audit.record("feedback_message.created", message, kind=kind)
    db.session.commit()
    flash(_("Saved. Check the preview in each language before you send it."), "success")
    return redirect(url_for(".show", campaign_id=campaign.id, message_id=message.id), 303)


@bp.route("/messages/<int:message_id>/edit", methods=["GET", "POST"])
def edit(campaign_id: int, message_id: int):
    """Change a message until it is sent."""
    campaign = own_campaign(campaign_id)
    message = _own_message(campaign, message_id)
    if message.sent_at is not None:
        flash(_("This message has been sent, so it cannot be changed any more."), "warning")
        return redirect(url_for(".show", campaign_id=campaign.id, message_id=message.id), 303)
    if request.method == "GET":
        data = FeedbackMessageForm.data_from(service.draft_of(message))
        return _compose_page(campaign, _form(campaign, message.kind, data), message)
    form = _form(campaign, message.kind)
    if not form.validate():
        return _compose_page(campaign, form, message)
    service.update_message(message, form.draft())
    db.session.commit()
    flash(_("Saved. Check the preview in each language before you send it."), "success")
    return redirect(url_for(".show", campaign_id=campaign.id, message_id=message.id), 303)


# --- preview and delivery -------------------------------------------------------------------------

def _preview_choice(campaign: Campaign) -> tuple[str, str]:
    languages = service.languages(campaign)
    language = request.args.get("language")
    recipient = request.args.get("to")
    return (
        language if language in languages else languages[0],
        recipient if recipient in service.RECIPIENT_KINDS else service.HOST,
    )


@bp.get("/messages/<int:message_id>")
def show(campaign_id: int, message_id: int):
    """The e-mail as each kind of recipient gets it, per language; after sending, delivery."""
    campaign = own_campaign(campaign_id)
    message = _own_message(campaign, message_id)
    language, recipient = _preview_choice(campaign)
    return render_template(
        "feedback_messages/show.html", campaign=campaign, message=message,
        languages=service.languages(campaign), language=language, recipient=recipient,
        preview=service.render_preview(message, language, recipient),
        audience=service.audience(campaign) if message.sent_at is None else None,
        delivery=service.delivery(message) if message.sent_at else None,
        themes=service.theme_labels(message),
    )


@bp.get("/messages/<int:message_id>/email.html")
def preview_html(campaign_id: int, message_id: int):
    """The HTML version of the e-mail, as a mail program shows it."""
    campaign = own_campaign(campaign_id)
    message = _own_message(campaign, message_id)
    language, recipient = _preview_choice(campaign)
    return service.render_preview(message, language, recipient).html


@bp.route("/messages/<int:message_id>/send", methods=["GET", "POST"])
@form_checks_csrf
def send(campaign_id: int, message_id: int):
    """Say who will get it, in which language; then send it, once."""
    campaign = own_campaign(campaign_id)
    message = _own_message(campaign, message_id)
    back = url_for(".show", campaign_id=campaign.id, message_id=message.id)
    form = SendForm()
    if request.method == "POST" and form.validate():
        result = service.send(message, more_to_come=form.more_to_come.data)
        if result.already_sent:
            db.session.rollback()
            flash(_("This message was already sent. Nothing more was sent."), "warning")
            return redirect(back, 303)
        audit.record("feedback_message.sent", message, kind=message.kind,
                     hosts=result.hosts, guests=result.guests,
                     more_to_come=form.more_to_come.data)
        db.session.commit()
        log.info("Feedback message %s queued for %s hosts and %s guests",
                 message.id, result.hosts, result.guests)
        flash(_("Sent to %(hosts)s and %(guests)s. The e-mails go out in the next minutes; the "
                "delivery status is below.",
                hosts=ngettext("%(num)d host", "%(num)d hosts", result.hosts),
                guests=ngettext("%(num)d guest", "%(num)d guests", result.guests)), "success")
        return redirect(back, 303)
    if message.sent_at is not None:
        flash(_("This message was already sent. Nothing more was sent."), "warning")
        return redirect(back, 303)
    return render_template(
        "feedback_messages/send.html", campaign=campaign, message=message, form=form,
        audience=service.audience(campaign), stale=request.method == "POST",
        delete_by=retention.retention_date(campaign),
        grace_days=current_app.config["FEEDBACK_GRACE_DAYS"],
    ), (400 if request.method == "POST" else 200)
