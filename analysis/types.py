"""Dataclasses that go into and come out of :func:`analysis.run`."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Note:
    """One post-it answer as the pipeline sees it."""

    id: str
    text: str
    question: str = ""
    location: str = ""
    target_group: str = ""
    language: str = ""
    # A rendering in Norwegian (or English) of a note written in a language the pipeline cannot
    # read word by word; when given, it is what the pipeline reads. `Result.languages` still
    # gives the language the note was written in.
    rendering: str = ""


@dataclass(frozen=True)
class Example:
    """A note an analyst has already filed under a theme label."""

    id: str
    text: str
    theme: str


@dataclass(frozen=True)
class PriorTheme:
    """A theme known beforehand (e.g. from a theme library): label, description, example texts."""

    label: str
    description: str = ""
    examples: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Options:
    """Settings for one run; every field has a sensible default."""

    seed: int = 0
    examples: tuple[Example, ...] = ()
    # note id -> theme label; the note ends up in that theme whatever the model thinks.
    pinned: dict[str, str] = field(default_factory=dict)
    # Themes known beforehand, e.g. the organisation's library when a campaign chooses to use it.
    # The package ships none: a campaign's themes come from its own notes unless asked otherwise.
    prior_themes: tuple[PriorTheme, ...] = ()
    # Sentence embeddings (analysis/embeddings.py) join the word features when available.
    use_embeddings: bool = True
    min_theme_size: int = 3
    max_themes: int = 40
    alpha: float = 0.05
    min_lift: float = 1.5
    min_count: int = 3
    correction: str = "bh"  # "bh" (Benjamini-Hochberg) or "holm"
    # The second tier, "worth a look": uncorrected p below hint_alpha, a lift of at least
    # hint_min_lift and at least hint_min_count notes. A hint for the analyst, never a claim.
    hint_alpha: float = 0.05
    hint_min_lift: float = 2.0
    hint_min_count: int = 4
    # Called as progress(fraction, stage) when a step starts: fraction in [0, 1], stage one of
    # pipeline.STAGES. Not part of the result; a callback that raises stops the run.
    progress: Callable[[float, str], None] | None = field(
        default=None, compare=False, hash=False, repr=False)


@dataclass
class Theme:
    """A group of notes about the same thing."""

    id: str
    label: str
    keywords: list[str]
    note_ids: list[str]
    quotes: list[str]
    source: str = "discovered"  # "examples", "prior" or "discovered"

    @property
    def size(self) -> int:
        """Number of notes in the theme."""
        return len(self.note_ids)

    def to_dict(self) -> dict:
        """Return the theme in the JSON shape of the CLI contract."""
        return {
            "id": self.id,
            "label": self.label,
            "keywords": list(self.keywords),
            "size": self.size,
            "note_ids": list(self.note_ids),
            "quotes": list(self.quotes),
        }


@dataclass
class Cell:
    """How one theme is represented in one group (a place, a question or a target group)."""

    theme: str
    count: int
    share: float
    lift: float
    p_value: float  # corrected for the number of cells tested in the whole result
    distinctive: bool
    p_raw: float = 1.0
    hint: bool = False  # worth a look: strong before correction, not distinctive after it

    def to_dict(self) -> dict:
        """Return the cell in the JSON shape of the CLI contract ("hint" only when true)."""
        out = {
            "theme": self.theme,
            "count": self.count,
            "share": round(self.share, 4),
            "lift": round(self.lift, 3),
            "p_value": float(f"{self.p_value:.4g}"),
            "distinctive": self.distinctive,
        }
        if self.hint:
            out["hint"] = True
        return out


@dataclass
class Result:
    """Everything one run found; `to_json()` gives the CLI's OUT.json."""

    n_notes: int
    themes: list[Theme]
    unassigned: list[str]
    # language -> ids of unassigned notes in languages the pipeline cannot read word by word
    set_aside: dict[str, list[str]] = field(default_factory=dict)
    # unassigned note id -> the theme it resembles most ("not sure": for the analyst to decide)
    guesses: dict[str, str] = field(default_factory=dict)
    by_location: dict[str, list[Cell]] = field(default_factory=dict)
    by_question: dict[str, list[Cell]] = field(default_factory=dict)
    by_target_group: dict[str, list[Cell]] = field(default_factory=dict)
    # note id -> detected (or given) language code, and note id -> assignment score in [0, 1]
    languages: dict[str, str] = field(default_factory=dict)
    scores: dict[str, float] = field(default_factory=dict)
    # note id -> lemmas without stop words (non-answers have none); used for word clouds
    lemmas: dict[str, list[str]] = field(default_factory=dict)

    def theme_of(self, note_id: str) -> Theme | None:
        """Return the theme a note was put in, or None when it is unassigned."""
        for theme in self.themes:
            if note_id in theme.note_ids:
                return theme
        return None

    def to_dict(self) -> dict:
        """Return the result in the JSON shape of the CLI contract."""

        def cells(groups: dict[str, list[Cell]]) -> dict:
            return {key: [c.to_dict() for c in value] for key, value in groups.items()}

        return {
            "version": 1,
            "n_notes": self.n_notes,
            "themes": [t.to_dict() for t in self.themes],
            "unassigned": list(self.unassigned),
            **({"set_aside": {k: list(v) for k, v in self.set_aside.items()}}
               if self.set_aside else {}),
            **({"guesses": dict(self.guesses)} if self.guesses else {}),
            "by_location": cells(self.by_location),
            "by_question": cells(self.by_question),
            "by_target_group": cells(self.by_target_group),
        }

    def to_json(self, indent: int | None = 1) -> str:
        """Serialise deterministically (same result, same bytes)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent) + "\n"
