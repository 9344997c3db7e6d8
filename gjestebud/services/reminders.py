"""Automatic reminders: to hosts who have not answered, have not registered their meal, or have
not closed a meal whose date has passed.

A reminder is due when nothing has happened for the campaign's number of days: counted from
the invitation, the yes, or the day after the meal, and from the last reminder or contact
since. Each step gets at most the campaign's number of reminders. Every reminder is an outbox
message with the dedupe key `reminder:<invitation>:<kind>:<n>`, queued in the same transaction
as the count, so running the task twice can never send one twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from .. import links
from ..extensions import db
from ..models import (
    Campaign,
    CampaignStatus,
    ContactLog,
    Host,
    Invitation,
    InvitationSettings,
    MealStatus,
    utcnow,
)
from . import invitation_links, outbox
from . import invitations as inv

logger = logging.getLogger(__name__)

KINDS = ("answer", "register", "close")
# A coordinator's "send a reminder now" skips a host reminded less than this long ago, so that
# a second click, or a bulk send right after the daily one, does not mail anyone twice.
REMIND_AGAIN_AFTER = timedelta(hours=20)


@dataclass(frozen=True)
class Queued:
    invitation_id: int
    kind: str
    number: int


def reminder_kind(invitation: Invitation, today) -> str | None:
    """Which reminder this invitation could need now, if any."""
    if invitation.opted_out_at is not None:
        return None
    if invitation.status == inv.INVITED and invitation.sent_at is not None:
        return "answer"
    if invitation.status == inv.ACCEPTED:
        return "register"
    meal = invitation.meal
    if (
        invitation.status == inv.REGISTERED and meal is not None
        and meal.status == MealStatus.REGISTERED.value and meal.held_on < today
    ):
        return "close"
    return None


def _stage_started(invitation: Invitation, kind: str) -> datetime | None:
    if kind == "answer":
        return invitation.sent_at
    if kind == "register":
        return invitation.accepted_at or invitation.sent_at
    return datetime.combine(invitation.meal.held_on + timedelta(days=1), time())


def due_at(invitation: Invitation, kind: str, settings: InvitationSettings,
           last_contact: datetime | None) -> datetime | None:
    """When the next reminder of this kind is due (None: never, the maximum is reached)."""
    sent = (invitation.reminders_by_kind or {}).get(kind, 0)
    if sent >= settings.max_reminders:
        return None
    started = _stage_started(invitation, kind)
    if started is None:
        return None
    touches = [started]
    # Only reminders and contacts within this step count; the ones before it were about
    # something else.
    if sent and invitation.reminded_at:
        touches.append(invitation.reminded_at)
    if last_contact and last_contact > started:
        touches.append(last_contact)
    return max(touches) + timedelta(days=settings.reminder_after_days)


def _campaign_accepts(campaign: Campaign, kind: str, today) -> bool:
    if campaign.status != CampaignStatus.OPEN.value:
        return False
    # After the closing date nobody can register any more, so only closing a meal is asked.
    return kind == "close" or not (campaign.closes_on and today > campaign.closes_on)


def _candidates() -> list[Invitation]:
    return list(db.session.scalars(
        sa.select(Invitation)
        .join(Campaign, Campaign.id == Invitation.campaign_id)
        .join(Host, Host.id == Invitation.host_id)
        .where(
            Campaign.status == CampaignStatus.OPEN.value,
            Invitation.status.in_((inv.INVITED, inv.ACCEPTED, inv.REGISTERED)),
            Invitation.opted_out_at.is_(None),
            Host.email.is_not(None),
        )
        .options(selectinload(Invitation.meal), selectinload(Invitation.host),
                 selectinload(Invitation.campaign))
        .order_by(Invitation.id)
    ))


def _last_contacts(ids: list[int]) -> dict[int, datetime]:
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(ContactLog.invitation_id, sa.func.max(ContactLog.created_at))
        .where(ContactLog.invitation_id.in_(ids))
        .group_by(ContactLog.invitation_id)
    )
    return dict(rows.all())


def send_due_reminders(now: datetime | None = None) -> list[Queued]:
    """Queue every reminder that is due now, across all campaigns. The caller commits."""
    now = now or utcnow()
    today = now.date()
    candidates = _candidates()
    contacts = _last_contacts([i.id for i in candidates])
    settings_cache: dict[int, InvitationSettings] = {}
    queued: list[Queued] = []
    for invitation in candidates:
        campaign = invitation.campaign
        settings = settings_cache.get(campaign.id)
        if settings is None:
            settings = settings_cache[campaign.id] = inv.settings_for(campaign)
        if not settings.reminders_enabled:
            continue
        kind = reminder_kind(invitation, today)
        if kind is None or not _campaign_accepts(campaign, kind, today):
            continue
        due = due_at(invitation, kind, settings, contacts.get(invitation.id))
        if due is None or due > now:
            continue
        item = _queue(invitation, kind, now)
        if item is not None:
            queued.append(item)
    logger.info("Reminders queued: %s", len(queued))
    return queued


def _queue(invitation: Invitation, kind: str, now: datetime) -> Queued | None:
    number = (invitation.reminders_by_kind or {}).get(kind, 0) + 1
    context = inv.message_context(invitation)
    if kind == "close":
        token = invitation_links.meal_host_token(invitation)
        context["meal_url"] = links.host_url(token) if token else None
    try:
        outbox.queue_message(
            kind=f"reminder_{kind}",
            recipient=invitation.host.email,
            language=invitation.language,
            dedupe_key=f"reminder:{invitation.id}:{kind}:{number}",
            context=context,
            organisation_id=invitation.campaign.organisation_id,
        )
    except outbox.InvalidMessage:
        # A stored address that does not pass validation; staff see the host has no reminder.
        logger.warning("Reminder for invitation %s not queued: invalid address", invitation.id)
        return None
    invitation.reminders_by_kind = {**(invitation.reminders_by_kind or {}), kind: number}
    invitation.reminder_count = (invitation.reminder_count or 0) + 1
    invitation.reminded_at = now
    db.session.flush()
    return Queued(invitation.id, kind, number)


@dataclass
class NowResult:
    """What "send a reminder now" did: reminders queued, and why the others got none."""

    queued: list[Queued]
    skipped: dict[str, int]


def remind_now(invitations: list[Invitation], now: datetime | None = None) -> NowResult:
    """Queue a reminder at once for each invitation that can get one, whatever the schedule
    and the automatic reminders' settings. The caller commits.

    Skipped, by reason: "no_email" (no address, or the host asked for no more e-mail),
    "nothing" (no step to remind of: not invited yet, said no, or done), "closed" (the campaign
    no longer takes this step) and "recent" (reminded or contacted within the last 20 hours).
    """
    now = now or utcnow()
    today = now.date()
    contacts = _last_contacts([i.id for i in invitations])
    result = NowResult([], {})
    for invitation in invitations:
        kind = reminder_kind(invitation, today)
        last = max(filter(None, (invitation.reminded_at, contacts.get(invitation.id))),
                   default=None)
        if not invitation.host.email or invitation.opted_out_at is not None:
            reason = "no_email"
        elif kind is None:
            reason = "nothing"
        elif not _campaign_accepts(invitation.campaign, kind, today):
            reason = "closed"
        elif last is not None and now - last < REMIND_AGAIN_AFTER:
            reason = "recent"
        else:
            item = _queue(invitation, kind, now)
            if item is not None:
                result.queued.append(item)
                continue
            reason = "no_email"
        result.skipped[reason] = result.skipped.get(reason, 0) + 1
    logger.info("Reminders sent at once: %s queued, skipped %s", len(result.queued),
                result.skipped)
    return result
