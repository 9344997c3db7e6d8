"""Retention: personal data is deleted when its purpose is served, by a daily task.

- Feedback addresses go a grace period after the campaign's last feedback was sent, and at the
  latest on the campaign's retention date (closes_on + N days, or a date staff set).
- Outbox e-mails keep their address and content for N days, then both are wiped.
- Data requests go when their link has expired.
The figures are in the config and in docs/record-of-processing.yaml (a test keeps them equal).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from ..extensions import db
from ..models import (
    Campaign,
    CampaignFeedback,
    DataRequest,
    FeedbackContact,
    Message,
    MessageStatus,
    utcnow,
)

WIPED = ""


@dataclass(frozen=True)
class PurgeResult:
    """How many rows each step removed or wiped (counts only: never what they held)."""

    contacts: int
    messages: int
    data_requests: int
    hosts: int = 0


def campaign_feedback(campaign: Campaign) -> CampaignFeedback | None:
    """The campaign's feedback settings, if staff or a feedback run have made any."""
    return db.session.scalar(
        sa.select(CampaignFeedback).where(CampaignFeedback.campaign_id == campaign.id)
    )


def retention_date(campaign: Campaign, feedback: CampaignFeedback | None = None) -> date:
    """The day on which the campaign's feedback addresses are deleted at the latest."""
    feedback = feedback or campaign_feedback(campaign)
    if feedback is not None and feedback.retention_until is not None:
        return feedback.retention_until
    return default_retention_date(campaign)


def default_retention_date(campaign: Campaign) -> date:
    """The deletion date when staff have set none: N days after closing (or after creation)."""
    config = current_app.config
    if campaign.closes_on is not None:
        return campaign.closes_on + timedelta(days=config["FEEDBACK_RETENTION_DAYS"])
    created = (campaign.created_at or utcnow()).date()
    return created + timedelta(days=config["FEEDBACK_RETENTION_FALLBACK_DAYS"])


def feedback_sent(campaign: Campaign, at: datetime | None = None) -> None:
    """Call after the campaign's feedback e-mails are queued: its addresses go after a grace period.

    Each call restarts the grace period, so a second round of feedback is still possible.
    """
    feedback = campaign_feedback(campaign)
    if feedback is None:
        feedback = CampaignFeedback(campaign_id=campaign.id)
        db.session.add(feedback)
    feedback.last_feedback_sent_at = at or utcnow()
    db.session.flush()


def more_feedback_planned(campaign: Campaign) -> None:
    """Staff plan another e-mail: the addresses stay until the campaign's retention date.

    The grace period starts again with the next feedback that is not followed by more.
    """
    feedback = campaign_feedback(campaign)
    if feedback is not None:
        feedback.last_feedback_sent_at = None
        db.session.flush()


def deletion_due(
    campaign: Campaign, now: datetime, feedback: CampaignFeedback | None = None
) -> bool:
    """True when the campaign's feedback addresses must be deleted by now."""
    feedback = feedback or campaign_feedback(campaign)
    if feedback is not None and feedback.last_feedback_sent_at is not None:
        grace = timedelta(days=current_app.config["FEEDBACK_GRACE_DAYS"])
        if now >= feedback.last_feedback_sent_at + grace:
            return True
    return now.date() >= retention_date(campaign, feedback)


def purge_feedback_contacts(now: datetime) -> int:
    """Delete the addresses of every campaign whose time has come; the number deleted."""
    campaign_ids = db.session.scalars(sa.select(FeedbackContact.campaign_id).distinct()).all()
    due = [
        campaign.id
        for campaign in db.session.scalars(sa.select(Campaign).where(Campaign.id.in_(campaign_ids)))
        if deletion_due(campaign, now)
    ]
    if not due:
        return 0
    result = db.session.execute(
        sa.delete(FeedbackContact).where(FeedbackContact.campaign_id.in_(due))
    )
    return result.rowcount or 0


def wipe_messages(condition, now: datetime) -> int:
    """Blank the address and content of the outbox rows matching a condition; the number wiped.

    A row being sent right now is left alone; an undelivered one is given up on.
    """
    result = db.session.execute(
        sa.update(Message)
        .where(condition, Message.recipient != WIPED, Message.status != MessageStatus.SENDING.value)
        .values(
            recipient=WIPED,
            subject=WIPED,
            body_text=WIPED,
            body_html=WIPED,
            last_error=None,
            status=sa.case(
                (Message.status == MessageStatus.PENDING.value, MessageStatus.FAILED.value),
                else_=Message.status,
            ),
            next_attempt_at=None,
        )
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def purge_old_messages(now: datetime) -> int:
    """Wipe outbox e-mails older than the configured number of days."""
    cutoff = now - timedelta(days=current_app.config["MESSAGE_RETENTION_DAYS"])
    return wipe_messages(Message.created_at < cutoff, now)


def purge_expired_requests(now: datetime) -> int:
    """Delete data requests whose link has expired (used or not)."""
    result = db.session.execute(sa.delete(DataRequest).where(DataRequest.expires_at <= now))
    return result.rowcount or 0


def forget_hosts(host_ids: list[int]) -> int:
    """Erase the name, address and phone of these hosts, stop every e-mail to them, and blank
    what staff wrote about contacting them. Their meals and the (anonymous) notes stay."""
    from ..models import ContactLog, Host, Invitation

    if not host_ids:
        return 0
    now = utcnow()
    invitations = sa.select(Invitation.id).where(Invitation.host_id.in_(host_ids))
    db.session.execute(
        sa.update(ContactLog).where(ContactLog.invitation_id.in_(invitations)).values(note="")
        .execution_options(synchronize_session=False))
    db.session.execute(
        sa.update(Invitation)
        .where(Invitation.host_id.in_(host_ids), Invitation.opted_out_at.is_(None))
        .values(opted_out_at=now).execution_options(synchronize_session=False))
    result = db.session.execute(
        sa.update(Host).where(Host.id.in_(host_ids), Host.name != WIPED_NAME)
        .values(name=WIPED_NAME, email=None, phone=None)
        .execution_options(synchronize_session=False))
    db.session.expire_all()
    return result.rowcount or 0


# What a forgotten host is called on the staff pages.
WIPED_NAME = "–"


def purge_hosts(now: datetime) -> int:
    """Forget the hosts whose every campaign has passed its retention date."""
    from ..models import Host, Invitation, Meal

    campaigns_of: dict[int, set[int]] = {}
    for host_id, campaign_id in db.session.execute(
        sa.select(Meal.host_id, Meal.campaign_id).join(Host, Host.id == Meal.host_id)
        .where(Host.name != WIPED_NAME)
        .union(sa.select(Invitation.host_id, Invitation.campaign_id)
               .join(Host, Host.id == Invitation.host_id).where(Host.name != WIPED_NAME))
    ):
        campaigns_of.setdefault(host_id, set()).add(campaign_id)
    ids = {c for cs in campaigns_of.values() for c in cs}
    campaigns = db.session.scalars(sa.select(Campaign).where(Campaign.id.in_(ids)))
    due = {c.id for c in campaigns if now.date() >= retention_date(c)}
    return forget_hosts(sorted(h for h, cs in campaigns_of.items() if cs <= due))


def purge(now: datetime | None = None) -> PurgeResult:
    """Run every retention rule once; the caller commits."""
    now = now or utcnow()
    return PurgeResult(
        contacts=purge_feedback_contacts(now),
        messages=purge_old_messages(now),
        data_requests=purge_expired_requests(now),
        hosts=purge_hosts(now),
    )
