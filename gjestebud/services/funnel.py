"""The invitation funnel: invited → accepted → registered → held → notes → feedback, and who is
stuck where. Read-only."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa

from ..extensions import db
from ..models import Campaign, ContactLog, Invitation, Meal, MealStatus, Note
from . import invitations as inv
from .paging import clamp

STAGES = ("invited", "accepted", "registered", "held", "notes", "feedback")
# Where an invitation stands now; the order of the "who is stuck where" lists.
POSITIONS = ("not_sent", "waiting", "declined", "accepted", "registered", "not_closed", "held",
             "notes")


@dataclass
class Counts:
    invited: int = 0
    accepted: int = 0
    registered: int = 0
    held: int = 0
    notes: int = 0
    feedback: int = 0  # held meals whose host was sent the results (Meal.feedback_sent_at)

    def get(self, stage: str) -> int:
        return getattr(self, stage)


@dataclass
class HostRow:
    invitation: Invitation
    position: str
    notes: int
    last_contact_at: datetime | None
    last_contact_method: str | None  # email | letter | reminder | phone | in_person | other
    reminders: int
    contacts: list[ContactLog] = field(default_factory=list)


@dataclass
class GroupRow:
    name: str | None  # None: no place (or group) given
    counts: Counts


@dataclass
class Funnel:
    total: Counts
    by_place: list[GroupRow]
    by_group: list[GroupRow]
    positions: dict[str, list[HostRow]]
    not_sent: int
    declined: int
    uninvited_meals: int


def position_of(invitation: Invitation, notes: int, today: date) -> str:
    """Where an invitation stands now."""
    meal = invitation.meal
    if invitation.status == inv.NEW:
        return "not_sent"
    if invitation.status == inv.DECLINED:
        return "declined"
    if invitation.status == inv.INVITED:
        return "waiting"
    if invitation.status == inv.ACCEPTED or meal is None:
        return "accepted"
    if meal.status == MealStatus.HELD.value:
        return "notes" if notes else "held"
    return "not_closed" if meal.held_on < today else "registered"


def _add(counts: Counts, row: HostRow) -> None:
    if row.position == "not_sent":
        return
    counts.invited += 1
    meal = row.invitation.meal
    if row.position in ("declined", "waiting"):
        return
    counts.accepted += 1
    if meal is None:
        return
    counts.registered += 1
    held = meal.status == MealStatus.HELD.value
    if held:
        counts.held += 1
    if row.notes:
        counts.notes += 1
    # A funnel step: a host whose meal never took place may get the results too, but is not
    # counted as a gjestebud that was given feedback.
    if meal.feedback_sent_at is not None and (held or row.notes):
        counts.feedback += 1


def _note_counts(campaign: Campaign) -> dict[int, int]:
    rows = db.session.execute(
        sa.select(Note.meal_id, sa.func.count(Note.id))
        .join(Meal, Meal.id == Note.meal_id)
        .where(Meal.campaign_id == campaign.id, Note.hidden.is_(False))
        .group_by(Note.meal_id)
    )
    return dict(rows.all())


def _contacts(invitation_ids: list[int]) -> dict[int, list[ContactLog]]:
    by_invitation: dict[int, list[ContactLog]] = defaultdict(list)
    if not invitation_ids:
        return by_invitation
    for entry in db.session.scalars(
        sa.select(ContactLog)
        .where(ContactLog.invitation_id.in_(invitation_ids))
        .order_by(ContactLog.created_at.desc(), ContactLog.id.desc())
    ):
        by_invitation[entry.invitation_id].append(entry)
    return by_invitation


def _last_contact(invitation: Invitation, contacts: list[ContactLog]):
    candidates = []
    if invitation.sent_at:
        candidates.append((invitation.sent_at, invitation.sent_by or "email"))
    if invitation.reminded_at:
        candidates.append((invitation.reminded_at, "reminder"))
    if contacts:
        candidates.append((contacts[0].created_at, contacts[0].method))
    return max(candidates, key=lambda c: c[0]) if candidates else (None, None)


def host_rows(campaign: Campaign, today: date) -> list[HostRow]:
    """Every invitation of the campaign with where it stands and the last contact."""
    invitations = inv.campaign_invitations(campaign)
    notes = _note_counts(campaign)
    contacts = _contacts([i.id for i in invitations])
    rows = []
    for invitation in invitations:
        n = notes.get(invitation.meal_id, 0) if invitation.meal_id else 0
        at, method = _last_contact(invitation, contacts[invitation.id])
        rows.append(HostRow(
            invitation=invitation, position=position_of(invitation, n, today), notes=n,
            last_contact_at=at, last_contact_method=method,
            reminders=invitation.reminder_count or 0, contacts=contacts[invitation.id][:3],
        ))
    return rows


def _grouped(rows: list[HostRow], key) -> list[GroupRow]:
    groups: dict[str | None, Counts] = {}
    for row in rows:
        if row.position == "not_sent":
            continue
        _add(groups.setdefault(key(row.invitation), Counts()), row)
    named = sorted((k for k in groups if k is not None), key=str.casefold)
    ordered = named + ([None] if None in groups else [])
    return [GroupRow(name, groups[name]) for name in ordered]


def _place_name(invitation: Invitation) -> str | None:
    # A registered meal's own place wins: the host may have chosen another one.
    source = invitation.meal or invitation
    return source.place.name if source.place else None


def _group_name(invitation: Invitation) -> str | None:
    source = invitation.meal or invitation
    return source.target_group.name if source.target_group else None


def build(campaign: Campaign, today: date | None = None) -> Funnel:
    """The campaign's funnel: counts overall, per place, per target group, and who is where."""
    today = today or date.today()
    rows = host_rows(campaign, today)
    total = Counts()
    positions: dict[str, list[HostRow]] = {p: [] for p in POSITIONS}
    for row in rows:
        _add(total, row)
        positions[row.position].append(row)
    invited_meal_ids = [r.invitation.meal_id for r in rows if r.invitation.meal_id]
    uninvited = db.session.scalar(
        sa.select(sa.func.count(Meal.id)).where(
            Meal.campaign_id == campaign.id, Meal.id.not_in(invited_meal_ids)
        )
    ) or 0
    return Funnel(
        total=total,
        by_place=_grouped(rows, _place_name),
        by_group=_grouped(rows, _group_name),
        positions=positions,
        not_sent=len(positions["not_sent"]),
        declined=len(positions["declined"]),
        uninvited_meals=uninvited,
    )


# --- pages of the "who is where" lists ---------------------------------------------------------

PAGE_SIZE = 50


@dataclass
class ListPage:
    """One page of a "who is where" list."""

    rows: list[HostRow]
    page: int  # 1-based
    pages: int
    total: int
    size: int = PAGE_SIZE

    @property
    def first(self) -> int:
        """The 1-based number of the first row shown (0 when the list is empty)."""
        return (self.page - 1) * self.size + 1 if self.rows else 0

    @property
    def last(self) -> int:
        return self.first + len(self.rows) - 1 if self.rows else 0


def page_of(rows: list[HostRow], page: int | None, size: int = PAGE_SIZE) -> ListPage:
    """Page `page` of a list; a page number out of range gives the nearest page."""
    page, pages = clamp(len(rows), page, size)
    return ListPage(rows=rows[(page - 1) * size:page * size], page=page, pages=pages,
                    total=len(rows), size=size)


def page_with(rows: list[HostRow], invitation_id: int, size: int = PAGE_SIZE) -> int | None:
    """The page of a list that shows the invitation, or None when it is not in the list."""
    for index, row in enumerate(rows):
        if row.invitation.id == invitation_id:
            return index // size + 1
    return None
