"""A campaign's report: the analyst's texts, the draft built from the analysis, publishing.

While a report is a draft it is built from the live analysis every time (`build`). Publishing
freezes the data of each language the campaign has into `Report.published` and its word clouds
into `ReportImage`, so the public page, the PDF and the figures stay as they were published
until the analyst publishes again. Later updates (FeedbackMessage, kind "update") are read live.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _

from ..extensions import db
from ..links import _absolute
from ..models import (
    LANGUAGES,
    Campaign,
    FeedbackMessage,
    Meal,
    MealStatus,
    Note,
    Report,
    ReportImage,
    Theme,
    User,
    utcnow,
)
from . import analysis_runs, report_texts, workspace
from . import themes as theme_service
from .report_data import (
    Cloud,
    Counts,
    FigureRow,
    GroupFindings,
    MainTheme,
    QuestionSection,
    Quote,
    ReportData,
    Text,
    ThemeShare,
)

THEMES_SHOWN_DEFAULT = 8
THEMES_SHOWN_MAX = 20
QUESTION_THEMES = 5  # the biggest themes listed under each question
QUOTES = 3
CLOUD_WORDS = 15
FINDINGS_PER_GROUP = 3
# A finding about fewer notes than this is left out of the public report: too few to say
# anything, and too close to pointing at a single table.
MIN_FINDING_COUNT = 3
OVERALL = "overall"


# --- the report row and the analyst's texts ---------------------------------------------------

def report_for(campaign: Campaign) -> Report | None:
    """The campaign's report row, if there is one."""
    return campaign.report


def get_or_create(campaign: Campaign) -> Report:
    """The campaign's report row, created (empty) the first time."""
    report = report_for(campaign)
    if report is None:
        report = Report(campaign=campaign, intro={}, closing={}, question_texts={},
                        themes_shown=THEMES_SHOWN_DEFAULT)
        db.session.add(report)
        db.session.flush()
    return report


def languages(campaign: Campaign) -> list[str]:
    """The languages the report is made in: those the campaign has a title in."""
    titles = campaign.titles or {}
    found = [code for code in LANGUAGES if (titles.get(code) or "").strip()]
    return found or [campaign.main_language]


@dataclass
class ReportTexts:
    """What the analyst writes: {lang: text} each, question texts keyed by question id."""

    intro: dict[str, str] = field(default_factory=dict)
    closing: dict[str, str] = field(default_factory=dict)
    question_texts: dict[int, dict[str, str]] = field(default_factory=dict)
    themes_shown: int = THEMES_SHOWN_DEFAULT


def texts_of(campaign: Campaign) -> ReportTexts:
    """The analyst's texts as saved; the closing starts as "how the results will be used"."""
    report = report_for(campaign)
    closing = dict(report.closing or {}) if report else {}
    if not any(v.strip() for v in closing.values()):
        closing = dict(campaign.results_uses or {})
    return ReportTexts(
        intro=dict(report.intro or {}) if report else {},
        closing=closing,
        question_texts={int(k): dict(v) for k, v in (report.question_texts or {}).items()}
        if report else {},
        themes_shown=report.themes_shown if report else THEMES_SHOWN_DEFAULT,
    )


def save_texts(campaign: Campaign, texts: ReportTexts) -> Report:
    """Save the analyst's texts around the generated parts (the draft; not yet public)."""
    report = get_or_create(campaign)
    question_ids = {q.id for q in campaign.questions}
    report.intro = _clean(texts.intro)
    report.closing = _clean(texts.closing)
    report.question_texts = {
        str(qid): cleaned for qid, values in texts.question_texts.items()
        if qid in question_ids and (cleaned := _clean(values))
    }
    report.themes_shown = max(1, min(THEMES_SHOWN_MAX, int(texts.themes_shown)))
    report.updated_at = utcnow()
    db.session.flush()
    return report


def _clean(texts: dict[str, str]) -> dict[str, str]:
    return {code: text.strip().replace("\r\n", "\n") for code, text in (texts or {}).items()
            if code in LANGUAGES and text and text.strip()}


def _pick(lang: str, main: str, *sources: dict | None) -> Text:
    """The first text in `lang` among the sources, else the first in the main language, else any."""
    for code in dict.fromkeys((lang, main, *LANGUAGES)):
        for texts in sources:
            value = ((texts or {}).get(code) or "").strip()
            if value:
                return Text(value, code)
    return Text("", lang)


# --- building the report from the live analysis -----------------------------------------------

def build(campaign: Campaign, lang: str) -> ReportData:
    """The report in one language from the current analysis and the analyst's saved texts."""
    with force_locale(lang):
        return _build(campaign, lang)


def _build(campaign: Campaign, lang: str) -> ReportData:
    report = report_for(campaign)
    main = campaign.main_language
    rows = workspace.notes(campaign)
    themes = theme_service.live_themes(campaign)
    run = analysis_runs.latest_done_run(campaign)
    themes_shown = report.themes_shown if report else THEMES_SHOWN_DEFAULT
    question_texts = (report.question_texts or {}) if report else {}
    summaries = workspace.theme_summaries(themes, rows, keep_empty=False)
    data = ReportData(
        lang=lang, title=campaign.title(lang), purpose=campaign.purpose(lang),
        intro=_pick(lang, main, report.intro if report else None),
        closing=_pick(lang, main, report.closing if report else None, campaign.results_uses),
        counts=_counts(campaign, rows),
        has_analysis=run is not None,
        analysed_at=run.finished_at.isoformat(timespec="minutes")
        if run and run.finished_at else None,
    )
    total = len(rows)
    for s in summaries[:themes_shown]:
        data.themes.append(MainTheme(
            theme_id=s.theme.id, label=s.theme.label, count=s.size,
            share=_share(s.size, total), keywords=list(s.theme.keywords or [])[:6],
            quotes=[Quote(q.text, q.place, q.target_group, q.question_code, q.id, q.language)
                    for q in workspace.quotes_for(s.theme, rows, QUOTES)],
        ))
    for question in campaign.questions:
        picked = [r for r in rows if r.question_code == question.code]
        section = QuestionSection(
            code=question.code, text=question.text(lang), n_notes=len(picked),
            summary=_pick(lang, main, question_texts.get(str(question.id))),
        )
        for s in workspace.theme_summaries(themes, picked, keep_empty=False)[:QUESTION_THEMES]:
            section.themes.append(ThemeShare(s.theme.id, s.theme.label, s.size,
                                             _share(s.size, len(picked))))
        section.cloud = _cloud(f"question-{question.code}", question.text(lang), picked)
        data.questions.append(section)
    data.overall_cloud = _cloud(OVERALL, _("All notes"), rows)
    data.places, data.target_groups = _findings(run, themes)
    data.figures = _figures(campaign, themes, rows, lang)
    return data


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def _counts(campaign: Campaign, rows: list[workspace.NoteRow]) -> Counts:
    """Meals registered and held (closed by the host, or with notes), and what they covered."""
    meals = list(db.session.scalars(sa.select(Meal).where(Meal.campaign_id == campaign.id)))
    meal_ids_with_notes = set(db.session.scalars(
        sa.select(Note.meal_id).distinct().join(Meal, Note.meal_id == Meal.id)
        .where(Meal.campaign_id == campaign.id, Note.hidden.is_(False))))
    held = [m for m in meals
            if m.status == MealStatus.HELD.value or m.id in meal_ids_with_notes]
    return Counts(
        meals_registered=len(meals), meals_held=len(held),
        places=len({m.place_id for m in held}),
        target_groups=len({m.target_group_id for m in held}),
        notes=len(rows), analysed_notes=sum(1 for r in rows if r.analysed),
    )


def _cloud(scope: str, title: str, rows: list[workspace.NoteRow]) -> Cloud | None:
    words = workspace.top_words(rows, CLOUD_WORDS)
    if not words:
        return None
    return Cloud(scope=scope, title=title, words=[[w, n] for w, n in words])


def _findings(run, themes: list[Theme]) -> tuple[list[GroupFindings], list[GroupFindings]]:
    """What stood out per place and per target group, in words, strongest first."""
    grouped: dict[str, dict[str, list[workspace.Finding]]] = {
        "location": defaultdict(list), "target_group": defaultdict(list)}
    for finding in workspace.findings(run, themes):
        if finding.kind in grouped and finding.count >= MIN_FINDING_COUNT:
            grouped[finding.kind][finding.group].append(finding)
    out = []
    for kind in ("location", "target_group"):
        out.append([
            GroupFindings(name=group, sentences=[
                report_texts.finding_sentence(f) for f in found[:FINDINGS_PER_GROUP]])
            for group, found in sorted(grouped[kind].items(), key=lambda kv: kv[0].casefold())
        ])
    return out[0], out[1]


def _figures(campaign: Campaign, themes: list[Theme], rows: list[workspace.NoteRow],
             lang: str) -> list[FigureRow]:
    """Each live theme's notes overall and per question, place and target group."""
    labels = {t.id: t.label for t in themes}
    dimensions = {
        "all": lambda r: "",
        "question": lambda r: r.question_code,
        "place": lambda r: r.place,
        "target_group": lambda r: r.target_group,
    }
    out = []
    for dimension, key in dimensions.items():
        totals = Counter(key(r) for r in rows)
        counts = Counter((r.theme_id, key(r)) for r in rows if r.theme_id in labels)
        for (theme_id, group), n in counts.items():
            out.append(FigureRow(labels[theme_id], dimension, group, n, totals[group]))
    order = {name: i for i, name in enumerate(dimensions)}
    return sorted(out, key=lambda f: (order[f.dimension], f.group.casefold(), -f.count,
                                      f.theme.casefold()))


# --- publishing -------------------------------------------------------------------------------

def publish(campaign: Campaign, user: User | None,
            draw: Callable[[list], bytes] | None = None) -> Report:
    """Freeze the report in every language, and its word clouds; replaces an earlier copy."""
    if draw is None:
        from ..analysis_tasks import wordcloud_png as draw
    report = get_or_create(campaign)
    published = {lang: build(campaign, lang) for lang in languages(campaign)}
    report.published = {lang: data.to_json() for lang, data in published.items()}
    report.published_at = utcnow()
    report.published_by_id = user.id if user is not None else None
    db.session.execute(sa.delete(ReportImage).where(ReportImage.report_id == report.id))
    scopes = {cloud.scope for data in published.values() for cloud in data.clouds}
    for scope in sorted(scopes):
        db.session.add(ReportImage(report_id=report.id, scope=scope,
                                   png=draft_image(campaign, scope, draw)))
    db.session.flush()
    return report


def unpublish(campaign: Campaign) -> Report | None:
    """Take the public report down (the draft and its texts stay)."""
    report = report_for(campaign)
    if report is None:
        return None
    report.published = None
    report.published_at = None
    report.published_by_id = None
    db.session.execute(sa.delete(ReportImage).where(ReportImage.report_id == report.id))
    db.session.flush()
    return report


def is_published(campaign: Campaign) -> bool:
    report = report_for(campaign)
    return bool(report and report.published and report.published_at)


def published_languages(campaign: Campaign) -> list[str]:
    """The languages the published report is in, in the usual order."""
    report = report_for(campaign)
    stored = (report.published or {}) if report and report.published_at else {}
    return [code for code in LANGUAGES if code in stored]


def published_data(campaign: Campaign, lang: str) -> ReportData | None:
    """The published report in `lang` (or in the main language, or any), None if unpublished."""
    report = report_for(campaign)
    if report is None or not report.published or report.published_at is None:
        return None
    stored = report.published
    for code in (lang, campaign.main_language, *LANGUAGES):
        if code in stored:
            return _without_hidden_quotes(ReportData.from_json(stored[code]))
    return None


def _without_hidden_quotes(data: ReportData) -> ReportData:
    """Moderation works at once: a note hidden (or gone) since publishing is not quoted."""
    ids = {q.note_id for t in data.themes for q in t.quotes}
    visible = set(db.session.scalars(
        sa.select(Note.id).where(Note.id.in_(ids), Note.hidden.is_(False)))) if ids else set()
    for theme in data.themes:
        theme.quotes = [q for q in theme.quotes if q.note_id in visible]
    return data


def changed_since_published(campaign: Campaign) -> bool:
    """True when publishing now would change the public report (texts or analysis)."""
    report = report_for(campaign)
    if report is None or not report.published:
        return False
    if set(report.published) != set(languages(campaign)):
        return True
    return any(build(campaign, lang).to_json() != report.published[lang]
               for lang in report.published)


def published_image(campaign: Campaign, scope: str) -> bytes | None:
    """A word cloud PNG frozen with the published report."""
    report = report_for(campaign)
    if report is None or report.published_at is None:
        return None
    return db.session.scalar(sa.select(ReportImage.png).where(
        ReportImage.report_id == report.id, ReportImage.scope == scope))


def _scope_rows(campaign: Campaign, scope: str) -> list[workspace.NoteRow] | None:
    if scope == OVERALL:
        return workspace.notes(campaign)
    code = scope.removeprefix("question-")
    if scope.startswith("question-") and code in {q.code for q in campaign.questions}:
        return [r for r in workspace.notes(campaign) if r.question_code == code]
    return None


def analyst_scope(scope: str) -> str:
    """The analyst word cloud cache's name for a report scope (all, q1 …)."""
    return "all" if scope == OVERALL else scope.removeprefix("question-")


def draft_image(campaign: Campaign, scope: str,
                draw: Callable[[list], bytes] | None = None) -> bytes | None:
    """A word cloud of the draft, from the cache when its notes have not changed."""
    rows = _scope_rows(campaign, scope)
    if rows is None:
        return None
    if draw is None:
        from ..analysis_tasks import wordcloud_png as draw
    return analysis_runs.wordcloud(campaign, analyst_scope(scope), rows, draw)


# --- what other parts use: the public link, a plain-text summary, updates ----------------------

def public_report_url(campaign: Campaign, lang: str | None = None) -> str | None:
    """The absolute URL of the published report page, None while it is not published."""
    if not is_published(campaign):
        return None
    values = {"lang": lang} if lang else {}
    return _absolute("reports.show", slug=campaign.slug, **values)


def results_summary(campaign: Campaign, lang: str) -> str:
    """Plain text of the main themes per question with their counts, for an e-mail.

    From the published report if there is one, else from the current analysis; "" before any.
    """
    data = published_data(campaign, lang)
    if data is None:
        if analysis_runs.latest_done_run(campaign) is None:
            return ""
        data = build(campaign, lang)
    if not any(q.themes for q in data.questions):
        return ""
    with force_locale(lang):
        return report_texts.summary_text(data)


@dataclass
class Update:
    """A later update about the campaign, shown on the report page."""

    published_at: datetime
    subject: Text
    body: Text
    themes: list[str]


def updates(campaign: Campaign, lang: str) -> list[Update]:
    """The campaign's published updates, newest first, in `lang` where written in it."""
    messages = db.session.scalars(
        sa.select(FeedbackMessage).where(
            FeedbackMessage.campaign_id == campaign.id, FeedbackMessage.kind == "update",
            FeedbackMessage.published_at.is_not(None))
        .order_by(FeedbackMessage.published_at.desc(), FeedbackMessage.id.desc())
    ).all()
    ids = {int(i) for m in messages for i in (m.theme_ids or []) if str(i).isdigit()}
    labels = dict(db.session.execute(sa.select(Theme.id, Theme.label).where(
        Theme.id.in_(ids), Theme.campaign_id == campaign.id)).all()) if ids else {}
    main = campaign.main_language
    return [
        Update(published_at=m.published_at, subject=_pick(lang, main, m.subjects),
               body=_pick(lang, main, m.bodies),
               themes=[labels[int(i)] for i in (m.theme_ids or [])
                       if str(i).isdigit() and int(i) in labels])
        for m in messages
    ]
