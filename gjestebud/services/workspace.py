"""Read-only views of an analysed campaign: notes in context, theme sizes, lift and word lists."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from ..extensions import db
from ..models import (
    AnalysisRun,
    Campaign,
    Meal,
    Note,
    NoteTheme,
    Place,
    Question,
    TargetGroup,
    Theme,
)
from .masking import mask_text

QUOTES_SHOWN = 3


@dataclass(frozen=True)
class Filters:
    """What the analyst narrowed the workspace to; None means everything."""

    question_id: int | None = None
    place_id: int | None = None
    target_group_id: int | None = None
    language: str | None = None

    @property
    def active(self) -> bool:
        return any(v not in (None, "") for v in (self.question_id, self.place_id,
                                                   self.target_group_id, self.language))


@dataclass
class NoteRow:
    """A note with the context it was written in; `text` is masked."""

    id: int
    text: str
    question_code: str
    question: Question
    place: str
    place_id: int
    target_group: str
    held_on: date
    language: str
    theme_id: int | None
    set_by_analyst: bool
    analysed: bool
    lemmas: list[str] = field(default_factory=list)
    rendering: str = ""  # an analyst's Norwegian rendering, masked
    guess_theme_id: int | None = None  # in no theme: the theme it resembles most

    @property
    def other_language(self) -> bool:
        """Written in a language the analysis cannot read word by word."""
        return bool(self.language) and self.language not in READ_LANGUAGES


@dataclass
class ThemeSummary:
    theme: Theme
    size: int
    quotes: list[NoteRow]


# Languages the analysis reads word by word; notes in others are read through their meaning
# only, and wait for the analyst when no theme took them.
READ_LANGUAGES = frozenset({"nb", "nn", "en"})


def other_languages(rows: list[NoteRow]) -> list[tuple[str, int]]:
    """Languages outside READ_LANGUAGES among the rows, with how many notes each, most first."""
    counts = Counter(r.language for r in rows if r.language and r.language not in READ_LANGUAGES)
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def notes(campaign: Campaign, filters: Filters | None = None) -> list[NoteRow]:
    """The campaign's visible notes in context, oldest first, narrowed by `filters`."""
    # The language the analysis read in the note's text; the page's language until it has run.
    language = sa.func.coalesce(sa.func.nullif(NoteTheme.detected_language, "und"),
                                sa.func.nullif(Note.language, ""))
    query = (
        sa.select(Note, Question, Place.name, Place.id, TargetGroup.name, Meal.held_on,
                  language, NoteTheme.theme_id, NoteTheme.set_by_analyst, NoteTheme.id,
                  NoteTheme.lemmas, NoteTheme.guess_theme_id)
        .join(Meal, Note.meal_id == Meal.id)
        .join(Question, Note.question_id == Question.id)
        .join(Place, Meal.place_id == Place.id)
        .join(TargetGroup, Meal.target_group_id == TargetGroup.id)
        .outerjoin(NoteTheme, NoteTheme.note_id == Note.id)
        .where(Meal.campaign_id == campaign.id, Note.hidden.is_(False))
        .order_by(Note.id)
    )
    f = filters or Filters()
    if f.question_id:
        query = query.where(Note.question_id == f.question_id)
    if f.place_id:
        query = query.where(Meal.place_id == f.place_id)
    if f.target_group_id:
        query = query.where(Meal.target_group_id == f.target_group_id)
    if f.language:
        query = query.where(language == f.language)
    return [
        NoteRow(id=note.id, text=mask_text(note.text), question_code=question.code,
                question=question, place=place, place_id=place_id, target_group=group,
                held_on=held_on, language=lang or "", theme_id=theme_id,
                set_by_analyst=bool(by_analyst), analysed=row_id is not None,
                lemmas=list(lemmas or []),
                rendering=mask_text(note.rendering) if note.rendering else "",
                guess_theme_id=guess if theme_id is None else None)
        for (note, question, place, place_id, group, held_on, lang, theme_id, by_analyst, row_id,
             lemmas, guess) in db.session.execute(query)
    ]


def quotes_for(theme: Theme, rows: list[NoteRow], n: int = QUOTES_SHOWN) -> list[NoteRow]:
    """The theme's quotes among `rows`: the analyst's pins first, then the pipeline's, then any."""
    mine = {r.id: r for r in rows if r.theme_id == theme.id}
    order = [*(theme.pinned_quote_ids or []), *(theme.quote_ids or []), *sorted(mine)]
    return [mine[i] for i in dict.fromkeys(order) if i in mine][:n]


def theme_summaries(themes: list[Theme], rows: list[NoteRow],
                    keep_empty: bool = True) -> list[ThemeSummary]:
    """Each theme with its size among `rows` and its quotes, biggest first."""
    sizes = Counter(r.theme_id for r in rows if r.theme_id is not None)
    out = [ThemeSummary(t, sizes.get(t.id, 0), quotes_for(t, rows)) for t in themes]
    if not keep_empty:
        out = [s for s in out if s.size]
    return sorted(out, key=lambda s: (-s.size, s.theme.label.casefold()))


def filter_choices(campaign: Campaign) -> dict[str, list[tuple]]:
    """Options for the workspace filters: questions, places, groups and languages in use."""
    rows = notes(campaign)
    places = sorted({(r.place_id, r.place) for r in rows}, key=lambda p: p[1].casefold())
    groups = db.session.execute(
        sa.select(TargetGroup.id, TargetGroup.name).join(Meal, Meal.target_group_id ==
                                                         TargetGroup.id)
        .where(Meal.campaign_id == campaign.id).distinct().order_by(TargetGroup.name)
    ).all()
    return {
        "questions": [(q.id, q) for q in campaign.questions],
        "places": places,
        "target_groups": [tuple(g) for g in groups],
        "languages": sorted({r.language for r in rows if r.language}),
    }


# --- lift heatmap and findings from the last run ------------------------------------------------

def lift_class(lift: float) -> str:
    """A colour class for a lift value; the number is always shown too."""
    if lift >= 2.5:
        return "lift-very-high"
    if lift >= 1.5:
        return "lift-high"
    if lift <= 0.5:
        return "lift-low"
    return "lift-even"


@dataclass
class Heatmap:
    columns: list[str]
    rows: list[tuple[Theme, list[dict | None]]]


def heatmap(run: AnalysisRun | None, themes: list[Theme], kind: str = "by_location") -> Heatmap:
    """Theme × group table of the last run's cells (lift, count, distinctive)."""
    table = (run.breakdown or {}).get(kind, {}) if run else {}
    columns = sorted(table, key=str.casefold)
    cells = {(c["theme"], g): c for g in columns for c in table[g]}
    rows = [(t, [cells.get((t.id, g)) for g in columns]) for t in themes
            if any((t.id, g) in cells for g in columns)]
    return Heatmap(columns=columns, rows=rows)


@dataclass
class Finding:
    theme: Theme
    kind: str  # location | question | target_group
    group: str
    lift: float
    count: int


def findings(run: AnalysisRun | None, themes: list[Theme], tier: str = "distinctive"
             ) -> list[Finding]:
    """Cells the run marked as distinctive (or, with tier="hint", as worth a look), strongest
    first, for live themes only. Only distinctive cells are findings a report may claim."""
    if run is None:
        return []
    by_id = {t.id: t for t in themes}
    out = []
    for kind in ("location", "question", "target_group"):
        for group, cells in (run.breakdown or {}).get(f"by_{kind}", {}).items():
            for cell in cells:
                if cell.get(tier) and cell["theme"] in by_id:
                    out.append(Finding(by_id[cell["theme"]], kind, group, float(cell["lift"]),
                                       int(cell["count"])))
    return sorted(out, key=lambda f: (-f.lift, f.theme.label.casefold(), f.group))


# --- word lists and word cloud scopes ------------------------------------------------------

def top_words(rows: list[NoteRow], n: int = 15) -> list[tuple[str, int]]:
    """The words most notes use (once per note), most used first; from the last run's lemmas."""
    counts = Counter(w for r in rows for w in set(r.lemmas))
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n]


def scope_rows(campaign: Campaign, scope: str) -> list[NoteRow] | None:
    """Notes behind a word cloud: all, q<position>, place-<id>, theme-<id>; None if unknown."""
    rows = notes(campaign)
    if scope == "all":
        return rows
    kind, _, value = scope.partition("-")
    if scope.startswith("q") and scope[1:].isdigit():
        return [r for r in rows if r.question_code == scope]
    if not value.isdigit():
        return None
    if kind == "place":
        picked = [r for r in rows if r.place_id == int(value)]
        return picked or None
    if kind == "theme":
        theme = db.session.scalar(sa.select(Theme).where(
            Theme.id == int(value), Theme.campaign_id == campaign.id))
        return [r for r in rows if r.theme_id == theme.id] if theme else None
    return None


def wordcloud_scopes(campaign: Campaign) -> list[tuple[str, list[NoteRow]]]:
    """The word clouds the word cloud page shows (all notes, each question, each place), with
    their notes; scopes without notes are left out."""
    rows = notes(campaign)
    scopes = [("all", rows)]
    scopes += [(q.code, [r for r in rows if r.question_code == q.code])
               for q in campaign.questions]
    scopes += [(f"place-{pid}", [r for r in rows if r.place_id == pid])
               for pid in sorted({r.place_id for r in rows})]
    return [(scope, picked) for scope, picked in scopes if picked]


def digest(rows: list[NoteRow]) -> str:
    """Changes whenever the notes behind a word cloud change."""
    h = hashlib.sha256()
    for r in rows:
        h.update(f"{r.id}\x1f{r.text}\x1e".encode())
    return h.hexdigest()
