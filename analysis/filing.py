"""Filing notes into the analyst's themes (examples and pinned notes), and what is left over."""

from __future__ import annotations

import numpy as np

from .state import State, has_content

# Filing thresholds: a classifier's best guess must be reasonably sure and the note must look like
# the theme; otherwise it is left for discovery. Chosen once, for short notes, not per data set.
_MIN_SIMILARITY = 0.05
_ATTACH_SIMILARITY = 0.3
# An analyst theme takes a note when its probability is this many times chance (capped, so that
# with two or three themes the likeliest one is enough); the rest may form new themes.
_ANALYST_TIMES_CHANCE = 2.0
_ANALYST_MAX_BAR = 0.5
_RELATIVE_SIMILARITY = 0.2


def file_into_seeds(state: State) -> None:
    """File notes into the analyst's themes, leaving notes about something else for later.

    Training rows: the analyst's examples and filed notes. A note is filed when its best theme
    is clearly likelier than chance and it shares something with that theme; otherwise its best
    guess is kept as a fallback for when discovery finds no new theme for it.
    """
    import scipy.sparse as sp

    from .cluster import classify

    n = len(state.notes)
    state.fallback = np.full(n, -1, dtype=np.int64)
    state.fallback_prob = np.zeros(n)
    if not state.seeds:
        return
    known = state.labels >= 0
    train_x = sp.vstack([state.train_x, state.x[known]], format="csr")
    train_y = np.concatenate([state.train_y, state.labels[known]])
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
    state.labels[pool[ok]] = classes[best[ok]]
    state.confidence[pool[ok]] = best_prob[ok]
    guess = ~ok & (best_prob * len(classes) > 1.0)
    state.fallback[pool[guess]] = classes[best[guess]]
    state.fallback_prob[pool[guess]] = best_prob[guess]


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
