"""What the pipeline steps hand to each other."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .types import Note, Options, Result


@dataclass
class Seed:
    """A theme: the analyst's (examples, pins; source "examples") or a new one ("discovered")."""

    label: str
    source: str


@dataclass
class State:
    """What the steps pass to each other."""

    notes: list[Note]
    options: Options
    masked: list[str] = field(default_factory=list)
    non_answer: np.ndarray | None = None
    languages: list[str] = field(default_factory=list)  # what the pipeline reads
    written_languages: list[str] = field(default_factory=list)  # what the note was written in
    # languages whose notes make themes: bokmål, nynorsk, English, and any a fifth of the notes
    # are written in (see pipeline.set_aside_other_languages)
    main_languages: frozenset[str] = frozenset()
    lemmas: list[list[str]] = field(default_factory=list)
    terms: list[list[str]] = field(default_factory=list)
    x: object = None
    space: object = None  # the fitted features.FeatureSpace
    seeds: list[Seed] = field(default_factory=list)
    labels: np.ndarray | None = None  # seed index per note, -1 when none
    confidence: np.ndarray | None = None
    train_x: object = None
    train_y: np.ndarray | None = None
    train_terms: list[list[str]] = field(default_factory=list)  # per training row
    # per note: the analyst theme it most likely belongs to when it was not filed with
    # confidence (-1 when none beats chance), and that probability
    fallback: np.ndarray | None = None
    fallback_prob: np.ndarray | None = None
    result: Result | None = None


def report(state: State, fraction: float, stage: str) -> None:
    """Tell the caller's progress callback (if any) that a stage starts."""
    callback = state.options.progress
    if callback is not None:
        callback(max(0.0, min(1.0, fraction)), stage)


def has_content(state: State) -> np.ndarray:
    """Notes with at least one content word that are not non-answers."""
    return np.array([bool(t) for t in state.terms], dtype=bool) & ~state.non_answer


def min_size(state: State) -> int:
    """Smallest theme worth showing; smaller for tiny inputs so that a few notes still group."""
    n_content = int(has_content(state).sum())
    return max(1, min(state.options.min_theme_size, n_content // 5))


def pinned_mask(state: State) -> np.ndarray:
    """Notes the analyst has placed (pinned, or given as examples with their own id)."""
    pinned = set(state.options.pinned) | {ex.id for ex in state.options.examples}
    return np.array([n.id in pinned for n in state.notes], dtype=bool)
