"""Filing notes into themes known beforehand (examples, pins, prior themes, the library)."""

from __future__ import annotations

from collections import Counter

import numpy as np

from .state import State, has_content, min_size, pinned_mask

# Filing thresholds: a classifier's best guess must be reasonably sure and the note must look like
# the theme; otherwise it is left for discovery. Chosen once, for short notes, not per data set.
_MIN_PROB = 0.20
_MIN_SIMILARITY = 0.05
_LIBRARY_MIN_PROB = 0.45
_LIBRARY_MIN_SIMILARITY = 0.12
_ATTACH_SIMILARITY = 0.3


def _clear_hits(scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows whose keyword scores point to one theme only: (mask, theme index)."""
    top = scores.max(axis=1)
    second = np.sort(scores, axis=1)[:, -2] if scores.shape[1] > 1 else np.zeros(len(top))
    return (top >= 1.0) & (top > second), scores.argmax(axis=1)


def _library_to_analyst(state: State) -> dict[int, int]:
    """Which analyst theme each library theme stands for, judged from the analyst's own filing.

    A library theme maps to an analyst theme when at least two filed notes hit its keywords and
    most of them (60 %) were filed under that one analyst theme.
    """
    votes: dict[int, Counter] = {}
    ex_clear, ex_top = _clear_hits(state.train_concepts[: state.n_examples])
    for ok, top, y in zip(ex_clear, ex_top, state.train_y[: state.n_examples], strict=True):
        if ok:
            votes.setdefault(int(top), Counter())[int(y)] += 1
    note_clear, note_top = _clear_hits(state.concepts)
    for i in np.flatnonzero(note_clear & (state.labels >= 0)):
        votes.setdefault(int(note_top[i]), Counter())[int(state.labels[i])] += 1
    mapping = {}
    for lib, counter in votes.items():
        (theme, count), total = counter.most_common(1)[0], sum(counter.values())
        if total >= 2 and count / total >= 0.6:
            mapping[lib] = theme
    return mapping


def file_into_seeds(state: State) -> None:
    """File notes into known themes: keyword hits first (library), then a classifier."""
    import scipy.sparse as sp

    from .cluster import file_notes

    if not state.seeds:
        return
    content = has_content(state)
    fixed = state.labels >= 0
    offset = len(state.seeds) - len(state.library) if state.library_seeded else 0
    if state.concepts is not None:
        clear, top = _clear_hits(state.concepts)
        clear &= content & ~fixed
        if state.library_seeded:
            target = offset + top
        else:
            mapping = _library_to_analyst(state)
            target = np.array([mapping.get(int(t), -1) for t in top], dtype=np.int64)
            clear &= target >= 0
        state.labels[clear] = target[clear]
        state.confidence[clear] = 0.75
    known = state.labels >= 0
    train_x = sp.vstack([state.train_x, state.x[known]], format="csr")
    train_y = np.concatenate([state.train_y, state.labels[known]])
    pool = np.flatnonzero(content & ~known)
    if len(pool) == 0 or train_x.shape[0] == 0:
        return
    analyst = not state.library_seeded or offset > 0
    concept_args = {}
    if analyst and state.concepts is not None and not state.library_seeded:
        concept_args = {
            "concepts_train": np.vstack([state.train_concepts, state.concepts[known]]),
            "concepts_pool": state.concepts[pool],
        }
    labels, conf, classes, prob = file_notes(
        train_x, train_y, state.x[pool], seed=state.options.seed,
        min_prob=_MIN_PROB if analyst else _LIBRARY_MIN_PROB,
        min_similarity=_MIN_SIMILARITY if analyst else _LIBRARY_MIN_SIMILARITY,
        **concept_args,
    )
    state.labels[pool] = labels
    state.confidence[pool] = conf
    if state.library_seeded and state.concepts is not None:
        _break_ties(state, pool, classes, prob, offset)


def _break_ties(state: State, pool: np.ndarray, classes: np.ndarray, prob: np.ndarray,
                offset: int) -> None:
    """A note whose keywords point equally to a few library themes goes to the likeliest of them."""
    column = {int(c): j for j, c in enumerate(classes)}
    for row, i in enumerate(pool):
        scores = state.concepts[i]
        top = scores.max()
        if state.labels[i] >= 0 or top < 1.0:
            continue
        tied = [offset + int(t) for t in np.flatnonzero(scores == top) if offset + t in column]
        if tied:
            best = max(tied, key=lambda c: (prob[row, column[c]], -c))
            state.labels[i] = best
            state.confidence[i] = float(prob[row, column[best]])


def dissolve_small_library_themes(state: State) -> None:
    """A library theme that only a note or two fit is not a finding; its notes are re-clustered."""
    smallest = min_size(state)
    pinned = pinned_mask(state)
    for idx, s in enumerate(state.seeds):
        if s.source in {"library", "prior"}:
            members = state.labels == idx
            if members.sum() < smallest:
                state.labels[members & ~pinned] = -1
                state.confidence[members & ~pinned] = 0.0


def attach_leftovers(state: State) -> None:
    """Notes left over after discovery join the theme they most resemble, if they clearly do."""
    from sklearn.preprocessing import normalize

    left = np.flatnonzero(has_content(state) & (state.labels < 0))
    themes = sorted(set(state.labels[state.labels >= 0].tolist()))
    if len(left) == 0 or not themes:
        return
    centroids = normalize(np.vstack([
        np.asarray(state.x[state.labels == t].mean(axis=0)).ravel() for t in themes
    ]))
    sims = np.asarray(state.x[left] @ centroids.T)
    best = sims.argmax(axis=1)
    for row, i in enumerate(left):
        if sims[row, best[row]] >= _ATTACH_SIMILARITY:
            state.labels[i] = themes[best[row]]
            state.confidence[i] = float(sims[row, best[row]])
