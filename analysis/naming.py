"""Themes known beforehand (an organisation's library) name the themes found in the notes.

They never change which notes go together: the run is made without them, and then a theme found
in the notes takes the name of a library theme when the two are each other's closest (the
centroid of the theme's notes against that of the library theme's texts) and clearly alike.
A campaign on a new topic thus gets the same themes as without the library; one on an old
topic gets last year's names for the themes that came back, so that the years can be compared.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from .types import Note, Options, PriorTheme, Result

# A found theme and a library theme that are each other's closest must also be this alike
# (cosine of their centroids in the run's feature space). On two dev topics, with the themes of
# one half of the notes as the library of the other half, 8 of the 10 names given were right;
# with the other topic's themes as the library, no pair reached it.
_MIN_COSINE = 0.35


def _texts(prior: PriorTheme) -> list[str]:
    """What a library theme says of itself: label, description, examples and keywords."""
    keywords = " ".join(k.rstrip("*") for k in prior.keywords)
    return [t for t in (prior.label, prior.description, *prior.examples, keywords)
            if (t or "").strip()]


def _similarities(x, n: int, found, note_ids: list[str], prior_y: np.ndarray,
                  n_priors: int) -> np.ndarray:
    """Cosine of every found theme's centroid to every library theme's centroid."""
    from sklearn.preprocessing import normalize

    row_of = {note_id: i for i, note_id in enumerate(note_ids)}
    notes, texts = x[:n], x[n:]
    themes = normalize(np.vstack([
        np.asarray(notes[[row_of[i] for i in t.note_ids]].mean(axis=0)).ravel() for t in found]))
    priors = normalize(np.vstack([
        np.asarray(texts[np.flatnonzero(prior_y == j)].mean(axis=0)).ravel()
        for j in range(n_priors)]))
    return themes @ priors.T


def name_from_library(result: Result, notes: list[Note], options: Options) -> Result:
    """`result` with its discovered themes renamed after the library themes they are."""
    from .embeddings import centred, embed
    from .features import fit_space
    from .language import detect_all
    from .pipeline import _analyse, _normalised, _place_words
    from .preprocess import normalise

    priors = list(options.prior_themes)
    found = [t for t in result.themes if t.source == "discovered"]
    if not priors or not found:
        return result
    text_of = {n.id: _normalised(n.rendering or n.text) for n in notes}
    note_ids = [i for t in found for i in t.note_ids]
    note_texts = [text_of[i] for i in note_ids]
    note_langs = [result.languages.get(i, "") for i in note_ids]
    prior_texts, prior_y = [], []
    for j, prior in enumerate(priors):
        for text in _texts(prior):
            prior_texts.append(normalise(text))
            prior_y.append(j)
    prior_langs = detect_all(prior_texts, [""] * len(prior_texts))
    texts, langs = note_texts + prior_texts, note_langs + prior_langs
    _, terms = _analyse(texts, langs, _place_words(notes))
    vectors = embed(texts) if options.use_embeddings else None
    _, x = fit_space(terms, texts, None if vectors is None else centred(vectors, langs))
    n = len(note_ids)
    sims = _similarities(x, n, found, note_ids, np.asarray(prior_y), len(priors))
    claims: list[tuple[float, str, int]] = []
    for row, theme in enumerate(found):
        prior = int(sims[row].argmax())
        # Mutual: the library theme is this theme's closest, and this theme is its closest.
        if int(sims[:, prior].argmax()) == row and sims[row, prior] >= _MIN_COSINE:
            claims.append((float(sims[row, prior]), theme.id, prior))
    taken = {t.label.casefold() for t in result.themes if t.source != "discovered"}
    rename: dict[str, str] = {}
    for _cosine, theme_id, prior in sorted(claims, key=lambda c: (-c[0], c[1])):
        label = priors[prior].label
        if label.casefold() not in taken:
            rename[theme_id] = label
            taken.add(label.casefold())
    if not rename:
        return result
    # A theme that keeps its own name must not clash with a library name given to another.
    themes = []
    for theme in result.themes:
        if theme.id in rename:
            themes.append(replace(theme, label=rename[theme.id], source="prior"))
        elif theme.label.casefold() in {v.casefold() for v in rename.values()}:
            themes.append(replace(theme, label=f"{theme.label} ({theme.id})"))
        else:
            themes.append(theme)
    return replace(result, themes=themes)
