"""Read-only views of the outbox for staff: one organisation's messages, a page at a time."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from ..extensions import db
from ..models import Message, MessageStatus
from .paging import query_page

PAGE_SIZE = 50
STATUSES = tuple(status.value for status in MessageStatus)


@dataclass(frozen=True)
class MessagePage:
    messages: list[Message]
    page: int
    pages: int
    total: int


def messages_for(organisation_id: int, *, status: str | None = None, page: int = 1,
                 per_page: int = PAGE_SIZE) -> MessagePage:
    """One page of an organisation's messages, newest first, optionally of one status."""
    query = sa.select(Message).where(Message.organisation_id == organisation_id)
    if status in STATUSES:
        query = query.where(Message.status == status)
    messages, page, pages, total = query_page(
        query, (Message.created_at.desc(), Message.id.desc()), page, per_page)
    return MessagePage(messages=messages, page=page, pages=pages, total=total)


def message_in_organisation(organisation_id: int, message_id: int) -> Message | None:
    """The message when it belongs to the organisation; None for anyone else's (or none)."""
    return db.session.scalar(
        sa.select(Message).where(
            Message.id == message_id, Message.organisation_id == organisation_id
        )
    )
