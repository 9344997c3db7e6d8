"""The audit log: who did what and when. Any feature calls `record(action, obj, **details)`.

Events name staff and objects by id only. Details are short scalar values, and keys that could
carry a guest's words or contact data are refused outright, so a careless call fails in tests
rather than leaking into the log. The caller commits, in the same transaction as the change.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import has_request_context
from flask_login import current_user

from ..extensions import db
from ..models import AuditEvent, User
from .paging import query_page

MAX_DETAIL_LENGTH = 200
PAGE_SIZE = 50

# Keys whose values would be personal data or free text written by guests and hosts.
FORBIDDEN_DETAIL_KEYS = frozenset({
    "text", "note", "notes", "summary", "email", "e_mail", "phone", "name", "host_name",
    "address", "message", "body", "password", "token", "code", "secret",
})


class AuditDetailError(ValueError):
    """A detail that must not go into the audit log."""


def _current_staff() -> User | None:
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user._get_current_object()
    return None


def _organisation_of(obj) -> int | None:
    if obj is None:
        return None
    if isinstance(getattr(obj, "organisation_id", None), int):
        return obj.organisation_id
    # Objects inside a campaign (meals, questions, themes) or inside a meal (notes).
    meal = getattr(obj, "meal", None)
    campaign = getattr(obj, "campaign", None) or getattr(meal, "campaign", None)
    return getattr(campaign, "organisation_id", None)


def _clean_details(details: dict) -> dict:
    clean = {}
    for key, value in details.items():
        if key.lower() in FORBIDDEN_DETAIL_KEYS:
            raise AuditDetailError(f"'{key}' must not be stored in the audit log.")
        if value is not None and not isinstance(value, (str, int, float, bool)):
            raise AuditDetailError(f"'{key}' must be a plain value, not {type(value).__name__}.")
        if isinstance(value, str) and len(value) > MAX_DETAIL_LENGTH:
            raise AuditDetailError(f"'{key}' is longer than {MAX_DETAIL_LENGTH} characters.")
        clean[key] = value
    return clean


def record(action: str, obj=None, *, user: User | None = None,
           organisation_id: int | None = None, **details) -> AuditEvent:
    """Add an audit event for `action` on `obj`, by `user` (default: the logged-in staff)."""
    actor = user or _current_staff()
    org_id = organisation_id or _organisation_of(obj) or getattr(actor, "organisation_id", None)
    event = AuditEvent(
        organisation_id=org_id,
        user_id=actor.id if actor else None,
        action=action,
        object_type=type(obj).__name__.lower() if obj is not None else None,
        object_id=getattr(obj, "id", None),
        details=_clean_details(details),
    )
    db.session.add(event)
    db.session.flush()
    return event


@dataclass
class EventPage:
    events: list[AuditEvent]
    page: int
    pages: int
    total: int


def events_for(organisation_id: int, *, action: str | None = None, page: int = 1,
               per_page: int = PAGE_SIZE) -> EventPage:
    """One page of an organisation's events, newest first, optionally of one action."""
    query = sa.select(AuditEvent).where(AuditEvent.organisation_id == organisation_id)
    if action:
        query = query.where(AuditEvent.action == action)
    events, page, pages, total = query_page(
        query, (AuditEvent.created_at.desc(), AuditEvent.id.desc()), page, per_page)
    return EventPage(events=events, page=page, pages=pages, total=total)


def actions_for(organisation_id: int) -> list[str]:
    """The distinct actions recorded for an organisation, for the filter list."""
    return list(db.session.scalars(
        sa.select(AuditEvent.action).where(AuditEvent.organisation_id == organisation_id)
        .distinct().order_by(AuditEvent.action)
    ))
