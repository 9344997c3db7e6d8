"""Consent to receive a campaign's results by e-mail: given on the guest page, withdrawn by link.

The address is kept apart from the notes: a FeedbackContact knows the campaign and (for
per-place feedback) the meal, nothing about which notes anyone wrote.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime

import sqlalchemy as sa
from flask import current_app

from ..extensions import db
from ..links import _absolute
from ..models import Campaign, FeedbackContact, Meal, utcnow
from .outbox import clean_recipient, queue_message
from .tokens import hash_token, normalise_token

# Bump when the consent text on the guest page changes, so that each record says what was shown.
CONSENT_TEXT_VERSION = "2026-01"


def day_of(moment: datetime) -> datetime:
    """The start of the day: consent times are kept by the day so they cannot match a note."""
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)


def unsubscribe_token(contact: FeedbackContact) -> str:
    """The contact's unsubscribe token (160 bits), derived so later e-mails can repeat it."""
    key = current_app.config["SECRET_KEY"].encode()
    message = f"feedback-unsubscribe:{contact.campaign_id}:{contact.email.casefold()}".encode()
    digest = hmac.new(key, message, hashlib.sha256).digest()[:20]
    return base64.b32encode(digest).decode().rstrip("=").lower()


def unsubscribe_url(contact: FeedbackContact) -> str:
    """The one-click unsubscribe link that goes into every feedback e-mail."""
    return _absolute("feedback.unsubscribe", token=unsubscribe_token(contact))


def give_consent(meal: Meal, email: str, language: str) -> FeedbackContact:
    """Record consent to get the results of the meal's campaign; the same address is kept once.

    Raises outbox.InvalidMessage for an address that is not one (or has line breaks).
    """
    address = clean_recipient(email)
    today = day_of(utcnow())
    contact = db.session.scalar(
        sa.select(FeedbackContact).where(
            FeedbackContact.campaign_id == meal.campaign_id,
            sa.func.lower(FeedbackContact.email) == address.casefold(),
        )
    )
    if contact is None:
        contact = FeedbackContact(campaign_id=meal.campaign_id, email=address, created_at=today)
        db.session.add(contact)
    contact.meal_id = meal.id
    contact.language = language
    contact.consent_text_version = CONSENT_TEXT_VERSION
    contact.consented_at = today
    contact.unsubscribe_token_hash = hash_token(unsubscribe_token(contact))
    db.session.flush()
    return contact


def contact_by_unsubscribe_token(token: str) -> FeedbackContact | None:
    """The contact behind an unsubscribe link, or None (already gone, or never was)."""
    token = normalise_token(token)
    if not token:
        return None
    token_hash = hash_token(token)
    return db.session.scalar(
        sa.select(FeedbackContact).where(FeedbackContact.unsubscribe_token_hash == token_hash)
    )


def unsubscribe(contact: FeedbackContact) -> None:
    """Withdraw consent: the address is deleted, not flagged."""
    db.session.delete(contact)
    db.session.flush()


def contacts_for(campaign: Campaign, meal: Meal | None = None) -> list[FeedbackContact]:
    """The addresses to send a campaign's feedback to (only those from one meal, if given)."""
    query = sa.select(FeedbackContact).where(FeedbackContact.campaign_id == campaign.id)
    if meal is not None:
        query = query.where(FeedbackContact.meal_id == meal.id)
    return list(db.session.scalars(query.order_by(FeedbackContact.id)))


def queue_feedback(
    contact: FeedbackContact,
    context: dict,
    *,
    round_key: str = "1",
    kind: str = "feedback_results",
):
    """Queue one feedback e-mail to a contact; it always carries the unsubscribe link.

    The link is in the text (`unsubscribe_url`) and in the List-Unsubscribe headers, so that mail
    clients offer one-click unsubscribe. `context` holds the texts the `kind` of e-mail needs
    (for feedback_results: campaign_title, heard, next_steps, report_url); `round_key` tells
    feedback rounds apart, so that each reaches each address once. The caller then calls
    retention.feedback_sent(campaign) and commits.
    """
    campaign = contact.campaign
    link = unsubscribe_url(contact)
    return queue_message(
        kind=kind,
        recipient=contact.email,
        language=contact.language,
        dedupe_key=f"feedback:{campaign.id}:{round_key}:{contact.id}",
        context={**context, "unsubscribe_url": link},
        organisation_id=campaign.organisation_id,
        list_unsubscribe=link,
    )
