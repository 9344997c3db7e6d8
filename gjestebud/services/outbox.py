"""The outbox: every e-mail is rendered once, stored as a Message row, then delivered by the worker.

`queue_message` only adds the row to the caller's transaction; the ids it queued are handed to
the task queue after that transaction commits (see `gjestebud.tasks`), so a rolled-back
transaction sends nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from email.utils import parseaddr

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db
from ..models import Message, MessageStatus, utcnow

# Where queue_message leaves the ids to dispatch once the caller's transaction commits.
DISPATCH_KEY = "gjestebud.outbox.dispatch"


class InvalidMessage(ValueError):
    """A message that must not be queued: a bad address, or a header that could be forged."""


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def clean_recipient(address: str) -> str:
    """Return the normalised address, or raise InvalidMessage (line breaks, not an address)."""
    if not address or "\r" in address or "\n" in address:
        raise InvalidMessage("The recipient must be a single e-mail address without line breaks.")
    try:
        return validate_email(address.strip(), check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise InvalidMessage("The recipient is not a valid e-mail address.") from exc


def clean_unsubscribe_url(url: str | None) -> str | None:
    """An unsubscribe link fit for a header: one http(s) URL in ASCII, no spaces, or None."""
    if not url:
        return None
    if (
        len(url) > 500
        or not url.isascii()
        or any(ch.isspace() or ch in "<>" for ch in url)
        or not url.lower().startswith(("https://", "http://"))
    ):
        raise InvalidMessage("The unsubscribe link must be a single http(s) URL.")
    return url


def render_message(kind: str, language: str, context: dict | None = None) -> Rendered:
    """Render a message kind in the recipient's language: subject, plain text and HTML."""
    if language not in current_app.config["LANGUAGES"]:
        language = current_app.config["BABEL_DEFAULT_LOCALE"]
    values = {"organisation_name": None, **(context or {}), "lang": language}
    # force_locale: the recipient's language, not the language of the page that queued it.
    with force_locale(language):
        subject = render_template(f"email/{kind}.subject.txt", **values).strip()
        _refuse_line_breaks(subject, "subject")
        values["subject"] = subject
        text = render_template(f"email/{kind}.txt", **values)
        html = render_template(f"email/{kind}.html", **values)
    return Rendered(subject=subject, text=text.strip() + "\n", html=html)


def queue_message(
    *,
    kind: str,
    recipient: str,
    language: str,
    dedupe_key: str,
    context: dict | None = None,
    organisation_id: int | None = None,
    list_unsubscribe: str | None = None,
) -> Message:
    """Add a message to the outbox in the caller's transaction; the same dedupe_key queues once.

    `list_unsubscribe` is the https link that stops this kind of mail (RFC 2369/8058); the mailer
    puts it in the List-Unsubscribe headers. The caller commits. Delivery starts after that
    commit; nothing is sent if it rolls back.
    """
    recipient = clean_recipient(recipient)
    list_unsubscribe = clean_unsubscribe_url(list_unsubscribe)
    if not dedupe_key or len(dedupe_key) > 200:
        raise InvalidMessage("A message needs a dedupe key of at most 200 characters.")
    existing = _by_dedupe_key(dedupe_key)
    if existing is not None:
        return existing
    rendered = render_message(kind, language, context)
    values = {
        "organisation_id": organisation_id,
        "recipient": recipient,
        "language": language,
        "kind": kind,
        "subject": rendered.subject,
        "body_text": rendered.text,
        "body_html": rendered.html,
        "status": MessageStatus.PENDING.value,
        "attempts": 0,
        "next_attempt_at": utcnow(),
        "dedupe_key": dedupe_key,
        "message_id_header": new_message_id(current_app.config["SMTP_FROM"]),
        "list_unsubscribe": list_unsubscribe,
    }
    message_id = _insert_once(values)
    if message_id is None:
        # Another transaction queued the same logical message between our check and insert.
        return _by_dedupe_key(dedupe_key)
    db.session.info.setdefault(DISPATCH_KEY, []).append(message_id)
    return db.session.get(Message, message_id)


def queue_test_message(recipient: str, language: str) -> Message:
    """Queue a one-off test message, to check the e-mail settings end to end."""
    return queue_message(
        kind="test",
        recipient=recipient,
        language=language,
        dedupe_key=f"test:{uuid.uuid4().hex}",
        context={"queued_on": utcnow().date()},
    )


def take_dispatch_ids(session) -> list[int]:
    """Remove and return the ids queued in this session's transaction (for the commit hook)."""
    return session.info.pop(DISPATCH_KEY, None) or []


def new_message_id(sender: str) -> str:
    """A globally unique Message-ID header value in the sender's domain."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "gjestebud.invalid"
    return f"<{uuid.uuid4().hex}@{domain}>"


def list_messages(
    statuses: tuple[str, ...] = (
        MessageStatus.FAILED.value,
        MessageStatus.PENDING.value,
        MessageStatus.SENDING.value,
    ),
    organisation_id: int | None = None,
    limit: int = 100,
) -> list[Message]:
    """Messages that need a look (by default failed, pending and sending), newest first."""
    query = sa.select(Message).where(Message.status.in_(statuses))
    if organisation_id is not None:
        query = query.where(Message.organisation_id == organisation_id)
    query = query.order_by(Message.created_at.desc(), Message.id.desc()).limit(limit)
    return list(db.session.scalars(query))


def status_counts(organisation_id: int | None = None) -> dict[str, int]:
    """How many messages are in each status (every status present, zero or more)."""
    query = sa.select(Message.status, sa.func.count()).group_by(Message.status)
    if organisation_id is not None:
        query = query.where(Message.organisation_id == organisation_id)
    counts = {status.value: 0 for status in MessageStatus}
    counts.update({status: count for status, count in db.session.execute(query)})
    return counts


def requeue(message: Message) -> None:
    """Give a failed message a fresh set of attempts (after the cause has been fixed)."""
    if message.status != MessageStatus.FAILED.value:
        raise InvalidMessage("Only a failed message can be queued again.")
    message.status = MessageStatus.PENDING.value
    message.attempts = 0
    message.next_attempt_at = utcnow()
    db.session.flush()
    db.session.info.setdefault(DISPATCH_KEY, []).append(message.id)


def _refuse_line_breaks(value: str, what: str) -> None:
    if "\r" in value or "\n" in value:
        raise InvalidMessage(f"The {what} must not contain line breaks.")


def _by_dedupe_key(dedupe_key: str) -> Message | None:
    return db.session.scalar(sa.select(Message).where(Message.dedupe_key == dedupe_key))


def _insert_once(values: dict) -> int | None:
    """Insert unless the dedupe key exists; the new id, or None when it already existed.

    INSERT … ON CONFLICT DO NOTHING is atomic on SQLite and PostgreSQL and needs no savepoint,
    so it cannot disturb the caller's transaction.
    """
    dialect = db.session.get_bind().dialect.name
    if dialect in ("sqlite", "postgresql"):
        insert = sqlite.insert if dialect == "sqlite" else postgresql.insert
        statement = (
            insert(Message)
            .values(**values)
            .on_conflict_do_nothing(index_elements=["dedupe_key"])
            .returning(Message.id)
        )
        return db.session.execute(statement).scalar_one_or_none()
    message = Message(**values)
    db.session.add(message)
    db.session.flush()
    return message.id
