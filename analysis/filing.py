"""Filing notes into themes known beforehand (examples, pins, prior themes from a library)."""

from __future__ import annotations

from collections import Counter

import numpy as np

from .state import State, has_content, min_size, pinned_mask

# Filing thresholds: a classifier's best guess must be reasonably sure and the note must look like
# the theme; otherwise it is left for discovery. Chosen once, for short notes, not per data set.
_MIN_SIMILARITY = 0.05
_LIBRARY_MIN_PROB = 0.45
_LIBRARY_MIN_SIMILARITY = 0.12
_ATTACH_SIMILARITY = 0.3
# An analyst theme takes a note when its probability is this many times chance (capped, so that
# with two or three themes the likeliest one is enough); the rest may form new themes.
_ANALYST_TIMES_CHANCE = 2.0
_ANALYST_MAX_BAR = 0.5
# A note whose keywords point to a library theme that none of the analyst's themes stands for
# is about something else unless an analyst theme is this many times likelier than chance.
_OTHER_CONCEPT_TIMES_CHANCE = 3.0
_RELATIVE_SIMILARITY = 0.2


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
    # A note the analyst filed is often also given as an example (the web app does both): it
    # votes once, so that one filed note cannot make a whole library theme stand for a theme.
    example_ids = {ex.id for ex in state.options.examples}
    filed_once = np.array([n.id not in example_ids for n in state.notes], dtype=bool)
    for i in np.flatnonzero(note_clear & (state.labels >= 0) & filed_once):
        votes.setdefault(int(note_top[i]), Counter())[int(state.labels[i])] += 1
    mapping = {}
    for lib, counter in votes.items():
        (theme, count), total = counter.most_common(1)[0], sum(counter.values())
        if total >= 2 and count / total >= 0.6:
            mapping[lib] = theme
    return mapping


def file_into_seeds(state: State) -> None:
    """File notes into known themes: the analyst's themes first, then the library's.

    When the analyst has filed notes, their themes choose first and the library (or the given
    prior themes) may only take notes that no analyst theme wants; a library theme that stands
    for one of the analyst's themes lends that theme its texts instead of competing with it.
    """
    n = len(state.notes)
    state.fallback = np.full(n, -1, dtype=np.int64)
    state.fallback_prob = np.zeros(n)
    if not state.seeds:
        return
    if any(s.source == "examples" for s in state.seeds):
        _file_by_analyst(state)
    if state.library:
        _file_by_library(state)


def _file_by_analyst(state: State) -> None:
    """File notes into the analyst's themes, leaving notes about something else for later.

    Training rows: the analyst's examples and filed notes, plus the texts of every library
    theme that the analyst's filing maps to one of their themes. A note is filed when its best
    theme is clearly likelier than chance and it shares something with that theme; otherwise
    its best guess is kept as a fallback for when discovery finds no new theme for it.
    """
    import scipy.sparse as sp

    from .cluster import classify

    analyst = {i for i, s in enumerate(state.seeds) if s.source == "examples"}
    if state.concepts is not None:
        state.library_to_analyst = _library_to_analyst(state)
    # A library theme stands for an analyst theme by the analyst's filing, or by its very name.
    same_name = {j: s for j, s in enumerate(state.library_seeds) if s in analyst}
    stands_for = {**same_name, **state.library_to_analyst}
    lib_rows = np.array([stands_for.get(int(j), -1) for j in state.train_library],
                        dtype=np.int64)
    y_rows = np.where(state.train_library >= 0, lib_rows, state.train_y)
    use = np.isin(y_rows, list(analyst))
    known = state.labels >= 0
    train_x = sp.vstack([state.train_x[use], state.x[known]], format="csr")
    train_y = np.concatenate([y_rows[use], state.labels[known]])
    pool = np.flatnonzero(has_content(state) & ~known)
    if len(pool) == 0 or train_x.shape[0] == 0:
        return
    view = state.space.for_filing
    classes, prob, sims, typical = classify(view(train_x), train_y, view(state.x[pool]),
                                            seed=state.options.seed)
    rows = np.arange(len(pool))
    best = prob.argmax(axis=1)
    best_prob = prob[rows, best]
    # The bar is relative to chance: with four themes 0.3 is barely better than guessing.
    bar = min(_ANALYST_MAX_BAR, _ANALYST_TIMES_CHANCE / len(classes))
    # ... and the note must resemble the theme: at least a fifth as much as the theme's own
    # examples typically do (with two or three themes, probabilities alone say little).
    ok = (best_prob >= bar) & (
        sims[rows, best] >= np.maximum(_MIN_SIMILARITY, _RELATIVE_SIMILARITY * typical[best]))
    if state.concepts is not None:
        clear, top = _clear_hits(state.concepts[pool])
        mapped = np.array([int(t) in stands_for for t in top], dtype=bool)
        ok &= ~(clear & ~mapped & (best_prob * len(classes) < _OTHER_CONCEPT_TIMES_CHANCE))
    state.labels[pool[ok]] = classes[best[ok]]
    state.confidence[pool[ok]] = best_prob[ok]
    guess = ~ok & (best_prob * len(classes) > 1.0)
    state.fallback[pool[guess]] = classes[best[guess]]
    state.fallback_prob[pool[guess]] = best_prob[guess]


def _file_by_library(state: State) -> None:
    """File the notes nobody has taken into the library's themes: keyword hits, then a classifier.

    Library themes that stand for an analyst theme take nothing: the analyst's theme has them.
    """
    import scipy.sparse as sp

    from .cluster import file_notes

    taken_over = set(state.library_to_analyst)
    open_seed = {j: s for j, s in enumerate(state.library_seeds)
                 if s >= 0 and j not in taken_over and state.seeds[s].source != "examples"}
    if not open_seed:
        return
    content = has_content(state)
    if state.concepts is not None:
        clear, top = _clear_hits(state.concepts)
        target = np.array([open_seed.get(int(t), -1) for t in top], dtype=np.int64)
        clear &= content & (state.labels < 0) & (target >= 0)
        state.labels[clear] = target[clear]
        state.confidence[clear] = 0.75
    seeds = set(open_seed.values())
    use = np.isin(state.train_y, list(seeds))
    known = np.isin(state.labels, list(seeds))
    train_x = sp.vstack([state.train_x[use], state.x[known]], format="csr")
    train_y = np.concatenate([state.train_y[use], state.labels[known]])
    pool = np.flatnonzero(content & (state.labels < 0))
    if len(pool) == 0 or train_x.shape[0] == 0:
        return
    labels, conf, classes, prob = file_notes(
        train_x, train_y, state.x[pool], seed=state.options.seed,
        min_prob=_LIBRARY_MIN_PROB, min_similarity=_LIBRARY_MIN_SIMILARITY,
    )
    state.labels[pool] = labels
    state.confidence[pool] = conf
    if state.concepts is not None:
        _break_ties(state, pool, classes, prob, open_seed)


def _break_ties(state: State, pool: np.ndarray, classes: np.ndarray, prob: np.ndarray,
                open_seed: dict[int, int]) -> None:
    """A note whose keywords point equally to a few library themes goes to the likeliest of them."""
    column = {int(c): j for j, c in enumerate(classes)}
    for row, i in enumerate(pool):
        scores = state.concepts[i]
        top = scores.max()
        if state.labels[i] >= 0 or top < 1.0:
            continue
        tied = [open_seed[int(t)] for t in np.flatnonzero(scores == top)
                if open_seed.get(int(t), -1) in column]
        if tied:
            best = max(tied, key=lambda c: (prob[row, column[c]], -c))
            state.labels[i] = best
            state.confidence[i] = float(prob[row, column[best]])


def dissolve_small_library_themes(state: State) -> None:
    """A library theme that only a note or two fit is not a finding; its notes are re-clustered."""
    smallest = min_size(state)
    pinned = pinned_mask(state)
    for idx, s in enumerate(state.seeds):
        if s.source == "prior":
            members = state.labels == idx
            if members.sum() < smallest:
                state.labels[members & ~pinned] = -1
                state.confidence[members & ~pinned] = 0.0


def attach_leftovers(state: State) -> None:
    """Notes left over after discovery join the theme they most resemble, if they clearly do."""
    from sklearn.preprocessing import normalize

    # An analyst theme's best guess beats nothing when no new theme took the note.
    if state.fallback is not None:
        back = (state.labels < 0) & (state.fallback >= 0) & has_content(state)
        state.labels[back] = state.fallback[back]
        state.confidence[back] = state.fallback_prob[back]
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
