"""Post-it notes: stored once per client key, acknowledged only after commit."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db
from ..models import Meal, Note, Question


class NoteError(ValueError):
    """A note that cannot be stored; `code` tells the view which message to show."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def clean_text(text: str) -> str:
    """Trim, drop control characters and collapse runs of blank lines."""
    text = "".join(ch for ch in (text or "") if ch in "\n\t" or ch.isprintable())
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    cleaned, blank = [], False
    for line in lines:
        if not line.strip():
            if not blank and cleaned:
                cleaned.append("")
            blank = True
            continue
        cleaned.append(line)
        blank = False
    return "\n".join(cleaned).strip()


def add_note(
    meal: Meal,
    question: Question,
    text: str,
    client_key: str,
    *,
    max_length: int,
    language: str | None = None,
    source: str = "guest",
) -> tuple[Note, bool]:
    """Store a note; return (note, created). The same client key twice stores one note.

    The caller commits and only then acknowledges the note to the guest.
    """
    if question.campaign_id != meal.campaign_id:
        raise NoteError("question")
    text = clean_text(text)
    if not text:
        raise NoteError("empty")
    if len(text) > max_length:
        raise NoteError("too_long")
    client_key = (client_key or "").strip()[:64]
    if not client_key:
        raise NoteError("client_key")
    existing = find_note(meal, client_key)
    if existing is not None:
        return existing, False
    values = {
        "meal_id": meal.id,
        "question_id": question.id,
        "text": text,
        "client_key": client_key,
        "language": language,
        "source": source,
    }
    # INSERT … ON CONFLICT DO NOTHING rather than a savepoint: on SQLite the driver starts no
    # transaction before a SAVEPOINT, so releasing it would commit the note before the caller
    # does. If another request with the same key won the race, theirs is the stored note.
    inserted_id = db.session.execute(_insert_unless_duplicate(values)).scalar_one_or_none()
    note = find_note(meal, client_key)
    if note is None:  # pragma: no cover - the row exists by now, whoever inserted it
        raise NoteError("client_key")
    return note, inserted_id is not None


def _insert_unless_duplicate(values: dict):
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return (
        insert(Note)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["meal_id", "client_key"])
        .returning(Note.id)
    )


def find_note(meal: Meal, client_key: str) -> Note | None:
    return db.session.scalar(
        sa.select(Note).where(Note.meal_id == meal.id, Note.client_key == client_key)
    )


def notes_for_keys(meal: Meal, client_keys: list[str]) -> list[Note]:
    """The notes a guest's browser remembers sending, in the order they were sent."""
    if not client_keys:
        return []
    return list(
        db.session.scalars(
            sa.select(Note)
            .where(Note.meal_id == meal.id, Note.client_key.in_(client_keys))
            .order_by(Note.id)
        )
    )


def count_notes(meal: Meal) -> dict[int, int]:
    """Notes per question id for a meal."""
    rows = db.session.execute(
        sa.select(Note.question_id, sa.func.count(Note.id))
        .where(Note.meal_id == meal.id)
        .group_by(Note.question_id)
    )
    return {question_id: count for question_id, count in rows}


def notes_by_source(meal: Meal, source: str) -> list[Note]:
    """A meal's notes from one source (e.g. the host's typed-in paper notes), oldest first."""
    return list(
        db.session.scalars(
            sa.select(Note).where(Note.meal_id == meal.id, Note.source == source).order_by(Note.id)
        )
    )


def split_paper_notes(text: str) -> list[tuple[int, str]]:
    """Several notes typed in one box, one per line: (line number as typed, note) pairs."""
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return [(number, clean_text(line)) for number, line in enumerate(lines, start=1)
            if clean_text(line)]


def add_paper_notes(
    meal: Meal, question: Question, text: str, client_key: str, *, max_length: int,
    language: str | None = None,
) -> list[tuple[Note, bool]]:
    """Store paper notes typed by the host; all or none. Resending the same key stores them once.

    Raises NoteError("too_long") with `index` set to the line (1-based, as typed) of the first
    note that is too long.
    """
    lines = split_paper_notes(text)
    if not lines:
        raise NoteError("empty")
    for number, chunk in lines:
        if len(chunk) > max_length:
            error = NoteError("too_long")
            error.index = number
            raise error
    chunks = [chunk for _number, chunk in lines]
    client_key = (client_key or "").strip()[:40]
    if not client_key:
        raise NoteError("client_key")
    return [
        add_note(
            meal, question, chunk, f"{client_key}-p{index}", max_length=max_length,
            language=language, source="paper",
        )
        for index, chunk in enumerate(chunks, start=1)
    ]


def paper_note(meal: Meal, note_id: int) -> Note | None:
    """A note of this meal that its host typed in from paper (None for any other note)."""
    return db.session.scalar(sa.select(Note).where(
        Note.id == note_id, Note.meal_id == meal.id, Note.source == "paper"))


def edit_paper_note(note: Note, text: str, *, max_length: int) -> None:
    """Correct a note the host typed in; the analysis reads it anew on its next run."""
    text = " ".join(clean_text(text).split())
    if not text:
        raise NoteError("empty")
    if len(text) > max_length:
        raise NoteError("too_long")
    note.text = text


def delete_paper_note(note: Note) -> None:
    """Remove a note the host typed in by mistake, with what the analysis stored about it."""
    from ..models import NoteTheme

    db.session.execute(sa.delete(NoteTheme).where(NoteTheme.note_id == note.id))
    db.session.delete(note)
    db.session.flush()


def set_rendering(note: Note, text: str, *, max_length: int) -> None:
    """Give a note a Norwegian rendering for the analysis (empty text removes it)."""
    text = " ".join(clean_text(text).split())
    if len(text) > max_length:
        raise NoteError("too_long")
    note.rendering = text or None
