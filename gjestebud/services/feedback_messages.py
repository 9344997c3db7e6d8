"""Feedback e-mails staff compose: the results round to hosts and guests, and later updates.

A FeedbackMessage is a draft until it is sent. Sending queues one outbox e-mail per address,
each with its own dedupe key under `feedback:<campaign>:m<message>:`, so that nobody gets the
same message twice, however often the button is pressed. Hosts get the "thank you for hosting"
variant (one e-mail per address, even with several meals); guests who left an address with
consent get the guest variant with their own unsubscribe link. An update is published (shown on
the public report and on the guest links) when it is sent, and cannot be changed after that.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field

import sqlalchemy as sa
from babel.lists import format_list
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from ..extensions import db
from ..links import _absolute
from ..models import (
    LANGUAGES,
    Campaign,
    FeedbackContact,
    FeedbackMessage,
    Host,
    Meal,
    Message,
    MessageStatus,
    Theme,
    User,
    localized_with_language,
    utcnow,
)
from . import consent, reports, retention
from .outbox import InvalidMessage, Rendered, clean_recipient, queue_message, render_message
from .themes import live_themes

RESULTS, UPDATE = "results", "update"
KINDS = (RESULTS, UPDATE)
HOST, GUEST = "host", "guest"
RECIPIENT_KINDS = (HOST, GUEST)

# The outbox message kind (templates/email/<kind>.*) for each message and recipient kind.
EMAIL_KINDS = {
    (RESULTS, HOST): "feedback_thanks_host",
    (RESULTS, GUEST): "feedback_thanks",
    (UPDATE, HOST): "feedback_update_host",
    (UPDATE, GUEST): "feedback_update",
}

SUBJECT_MAX = 200
BODY_MAX = 10000


class AlreadySent(Exception):
    """The message has been sent: it cannot be changed any more."""


@dataclass
class Draft:
    """What staff write: {lang: text} subjects and bodies, and (for updates) theme ids."""

    subjects: dict[str, str] = field(default_factory=dict)
    bodies: dict[str, str] = field(default_factory=dict)
    theme_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Recipient:
    """One address that gets the message, in its language; hosts with the places they hosted."""

    kind: str  # host | guest
    email: str
    language: str
    key: str  # the part of the dedupe key that names this recipient
    places: tuple[str, ...] = ()
    meal_ids: tuple[int, ...] = ()
    contact: FeedbackContact | None = None


@dataclass(frozen=True)
class LanguageCount:
    language: str
    hosts: int
    guests: int


@dataclass
class Audience:
    """Who gets a campaign's feedback now: addresses, and how many per language."""

    recipients: list[Recipient]
    hosts_skipped: int  # hosts without a usable e-mail address
    guests_also_hosts: int  # guest addresses that get the host e-mail instead

    @property
    def hosts(self) -> int:
        return sum(1 for r in self.recipients if r.kind == HOST)

    @property
    def guests(self) -> int:
        return sum(1 for r in self.recipients if r.kind == GUEST)

    @property
    def by_language(self) -> list[LanguageCount]:
        found = {r.language for r in self.recipients}
        return [
            LanguageCount(
                code,
                sum(1 for r in self.recipients if r.kind == HOST and r.language == code),
                sum(1 for r in self.recipients if r.kind == GUEST and r.language == code),
            )
            for code in (*LANGUAGES, *sorted(found - set(LANGUAGES)))
            if code in found
        ]


@dataclass(frozen=True)
class SendResult:
    hosts: int
    guests: int
    already_sent: bool = False


@dataclass(frozen=True)
class Delivery:
    """Where the message's e-mails are in the outbox."""

    pending: int = 0
    sent: int = 0
    failed: int = 0

    @property
    def total(self) -> int:
        return self.pending + self.sent + self.failed


# --- drafts -----------------------------------------------------------------------------------

def languages(campaign: Campaign) -> list[str]:
    """The languages feedback is written and previewed in: the campaign's main language first."""
    main = campaign.main_language if campaign.main_language in LANGUAGES else LANGUAGES[0]
    return [main, *(code for code in LANGUAGES if code != main)]


def messages_for(campaign: Campaign) -> list[FeedbackMessage]:
    """The campaign's feedback messages, newest first."""
    return list(db.session.scalars(
        sa.select(FeedbackMessage).where(FeedbackMessage.campaign_id == campaign.id)
        .order_by(FeedbackMessage.created_at.desc(), FeedbackMessage.id.desc())
    ))


def message_in_campaign(campaign: Campaign, message_id: int) -> FeedbackMessage | None:
    """A message of this campaign, or None (also for another campaign's message)."""
    return db.session.scalar(sa.select(FeedbackMessage).where(
        FeedbackMessage.id == message_id, FeedbackMessage.campaign_id == campaign.id))


def default_draft(campaign: Campaign, kind: str) -> Draft:
    """What a new message starts with: a subject per language and, for results, the summary."""
    subjects, bodies = {}, {}
    for code in languages(campaign):
        title = campaign.title(code)
        with force_locale(code):
            if kind == RESULTS:
                subjects[code] = _("The results from %(campaign)s", campaign=title)
            else:
                subjects[code] = _("News from %(campaign)s", campaign=title)
        if kind == RESULTS:
            bodies[code] = reports.results_summary(campaign, code)
    return Draft(subjects=subjects, bodies=bodies)


def draft_of(message: FeedbackMessage) -> Draft:
    return Draft(
        subjects=dict(message.subjects or {}),
        bodies=dict(message.bodies or {}),
        theme_ids=[int(i) for i in message.theme_ids or []],
    )


def create_message(campaign: Campaign, kind: str, draft: Draft,
                   user: User | None = None) -> FeedbackMessage:
    """Save a new draft message."""
    if kind not in KINDS:
        raise ValueError(f"unknown feedback message kind: {kind}")
    message = FeedbackMessage(campaign_id=campaign.id, kind=kind,
                              created_by_id=user.id if user else None)
    db.session.add(message)
    _apply(message, campaign, draft)
    db.session.flush()
    return message


def update_message(message: FeedbackMessage, draft: Draft) -> FeedbackMessage:
    """Change a draft; a message that has been sent cannot be changed (AlreadySent)."""
    if message.sent_at is not None:
        raise AlreadySent()
    _apply(message, message.campaign, draft)
    message.updated_at = utcnow()
    db.session.flush()
    return message


def _apply(message: FeedbackMessage, campaign: Campaign, draft: Draft) -> None:
    message.subjects = _clean(draft.subjects, single_line=True)
    message.bodies = _clean(draft.bodies)
    live = {theme.id for theme in live_themes(campaign)}
    wanted = [int(i) for i in draft.theme_ids or []]
    chosen = [i for i in dict.fromkeys(wanted) if i in live]
    message.theme_ids = chosen if message.kind == UPDATE else []


def _clean(texts: dict[str, str], *, single_line: bool = False) -> dict[str, str]:
    clean = {}
    for code, text in (texts or {}).items():
        if code not in LANGUAGES or not text or not text.strip():
            continue
        text = text.replace("\r\n", "\n").strip()
        clean[code] = " ".join(text.split()) if single_line else text
    return clean


def theme_labels(message: FeedbackMessage) -> list[str]:
    """The labels of the message's themes that still exist, in the order chosen."""
    ids = [int(i) for i in message.theme_ids or []]
    if not ids:
        return []
    labels = dict(db.session.execute(sa.select(Theme.id, Theme.label).where(
        Theme.id.in_(ids), Theme.campaign_id == message.campaign_id)).all())
    return [labels[i] for i in ids if i in labels]


# --- who gets it ------------------------------------------------------------------------------

def _address_key(address: str) -> str:
    """A keyed hash of an address, to name a host in a dedupe key without storing the address."""
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, f"feedback-host:{address.casefold()}".encode(), hashlib.sha256)
    return digest.hexdigest()[:24]


def _usable(address: str | None) -> str | None:
    if not address or not address.strip():
        return None
    try:
        return clean_recipient(address)
    except InvalidMessage:
        return None


def audience(campaign: Campaign) -> Audience:
    """The hosts (one per address, over all their meals) and consenting guests of a campaign."""
    rows = db.session.execute(
        sa.select(Meal, Host).join(Host, Host.id == Meal.host_id)
        .where(Meal.campaign_id == campaign.id).order_by(Host.id, Meal.id)
    ).all()
    hosts: dict[str, dict] = {}
    skipped_hosts = set()
    for meal, host in rows:
        address = _usable(host.email)
        if address is None:
            skipped_hosts.add(host.id)
            continue
        entry = hosts.setdefault(address.casefold(), {
            "email": address, "language": _language(host.language, campaign),
            "places": [], "meal_ids": [],
        })
        if meal.place.name not in entry["places"]:
            entry["places"].append(meal.place.name)
        entry["meal_ids"].append(meal.id)
    recipients = [
        Recipient(kind=HOST, email=e["email"], language=e["language"],
                  key=f"host:{_address_key(folded)}", places=tuple(e["places"]),
                  meal_ids=tuple(e["meal_ids"]))
        for folded, e in hosts.items()
    ]
    also_hosts = 0
    for contact in consent.contacts_for(campaign):
        if contact.email.casefold() in hosts:
            also_hosts += 1  # one e-mail per person: theirs as host
            continue
        recipients.append(Recipient(kind=GUEST, email=contact.email,
                                    language=_language(contact.language, campaign),
                                    key=str(contact.id), contact=contact))
    return Audience(recipients=recipients, hosts_skipped=len(skipped_hosts),
                    guests_also_hosts=also_hosts)


def _language(code: str | None, campaign: Campaign) -> str:
    if code in LANGUAGES:
        return code
    return campaign.main_language if campaign.main_language in LANGUAGES else LANGUAGES[0]


# --- what they get ----------------------------------------------------------------------------


def report_link(campaign: Campaign, lang: str, feedback=None) -> str | None:
    """As on the guest links: a report link staff gave wins; else the published report page."""
    feedback = feedback or retention.campaign_feedback(campaign)
    return (feedback.report_url if feedback else None) or reports.public_report_url(
        campaign, lang)


def email_context(message: FeedbackMessage, recipient_kind: str, lang: str,
                  places: tuple[str, ...] = ()) -> dict:
    """The values the e-mail templates get, for one recipient kind and language."""
    campaign = message.campaign
    main = campaign.main_language
    feedback = retention.campaign_feedback(campaign)
    return {
        "campaign_title": campaign.title(lang),
        "organisation_name": campaign.organisation.name,
        "subject_line": localized_with_language(message.subjects, lang, main)[0]
        or campaign.title(lang),
        "body": localized_with_language(message.bodies, lang, main),
        "results_use": localized_with_language(campaign.results_uses, lang, main),
        "next_steps": localized_with_language(
            feedback.next_steps if feedback else None, lang, main),
        "themes": theme_labels(message) if message.kind == UPDATE else [],
        "report_url": report_link(campaign, lang, feedback),
        "places_text": format_list(list(places), locale=lang) if places else "",
        "recipient_kind": recipient_kind,
    }


def render_preview(message: FeedbackMessage, lang: str, recipient_kind: str) -> Rendered:
    """The e-mail exactly as a host or guest with this language gets it (a sample link)."""
    campaign = message.campaign
    places = ()
    if recipient_kind == HOST:
        # A host who reads this language if there is one, else any host, else a sample place.
        hosts = [r for r in audience(campaign).recipients if r.kind == HOST]
        sample = next((r for r in hosts if r.language == lang), hosts[0] if hosts else None)
        places = sample.places if sample else tuple(p.name for p in campaign.places[:1])
    context = email_context(message, recipient_kind, lang, places)
    if recipient_kind == GUEST:
        context["unsubscribe_url"] = _sample_unsubscribe_url()
    return render_message(EMAIL_KINDS[(message.kind, recipient_kind)], lang, context)


def _sample_unsubscribe_url() -> str:
    return _absolute("feedback.unsubscribe", token="x" * 32)


# --- sending ----------------------------------------------------------------------------------

def dedupe_prefix(message: FeedbackMessage) -> str:
    return f"feedback:{message.campaign_id}:m{message.id}:"


def _claim(message: FeedbackMessage, now) -> bool:
    """Mark the message sent, atomically: only one of two simultaneous clicks gets to send."""
    result = db.session.execute(
        sa.update(FeedbackMessage)
        .where(FeedbackMessage.id == message.id, FeedbackMessage.sent_at.is_(None))
        .values(sent_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def send(message: FeedbackMessage, *, more_to_come: bool = False) -> SendResult:
    """Queue the message to every host and consenting guest, once; the caller commits.

    An update is published at the same time. Meals whose host got it count as "feedback sent"
    in the funnel. The campaign's guest addresses are deleted a grace period later, unless staff
    say more will follow: then they stay until the campaign's retention date at the latest.
    """
    now = utcnow()
    if not _claim(message, now):
        db.session.refresh(message)
        return SendResult(hosts=0, guests=0, already_sent=True)
    campaign = message.campaign
    hosts = guests = 0
    meal_ids: list[int] = []
    for recipient in audience(campaign).recipients:
        context = email_context(message, recipient.kind, recipient.language, recipient.places)
        kind = EMAIL_KINDS[(message.kind, recipient.kind)]
        if recipient.kind == HOST:
            queue_message(
                kind=kind, recipient=recipient.email, language=recipient.language,
                dedupe_key=dedupe_prefix(message) + recipient.key, context=context,
                organisation_id=campaign.organisation_id,
            )
            hosts += 1
            meal_ids.extend(recipient.meal_ids)
        else:
            consent.queue_feedback(recipient.contact, context, round_key=f"m{message.id}",
                                   kind=kind)
            guests += 1
    if meal_ids:
        db.session.execute(
            sa.update(Meal)
            .where(Meal.id.in_(meal_ids), Meal.feedback_sent_at.is_(None))
            .values(feedback_sent_at=now)
            .execution_options(synchronize_session=False)
        )
    message.sent_at = now
    message.sent_to_hosts = hosts
    message.sent_to_guests = guests
    if message.kind == UPDATE:
        message.published_at = now
    if more_to_come:
        retention.more_feedback_planned(campaign)
    else:
        retention.feedback_sent(campaign, now)
    db.session.flush()
    return SendResult(hosts=hosts, guests=guests)


def delivery(message: FeedbackMessage) -> Delivery:
    """How many of the message's e-mails wait, went out, or failed."""
    rows = db.session.execute(
        sa.select(Message.status, sa.func.count())
        .where(Message.dedupe_key.startswith(dedupe_prefix(message), autoescape=True))
        .group_by(Message.status)
    ).all()
    counts = dict(rows)
    return Delivery(
        pending=counts.get(MessageStatus.PENDING.value, 0)
        + counts.get(MessageStatus.SENDING.value, 0),
        sent=counts.get(MessageStatus.SENT.value, 0),
        failed=counts.get(MessageStatus.FAILED.value, 0),
    )
