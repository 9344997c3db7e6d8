"""Analyst edits to themes (rename, merge, split, move, create, hide, pin) and their undo.

Every edit records a ThemeEdit with what it takes to reverse it; undo reverses the newest edit
not yet undone. Notes the analyst moves are marked `set_by_analyst`, so later runs keep them
where they are and learn from them.
"""

from __future__ import annotations

import sqlalchemy as sa

from ..extensions import db
from ..models import Campaign, Meal, Note, NoteTheme, Theme, ThemeEdit
from .analysis_runs import unique_label

MAX_LABEL = 120
MAX_PINNED = 3


class ThemeEditError(ValueError):
    """An edit that cannot be made; `code` tells the view which message to show."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


# --- lookups, always scoped to one campaign -----------------------------------------------------

def live_themes(campaign: Campaign) -> list[Theme]:
    """The campaign's current themes (not merged away, not retired), alphabetical."""
    return list(db.session.scalars(
        sa.select(Theme).where(Theme.campaign_id == campaign.id, Theme.hidden.is_(False),
                               Theme.merged_into_id.is_(None))
        .order_by(sa.func.lower(Theme.label), Theme.id)
    ))


def theme_in_campaign(campaign: Campaign, theme_id: int | None) -> Theme | None:
    """A live theme of this campaign, or None (also for another campaign's theme)."""
    if theme_id is None:
        return None
    return db.session.scalar(sa.select(Theme).where(
        Theme.id == theme_id, Theme.campaign_id == campaign.id, Theme.hidden.is_(False),
        Theme.merged_into_id.is_(None)))


def notes_in_campaign(campaign: Campaign, note_ids) -> list[Note]:
    """The visible notes among `note_ids` that belong to this campaign, in id order."""
    ids = {int(i) for i in note_ids or []}
    if not ids:
        return []
    return list(db.session.scalars(
        sa.select(Note).join(Meal, Note.meal_id == Meal.id)
        .where(Note.id.in_(ids), Meal.campaign_id == campaign.id, Note.hidden.is_(False))
        .order_by(Note.id)
    ))


def theme_note_ids(theme: Theme) -> list[int]:
    return list(db.session.scalars(
        sa.select(NoteTheme.note_id).where(NoteTheme.theme_id == theme.id)
        .order_by(NoteTheme.note_id)
    ))


def recent_edits(campaign: Campaign, limit: int = 5) -> list[ThemeEdit]:
    """The newest edits that can still be undone, newest first."""
    return list(db.session.scalars(
        sa.select(ThemeEdit).where(ThemeEdit.campaign_id == campaign.id,
                                   ThemeEdit.undone.is_(False))
        .order_by(ThemeEdit.id.desc()).limit(limit)
    ))


# --- the building blocks --------------------------------------------------------------------

def _clean_label(campaign: Campaign, label: str, exclude: Theme | None = None) -> str:
    label = " ".join((label or "").split())
    if not label:
        raise ThemeEditError("empty")
    if len(label) > MAX_LABEL:
        raise ThemeEditError("too_long")
    for other in live_themes(campaign):
        if other is not exclude and other.label.casefold() == label.casefold():
            raise ThemeEditError("label_taken")
    return label


def _snapshot(note_ids) -> list[list]:
    """[note_id, theme_id, set_by_analyst, had_row] for each note, to restore later."""
    rows = {r.note_id: r for r in db.session.scalars(
        sa.select(NoteTheme).where(NoteTheme.note_id.in_(list(note_ids))))}
    out = []
    for note_id in sorted(note_ids):
        row = rows.get(note_id)
        out.append([note_id, row.theme_id if row else None, bool(row and row.set_by_analyst),
                    row is not None])
    return out


def _restore(snapshot: list[list]) -> None:
    rows = {r.note_id: r for r in db.session.scalars(
        sa.select(NoteTheme).where(NoteTheme.note_id.in_([s[0] for s in snapshot])))}
    for note_id, theme_id, set_by_analyst, had_row in snapshot:
        row = rows.get(note_id)
        if not had_row:
            if row is not None:
                db.session.delete(row)
            continue
        if row is None:
            row = NoteTheme(note_id=note_id)
            db.session.add(row)
        if theme_id is not None and db.session.get(Theme, theme_id) is None:
            theme_id = None
        row.theme_id = theme_id
        row.set_by_analyst = set_by_analyst


def _file(note_ids, theme_id: int | None) -> None:
    """Put notes in a theme (None: in no theme) as the analyst's decision."""
    rows = {r.note_id: r for r in db.session.scalars(
        sa.select(NoteTheme).where(NoteTheme.note_id.in_(list(note_ids))))}
    for note_id in note_ids:
        row = rows.get(note_id)
        if row is None:
            row = NoteTheme(note_id=note_id)
            db.session.add(row)
        row.theme_id = theme_id
        row.set_by_analyst = True
        row.score = 1.0


def _record(campaign: Campaign, user_id: int | None, kind: str, payload: dict) -> ThemeEdit:
    edit = ThemeEdit(campaign_id=campaign.id, user_id=user_id, kind=kind, payload=payload)
    db.session.add(edit)
    db.session.flush()
    refresh_keywords(campaign)
    return edit


def refresh_keywords(campaign: Campaign) -> None:
    """Recount every theme's keywords from the words of the notes it holds now, so that a note
    moved out takes its words along (the same count the analysis makes)."""
    from analysis.label import keywords

    themes = live_themes(campaign)
    lemmas: dict[int, list[list[str]]] = {t.id: [] for t in themes}
    rows = db.session.execute(
        sa.select(NoteTheme.theme_id, NoteTheme.lemmas).join(Note, Note.id == NoteTheme.note_id)
        .where(NoteTheme.theme_id.in_(list(lemmas)), Note.hidden.is_(False))
        .order_by(NoteTheme.note_id))
    for theme_id, words in rows:
        lemmas[theme_id].append(list(words or []))
    for theme, words in zip(themes, keywords([lemmas[t.id] for t in themes]), strict=True):
        if list(theme.keywords or []) != words:
            theme.keywords = words


# --- the edits ------------------------------------------------------------------------------

def rename(campaign: Campaign, theme: Theme, label: str,
           user_id: int | None = None) -> ThemeEdit | None:
    """Give a theme a new name; later runs keep it. None when the name is the same."""
    label = _clean_label(campaign, label, exclude=theme)
    if label == theme.label:
        return None
    payload = {"theme_id": theme.id, "label": theme.label,
               "locked": theme.label_set_by_analyst, "new_label": label}
    theme.label = label
    theme.label_set_by_analyst = True
    return _record(campaign, user_id, "rename", payload)


def merge(campaign: Campaign, source: Theme, target: Theme,
          user_id: int | None = None) -> ThemeEdit:
    """Put all notes of `source` into `target`; `source` is gone from the workspace."""
    if source.id == target.id:
        raise ThemeEditError("same_theme")
    note_ids = theme_note_ids(source)
    payload = {"source_id": source.id, "target_id": target.id, "source_label": source.label,
               "target_label": target.label, "notes": _snapshot(note_ids),
               "pinned": list(target.pinned_quote_ids or [])}
    _file(note_ids, target.id)
    target.pinned_quote_ids = list(dict.fromkeys(
        [*(target.pinned_quote_ids or []), *(source.pinned_quote_ids or [])]))[:MAX_PINNED]
    source.merged_into_id = target.id
    return _record(campaign, user_id, "merge", payload)


def create(campaign: Campaign, label: str, user_id: int | None = None) -> Theme:
    """A new, empty theme made by the analyst."""
    theme = Theme(campaign_id=campaign.id, label=_clean_label(campaign, label), source="analyst",
                  label_set_by_analyst=True)
    db.session.add(theme)
    db.session.flush()
    _record(campaign, user_id, "create", {"theme_id": theme.id, "label": theme.label})
    return theme


def move(campaign: Campaign, note_ids, target: Theme | None,
         user_id: int | None = None) -> ThemeEdit:
    """File the chosen notes under `target` (None: in no theme)."""
    notes = notes_in_campaign(campaign, note_ids)
    if not notes:
        raise ThemeEditError("no_notes")
    ids = [n.id for n in notes]
    payload = {"notes": _snapshot(ids), "target_id": target.id if target else None,
               "target_label": target.label if target else None}
    _file(ids, target.id if target else None)
    return _record(campaign, user_id, "move", payload)


def split(campaign: Campaign, theme: Theme, note_ids, label: str,
          user_id: int | None = None) -> Theme:
    """Move the chosen notes of a theme into a new theme called `label`."""
    label = _clean_label(campaign, label)
    in_theme = set(theme_note_ids(theme))
    ids = [n.id for n in notes_in_campaign(campaign, note_ids) if n.id in in_theme]
    if not ids:
        raise ThemeEditError("no_notes")
    new = Theme(campaign_id=campaign.id, label=label, source="analyst", label_set_by_analyst=True,
                description="")
    db.session.add(new)
    db.session.flush()
    payload = {"theme_id": theme.id, "new_theme_id": new.id, "label": theme.label,
               "new_label": label, "notes": _snapshot(ids)}
    _file(ids, new.id)
    _record(campaign, user_id, "split", payload)
    return new


def hide_notes(campaign: Campaign, note_ids, user_id: int | None = None) -> ThemeEdit:
    """Hide notes (moderation): they leave the analysis, the workspace and every export."""
    notes = notes_in_campaign(campaign, note_ids)
    if not notes:
        raise ThemeEditError("no_notes")
    payload = {"notes": _snapshot([n.id for n in notes])}
    for note in notes:
        note.hidden = True
    db.session.execute(sa.delete(NoteTheme).where(NoteTheme.note_id.in_([n.id for n in notes])))
    return _record(campaign, user_id, "hide", payload)


def set_quote_pin(campaign: Campaign, theme: Theme, note: Note, pinned: bool,
                  user_id: int | None = None) -> ThemeEdit:
    """Pin a note of the theme as one of its quotes (shown first), or unpin it."""
    if note.id not in theme_note_ids(theme):
        raise ThemeEditError("not_in_theme")
    before = list(theme.pinned_quote_ids or [])
    after = [i for i in before if i != note.id]
    if pinned:
        if len(after) >= MAX_PINNED:
            raise ThemeEditError("too_many_pins")
        after.append(note.id)
    theme.pinned_quote_ids = after
    return _record(campaign, user_id, "pin" if pinned else "unpin",
                   {"theme_id": theme.id, "label": theme.label, "pinned": before})


# --- undo -----------------------------------------------------------------------------------

def undo_last(campaign: Campaign) -> ThemeEdit | None:
    """Reverse the newest edit not yet undone; None when there is nothing to undo."""
    edits = recent_edits(campaign, limit=1)
    if not edits:
        return None
    edit = edits[0]
    p = edit.payload
    theme = db.session.get(Theme, p.get("theme_id")) if p.get("theme_id") else None
    if edit.kind == "rename" and theme is not None:
        taken = {t.label.casefold() for t in live_themes(campaign) if t.id != theme.id}
        theme.label = unique_label(p["label"], taken)
        theme.label_set_by_analyst = p["locked"]
    elif edit.kind == "merge":
        source = db.session.get(Theme, p["source_id"])
        target = db.session.get(Theme, p["target_id"])
        _restore(p["notes"])
        if source is not None:
            source.merged_into_id = None
        if target is not None:
            target.pinned_quote_ids = p["pinned"]
    elif edit.kind in ("move", "hide"):
        if edit.kind == "hide":
            for note in db.session.scalars(sa.select(Note).where(
                    Note.id.in_([s[0] for s in p["notes"]]))):
                note.hidden = False
        _restore(p["notes"])
    elif edit.kind == "split":
        _restore(p["notes"])
        _drop_theme(db.session.get(Theme, p["new_theme_id"]))
    elif edit.kind == "create":
        _drop_theme(theme)
    elif edit.kind in ("pin", "unpin") and theme is not None:
        theme.pinned_quote_ids = p["pinned"]
    edit.undone = True
    db.session.flush()
    refresh_keywords(campaign)
    return edit


def _drop_theme(theme: Theme | None) -> None:
    """Remove a theme made by an edit being undone; any notes in it go back to no theme."""
    if theme is None:
        return
    db.session.execute(sa.update(NoteTheme).where(NoteTheme.theme_id == theme.id)
                       .values(theme_id=None))
    db.session.execute(sa.update(NoteTheme).where(NoteTheme.guess_theme_id == theme.id)
                       .values(guess_theme_id=None))
    db.session.execute(sa.update(Theme).where(Theme.merged_into_id == theme.id)
                       .values(merged_into_id=None))
    db.session.flush()
    db.session.delete(theme)
