"""Reading the CLI's CSV files into dataclasses."""

from __future__ import annotations

import csv
from pathlib import Path

from .types import Example, Note

NOTE_COLUMNS = ("id", "text", "question", "location", "target_group", "language")
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
