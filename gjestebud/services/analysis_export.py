"""Exports of an analysed campaign: notes with their themes (CSV, XLSX) and a theme summary (CSV).

Only masked note text and the meal's context go out: no hosts, no e-mail addresses, no hidden
notes.
"""

from __future__ import annotations

import csv
import io
from collections import Counter

from ..models import Campaign
from . import themes as theme_service
from . import workspace

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NOTES_HEADER = ("id", "question", "question_text", "place", "target_group", "meal_date",
                "language", "theme", "filed_by_analyst", "text")
# A spreadsheet treats these first characters as the start of a formula.
_FORMULA_START = ("=", "+", "@", "\t", "\r")


def safe_cell(value):
    """Text that a spreadsheet shows as text, never runs as a formula."""
    if isinstance(value, str) and (value.startswith(_FORMULA_START)
                                   or (value.startswith("-") and not value.startswith("- "))):
        return "'" + value
    return value


def notes_rows(campaign: Campaign) -> list[tuple]:
    """One row per visible note, oldest first, with its theme (empty when in no theme)."""
    labels = {t.id: t.label for t in theme_service.live_themes(campaign)}
    lang = campaign.main_language
    return [
        (f"n{r.id}", r.question_code, r.question.text(lang), r.place, r.target_group,
         r.held_on.isoformat(), r.language, labels.get(r.theme_id, ""),
         "yes" if r.set_by_analyst else "no", r.text)
        for r in workspace.notes(campaign)
    ]


def _csv(header, rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    # A byte order mark so that spreadsheet programs read the file as UTF-8 (æ, ø, å).
    return "\ufeff" + out.getvalue()


def notes_csv(campaign: Campaign) -> str:
    """The notes with their themes as CSV text."""
    return _csv(NOTES_HEADER, notes_rows(campaign))


def notes_xlsx(campaign: Campaign) -> bytes:
    """The notes with their themes as an Excel workbook."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("notes")
    sheet.append(list(NOTES_HEADER))
    for row in notes_rows(campaign):
        sheet.append([safe_cell(v) for v in row])
    summary = book.create_sheet("themes")
    header, rows = theme_summary(campaign)
    summary.append(list(header))
    for row in rows:
        summary.append([safe_cell(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def theme_summary(campaign: Campaign) -> tuple[list[str], list[list]]:
    """Header and rows: label, size, keywords, source and each place's share of notes (percent)."""
    rows = workspace.notes(campaign)
    places = sorted({r.place for r in rows}, key=str.casefold)
    per_place = Counter(r.place for r in rows)
    counts = Counter((r.theme_id, r.place) for r in rows if r.theme_id is not None)
    sizes = Counter(r.theme_id for r in rows if r.theme_id is not None)
    header = ["theme", "size", "share_percent", "keywords", "source",
              *[f"share_percent {p}" for p in places]]
    out = []
    themes = sorted(theme_service.live_themes(campaign),
                    key=lambda t: (-sizes.get(t.id, 0), t.label.casefold()))
    for theme in themes:
        size = sizes.get(theme.id, 0)
        out.append([
            theme.label, size, _percent(size, len(rows)), ", ".join(theme.keywords or []),
            theme.source,
            *[_percent(counts.get((theme.id, p), 0), per_place[p]) for p in places],
        ])
    return header, out


def _percent(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


def themes_csv(campaign: Campaign) -> str:
    """The theme summary as CSV text."""
    header, rows = theme_summary(campaign)
    return _csv(header, rows)
