"""Turning the final assignment into the Result: ids, labels, keywords, quotes, breakdowns."""

from __future__ import annotations

import numpy as np

from .state import State, has_content, report
from .types import Result, Theme


def build_result(state: State) -> None:
    """Keywords, labels, quotes and ids for every theme, then the breakdowns."""
    from .cluster import representatives
    from .label import keywords, majority_language, make_label, unique_labels
    from .pipeline import READABLE
    from .stats import breakdowns

    opts = state.options
    notes = state.notes
    sizes = np.bincount(state.labels[state.labels >= 0], minlength=len(state.seeds))
    keep = [i for i, s in enumerate(state.seeds) if s.source == "examples" or sizes[i] > 0]
    analyst = [i for i in keep if state.seeds[i].source == "examples"]
    others = sorted((i for i in keep if i not in analyst),
                    key=lambda i: (-sizes[i], state.seeds[i].label))
    order = analyst + others
    members = [np.flatnonzero(state.labels == i) for i in order]
    kws = keywords([[state.lemmas[j] for j in m] for m in members])
    langs = [majority_language([state.languages[j] for j in m]) for m in members]
    labels, fixed = [], []
    for i, kw, lang in zip(order, kws, langs, strict=True):
        seed = state.seeds[i]
        if seed.source == "discovered":
            labels.append(make_label(kw, lang))
            fixed.append(False)
        else:
            labels.append(seed.label)
            fixed.append(True)
    labels = unique_labels(labels, kws, fixed)
    lengths = np.array([len(t.split()) for t in state.masked])
    themes = []
    for pos, (i, m) in enumerate(zip(order, members, strict=True)):
        quotes = representatives(state.x, m, lengths, n=3)
        themes.append(Theme(
            id=f"t{pos + 1}", label=labels[pos], keywords=kws[pos],
            note_ids=[notes[j].id for j in m], quotes=[notes[j].id for j in quotes],
            source=state.seeds[i].source,
        ))
    unassigned = [n.id for n, lab in zip(notes, state.labels, strict=True) if lab < 0]
    set_aside: dict[str, list[str]] = {}
    for j in np.flatnonzero((state.labels < 0) & has_content(state)):
        lang = state.languages[j]
        if lang not in (state.main_languages or READABLE) and lang != "und":
            set_aside.setdefault(lang, []).append(notes[j].id)
    theme_id = {i: f"t{pos + 1}" for pos, i in enumerate(order)}
    guesses = {notes[j].id: theme_id[t] for j, t in _best_guesses(state, order).items()}
    assignments = {n.id: theme_id[int(lab)] for n, lab in zip(notes, state.labels, strict=True)
                   if lab >= 0}
    attributes = {
        "location": {n.id: n.location for n in notes},
        "question": {n.id: n.question for n in notes},
        "target_group": {n.id: n.target_group for n in notes},
    }
    report(state, 0.98, "statistics")
    tables = breakdowns(assignments, attributes, [t.id for t in themes], alpha=opts.alpha,
                        min_lift=opts.min_lift, min_count=opts.min_count,
                        correction=opts.correction, hint_alpha=opts.hint_alpha,
                        hint_min_lift=opts.hint_min_lift, hint_min_count=opts.hint_min_count)
    state.result = Result(
        n_notes=len(notes), themes=themes, unassigned=unassigned,
        set_aside=dict(sorted(set_aside.items())), guesses=guesses,
        by_location=tables["location"], by_question=tables["question"],
        by_target_group=tables["target_group"],
        languages={n.id: lang for n, lang in
                   zip(notes, state.written_languages or state.languages, strict=True)},
        scores={n.id: round(float(c), 4) for n, c in zip(notes, state.confidence, strict=True)},
        lemmas={n.id: ([] if na else list(lem)) for n, lem, na in
                zip(notes, state.lemmas, state.non_answer, strict=True)},
    )


def _best_guesses(state: State, order: list[int]) -> dict[int, int]:
    """For each unassigned note with content, the theme it most resembles: the analyst theme
    the classifier leaned to when there is one, else the closest theme centroid."""
    from sklearn.preprocessing import normalize

    left = np.flatnonzero((state.labels < 0) & has_content(state))
    present = [t for t in order if (state.labels == t).any()]
    if len(left) == 0 or not present:
        return {}
    centroids = normalize(np.vstack([
        np.asarray(state.x[state.labels == t].mean(axis=0)).ravel() for t in present]))
    best = np.asarray(state.x[left] @ centroids.T).argmax(axis=1)
    out = {}
    for row, j in enumerate(left):
        lean = -1 if state.fallback is None else int(state.fallback[j])
        out[int(j)] = lean if lean in order else present[int(best[row])]
    return out
