"""The notes export: the analysis input CSV of DESIGN.md §4, for the CLI and staff download.

The CLI writes the notes as they are, for the pipeline. The download is opened by people in
spreadsheet programs, so there every cell that could run as a formula is made safe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import TextIO

import sqlalchemy as sa

from ..extensions import db
from ..models import Campaign, Meal, Note, Place, Question, TargetGroup
from .spreadsheets import safe_row

NOTES_HEADER = ("id", "text", "question", "location", "target_group", "language")
BATCH_SIZE = 500


def note_id(note_pk: int) -> str:
    """The stable id a note has in exports and analysis results: n<primary key>."""
    return f"n{note_pk}"


def visible_notes(campaign: Campaign, *columns) -> sa.Select:
    """Select `columns` for every note of the campaign that is not hidden, oldest first, with
    its question, place and target group joined in."""
    return (
        sa.select(*columns)
        .join(Meal, Note.meal_id == Meal.id)
        .join(Question, Note.question_id == Question.id)
        .join(Place, Meal.place_id == Place.id)
        .join(TargetGroup, Meal.target_group_id == TargetGroup.id)
        .where(Meal.campaign_id == campaign.id, Note.hidden.is_(False))
        .order_by(Note.id)
    )


def note_rows(campaign: Campaign) -> Iterator[tuple[str, str, str, str, str, str]]:
    """One row per visible note of the campaign, oldest first, read from the database in batches."""
    query = visible_notes(
        campaign, Note.id, Note.text, Question.position, Place.name, TargetGroup.name,
        Note.language,
    ).execution_options(yield_per=BATCH_SIZE)
    for pk, text, position, place, group, language in db.session.execute(query):
        yield note_id(pk), text, f"q{position}", place, group, language or ""


def write_notes_csv(campaign: Campaign, out: TextIO) -> int:
    """Write the campaign's notes as CSV to a text stream; return the number of notes."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(NOTES_HEADER)
    count = 0
    for row in note_rows(campaign):
        writer.writerow(row)
        count += 1
    return count


def notes_csv_chunks(campaign: Campaign, rows_per_chunk: int = BATCH_SIZE) -> Iterator[str]:
    """The same CSV in pieces, for a streamed download that never holds the whole file; cells
    that a spreadsheet would run as formulas start with an apostrophe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(NOTES_HEADER)
    for n, row in enumerate(note_rows(campaign), start=1):
        writer.writerow(safe_row(row))
        if n % rows_per_chunk == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def export_filename(campaign: Campaign) -> str:
    """The download name of a campaign's notes file."""
    return f"notes-{campaign.slug}.csv"
