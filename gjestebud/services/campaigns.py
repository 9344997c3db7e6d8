"""Campaigns: create and edit, with their questions, places and target groups."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from ..extensions import db
from ..models import Campaign, CampaignStatus, Organisation, Place, Question, TargetGroup
from .defaults import DEFAULT_QUESTIONS


@dataclass
class QuestionData:
    texts: dict[str, str]
    plain_texts: dict[str, str] = field(default_factory=dict)
    colour: str = "yellow"
    id: int | None = None  # the question being edited; None for a new one


class QuestionInUse(ValueError):
    """A question that already has notes cannot be removed: the notes answer it."""

    def __init__(self, question: Question) -> None:
        super().__init__(f"question {question.id} has notes")
        self.question = question


@dataclass
class CampaignData:
    titles: dict[str, str]
    purposes: dict[str, str] = field(default_factory=dict)
    results_uses: dict[str, str] = field(default_factory=dict)
    questions: list[QuestionData] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    target_groups: list[str] = field(default_factory=list)
    status: str = CampaignStatus.DRAFT.value
    opens_on: date | None = None
    closes_on: date | None = None
    main_language: str = "nb"


def default_questions() -> list[QuestionData]:
    """The three questions from the method, prefilled for a new campaign."""
    return [
        QuestionData(texts=dict(q.texts), plain_texts=dict(q.plain_texts), colour=q.colour)
        for q in DEFAULT_QUESTIONS
    ]


def slugify(text: str) -> str:
    """A URL-safe slug: 'Nærmiljø 2026' -> 'naermiljo-2026'."""
    text = text.lower().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:60] or "kampanje"


def unique_slug(base: str) -> str:
    slug, n = base, 2
    while db.session.scalar(sa.select(Campaign.id).where(Campaign.slug == slug)) is not None:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _clean_names(names: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for name in names:
        name = " ".join(name.split())
        if name and name.casefold() not in seen:
            seen[name.casefold()] = name
    return list(seen.values())


def get_or_create_places(org: Organisation, names: list[str]) -> list[Place]:
    """Reuse the organisation's places by name (case-insensitive); create the new ones."""
    return _get_or_create(Place, org, names)


def get_or_create_target_groups(org: Organisation, names: list[str]) -> list[TargetGroup]:
    return _get_or_create(TargetGroup, org, names)


def _get_or_create(model, org: Organisation, names: list[str]):
    existing = {
        row.name.casefold(): row
        for row in db.session.scalars(sa.select(model).where(model.organisation_id == org.id))
    }
    result = []
    for name in _clean_names(names):
        row = existing.get(name.casefold())
        if row is None:
            row = model(organisation_id=org.id, name=name)
            db.session.add(row)
            existing[name.casefold()] = row
        result.append(row)
    return result


def create_campaign(org: Organisation, data: CampaignData, slug: str | None = None) -> Campaign:
    """Create a campaign in an organisation; questions default to the method's three."""
    title = data.titles.get(data.main_language) or next(iter(data.titles.values()), "")
    campaign = Campaign(
        organisation_id=org.id,
        slug=unique_slug(slugify(slug or title)),
    )
    db.session.add(campaign)
    _apply(campaign, org, data if data.questions else _with_default_questions(data))
    db.session.flush()
    return campaign


def update_campaign(campaign: Campaign, data: CampaignData) -> Campaign:
    """Replace a campaign's texts, questions, places and groups with the edited ones."""
    _apply(campaign, campaign.organisation, data)
    db.session.flush()
    return campaign


def _with_default_questions(data: CampaignData) -> CampaignData:
    data.questions = default_questions()
    return data


def _apply(campaign: Campaign, org: Organisation, data: CampaignData) -> None:
    campaign.titles = _clean_texts(data.titles)
    campaign.purposes = _clean_texts(data.purposes)
    campaign.results_uses = _clean_texts(data.results_uses)
    campaign.main_language = data.main_language
    campaign.status = data.status
    campaign.opens_on = data.opens_on
    campaign.closes_on = data.closes_on
    campaign.places = get_or_create_places(org, data.places)
    campaign.target_groups = get_or_create_target_groups(org, data.target_groups)
    _apply_questions(campaign, data.questions)


def _apply_questions(campaign: Campaign, questions: list[QuestionData]) -> None:
    """Edit questions in place, matched by id, so notes keep pointing at the same question.

    A kept question keeps its position (q1, q2 … in posters, exports and analyses); a removed
    one leaves a gap, and new questions come after the last. Removing a question that has
    notes raises QuestionInUse.
    """
    existing = sorted(campaign.questions, key=lambda q: q.position)
    by_id = {q.id: q for q in existing}
    ids = [qdata.id for qdata in questions]
    if existing and all(i is None for i in ids):
        # Data without ids (e.g. a form from before ids were sent): row n edits question n.
        ids = [q.id for q in existing[:len(ids)]] + [None] * max(0, len(ids) - len(existing))
    targets: list[Question | None] = []
    for question_id in ids:
        question = by_id.get(question_id)
        targets.append(question if question is not None and question not in targets else None)
    counts = question_note_counts(campaign)
    for question in existing:
        if question not in targets:
            if counts.get(question.id):
                raise QuestionInUse(question)
            campaign.questions.remove(question)
    db.session.flush()  # free the removed positions before new questions take them
    position = max((q.position for q in targets if q is not None), default=0)
    for qdata, question in zip(questions, targets, strict=True):
        if question is None:
            position += 1
            question = Question(position=position)
            campaign.questions.append(question)
        question.texts = _clean_texts(qdata.texts)
        question.plain_texts = _clean_texts(qdata.plain_texts)
        question.colour = qdata.colour


def question_note_counts(campaign: Campaign) -> dict[int, int]:
    """Question id -> number of notes (hidden ones too) for the campaign's questions."""
    from ..models import Note

    ids = [q.id for q in campaign.questions if q.id is not None]
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(Note.question_id, sa.func.count(Note.id))
        .where(Note.question_id.in_(ids)).group_by(Note.question_id)
    )
    return dict(rows.all())


def _clean_texts(texts: dict[str, str]) -> dict[str, str]:
    return {lang: text.strip() for lang, text in texts.items() if text and text.strip()}


def campaign_by_slug(slug: str) -> Campaign | None:
    return db.session.scalar(sa.select(Campaign).where(Campaign.slug == slug))


def accepts_registrations(campaign: Campaign, today: date) -> bool:
    """Hosts can register while the campaign is open and not past its closing date."""
    if campaign.status != CampaignStatus.OPEN.value:
        return False
    if campaign.opens_on and today < campaign.opens_on:
        return False
    return not (campaign.closes_on and today > campaign.closes_on)


def accepts_notes(campaign: Campaign) -> bool:
    """Guests can write notes while the campaign is open (closing date gives a grace period)."""
    return campaign.status == CampaignStatus.OPEN.value
