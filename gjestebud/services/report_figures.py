"""The report's figures as CSV and XLSX: notes per theme overall and per question, place, group.

Made from a report's data (the published copy on the public page), so the files always match
the page. Every text cell goes through `safe_cell`: labels and names cannot become formulas.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict

from .analysis_export import safe_cell
from .report_data import ReportData

HEADER = ("dimension", "group", "group_text", "theme", "notes", "notes_in_group",
          "share_percent")
DIMENSIONS = ("question", "place", "target_group")


def _percent(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


def figure_rows(data: ReportData) -> list[tuple]:
    """One row per theme and group: overall first, then per question, place and target group."""
    questions = {q.code: q.text for q in data.questions}
    return [
        (f.dimension, f.group, questions.get(f.group, "") if f.dimension == "question" else "",
         f.theme, f.count, f.group_total, _percent(f.count, f.group_total))
        for f in data.figures
    ]


def figures_csv(data: ReportData) -> str:
    """The figures as CSV text (UTF-8 with a byte order mark, for spreadsheets)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for row in figure_rows(data):
        writer.writerow([safe_cell(v) for v in row])
    return "\ufeff" + out.getvalue()


def figures_xlsx(data: ReportData) -> bytes:
    """The figures as a workbook: all rows, then one theme × group table per dimension."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("figures")
    sheet.append(list(HEADER))
    for row in figure_rows(data):
        sheet.append([safe_cell(v) for v in row])
    for dimension in DIMENSIONS:
        cells = [f for f in data.figures if f.dimension == dimension]
        groups = sorted({f.group for f in cells}, key=str.casefold)
        counts: dict[str, dict[str, int]] = defaultdict(dict)
        for f in cells:
            counts[f.theme][f.group] = f.count
        table = book.create_sheet(dimension)
        table.append(["theme", *[safe_cell(g) for g in groups]])
        for theme in sorted(counts, key=lambda t: (-sum(counts[t].values()), t.casefold())):
            table.append([safe_cell(theme), *[counts[theme].get(g, 0) for g in groups]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
