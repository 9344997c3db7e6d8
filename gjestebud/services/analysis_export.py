"""Exports of an analysed campaign: notes with their themes (CSV, XLSX) and a theme summary (CSV).

Only masked note text and the meal's context go out: no hosts, no e-mail addresses, no hidden
notes.
"""

from __future__ import annotations

from collections import Counter

from ..models import Campaign
from . import themes as theme_service
from . import workspace
from .spreadsheets import add_sheet, csv_text, percent, workbook, xlsx_bytes

NOTES_HEADER = ("id", "question", "question_text", "place", "target_group", "meal_date",
                "language", "theme", "filed_by_analyst", "text")


def notes_rows(campaign: Campaign, rows: list[workspace.NoteRow], labels: dict[int, str]
               ) -> list[tuple]:
    """One row per visible note, oldest first, with its theme (empty when in no theme)."""
    lang = campaign.main_language
    return [
        (f"n{r.id}", r.question_code, r.question.text(lang), r.place, r.target_group,
         r.held_on.isoformat(), r.language, labels.get(r.theme_id, ""),
         "yes" if r.set_by_analyst else "no", r.text)
        for r in rows
    ]


def notes_csv(campaign: Campaign, *, excel: bool = False) -> str:
    """The notes with their themes as CSV text (see spreadsheets.csv_text for `excel`)."""
    labels = {t.id: t.label for t in theme_service.live_themes(campaign)}
    return csv_text(NOTES_HEADER, notes_rows(campaign, workspace.notes(campaign), labels),
                    excel=excel)


def notes_xlsx(campaign: Campaign) -> bytes:
    """The notes with their themes as an Excel workbook, and the theme summary."""
    rows = workspace.notes(campaign)
    themes = theme_service.live_themes(campaign)
    book = workbook()
    add_sheet(book, "notes", NOTES_HEADER,
              notes_rows(campaign, rows, {t.id: t.label for t in themes}))
    add_sheet(book, "themes", *theme_summary(rows, themes))
    return xlsx_bytes(book)


def theme_summary(rows: list[workspace.NoteRow], themes: list) -> tuple[list[str], list[list]]:
    """Header and rows: label, size, keywords, source and each place's share of notes (percent)."""
    places = sorted({r.place for r in rows}, key=str.casefold)
    per_place = Counter(r.place for r in rows)
    counts = Counter((r.theme_id, r.place) for r in rows if r.theme_id is not None)
    sizes = Counter(r.theme_id for r in rows if r.theme_id is not None)
    header = ["theme", "size", "share_percent", "keywords", "source",
              *[f"share_percent {p}" for p in places]]
    out = []
    for theme in sorted(themes, key=lambda t: (-sizes.get(t.id, 0), t.label.casefold())):
        size = sizes.get(theme.id, 0)
        out.append([
            theme.label, size, percent(size, len(rows)), ", ".join(theme.keywords or []),
            theme.source,
            *[percent(counts.get((theme.id, p), 0), per_place[p]) for p in places],
        ])
    return header, out


def themes_csv(campaign: Campaign, *, excel: bool = False) -> str:
    """The theme summary as CSV text."""
    return csv_text(*theme_summary(workspace.notes(campaign),
                                   theme_service.live_themes(campaign)), excel=excel)
