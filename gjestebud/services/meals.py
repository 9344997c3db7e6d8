"""Meals: a host registers one, gets a private page, and closes it afterwards."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from ..extensions import db
from ..models import Campaign, Host, Meal, MealStatus, Place, TargetGroup, utcnow
from .tokens import hash_token, new_token, normalise_token


@dataclass
class MealRegistration:
    host_name: str
    place_id: int
    target_group_id: int
    held_on: date
    email: str | None = None
    phone: str | None = None
    expected_guests: int | None = None
    language: str = "nb"


class RegistrationError(ValueError):
    """The registration refers to a place or group the campaign does not have."""


def register_meal(campaign: Campaign, data: MealRegistration) -> tuple[Meal, str]:
    """Create host and meal; return the meal and its host token (shown once, stored hashed)."""
    place = db.session.get(Place, data.place_id)
    group = db.session.get(TargetGroup, data.target_group_id)
    if place not in campaign.places or group not in campaign.target_groups:
        raise RegistrationError("place or target group not in campaign")
    host = Host(
        organisation_id=campaign.organisation_id,
        name=data.host_name.strip(),
        email=(data.email or "").strip() or None,
        phone=(data.phone or "").strip() or None,
        language=data.language,
    )
    host_token = new_token()
    meal = Meal(
        campaign=campaign,
        host=host,
        place=place,
        target_group=group,
        held_on=data.held_on,
        expected_guests=data.expected_guests,
        language=data.language,
        public_token=new_token(16),
        host_token_hash=hash_token(host_token),
    )
    db.session.add_all([host, meal])
    db.session.flush()
    return meal, host_token


def send_host_link(meal: Meal, host_token: str) -> bool:
    """E-mail the host the link to their meal page, once per meal; False without an address.

    The link is the only way back to the page, and a host on a phone easily loses the tab.
    """
    from .. import links
    from . import outbox

    if not meal.host.email:
        return False
    campaign = meal.campaign
    try:
        outbox.queue_message(
            kind="host_link", recipient=meal.host.email, language=meal.language,
            dedupe_key=f"host_link:{meal.id}", organisation_id=campaign.organisation_id,
            context={
                "host_name": meal.host.name, "campaign_title": campaign.title(meal.language),
                "organisation_name": campaign.organisation.name, "meal_date": meal.held_on,
                "place": meal.place.name, "meal_url": links.host_url(host_token),
            },
        )
    except outbox.InvalidMessage:
        return False
    return True


def meal_by_public_token(token: str) -> Meal | None:
    """The meal behind a guest link, unless the link has been revoked."""
    token = normalise_token(token)
    if not token:
        return None
    meal = db.session.scalar(sa.select(Meal).where(Meal.public_token == token))
    if meal is None or meal.token_revoked_at is not None:
        return None
    return meal


def meal_in_campaign(campaign: Campaign, meal_id: int) -> Meal | None:
    """The meal if it belongs to the campaign; None for every other id."""
    return db.session.scalar(
        sa.select(Meal).where(Meal.id == meal_id, Meal.campaign_id == campaign.id))


def meal_by_host_token(token: str) -> Meal | None:
    token = normalise_token(token)
    if not token:
        return None
    return db.session.scalar(sa.select(Meal).where(Meal.host_token_hash == hash_token(token)))


def rotate_host_token(meal: Meal) -> str:
    """Give the host a new private link; the old one stops working."""
    token = new_token()
    meal.host_token_hash = hash_token(token)
    db.session.flush()
    return token


def revoke_public_token(meal: Meal) -> None:
    """Stop the guest link and posters from accepting notes."""
    meal.token_revoked_at = utcnow()
    db.session.flush()


def renew_public_token(meal: Meal) -> str:
    """A fresh guest link (new posters needed); the old one gives a friendly 404."""
    meal.public_token = new_token(16)
    meal.token_revoked_at = None
    db.session.flush()
    return meal.public_token


def close_meal(meal: Meal, guest_count: int | None, summary: str | None) -> Meal:
    """The host reports that the meal was held: how many came and a short summary."""
    meal.status = MealStatus.HELD.value
    meal.guest_count = guest_count
    meal.summary = (summary or "").strip() or None
    meal.closed_at = meal.closed_at or utcnow()
    db.session.flush()
    return meal
