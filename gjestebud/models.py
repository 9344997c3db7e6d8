"""Database models: what is stored, with no behaviour beyond simple derived values."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .encryption import EncryptedString
from .extensions import db


def utcnow() -> datetime:
    """The current time in UTC, as stored in the database (naive UTC)."""
    return datetime.now(UTC).replace(tzinfo=None)


LANGUAGES = ("nb", "nn", "en")


def localized(texts: dict | None, lang: str, fallback: str = "nb") -> str:
    """Pick a text for a language from a {lang: text} mapping, falling back sensibly."""
    return localized_with_language(texts, lang, fallback)[0]


def localized_with_language(texts: dict | None, lang: str,
                            fallback: str = "nb") -> tuple[str, str]:
    """(text, the language it is in): in `lang` if there is one, else the fallback, else any.

    Pages mark a text that is not in the page language with its own `lang` attribute.
    """
    texts = texts or {}
    for code in dict.fromkeys((lang, fallback, *LANGUAGES)):
        value = texts.get(code)
        if value and value.strip():
            return value, code
    return next(((value, code) for code, value in texts.items() if value), ("", lang))


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
    # The analysis starts from the organisation's theme library only when the analyst says so.
    use_theme_library: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
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
    # Loaded once per session: the public report page asks for it several times per request.
    report: Mapped[Report | None] = relationship(back_populates="campaign", passive_deletes=True)

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
    # --- invitations and reminders (coordination) ---
    language: Mapped[str] = mapped_column(sa.String(5), default="nb")
    # The personal link is derived from this random nonce with the server's secret key, so
    # the raw token is never stored but can be put in a reminder or a reprinted letter again.
    token_nonce: Mapped[str | None] = mapped_column(sa.String(64))
    sent_by: Mapped[str | None] = mapped_column(sa.String(10))  # email | letter
    accepted_at: Mapped[datetime | None]
    declined_at: Mapped[datetime | None]
    opted_out_at: Mapped[datetime | None]
    meal_id: Mapped[int | None] = mapped_column(sa.ForeignKey("meal.id"), index=True)
    # {"answer": 2, "register": 1, "close": 0}: reminders sent at each step.
    reminders_by_kind: Mapped[dict] = mapped_column(sa.JSON, default=dict)

    campaign: Mapped[Campaign] = relationship()
    host: Mapped[Host] = relationship()
    place: Mapped[Place | None] = relationship()
    target_group: Mapped[TargetGroup | None] = relationship()
    meal: Mapped[Meal | None] = relationship()


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
    # When the campaign's results were queued for this meal's host (the funnel's last step).
    feedback_sent_at: Mapped[datetime | None]

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
    # An analyst's Norwegian rendering of a note in a language the analysis cannot read; the
    # analysis reads it, while the note itself is what is shown and quoted.
    rendering: Mapped[str | None] = mapped_column(sa.Text)
    client_key: Mapped[str] = mapped_column(sa.String(64))
    source: Mapped[str] = mapped_column(sa.String(10), default="guest")
    hidden: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    meal: Mapped[Meal] = relationship()
    question: Mapped[Question] = relationship()


class MessageStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class Message(db.Model):
    """An e-mail in the outbox: rendered once when queued, delivered by the worker, never twice."""

    __table_args__ = (sa.Index("ix_message_status_next_attempt_at", "status", "next_attempt_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisation.id"), index=True
    )
    recipient: Mapped[str] = mapped_column(sa.String(254))
    language: Mapped[str] = mapped_column(sa.String(5), default="nb")
    kind: Mapped[str] = mapped_column(sa.String(40))
    subject: Mapped[str] = mapped_column(sa.Text)
    body_text: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.String(10), default=MessageStatus.PENDING.value)
    attempts: Mapped[int] = mapped_column(default=0)
    # When pending: the earliest next try. When sending: the end of the sender's lease.
    next_attempt_at: Mapped[datetime | None] = mapped_column(default=utcnow)
    # The SMTP reply or a connection error, with addresses masked.
    last_error: Mapped[str | None] = mapped_column(sa.String(500))
    # One logical message, e.g. "reminder:2:invitation:17": it can never be queued twice.
    dedupe_key: Mapped[str] = mapped_column(sa.String(200), unique=True)
    # The Message-ID header, the same on every attempt so a repeat can be recognised.
    message_id_header: Mapped[str] = mapped_column(sa.String(250), unique=True)
    # For mail a recipient can stop (feedback): the List-Unsubscribe link (RFC 2369/8058).
    list_unsubscribe: Mapped[str | None] = mapped_column(sa.String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]


# --- analysis (step 4 "Analyser") -------------------------------------------------------------

class RunStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class AnalysisRun(db.Model):
    """One run of the theme pipeline over a campaign's notes, with its progress and breakdowns."""

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaign.id"), index=True)
    requested_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    status: Mapped[str] = mapped_column(sa.String(10), default=RunStatus.QUEUED.value)
    progress: Mapped[int] = mapped_column(default=0)  # 0-100
    stage: Mapped[str] = mapped_column(sa.String(40), default="queued")
    seed: Mapped[int] = mapped_column(default=0)
    n_notes: Mapped[int] = mapped_column(default=0)
    # {"by_location": {place: [cell]}, "by_question": …, "by_target_group": …}; each cell's
    # "theme" is the database id of a Theme.
    breakdown: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    error: Mapped[str | None] = mapped_column(sa.String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    # Written with each progress step: a running run whose worker died stops being refreshed.
    heartbeat_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]


class Theme(db.Model):
    """A group of notes about the same thing; analyst edits to it survive later runs."""

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaign.id"), index=True)
    label: Mapped[str] = mapped_column(sa.String(120))
    # The label the pipeline last gave it; used to recognise the theme after a rename.
    auto_label: Mapped[str | None] = mapped_column(sa.String(120))
    label_set_by_analyst: Mapped[bool] = mapped_column(default=False)
    keywords: Mapped[list] = mapped_column(sa.JSON, default=list)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    # discovered | library | examples | analyst
    source: Mapped[str] = mapped_column(sa.String(12), default="discovered")
    quote_ids: Mapped[list] = mapped_column(sa.JSON, default=list)  # the pipeline's picks
    pinned_quote_ids: Mapped[list] = mapped_column(sa.JSON, default=list)  # the analyst's
    # A theme no run found any more (and no analyst touched) is hidden rather than deleted, so
    # that undo and old breakdowns can still refer to it.
    hidden: Mapped[bool] = mapped_column(default=False)
    merged_into_id: Mapped[int | None] = mapped_column(sa.ForeignKey("theme.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class NoteTheme(db.Model):
    """Where an analysed note is filed (theme_id None: in no theme) and the words it uses."""

    id: Mapped[int] = mapped_column(primary_key=True)
    note_id: Mapped[int] = mapped_column(sa.ForeignKey("note.id"), unique=True)
    theme_id: Mapped[int | None] = mapped_column(sa.ForeignKey("theme.id"), index=True)
    score: Mapped[float] = mapped_column(default=0.0)
    set_by_analyst: Mapped[bool] = mapped_column(default=False)
    detected_language: Mapped[str | None] = mapped_column(sa.String(8))
    # For a note in no theme: the theme it resembles most, offered to the analyst as a guess.
    guess_theme_id: Mapped[int | None] = mapped_column(sa.ForeignKey("theme.id"))
    # Lemmas without stop words, from the last run: word lists without re-running the NLP.
    lemmas: Mapped[list] = mapped_column(sa.JSON, default=list)


class ThemeEdit(db.Model):
    """One analyst edit, with what is needed to undo it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaign.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    kind: Mapped[str] = mapped_column(sa.String(20))
    payload: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    undone: Mapped[bool] = mapped_column(default=False)


class LibraryTheme(db.Model):
    """A theme in the organisation's library, given to every new analysis as a known theme."""

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    label: Mapped[str] = mapped_column(sa.String(120))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    examples: Mapped[list] = mapped_column(sa.JSON, default=list)
    keywords: Mapped[list] = mapped_column(sa.JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Deleted themes are kept as tombstones: the library is seeded only once per organisation.
    deleted_at: Mapped[datetime | None]


class WordCloud(db.Model):
    """A rendered word cloud, cached until the notes behind it change (digest)."""

    __table_args__ = (sa.UniqueConstraint("campaign_id", "scope"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaign.id"), index=True)
    scope: Mapped[str] = mapped_column(sa.String(80))
    digest: Mapped[str] = mapped_column(sa.String(64))
    png: Mapped[bytes] = mapped_column(sa.LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# --- coordination (step 3 "Inviter") ----------------------------------------------------------

class InvitationSettings(db.Model):
    """A campaign's invitation texts (only those staff edited) and its reminder rules."""

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaign.id"), unique=True)
    # {lang: text}; a language missing here uses the generated default text.
    texts: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    reminders_enabled: Mapped[bool] = mapped_column(default=True)
    reminder_after_days: Mapped[int] = mapped_column(default=7)
    max_reminders: Mapped[int] = mapped_column(default=2)
    # Shown in every invitation: whom hosts can ask, and by when they should answer.
    contact_name: Mapped[str | None] = mapped_column(sa.String(200))
    contact_phone: Mapped[str | None] = mapped_column(sa.String(40))
    contact_email: Mapped[str | None] = mapped_column(sa.String(254))
    reply_by: Mapped[date | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ContactLog(db.Model):
    """Contact a coordinator made with a host outside the e-mails: by phone, in person …"""

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(sa.ForeignKey("invitation.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    method: Mapped[str] = mapped_column(sa.String(12))  # phone | in_person | email | other
    note: Mapped[str] = mapped_column(sa.String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User | None] = relationship()


# --- staff accounts: invitations, password links, two-factor, audit ---------------------------

class AccountTokenPurpose(enum.StrEnum):
    INVITE = "invite"
    RESET = "reset"


class AccountToken(db.Model):
    """A single-use link to set a password (staff invitation or reset); only its hash is kept."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    purpose: Mapped[str] = mapped_column(sa.String(10))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class TotpCredential(db.Model):
    """A staff member's authenticator app (TOTP); `pending_secret` waits for a first code."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), unique=True)
    # Encrypted at rest (gjestebud/encryption.py); reads give the base32 secret.
    secret: Mapped[str | None] = mapped_column(EncryptedString(255))
    pending_secret: Mapped[str | None] = mapped_column(EncryptedString(255))
    enabled_at: Mapped[datetime | None]
    # The last 30-second step a code was accepted for: a code is never accepted twice.
    last_used_step: Mapped[int] = mapped_column(sa.BigInteger, default=0)


class RecoveryCode(db.Model):
    """A one-time code for logging in without the authenticator app; only its hash is kept."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    code_hash: Mapped[str] = mapped_column(sa.String(64))
    used_at: Mapped[datetime | None]


class AuditEvent(db.Model):
    """Who did what and when, for staff actions that change data. Never holds guest data."""

    __table_args__ = (sa.Index("ix_audit_event_org_created", "organisation_id", "created_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisation.id"))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"), index=True)
    action: Mapped[str] = mapped_column(sa.String(60), index=True)
    object_type: Mapped[str | None] = mapped_column(sa.String(40))
    object_id: Mapped[int | None]
    details: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User | None] = relationship()


# --- feedback to participants (step 5 "Gi tilbakemelding") ----------------------------------

class Report(db.Model):
    """A campaign's report: the analyst's texts around the generated parts, and what is public.

    The generated parts (figures, themes, quotes, findings, word clouds) come from the analysis
    while the report is a draft; publishing freezes them, per language, in `published`, so the
    public page does not change under its readers when the analysis is edited later.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        sa.ForeignKey("campaign.id", ondelete="CASCADE"), unique=True
    )
    # {lang: text}
    intro: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    closing: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    # {question id (as text): {lang: text}}: the analyst's summary of each question
    question_texts: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    themes_shown: Mapped[int] = mapped_column(default=8)
    # {lang: report data}: the frozen copy the public page, PDF and CSV/XLSX are made from
    published: Mapped[dict | None] = mapped_column(sa.JSON)
    published_at: Mapped[datetime | None]
    published_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL")
    )
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    campaign: Mapped[Campaign] = relationship(back_populates="report")


class ReportImage(db.Model):
    """A word cloud frozen with the published report (scope: overall, question:<code>, …)."""

    __table_args__ = (sa.UniqueConstraint("report_id", "scope"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(
        sa.ForeignKey("report.id", ondelete="CASCADE"), index=True
    )
    scope: Mapped[str] = mapped_column(sa.String(80))
    png: Mapped[bytes] = mapped_column(sa.LargeBinary)


class FeedbackMessage(db.Model):
    """Feedback staff compose: the results round, or a later update tied to themes.

    Sent once: `sent_at` is set when the e-mails are queued (each with its own dedupe key).
    An update is shown on the public report page from `published_at`.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        sa.ForeignKey("campaign.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(sa.String(10), default="results")  # results | update
    subjects: Mapped[dict] = mapped_column(sa.JSON, default=dict)  # {lang: text}
    bodies: Mapped[dict] = mapped_column(sa.JSON, default=dict)  # {lang: text}
    theme_ids: Mapped[list] = mapped_column(sa.JSON, default=list)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    sent_to_hosts: Mapped[int] = mapped_column(default=0)
    sent_to_guests: Mapped[int] = mapped_column(default=0)

    campaign: Mapped[Campaign] = relationship()


class CampaignFeedback(db.Model):
    """What a campaign tells its participants once it is reported, and when their addresses go."""

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        sa.ForeignKey("campaign.id", ondelete="CASCADE"), unique=True
    )
    # {lang: text}: "what we heard" and "what happens next", written by staff.
    heard_texts: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    next_steps: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    report_url: Mapped[str | None] = mapped_column(sa.String(500))
    # Overrides the default deletion date of feedback addresses (closes_on + N days).
    retention_until: Mapped[date | None]
    # Set by retention.feedback_sent(); addresses go a grace period after it.
    last_feedback_sent_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class FeedbackContact(db.Model):
    """An address given with consent to receive a campaign's results. Never linked to notes.

    Only campaign and (optionally) meal, to know where to send per-place feedback; no note id,
    client key or session key, and times are stored by the day so that they cannot be lined up
    with the moment a note was written.
    """

    __table_args__ = (sa.UniqueConstraint("campaign_id", "email"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        sa.ForeignKey("campaign.id", ondelete="CASCADE"), index=True
    )
    meal_id: Mapped[int | None] = mapped_column(sa.ForeignKey("meal.id", ondelete="SET NULL"))
    email: Mapped[str] = mapped_column(sa.String(254), index=True)
    language: Mapped[str] = mapped_column(sa.String(5), default="nb")
    consent_text_version: Mapped[str] = mapped_column(sa.String(20))
    consented_at: Mapped[datetime]
    unsubscribe_token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime]

    campaign: Mapped[Campaign] = relationship()
    meal: Mapped[Meal | None] = relationship()


class DataRequest(db.Model):
    """A request to export or delete the data held about an e-mail address, confirmed by link."""

    id: Mapped[int] = mapped_column(primary_key=True)
    # A keyed hash: the request itself does not keep the address in clear text.
    email_hash: Mapped[str] = mapped_column(sa.String(64), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    purpose: Mapped[str] = mapped_column(sa.String(10))  # export | delete
    language: Mapped[str] = mapped_column(sa.String(5), default="nb")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
