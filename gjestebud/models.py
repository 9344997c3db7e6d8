"""Database models: what is stored, with no behaviour beyond simple derived values."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .extensions import db


def utcnow() -> datetime:
    """The current time in UTC, as stored in the database (naive UTC)."""
    return datetime.now(UTC).replace(tzinfo=None)


LANGUAGES = ("nb", "nn", "en")


def localized(texts: dict | None, lang: str, fallback: str = "nb") -> str:
    """Pick a text for a language from a {lang: text} mapping, falling back sensibly."""
    texts = texts or {}
    for code in (lang, fallback, "nb", "nn", "en"):
        if texts.get(code):
            return texts[code]
    return next((value for value in texts.values() if value), "")


class Role(enum.StrEnum):
    ADMIN = "admin"
    COORDINATOR = "coordinator"
    ANALYST = "analyst"


class CampaignStatus(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    REPORTED = "reported"


class MealStatus(enum.StrEnum):
    REGISTERED = "registered"
    HELD = "held"


class Organisation(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class User(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200), default="")
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[str] = mapped_column(sa.String(20), default=Role.COORDINATOR.value)
    active: Mapped[bool] = mapped_column(default=True)
    # Bumped on logout and password change: every older session cookie stops working.
    session_version: Mapped[int] = mapped_column(default=1)
    language: Mapped[str] = mapped_column(sa.String(5), default="nb")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]

    organisation: Mapped[Organisation] = relationship()

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:
        return self.active


campaign_place = sa.Table(
    "campaign_place",
    db.metadata,
    sa.Column("campaign_id", sa.ForeignKey("campaign.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("place_id", sa.ForeignKey("place.id", ondelete="CASCADE"), primary_key=True),
)

campaign_target_group = sa.Table(
    "campaign_target_group",
    db.metadata,
    sa.Column("campaign_id", sa.ForeignKey("campaign.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "target_group_id", sa.ForeignKey("target_group.id", ondelete="CASCADE"), primary_key=True
    ),
)


class Place(db.Model):
    __table_args__ = (sa.UniqueConstraint("organisation_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))


class TargetGroup(db.Model):
    __table_args__ = (sa.UniqueConstraint("organisation_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))


class Campaign(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    # {lang: text}; the campaign's main language is always filled in.
    titles: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    purposes: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    results_uses: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    main_language: Mapped[str] = mapped_column(sa.String(5), default="nb")
    status: Mapped[str] = mapped_column(sa.String(20), default=CampaignStatus.DRAFT.value)
    opens_on: Mapped[date | None]
    closes_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    organisation: Mapped[Organisation] = relationship()
    questions: Mapped[list[Question]] = relationship(
        back_populates="campaign", order_by="Question.position", cascade="all, delete-orphan"
    )
    places: Mapped[list[Place]] = relationship(secondary=campaign_place, order_by="Place.name")
    target_groups: Mapped[list[TargetGroup]] = relationship(
        secondary=campaign_target_group, order_by="TargetGroup.name"
    )
    meals: Mapped[list[Meal]] = relationship(back_populates="campaign", order_by="Meal.id")

    def title(self, lang: str) -> str:
        return localized(self.titles, lang, self.main_language)

    def purpose(self, lang: str) -> str:
        return localized(self.purposes, lang, self.main_language)

    def results_use(self, lang: str) -> str:
        return localized(self.results_uses, lang, self.main_language)


class Question(db.Model):
    __table_args__ = (sa.UniqueConstraint("campaign_id", "position"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        sa.ForeignKey("campaign.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    texts: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    plain_texts: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    colour: Mapped[str] = mapped_column(sa.String(20), default="yellow")

    campaign: Mapped[Campaign] = relationship(back_populates="questions")

    @property
    def code(self) -> str:
        """The stable short name used in exports and analysis: q1, q2, …"""
        return f"q{self.position}"

    def text(self, lang: str) -> str:
        return localized(self.texts, lang, self.campaign.main_language)

    def plain_text(self, lang: str) -> str:
        return localized(self.plain_texts, lang, self.campaign.main_language)


class Host(db.Model):
    """A citizen who hosts a meal. Contact data lives here and never on notes."""

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    email: Mapped[str | None] = mapped_column(sa.String(254))
    phone: Mapped[str | None] = mapped_column(sa.String(40))
    language: Mapped[str] = mapped_column(sa.String(5), default="nb")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Invitation(db.Model):
    """An invitation to host: personal link, status and reminder bookkeeping."""

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaign.id"), index=True)
    host_id: Mapped[int] = mapped_column(sa.ForeignKey("host.id"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    status: Mapped[str] = mapped_column(sa.String(20), default="invited")
    place_id: Mapped[int | None] = mapped_column(sa.ForeignKey("place.id"))
    target_group_id: Mapped[int | None] = mapped_column(sa.ForeignKey("target_group.id"))
    sent_at: Mapped[datetime | None]
    reminded_at: Mapped[datetime | None]
    reminder_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Meal(db.Model):
    """One gjestebud: a host's meal with a group, where the notes are written."""

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaign.id"), index=True)
    host_id: Mapped[int] = mapped_column(sa.ForeignKey("host.id"), index=True)
    place_id: Mapped[int] = mapped_column(sa.ForeignKey("place.id"))
    target_group_id: Mapped[int] = mapped_column(sa.ForeignKey("target_group.id"))
    held_on: Mapped[date]
    expected_guests: Mapped[int | None]
    language: Mapped[str] = mapped_column(sa.String(5), default="nb")
    # The guest token is printed on posters; the host token only as a SHA-256 hash.
    public_token: Mapped[str] = mapped_column(sa.String(64), unique=True)
    host_token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    token_revoked_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(sa.String(20), default=MealStatus.REGISTERED.value)
    guest_count: Mapped[int | None]
    summary: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]

    campaign: Mapped[Campaign] = relationship(back_populates="meals")
    host: Mapped[Host] = relationship()
    place: Mapped[Place] = relationship()
    target_group: Mapped[TargetGroup] = relationship()


class Note(db.Model):
    """A post-it answer. Deliberately holds nothing about who wrote it."""

    __table_args__ = (sa.UniqueConstraint("meal_id", "client_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    meal_id: Mapped[int] = mapped_column(sa.ForeignKey("meal.id"), index=True)
    question_id: Mapped[int] = mapped_column(sa.ForeignKey("question.id"), index=True)
    text: Mapped[str] = mapped_column(sa.Text)
    language: Mapped[str | None] = mapped_column(sa.String(8))
    client_key: Mapped[str] = mapped_column(sa.String(64))
    source: Mapped[str] = mapped_column(sa.String(10), default="guest")
    hidden: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    meal: Mapped[Meal] = relationship()
    question: Mapped[Question] = relationship()
