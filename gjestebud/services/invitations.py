"""Invitations to host: adding hosts, personal links, sending, and the host's answers.

The personal links themselves are made in `invitation_links`.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import (
    Campaign,
    ContactLog,
    Host,
    Invitation,
    InvitationSettings,
    Meal,
    Place,
    TargetGroup,
    User,
    utcnow,
)
from . import invitation_texts, outbox
from .invitation_links import derive_meal_host_token, new_link, personal_url
from .meals import MealRegistration, register_meal
from .tokens import hash_token

NEW = "new"
INVITED = "invited"
ACCEPTED = "accepted"
DECLINED = "declined"
REGISTERED = "registered"

CONTACT_METHODS = ("phone", "in_person", "email", "other")


class DuplicateHost(ValueError):
    """This e-mail address (or phone number) is already invited to the campaign."""


class NotInCampaign(ValueError):
    """A place or target group that is not one of the campaign's."""


@dataclass
class HostData:
    name: str
    email: str | None = None
    phone: str | None = None
    language: str = "nb"
    place_id: int | None = None
    target_group_id: int | None = None


# --- settings --------------------------------------------------------------------------------


def settings_for(campaign: Campaign) -> InvitationSettings:
    """The campaign's invitation settings; unsaved defaults when staff have not set any."""
    settings = db.session.scalar(
        sa.select(InvitationSettings).where(InvitationSettings.campaign_id == campaign.id)
    )
    if settings is None:
        settings = InvitationSettings(
            campaign_id=campaign.id, texts={}, reminders_enabled=True,
            reminder_after_days=7, max_reminders=2,
        )
    return settings


def _saved_settings(campaign: Campaign) -> InvitationSettings:
    settings = settings_for(campaign)
    if settings.id is None:
        db.session.add(settings)
    return settings


def save_texts(campaign: Campaign, texts: dict[str, str]) -> InvitationSettings:
    """Store staff's own invitation texts; an empty or unchanged-default text uses the default."""
    settings = _saved_settings(campaign)
    kept = {}
    for lang, text in texts.items():
        text = (text or "").strip().replace("\r\n", "\n")
        default = invitation_texts.default_text(campaign, lang, campaign.organisation.name)
        if text and text != default:
            kept[lang] = text
    settings.texts = kept
    db.session.flush()
    return settings


CONTACT_FIELDS = ("contact_name", "contact_phone", "contact_email", "reply_by")


def save_contact(campaign: Campaign, **values) -> InvitationSettings:
    """Store whom hosts can ask and by when they should answer (empty: left out)."""
    settings = _saved_settings(campaign)
    for name in CONTACT_FIELDS:
        value = values.get(name)
        setattr(settings, name, value if value not in ("", None) else None)
    db.session.flush()
    return settings


def save_reminder_settings(
    campaign: Campaign, *, enabled: bool, after_days: int, max_reminders: int
) -> InvitationSettings:
    """Turn reminders on or off and set how often and how many."""
    settings = _saved_settings(campaign)
    settings.reminders_enabled = enabled
    settings.reminder_after_days = after_days
    settings.max_reminders = max_reminders
    db.session.flush()
    return settings


# --- adding hosts ----------------------------------------------------------------------------


def normalise_email(email: str | None) -> str | None:
    email = (email or "").strip()
    return email.lower() or None


def normalise_phone(phone: str | None) -> str | None:
    digits = "".join(ch for ch in (phone or "") if ch.isdigit())
    return digits or None


def existing_contacts(campaign: Campaign) -> tuple[set[str], set[str]]:
    """E-mail addresses and phone digits already invited to the campaign."""
    rows = db.session.execute(
        sa.select(Host.email, Host.phone)
        .join(Invitation, Invitation.host_id == Host.id)
        .where(Invitation.campaign_id == campaign.id)
    )
    emails, phones = set(), set()
    for email, phone in rows:
        if normalise_email(email):
            emails.add(normalise_email(email))
        if normalise_phone(phone):
            phones.add(normalise_phone(phone))
    return emails, phones


def is_duplicate(data: HostData, emails: set[str], phones: set[str]) -> bool:
    """Duplicates go by e-mail; a host with only a phone number goes by the phone number."""
    email = normalise_email(data.email)
    if email:
        return email in emails
    phone = normalise_phone(data.phone)
    return bool(phone) and phone in phones


def _check_place_and_group(
    campaign: Campaign, data: HostData
) -> tuple[Place | None, TargetGroup | None]:
    place = next((p for p in campaign.places if p.id == data.place_id), None)
    group = next((g for g in campaign.target_groups if g.id == data.target_group_id), None)
    if (data.place_id and place is None) or (data.target_group_id and group is None):
        raise NotInCampaign("place or target group not in campaign")
    return place, group


def add_host(campaign: Campaign, data: HostData) -> Invitation:
    """Add a host to the campaign as a new, not yet sent invitation with a personal link."""
    [invitation] = add_hosts(campaign, [data], refuse_duplicates=True)
    return invitation


def add_hosts(
    campaign: Campaign, rows: list[HostData], *, refuse_duplicates: bool = False
) -> list[Invitation]:
    """Add several hosts at once (a list import); duplicates are skipped or refused."""
    emails, phones = existing_contacts(campaign)
    known_hosts = _hosts_by_email(campaign.organisation_id)
    added = []
    # One flush at the end: a list of hundreds of hosts is one short write, not hundreds.
    with db.session.no_autoflush:
        for data in rows:
            if is_duplicate(data, emails, phones):
                if refuse_duplicates:
                    raise DuplicateHost("already invited")
                continue
            place, group = _check_place_and_group(campaign, data)
            added.append(_new_invitation(campaign, data, place, group, known_hosts))
            if normalise_email(data.email):
                emails.add(normalise_email(data.email))
            elif normalise_phone(data.phone):
                phones.add(normalise_phone(data.phone))
    db.session.flush()
    return added


def _hosts_by_email(organisation_id: int) -> dict[str, Host]:
    # One person, one Host row in the organisation: reused across campaigns.
    hosts = db.session.scalars(
        sa.select(Host).where(Host.organisation_id == organisation_id, Host.email.is_not(None))
    )
    return {host.email.lower(): host for host in hosts}


def _new_invitation(campaign: Campaign, data: HostData, place, group,
                    known_hosts: dict[str, Host]) -> Invitation:
    email = (data.email or "").strip() or None
    host = known_hosts.get(email.lower()) if email else None
    if host is None:
        host = Host(organisation_id=campaign.organisation_id, email=email)
        db.session.add(host)
        if email:
            known_hosts[email.lower()] = host
    host.name = data.name.strip()
    host.phone = (data.phone or "").strip() or host.phone
    host.language = data.language
    invitation = Invitation(
        campaign_id=campaign.id, host=host, status=NEW, language=data.language,
        place=place, target_group=group, reminders_by_kind={},
        token_hash=hash_token(secrets.token_hex(16)),  # replaced by new_link() below
    )
    db.session.add(invitation)
    new_link(invitation)
    return invitation


def invitation_in_campaign(campaign: Campaign, invitation_id: int) -> Invitation | None:
    """An invitation only if it belongs to this campaign."""
    return db.session.scalar(
        sa.select(Invitation).where(
            Invitation.id == invitation_id, Invitation.campaign_id == campaign.id
        )
    )


# --- sending ---------------------------------------------------------------------------------


def message_context(invitation: Invitation) -> dict:
    """What the invitation and reminder e-mails show: the host, the campaign, the link."""
    campaign = invitation.campaign
    lang = invitation.language
    settings = settings_for(campaign)
    text = invitation_texts.invitation_text(campaign, settings, lang)
    return {
        "host_name": invitation.host.name,
        "campaign_title": campaign.title(lang),
        "organisation_name": campaign.organisation.name,
        "paragraphs": invitation_texts.paragraphs(text),
        "text": text,
        "personal_url": personal_url(invitation),
        "deadline": invitation_texts.deadline_text(campaign, lang),
        "meal_date": invitation.meal.held_on if invitation.meal else None,
        "contact_name": settings.contact_name,
        "contact_phone": settings.contact_phone,
        "contact_email": settings.contact_email,
        "reply_by": settings.reply_by,
    }


@dataclass
class SendResult:
    queued: int = 0
    without_email: int = 0


def send_invitation(invitation: Invitation, now: datetime | None = None) -> bool:
    """Queue the invitation e-mail once (a double click queues nothing more). False: no e-mail."""
    email = invitation.host.email
    if not email:
        return False
    outbox.queue_message(
        kind="invitation",
        recipient=email,
        language=invitation.language,
        dedupe_key=f"invitation:{invitation.id}",
        context=message_context(invitation),
        organisation_id=invitation.campaign.organisation_id,
    )
    if invitation.status == NEW:
        invitation.status = INVITED
    invitation.sent_at = invitation.sent_at or now or utcnow()
    invitation.sent_by = invitation.sent_by or "email"
    db.session.flush()
    return True


def unsent(campaign: Campaign) -> list[Invitation]:
    """Invitations added but not yet sent, oldest first."""
    return list(db.session.scalars(
        sa.select(Invitation)
        .where(Invitation.campaign_id == campaign.id, Invitation.status == NEW)
        .order_by(Invitation.id)
    ))


def send_unsent(campaign: Campaign) -> SendResult:
    """E-mail every invitation not yet sent; those without an e-mail need a letter."""
    result = SendResult()
    for invitation in unsent(campaign):
        try:
            sent = send_invitation(invitation)
        except outbox.InvalidMessage:
            sent = False  # an address the mail system refuses: a letter is needed instead
        if sent:
            result.queued += 1
        else:
            result.without_email += 1
    return result


def mark_letter_given(invitation: Invitation) -> None:
    """Record that the host got the printed letter (by hand or by post)."""
    if invitation.status == NEW:
        invitation.status = INVITED
    invitation.sent_at = invitation.sent_at or utcnow()
    invitation.sent_by = invitation.sent_by or "letter"
    db.session.flush()


# --- the host's answers ----------------------------------------------------------------------


def _reached(invitation: Invitation) -> None:
    # A host who answers a letter nobody marked as handed over has clearly been invited.
    invitation.sent_at = invitation.sent_at or utcnow()


def accept(invitation: Invitation) -> None:
    """The host says yes; registering the meal is the next step."""
    _reached(invitation)
    if invitation.status in (NEW, INVITED, DECLINED):
        invitation.status = ACCEPTED
        invitation.accepted_at = utcnow()
        invitation.declined_at = None
    db.session.flush()


def decline(invitation: Invitation) -> None:
    """The host says no, thank you; no more reminders. A registered meal is kept as it is."""
    _reached(invitation)
    if invitation.status != REGISTERED:
        invitation.status = DECLINED
        invitation.declined_at = utcnow()
    db.session.flush()


def set_opt_out(invitation: Invitation, opted_out: bool) -> None:
    """Stop (or allow again) reminders to this host for this campaign."""
    invitation.opted_out_at = (invitation.opted_out_at or utcnow()) if opted_out else None
    db.session.flush()


def registration_defaults(invitation: Invitation) -> dict:
    """What the registration form is prefilled with."""
    host = invitation.host
    return {
        "host_name": host.name,
        "email": host.email or "",
        "phone": host.phone or "",
        "place": invitation.place_id,
        "target_group": invitation.target_group_id,
        "language": invitation.language,
    }


def register_from_invitation(invitation: Invitation, data: MealRegistration) -> tuple[Meal, str]:
    """Register the invited host's meal, linked to the invitation; returns (meal, host token)."""
    meal, _random_token = register_meal(invitation.campaign, data)
    # register_meal makes a new Host; the invited host is the same person, so keep one row.
    duplicate = meal.host
    host = invitation.host
    host.name = duplicate.name
    host.email = duplicate.email or host.email
    host.phone = duplicate.phone or host.phone
    host.language = duplicate.language
    meal.host = host
    db.session.delete(duplicate)
    db.session.flush()
    # The meal page's token is derived like the invitation link, so the invitation page (and a
    # reminder to close the meal) can lead the host back to it.
    if not invitation.token_nonce:
        new_link(invitation)
    host_token = derive_meal_host_token(invitation, meal.id)
    meal.host_token_hash = hash_token(host_token)
    _reached(invitation)
    invitation.meal = meal
    invitation.status = REGISTERED
    invitation.accepted_at = invitation.accepted_at or utcnow()
    invitation.declined_at = None
    db.session.flush()
    return meal, host_token


# --- contact by staff ------------------------------------------------------------------------


def log_contact(
    invitation: Invitation, user: User | None, method: str, note: str = ""
) -> ContactLog:
    """Record that staff talked to the host (by phone, in person …)."""
    if method not in CONTACT_METHODS:
        raise ValueError("unknown contact method")
    entry = ContactLog(
        invitation_id=invitation.id, user_id=user.id if user else None, method=method,
        note=(note or "").strip()[:500],
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def campaign_invitations(campaign: Campaign) -> list[Invitation]:
    """All the campaign's invitations, newest first, with host, place, group and meal loaded."""
    return list(db.session.scalars(
        sa.select(Invitation)
        .where(Invitation.campaign_id == campaign.id)
        .options(
            selectinload(Invitation.host), selectinload(Invitation.place),
            selectinload(Invitation.target_group), selectinload(Invitation.meal),
        )
        .order_by(Invitation.id.desc())
    ))
