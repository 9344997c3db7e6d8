"""A person's rights over their data: export or delete what is held about an e-mail address.

The person asks with an address; a single-use link (160 random bits, stored hashed, valid for
N days) goes to that address, and only that link shows or deletes anything. The answer to the
request is the same whether or not the address is known, so nobody learns who took part.
"""

from __future__ import annotations

import csv
import enum
import hashlib
import hmac
import io
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from ..extensions import db
from ..links import _absolute
from ..models import DataRequest, FeedbackContact, Host, Invitation, Meal, Message, utcnow
from .outbox import clean_recipient, queue_message
from .retention import WIPED, forget_hosts, retention_date, wipe_messages
from .spreadsheets import safe_cell
from .tokens import hash_token, new_token, normalise_token

PURPOSES = ("export", "delete")
CSV_HEADER = (
    "record", "email", "name", "phone", "organisation", "campaign", "place", "meal_date",
    "language", "consent_text_version", "consented_on", "delete_by", "kind", "subject", "sent_at",
)


class LinkState(enum.StrEnum):
    VALID = "valid"
    USED = "used"
    EXPIRED = "expired"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Found:
    request: DataRequest | None
    state: LinkState


def email_hash(address: str) -> str:
    """A keyed hash of an address: the request never stores the address itself."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, b"data-request:" + address.casefold().encode(), hashlib.sha256).hexdigest()


def _holds_data(address: str) -> bool:
    folded = address.casefold()
    contact = sa.select(FeedbackContact.id).where(sa.func.lower(FeedbackContact.email) == folded)
    message = sa.select(Message.id).where(sa.func.lower(Message.recipient) == folded)
    host = sa.select(Host.id).where(sa.func.lower(Host.email) == folded)
    return any(db.session.scalar(query.limit(1)) is not None
               for query in (contact, message, host))


def request_data(email: str, purpose: str, language: str) -> None:
    """Send a confirmation link if any data is held about the address; otherwise do nothing.

    Returns nothing either way: the caller must answer the same in both cases.
    """
    if purpose not in PURPOSES:
        raise ValueError(f"unknown purpose {purpose!r}")
    address = clean_recipient(email)
    if not _holds_data(address):
        return
    token = new_token()
    ttl = timedelta(days=current_app.config["DATA_REQUEST_TTL_DAYS"])
    request = DataRequest(
        email_hash=email_hash(address),
        token_hash=hash_token(token),
        purpose=purpose,
        language=language,
        expires_at=utcnow() + ttl,
    )
    db.session.add(request)
    db.session.flush()
    queue_message(
        kind="data_request",
        recipient=address,
        language=language,
        dedupe_key=f"data-request:{request.id}",
        context={
            "purpose": purpose,
            "link": _absolute("feedback.my_data_confirm", token=token),
            "expires_on": request.expires_at.date(),
        },
    )


def find_request(token: str, now: datetime | None = None) -> Found:
    """The request behind a link and whether the link can still be used."""
    token = normalise_token(token)
    request = None
    if token:
        request = db.session.scalar(
            sa.select(DataRequest).where(DataRequest.token_hash == hash_token(token))
        )
    if request is None:
        return Found(None, LinkState.UNKNOWN)
    if request.used_at is not None:
        return Found(request, LinkState.USED)
    if (now or utcnow()) >= request.expires_at:
        return Found(request, LinkState.EXPIRED)
    return Found(request, LinkState.VALID)


def _addresses(request: DataRequest) -> set[str]:
    """The stored spellings of the request's address (found by hashing, as it is not stored)."""
    stored = set(db.session.scalars(sa.select(FeedbackContact.email).distinct()))
    recipients = sa.select(Message.recipient).where(Message.recipient != WIPED).distinct()
    stored |= set(db.session.scalars(recipients))
    stored |= set(db.session.scalars(sa.select(Host.email).where(Host.email.is_not(None))
                                     .distinct()))
    return {a for a in stored if hmac.compare_digest(email_hash(a), request.email_hash)}


def _lowered(addresses: set[str]) -> list[str]:
    return sorted({a.casefold() for a in addresses})


def export_data(request: DataRequest) -> dict:
    """Everything held about the request's address, as plain data; marks the link used."""
    addresses = _addresses(request)
    folded = _lowered(addresses)
    contacts = db.session.scalars(
        sa.select(FeedbackContact)
        .where(sa.func.lower(FeedbackContact.email).in_(folded))
        .order_by(FeedbackContact.id)
    ).all()
    messages = db.session.scalars(
        sa.select(Message).where(sa.func.lower(Message.recipient).in_(folded)).order_by(Message.id)
    ).all()
    hosts = _hosts(folded)
    request.used_at = utcnow()
    db.session.flush()
    return {
        "email": sorted(addresses)[0] if addresses else None,
        "hosts": [_host_record(host) for host in hosts],
        "exported_at": request.used_at.isoformat(timespec="seconds") + "Z",
        "feedback_contacts": [
            {
                "email": c.email,
                "organisation": c.campaign.organisation.name,
                "campaign": c.campaign.title(c.language),
                "place": c.meal.place.name if c.meal else None,
                "language": c.language,
                "consent_text_version": c.consent_text_version,
                "consented_on": c.consented_at.date().isoformat(),
                "delete_by": retention_date(c.campaign).isoformat(),
            }
            for c in contacts
        ],
        "messages": [
            {
                "kind": m.kind,
                "subject": m.subject,
                "language": m.language,
                "status": m.status,
                "created_at": m.created_at.isoformat(timespec="seconds") + "Z",
                "sent_at": m.sent_at.isoformat(timespec="seconds") + "Z" if m.sent_at else None,
            }
            for m in messages
        ],
    }


def _hosts(folded: list[str]) -> list[Host]:
    if not folded:
        return []
    return list(db.session.scalars(
        sa.select(Host).where(sa.func.lower(Host.email).in_(folded)).order_by(Host.id)))


def _host_record(host: Host) -> dict:
    """A host's contact details and the meals and invitations they belong to."""
    meals = db.session.scalars(sa.select(Meal).where(Meal.host_id == host.id).order_by(Meal.id))
    invited = db.session.scalars(
        sa.select(Invitation).where(Invitation.host_id == host.id, Invitation.meal_id.is_(None))
        .order_by(Invitation.id))
    return {
        "email": host.email, "name": host.name, "phone": host.phone, "language": host.language,
        "meals": [{"organisation": m.campaign.organisation.name,
                   "campaign": m.campaign.title(m.language), "place": m.place.name,
                   "meal_date": m.held_on.isoformat()} for m in meals],
        "invitations": [{"organisation": i.campaign.organisation.name,
                         "campaign": i.campaign.title(i.language), "status": i.status}
                        for i in invited],
    }


def _safe(row: dict) -> dict:
    return {key: safe_cell(value) for key, value in row.items()}


def export_csv(data: dict) -> str:
    """The export as CSV: one row per consent record and per e-mail."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_HEADER, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for host in data.get("hosts", []):
        contact = {k: host[k] for k in ("email", "name", "phone", "language")}
        for meal in host["meals"] or [{}]:
            writer.writerow(_safe({"record": "host", **contact, **meal}))
        for invitation in host["invitations"]:
            writer.writerow(_safe({"record": "invitation", **contact,
                                   "organisation": invitation["organisation"],
                                   "campaign": invitation["campaign"]}))
    for contact in data["feedback_contacts"]:
        writer.writerow(_safe({"record": "feedback_contact", **contact}))
    for message in data["messages"]:
        writer.writerow(_safe({"record": "message", "email": data["email"], **message}))
    return out.getvalue()


def delete_data(request: DataRequest) -> int:
    """Delete the addresses, wipe the e-mails and forget the hosts (name, address, phone) held
    for the request; the rows affected."""
    folded = _lowered(_addresses(request))
    now = utcnow()
    deleted = 0
    if folded:
        deleted = db.session.execute(
            sa.delete(FeedbackContact).where(sa.func.lower(FeedbackContact.email).in_(folded))
        ).rowcount or 0
        deleted += wipe_messages(sa.func.lower(Message.recipient).in_(folded), now)
        deleted += forget_hosts([host.id for host in _hosts(folded)])
    request.used_at = now
    db.session.flush()
    return deleted
