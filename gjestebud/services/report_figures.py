"""The report's figures as CSV and XLSX: notes per theme overall and per question, place, group.

Made from a report's data (the published copy on the public page), so the files always match
the page. Every text cell goes through `safe_cell`: labels and names cannot become formulas.
"""

from __future__ import annotations

from collections import defaultdict

from .report_data import ReportData
from .spreadsheets import add_sheet, csv_text, percent, workbook, xlsx_bytes

HEADER = ("dimension", "group", "group_text", "theme", "notes", "notes_in_group",
          "share_percent")
DIMENSIONS = ("question", "place", "target_group")


def figure_rows(data: ReportData) -> list[tuple]:
    """One row per theme and group: overall first, then per question, place and target group."""
    questions = {q.code: q.text for q in data.questions}
    return [
        (f.dimension, f.group, questions.get(f.group, "") if f.dimension == "question" else "",
         f.theme, f.count, f.group_total, percent(f.count, f.group_total))
        for f in data.figures
    ]


def figures_csv(data: ReportData, *, excel: bool = False) -> str:
    """The figures as CSV text (see spreadsheets.csv_text for `excel`)."""
    return csv_text(HEADER, figure_rows(data), excel=excel)


def figures_xlsx(data: ReportData) -> bytes:
    """The figures as a workbook: all rows, then one theme × group table per dimension."""
    book = workbook()
    add_sheet(book, "figures", HEADER, figure_rows(data))
    for dimension in DIMENSIONS:
        cells = [f for f in data.figures if f.dimension == dimension]
        groups = sorted({f.group for f in cells}, key=str.casefold)
        counts: dict[str, dict[str, int]] = defaultdict(dict)
        for f in cells:
            counts[f.theme][f.group] = f.count
        themes = sorted(counts, key=lambda t: (-sum(counts[t].values()), t.casefold()))
        add_sheet(book, dimension, ["theme", *groups],
                  [[theme, *[counts[theme].get(g, 0) for g in groups]] for theme in themes])
    return xlsx_bytes(book)
