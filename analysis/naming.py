"""Themes known beforehand (an organisation's library) name the themes found in the notes.

They never change which notes go together: the run is made without them, and then a theme found
in the notes takes the name of a library theme when most of its notes would be filed under that
library theme by a classifier trained on the library's own texts. A campaign on a new topic
thus gets the same themes as without the library; one on an old topic gets last year's names
for the themes that came back, so that the two years can be compared.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import replace

import numpy as np

from .types import Note, Options, PriorTheme, Result

# A note is filed under a library theme when the classifier is this sure and the note resembles
# the theme's texts at least this much (the thresholds the library used when it seeded themes).
_MIN_PROB = 0.45
_MIN_SIMILARITY = 0.12
# Share of a theme's notes that must be filed under one library theme for it to take the name.
_MIN_SHARE = 0.5


def _texts(prior: PriorTheme) -> list[str]:
    return [t for t in (prior.label, prior.description, *prior.examples) if (t or "").strip()]


def name_from_library(result: Result, notes: list[Note], options: Options) -> Result:
    """`result` with its discovered themes renamed after the library themes they are."""
    from .cluster import file_notes
    from .embeddings import centred, embed
    from .features import fit_space
    from .language import detect_all
    from .pipeline import _analyse, _place_words
    from .preprocess import mask_personal_data, normalise

    priors = list(options.prior_themes)
    found = [t for t in result.themes if t.source == "discovered"]
    if not priors or not found:
        return result
    text_of = {n.id: normalise(mask_personal_data(n.rendering or n.text or "")) for n in notes}
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
    filed, _, _, _ = file_notes(x[n:], np.asarray(prior_y), x[:n], seed=options.seed,
                                min_prob=_MIN_PROB, min_similarity=_MIN_SIMILARITY)
    filed_as = dict(zip(note_ids, filed.tolist(), strict=True))

    # Each library theme names at most one theme: the one with the largest share filed under it.
    claims: list[tuple[float, str, int]] = []
    for theme in found:
        votes = Counter(filed_as[i] for i in theme.note_ids if filed_as[i] >= 0)
        if not votes:
            continue
        prior, count = votes.most_common(1)[0]
        if count >= max(2, math.ceil(_MIN_SHARE * theme.size)):
            claims.append((count / theme.size, theme.id, prior))
    taken = {t.label.casefold() for t in result.themes if t.source != "discovered"}
    rename: dict[str, str] = {}
    for _share, theme_id, prior in sorted(claims, key=lambda c: (-c[0], c[1])):
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
