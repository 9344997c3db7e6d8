"""Delivery of outbox messages: claim a row, hand it to SMTP (or a folder), record the outcome.

This runs in the worker, outside any request, so it is its own edge: it commits its short
transactions itself. The claim must be committed before the send, so that a second worker
sees the row taken and leaves it alone.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import smtplib
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import format_datetime, parseaddr
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from ..extensions import db
from ..models import Message, MessageStatus, utcnow

logger = logging.getLogger(__name__)

# A sender holds a claimed row this long; after that the row is considered abandoned (the
# worker died mid-send) and may be tried again. Well above any SMTP timeout.
SENDING_LEASE = timedelta(minutes=10)

PENDING = MessageStatus.PENDING.value
SENDING = MessageStatus.SENDING.value
SENT = MessageStatus.SENT.value
FAILED = MessageStatus.FAILED.value

_ADDRESS = re.compile(r"<?[^\s<>()\[\],;:\"']+@[^\s<>()\[\],;:\"']+>?")


class TransientError(Exception):
    """Try again later: the server is away, or it answered 4xx."""


class PermanentError(Exception):
    """Do not try again: the server refused this message with 5xx."""


@dataclass(frozen=True)
class Outcome:
    message_id: int
    status: str  # sent | retry | failed | skipped (another worker has it, or it is not due)
    retry_at: datetime | None = None
    detail: str | None = None


def retry_delay(attempt: int, base_seconds: int) -> timedelta:
    """Exponential backoff: the wait after failed attempt number `attempt` (1, 2, 4, 8 … × base)."""
    return timedelta(seconds=base_seconds * 2 ** (attempt - 1))


# Headers whose value is one URL in angle brackets: never folded or encoded, or mail clients
# would not find the link. queue_message checks the value (ASCII, no spaces, ≤ 500 characters).
_URL_HEADERS = frozenset({"list-unsubscribe"})


class _MailPolicy(EmailPolicy):
    """The default e-mail policy, except that URL headers stay on one line as they are.

    The default folds a header longer than 78 characters and, when a single word is longer than
    a line, turns it into RFC 2047 encoded-words, which mail clients do not read as a link.
    """

    def fold(self, name, value):
        if name.lower() in _URL_HEADERS:
            return f"{name}: {value}{self.linesep}"
        return super().fold(name, value)

    def fold_binary(self, name, value):
        if name.lower() in _URL_HEADERS:
            return self.fold(name, value).encode("ascii")
        return super().fold_binary(name, value)


MAIL_POLICY = _MailPolicy()


def build_email(message: Message, sender: str) -> EmailMessage:
    """The MIME message: plain text and HTML alternatives, with the message's stable Message-ID.

    Feedback mail carries List-Unsubscribe with the recipient's own link, and
    List-Unsubscribe-Post so that mail clients can unsubscribe with one click (RFC 8058).
    """
    email = EmailMessage(policy=MAIL_POLICY)
    email["From"] = sender
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Message-ID"] = message.message_id_header
    email["Date"] = format_datetime(datetime.now(UTC))
    # RFC 3834: automatic messages; well-behaved autoresponders stay quiet.
    email["Auto-Submitted"] = "auto-generated"
    if message.list_unsubscribe:
        if "\r" in message.list_unsubscribe or "\n" in message.list_unsubscribe:
            raise ValueError("line break in List-Unsubscribe")
        email["List-Unsubscribe"] = f"<{message.list_unsubscribe}>"
        email["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    email.set_content(message.body_text)
    email.add_alternative(message.body_html, subtype="html")
    # After the content: set_content() drops Content-* headers set before it.
    email["Content-Language"] = message.language
    return email


def deliver(message_id: int) -> Outcome:
    """Try to deliver one message: claim it atomically, send it, record sent/retry/failed."""
    config = current_app.config
    max_attempts = config["MAIL_MAX_ATTEMPTS"]
    attempt = claim(message_id, max_attempts)
    if attempt is None:
        return Outcome(message_id, "skipped")
    message = db.session.get(Message, message_id)
    try:
        email = build_email(message, config["SMTP_FROM"])
    except (ValueError, TypeError) as exc:
        detail = f"The message cannot be built: {type(exc).__name__}"
        return _record_failure(message_id, attempt, detail, final=True)
    recipient = message.recipient
    # No transaction stays open while we talk to the SMTP server.
    db.session.commit()
    try:
        _send(email, message_id, recipient, config)
    except PermanentError as exc:
        return _record_failure(message_id, attempt, str(exc), final=True)
    except TransientError as exc:
        return _record_failure(message_id, attempt, str(exc), final=attempt >= max_attempts)
    except Exception as exc:  # a bug must not leave the row claimed until the lease runs out
        logger.exception("Message %s: unexpected error while sending", message_id)
        detail = f"Unexpected error: {type(exc).__name__}"
        return _record_failure(message_id, attempt, detail, final=attempt >= max_attempts)
    _finish(message_id, attempt, status=SENT, sent_at=utcnow(), next_attempt_at=None,
            last_error=None)
    logger.info("Message %s sent (attempt %s)", message_id, attempt)
    return Outcome(message_id, "sent")


def deliver_due(limit: int = 200) -> list[Outcome]:
    """Deliver every message whose time has come; the periodic safety net behind the queue."""
    now = utcnow()
    _fail_exhausted(now)
    due = sa.select(Message.id).where(
        Message.status.in_((PENDING, SENDING)), Message.next_attempt_at <= now
    )
    ids = list(db.session.scalars(due.order_by(Message.next_attempt_at, Message.id).limit(limit)))
    # End the read transaction before sending: SQLite must not hold a snapshot meanwhile.
    db.session.commit()
    return [deliver(message_id) for message_id in ids]


def claim(message_id: int, max_attempts: int) -> int | None:
    """Take a due row for this worker atomically: the attempt number, or None if not ours."""
    now = utcnow()
    result = db.session.execute(
        sa.update(Message)
        .where(
            Message.id == message_id,
            Message.status.in_((PENDING, SENDING)),
            # A pending row is due; a sending row's lease has run out (its sender died).
            Message.next_attempt_at <= now,
            Message.attempts < max_attempts,
        )
        .values(status=SENDING, attempts=Message.attempts + 1, next_attempt_at=now + SENDING_LEASE)
        .execution_options(synchronize_session=False)
    )
    claimed = result.rowcount == 1
    db.session.commit()
    if not claimed:
        return None
    return db.session.scalar(sa.select(Message.attempts).where(Message.id == message_id))


def _finish(message_id: int, attempt: int, **values) -> bool:
    """Record the outcome, unless another worker has re-claimed an abandoned row since."""
    result = db.session.execute(
        sa.update(Message)
        .where(Message.id == message_id, Message.status == SENDING, Message.attempts == attempt)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount == 1


def _record_failure(message_id: int, attempt: int, detail: str, *, final: bool) -> Outcome:
    detail = _mask(detail)
    if final:
        _finish(message_id, attempt, status=FAILED, next_attempt_at=None, last_error=detail)
        logger.warning("Message %s failed (attempt %s)", message_id, attempt)
        return Outcome(message_id, "failed", detail=detail)
    retry_at = utcnow() + retry_delay(attempt, current_app.config["MAIL_RETRY_BASE_SECONDS"])
    _finish(message_id, attempt, status=PENDING, next_attempt_at=retry_at, last_error=detail)
    logger.info("Message %s not sent (attempt %s); next try at %s", message_id, attempt, retry_at)
    return Outcome(message_id, "retry", retry_at=retry_at, detail=detail)


def _fail_exhausted(now: datetime) -> None:
    """Give up on rows that have no attempts left (e.g. a worker died during the last one)."""
    db.session.execute(
        sa.update(Message)
        .where(
            Message.status.in_((PENDING, SENDING)),
            Message.next_attempt_at <= now,
            Message.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"],
        )
        .values(
            status=FAILED,
            next_attempt_at=None,
            last_error="Gave up: no attempts left (the outcome of the last one is unknown).",
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def _send(email: EmailMessage, message_id: int, recipient: str, config) -> None:
    if config.get("SMTP_HOST"):
        _send_smtp(email, recipient, config)
    else:
        path = _write_to_folder(email, message_id, config["MAIL_FOLDER"])
        logger.info("Message %s written to %s (no SMTP host configured)", message_id, path)


def _send_smtp(email: EmailMessage, recipient: str, config) -> None:
    """Send one message over SMTP, turning every failure into TransientError or PermanentError."""
    envelope_from = parseaddr(config["SMTP_FROM"])[1]
    try:
        if config["SMTP_SSL"]:
            smtp = smtplib.SMTP_SSL(
                config["SMTP_HOST"], config["SMTP_PORT"], timeout=config["SMTP_TIMEOUT"],
                context=_tls_context(),
            )
        else:
            smtp = smtplib.SMTP(
                config["SMTP_HOST"], config["SMTP_PORT"], timeout=config["SMTP_TIMEOUT"]
            )
    except (smtplib.SMTPException, OSError) as exc:
        raise TransientError(_describe(exc)) from exc
    try:
        if config["SMTP_STARTTLS"] and not config["SMTP_SSL"]:
            smtp.starttls(context=_tls_context())
        if config.get("SMTP_USERNAME"):
            smtp.login(config["SMTP_USERNAME"], config.get("SMTP_PASSWORD") or "")
        smtp.send_message(email, from_addr=envelope_from, to_addrs=[recipient])
    except smtplib.SMTPRecipientsRefused as exc:
        code, reply = next(iter(exc.recipients.values()))
        raise _by_code(code, reply) from exc
    except (smtplib.SMTPAuthenticationError, smtplib.SMTPNotSupportedError) as exc:
        # Wrong credentials or no STARTTLS: a settings problem, not this message's fault.
        # Keep trying so that the messages go out once the settings are fixed.
        raise TransientError(_describe(exc)) from exc
    except smtplib.SMTPResponseException as exc:
        raise _by_code(exc.smtp_code, exc.smtp_error) from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise TransientError(_describe(exc)) from exc
    finally:
        _quit_quietly(smtp)


@functools.cache
def _tls_context() -> ssl.SSLContext:
    # Loading the system's CA certificates takes a tenth of a second: do it once per process.
    return ssl.create_default_context()


def _quit_quietly(smtp: smtplib.SMTP) -> None:
    # After a successful send, a failed QUIT must not turn the message into a retry (a duplicate).
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()


def _by_code(code: int, reply) -> Exception:
    detail = f"{code} {_text(reply)}".strip()
    if 500 <= code < 600:
        return PermanentError(detail)
    return TransientError(detail)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {_text(exc.smtp_error)}".strip()
    return f"{type(exc).__name__}: {exc}".strip()


def _text(reply) -> str:
    if isinstance(reply, bytes):
        return reply.decode("utf-8", "replace")
    return str(reply)


def _mask(detail: str) -> str:
    """Keep the SMTP reply but not the addresses servers like to echo back."""
    return _ADDRESS.sub("<address>", " ".join(detail.split()))[:500]


def _write_to_folder(email: EmailMessage, message_id: int, folder: str) -> Path:
    """Development backend: write the message as an .eml file instead of sending it."""
    target_dir = Path(folder)
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / f"message-{message_id:06d}.eml"
    partial = target.with_suffix(".eml.partial")
    partial.write_bytes(email.as_bytes())
    os.replace(partial, target)
    return target
