"""What the pipeline steps hand to each other."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .types import Note, Options, PriorTheme, Result


@dataclass
class Seed:
    """A theme known before clustering: from examples, pins, given prior themes or the library."""

    label: str
    source: str
    prior: PriorTheme | None = None


@dataclass
class State:
    """What the steps pass to each other."""

    notes: list[Note]
    options: Options
    masked: list[str] = field(default_factory=list)
    non_answer: np.ndarray | None = None
    languages: list[str] = field(default_factory=list)  # what the pipeline reads
    written_languages: list[str] = field(default_factory=list)  # what the note was written in
    lemmas: list[list[str]] = field(default_factory=list)
    terms: list[list[str]] = field(default_factory=list)
    groups: list[list[tuple[str, ...]]] = field(default_factory=list)
    x: object = None
    space: object = None  # the fitted features.FeatureSpace
    seeds: list[Seed] = field(default_factory=list)
    labels: np.ndarray | None = None  # seed index per note, -1 when none
    confidence: np.ndarray | None = None
    train_x: object = None
    train_y: np.ndarray | None = None
    library: list[PriorTheme] = field(default_factory=list)
    concepts: np.ndarray | None = None
    train_concepts: np.ndarray | None = None
    n_examples: int = 0
    # per training row: index into `library` for the library's own texts, -1 for analyst examples
    train_library: np.ndarray | None = None
    # per library theme: its seed index
    library_seeds: list[int] = field(default_factory=list)
    # library themes that stand for an analyst theme: library index -> analyst seed index
    library_to_analyst: dict[int, int] = field(default_factory=dict)
    # per note: the analyst theme it most likely belongs to when it was not filed with
    # confidence (-1 when none beats chance), and that probability
    train_terms: list[list[str]] = field(default_factory=list)  # per training row
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
