"""Reading the CLI's CSV and JSON files into dataclasses."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from .types import Example, Note, PriorTheme

NOTE_COLUMNS = ("id", "text", "question", "location", "target_group", "language", "rendering")
EXAMPLE_COLUMNS = ("id", "text", "theme")


class InputError(ValueError):
    """The input file is missing, unreadable or lacks required columns."""


def _rows(path: str | Path, required: tuple[str, ...]) -> list[dict[str, str]]:
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            header = [h.strip() for h in (reader.fieldnames or [])]
            missing = [c for c in required if c not in header]
            if missing:
                raise InputError(f"{path}: missing column(s): {', '.join(missing)}")
            reader.fieldnames = header
            return list(reader)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputError(f"{path}: {exc}") from exc


def read_notes(path: str | Path) -> list[Note]:
    """Notes from INPUT.csv; only the contract's columns are read, any other is ignored."""
    rows = _rows(path, ("id", "text", "question", "location"))
    return [
        Note(**{col: (row.get(col) or "").strip() if col != "text" else (row.get(col) or "")
                for col in NOTE_COLUMNS})
        for row in rows
    ]


def read_examples(path: str | Path) -> list[Example]:
    """Filed notes from LABELLED.csv (id, text, theme); rows without a theme are skipped."""
    rows = _rows(path, EXAMPLE_COLUMNS)
    return [
        Example(id=(r.get("id") or "").strip(), text=r.get("text") or "",
                theme=(r.get("theme") or "").strip())
        for r in rows if (r.get("theme") or "").strip()
    ]


def read_library(path: str | Path) -> list[PriorTheme]:
    """Themes known beforehand from a JSON list of objects with a `label` and, optionally,
    `description`, `examples` and `keywords` (lists of strings)."""
    try:
        with open(path, encoding="utf-8-sig") as fh:
            items = json.load(fh)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"{path}: {exc}") from exc
    if not isinstance(items, list):
        raise InputError(f"{path}: expected a JSON list of themes")
    themes = []
    for pos, item in enumerate(items, 1):
        label = item.get("label") if isinstance(item, dict) else None
        if not isinstance(label, str) or not label.strip():
            raise InputError(f"{path}: theme {pos} has no label")
        lists = {key: item.get(key) or [] for key in ("examples", "keywords")}
        if any(not isinstance(v, list) or not all(isinstance(x, str) for x in v)
               for v in lists.values()):
            raise InputError(f"{path}: theme {pos}: examples and keywords must be lists of "
                             "text")
        themes.append(PriorTheme(label=label.strip(),
                                 description=str(item.get("description") or ""),
                                 examples=tuple(lists["examples"]),
                                 keywords=tuple(lists["keywords"])))
    return themes
