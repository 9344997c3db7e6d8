"""What a reported campaign tells its participants: thanks, what we heard, what happens next."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..extensions import db
from ..models import (
    Campaign,
    CampaignFeedback,
    CampaignStatus,
    Meal,
    localized_with_language,
)
from . import reports
from .retention import campaign_feedback

TOP_THEMES = 5


@dataclass
class FeedbackData:
    heard_texts: dict[str, str] = field(default_factory=dict)
    next_steps: dict[str, str] = field(default_factory=dict)
    report_url: str | None = None
    retention_until: date | None = None


@dataclass(frozen=True)
class FeedbackPage:
    """The texts of the feedback page, each with the language it is written in."""

    title: tuple[str, str]
    heard: tuple[str, str] | None
    next_steps: tuple[str, str] | None
    report_url: str | None
    place: str
    # What stood out in the meal's place, from the published report (in its language).
    place_findings: tuple[str, ...] = ()
    findings_lang: str = ""
    # The report's main themes (label, notes), for when staff have written no summary.
    top_themes: tuple[tuple[str, int], ...] = ()


def is_reported(campaign: Campaign) -> bool:
    """Once reported, every guest link of the campaign shows the feedback page."""
    return campaign.status == CampaignStatus.REPORTED.value


def feedback_data(campaign: Campaign) -> FeedbackData:
    """The campaign's current feedback texts, for the staff form."""
    feedback = campaign_feedback(campaign)
    if feedback is None:
        return FeedbackData()
    return FeedbackData(
        heard_texts=dict(feedback.heard_texts or {}),
        next_steps=dict(feedback.next_steps or {}),
        report_url=feedback.report_url,
        retention_until=feedback.retention_until,
    )


def update_feedback(campaign: Campaign, data: FeedbackData) -> CampaignFeedback:
    """Save the feedback texts staff wrote for a campaign."""
    feedback = campaign_feedback(campaign)
    if feedback is None:
        feedback = CampaignFeedback(campaign_id=campaign.id)
        db.session.add(feedback)
    feedback.heard_texts = _clean(data.heard_texts)
    feedback.next_steps = _clean(data.next_steps)
    feedback.report_url = (data.report_url or "").strip() or None
    feedback.retention_until = data.retention_until
    db.session.flush()
    return feedback


def feedback_page(meal: Meal, lang: str) -> FeedbackPage:
    """The feedback page for a guest link: the meal's campaign and place, in the page language."""
    campaign = meal.campaign
    feedback = campaign_feedback(campaign)
    main = campaign.main_language
    heard = feedback.heard_texts if feedback else None
    next_steps = feedback.next_steps if feedback else None
    report = reports.published_data(campaign, lang)
    findings = next((g for g in report.places if g.name == meal.place.name), None) \
        if report else None
    return FeedbackPage(
        title=localized_with_language(campaign.titles, lang, main),
        heard=localized_with_language(heard, lang, main) if heard else None,
        next_steps=localized_with_language(next_steps, lang, main) if next_steps else None,
        # Staff may point to a report of their own; else the published one, if any.
        report_url=(feedback.report_url if feedback else None)
        or reports.public_report_url(campaign, lang if report and report.lang == lang else None),
        place=meal.place.name,
        place_findings=tuple(findings.sentences) if findings else (),
        findings_lang=report.lang if report else "",
        top_themes=tuple((t.label, t.count) for t in report.themes[:TOP_THEMES]) if report else (),
    )



def _clean(texts: dict[str, str]) -> dict[str, str]:
    return {lang: text.strip() for lang, text in texts.items() if text and text.strip()}
