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
    languages: list[str] = field(default_factory=list)
    lemmas: list[list[str]] = field(default_factory=list)
    terms: list[list[str]] = field(default_factory=list)
    groups: list[list[tuple[str, ...]]] = field(default_factory=list)
    x: object = None
    seeds: list[Seed] = field(default_factory=list)
    labels: np.ndarray | None = None  # seed index per note, -1 when none
    confidence: np.ndarray | None = None
    train_x: object = None
    train_y: np.ndarray | None = None
    library: list[PriorTheme] = field(default_factory=list)
    library_seeded: bool = False
    concepts: np.ndarray | None = None
    train_concepts: np.ndarray | None = None
    n_examples: int = 0
    result: Result | None = None


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
