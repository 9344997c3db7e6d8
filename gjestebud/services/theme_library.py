"""The organisation's theme library: themes saved from earlier campaigns, which a campaign's
analysis starts from when the analyst chooses so."""

from __future__ import annotations

import sqlalchemy as sa

from ..extensions import db
from ..models import LibraryTheme, Meal, Note, NoteTheme, Theme, utcnow
from .masking import mask_text

MAX_EXAMPLES = 12


class LibraryError(ValueError):
    """A library change that cannot be made; `code` picks the message."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def library_themes(organisation_id: int) -> list[LibraryTheme]:
    """The organisation's library, alphabetical."""
    return list(db.session.scalars(
        sa.select(LibraryTheme)
        .where(LibraryTheme.organisation_id == organisation_id, LibraryTheme.deleted_at.is_(None))
        .order_by(sa.func.lower(LibraryTheme.label), LibraryTheme.id)
    ))


def library_theme(organisation_id: int, theme_id: int) -> LibraryTheme | None:
    """One library theme of the organisation (None for another organisation's)."""
    return db.session.scalar(sa.select(LibraryTheme).where(
        LibraryTheme.id == theme_id, LibraryTheme.organisation_id == organisation_id,
        LibraryTheme.deleted_at.is_(None)))


def prior_themes(organisation_id: int) -> list[dict]:
    """The library as plain data for the pipeline's prior themes."""
    return [
        {"label": t.label, "description": t.description or "", "examples": list(t.examples or []),
         "keywords": list(t.keywords or [])}
        for t in library_themes(organisation_id)
    ]


def _check_label(organisation_id: int, label: str, exclude_id: int | None = None) -> str:
    label = " ".join((label or "").split())
    if not label:
        raise LibraryError("empty")
    for other in library_themes(organisation_id):
        if other.id != exclude_id and other.label.casefold() == label.casefold():
            raise LibraryError("label_taken")
    return label[:120]


def examples_from_text(text: str) -> list[str]:
    """One example per non-empty line."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()][:MAX_EXAMPLES]


def add_theme(organisation_id: int, label: str, description: str = "",
              examples: list[str] | None = None, keywords: list[str] | None = None) -> LibraryTheme:
    """Add a theme to the library."""
    theme = LibraryTheme(
        organisation_id=organisation_id, label=_check_label(organisation_id, label),
        description=(description or "").strip(),
        examples=[mask_text(e) for e in (examples or [])][:MAX_EXAMPLES],
        keywords=list(keywords or []),
    )
    db.session.add(theme)
    db.session.flush()
    return theme


def update_theme(theme: LibraryTheme, label: str, description: str,
                 examples: list[str]) -> LibraryTheme:
    """Rename a library theme and change its description and examples."""
    theme.label = _check_label(theme.organisation_id, label, exclude_id=theme.id)
    theme.description = (description or "").strip()
    theme.examples = [mask_text(e) for e in examples][:MAX_EXAMPLES]
    return theme


def delete_theme(theme: LibraryTheme) -> None:
    """Take a theme out of the library."""
    theme.deleted_at = utcnow()


def save_campaign_theme(organisation_id: int, theme: Theme) -> LibraryTheme:
    """Put a workspace theme in the library (or refresh the one with the same label)."""
    texts = db.session.scalars(
        sa.select(Note.text).join(NoteTheme, NoteTheme.note_id == Note.id)
        .join(Meal, Note.meal_id == Meal.id)
        .where(NoteTheme.theme_id == theme.id, Note.hidden.is_(False),
               Meal.campaign_id == theme.campaign_id)
        .order_by(NoteTheme.set_by_analyst.desc(), NoteTheme.score.desc(), Note.id)
        .limit(MAX_EXAMPLES)
    ).all()
    examples = [mask_text(t) for t in texts]
    existing = next((t for t in library_themes(organisation_id)
                     if t.label.casefold() == theme.label.casefold()), None)
    if existing is not None:
        existing.examples = list(dict.fromkeys([*examples, *(existing.examples or [])]))[
            :MAX_EXAMPLES]
        existing.keywords = list(dict.fromkeys([*(existing.keywords or []),
                                                *(theme.keywords or [])]))
        return existing
    return add_theme(organisation_id, theme.label, theme.description or "", examples,
                     list(theme.keywords or []))
