"""Read-only summaries for staff pages: campaigns with counts, meals with note counts."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Campaign, Meal, Note


@dataclass
class CampaignSummary:
    campaign: Campaign
    meals: int
    notes: int


@dataclass
class MealSummary:
    meal: Meal
    notes: int


def campaign_in_organisation(organisation_id: int, campaign_id: int) -> Campaign | None:
    """A campaign, only if it belongs to the organisation (otherwise None, as if missing)."""
    return db.session.scalar(
        sa.select(Campaign).where(
            Campaign.id == campaign_id, Campaign.organisation_id == organisation_id
        )
    )


def campaign_summaries(organisation_id: int) -> list[CampaignSummary]:
    """The organisation's campaigns, newest first, with their meal and visible note counts."""
    meal_counts = (
        sa.select(Meal.campaign_id, sa.func.count(Meal.id).label("n"))
        .group_by(Meal.campaign_id)
        .subquery()
    )
    note_counts = (
        sa.select(Meal.campaign_id, sa.func.count(Note.id).label("n"))
        .join(Note, Note.meal_id == Meal.id)
        .where(Note.hidden.is_(False))
        .group_by(Meal.campaign_id)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(
            Campaign,
            sa.func.coalesce(meal_counts.c.n, 0),
            sa.func.coalesce(note_counts.c.n, 0),
        )
        .outerjoin(meal_counts, meal_counts.c.campaign_id == Campaign.id)
        .outerjoin(note_counts, note_counts.c.campaign_id == Campaign.id)
        .where(Campaign.organisation_id == organisation_id)
        .order_by(Campaign.created_at.desc(), Campaign.id.desc())
    )
    return [CampaignSummary(campaign, meals, notes) for campaign, meals, notes in rows]


def meal_summaries(campaign: Campaign) -> list[MealSummary]:
    """The campaign's meals by date, with their visible note counts."""
    note_counts = (
        sa.select(Note.meal_id, sa.func.count(Note.id).label("n"))
        .where(Note.hidden.is_(False))
        .group_by(Note.meal_id)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(Meal, sa.func.coalesce(note_counts.c.n, 0))
        .outerjoin(note_counts, note_counts.c.meal_id == Meal.id)
        .where(Meal.campaign_id == campaign.id)
        .options(selectinload(Meal.place), selectinload(Meal.target_group))
        .order_by(Meal.held_on, Meal.id)
    )
    return [MealSummary(meal, notes) for meal, notes in rows]
