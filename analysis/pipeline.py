"""`run()`: the ordered list of steps from notes to themes and breakdowns."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import replace

import numpy as np

from .assemble import build_result
from .filing import attach_leftovers, file_into_seeds
from .state import Seed, State, has_content, min_size, pinned_mask, report
from .types import Example, Note, Options, Result, Theme


def _unique_notes(notes: list[Note]) -> list[Note]:
    seen: set[str] = set()
    out = []
    for note in notes:
        note_id = str(note.id)
        if not isinstance(note.id, str):
            note = replace(note, id=note_id)
        if note_id not in seen:
            seen.add(note_id)
            out.append(note)
    return out


def prepare(state: State) -> None:
    """Mask personal data, normalise and mark non-answers."""
    from .preprocess import is_non_answer

    # Each distinct text once: short notes repeat ("vet ikke", "gaming").
    done: dict[str, tuple[str, bool]] = {}
    texts = [_read_text(n) for n in state.notes]
    for text in texts:
        if text not in done:
            masked = _normalised(text)
            done[text] = (masked, is_non_answer(masked))
    state.masked = [done[t][0] for t in texts]
    state.non_answer = np.array([done[t][1] for t in texts], dtype=bool)


def _read_text(note: Note) -> str:
    """What the pipeline reads: the note's rendering when it has one, else its text."""
    return (note.rendering or "").strip() or note.text or ""


def detect_languages(state: State) -> None:
    """Detect each note's language from its text; the given language breaks ties."""
    from .language import detect_all

    rendered = [bool((n.rendering or "").strip()) for n in state.notes]
    # A rendering is read in its own language, detected; the note keeps the one it was
    # written in for the result (and the quotes' lang).
    state.languages = detect_all(state.masked, [
        "" if r else n.language for n, r in zip(state.notes, rendered, strict=True)])
    state.written_languages = list(state.languages)
    if any(rendered):
        idx = [i for i, r in enumerate(rendered) if r]
        written = detect_all([_normalised(state.notes[i].text) for i in idx],
                             [state.notes[i].language for i in idx])
        for i, lang in zip(idx, written, strict=True):
            state.written_languages[i] = lang


def _normalised(text: str) -> str:
    from .preprocess import mask_personal_data, normalise

    return normalise(mask_personal_data(text or ""))


def _analyse(texts: list[str], languages: list[str], place_words: set[str]):
    from .features import PART
    from .nlp import analyse

    # Short notes repeat ("gaming", "mer buss"): analyse each distinct (text, language) once.
    keys = list(zip(texts, languages, strict=True))
    unique = list(dict.fromkeys(keys))
    analysed = dict(zip(unique, analyse([t for t, _ in unique], [lang for _, lang in unique]),
                        strict=True))
    lemmas, terms = [], []
    for tok in (analysed[k] for k in keys):
        lem = [w for w in tok.lemmas if w not in place_words]
        lemmas.append(lem)
        terms.append(lem + [w for w in tok.translations if w not in place_words]
                     + [PART + w for w in tok.parts if w not in place_words])
    return lemmas, terms


def _place_words(notes: list[Note]) -> set[str]:
    # Place names say where a note was written, not what it is about; as features they would
    # make themes follow places and hide the very differences the breakdowns look for.
    from .preprocess import words

    return {w for n in notes for w in words(n.location or "")}


def analyse_text(state: State) -> None:
    """Tokenise and lemmatise every note with spaCy."""
    state.lemmas, state.terms = _analyse(
        state.masked, state.languages, _place_words(state.notes)
    )


def _embeddings(state: State, texts: list[str], languages: list[str]):
    """Centred sentence embeddings of the texts, or None (switched off, or not to be had)."""
    from . import embeddings

    if not state.options.use_embeddings:
        return None
    start, end = PROGRESS["build_seeds_and_features"][0], PROGRESS["file_into_seeds"][0]
    vectors = embeddings.embed(
        texts, progress=lambda done: report(state, start + (end - start) * done, "features"))
    return None if vectors is None else embeddings.centred(vectors, languages)


def build_seeds_and_features(state: State) -> None:
    """Collect the analyst's themes (examples, pins) and build the shared feature space."""
    from .features import fit_space
    from .language import detect_all

    opts = state.options
    index: dict[str, int] = {}

    def seed(label: str, source: str) -> int:
        if label not in index:
            index[label] = len(state.seeds)
            state.seeds.append(Seed(label, source))
        return index[label]

    examples: list[Example] = list(opts.examples)
    for ex in examples:
        seed(ex.theme, "examples")
    for label in [opts.pinned[k] for k in sorted(opts.pinned)]:
        seed(label, "examples")

    # The analyst's examples are training rows of their own, after the notes.
    extra_texts = [_normalised(ex.text) for ex in examples]
    extra_lang = detect_all(extra_texts, [""] * len(extra_texts)) if extra_texts else []
    _, extra_terms = _analyse(extra_texts, extra_lang, _place_words(state.notes))

    state.train_terms = extra_terms
    all_texts = state.masked + extra_texts
    state.space, x_all = fit_space(state.terms + extra_terms, all_texts,
                                   _embeddings(state, all_texts, state.languages + extra_lang))
    n = len(state.notes)
    state.x = x_all[:n]
    state.train_x = x_all[n:]
    state.train_y = np.asarray([index[ex.theme] for ex in examples], dtype=np.int64)
    state.labels = np.full(n, -1, dtype=np.int64)
    state.confidence = np.zeros(n)
    # Notes the analyst has filed (as examples with a matching id, or pinned) are training rows.
    ids = {note.id: i for i, note in enumerate(state.notes)}
    fixed = {ex.id: index[ex.theme] for ex in examples if ex.id in ids}
    fixed.update({k: index[v] for k, v in opts.pinned.items() if k in ids})
    for note_id, label in sorted(fixed.items()):
        state.labels[ids[note_id]] = label
        state.confidence[ids[note_id]] = 1.0


def discover_new(state: State) -> None:
    """Cluster what no known theme took; the number of new themes is chosen from the data.

    What the first pass left over (notes in groups too small to keep) is clustered once more
    on its own: a small subject drowned in a large campaign often stands out there. Leftovers
    that lean to one of the analyst's themes form a new theme only around a word half of them
    share; the others go back to their likeliest analyst theme (attach_leftovers).
    """
    for second in range(_PASSES):
        pool = np.flatnonzero(has_content(state) & (state.labels < 0))
        if len(pool) < 2 * min_size(state):
            return
        if not _discover_in(state, pool, second=bool(second)):
            return


_PASSES = 2


def _discover_in(state: State, pool: np.ndarray, second: bool = False) -> bool:
    from .cluster import discover

    before = len(state.seeds)
    room = max(1, state.options.max_themes - len(state.seeds))
    found = discover(state.x[pool], seed=state.options.seed, min_size=min_size(state),
                     max_k=room)
    # Notes the analyst's themes could take (a fallback guess) form a new theme only around a
    # word many of them share; otherwise they go back to their likeliest analyst theme.
    has_home = state.fallback is not None and bool((state.fallback[pool] >= 0).any())
    for cluster in sorted(set(found.tolist()) - {-1}):
        members = pool[found == cluster]
        share = (_SECOND_SHARE if second else _COHERENT_SHARE) if has_home else 0.0
        if not _coherent([state.terms[i] for i in members], share):
            continue
        home = _analyst_home(state, members) if has_home else -1
        if home >= 0:
            state.labels[members] = home
            state.confidence[members] = state.fallback_prob[members]
            continue
        state.seeds.append(Seed(f"#{cluster}", "discovered"))
        state.labels[members] = len(state.seeds) - 1
        state.confidence[members] = 0.5
    return len(state.seeds) > before


# Share of a new theme's notes that must use one same word when its notes have another home.
_COHERENT_SHARE = 0.3
# ... and in the second pass, over what the first left: half of them. Leftovers with an
# analyst theme to go back to are mostly that theme's notes in other words.
_SECOND_SHARE = 0.5


def _words(terms: list[str]) -> set[str]:
    from .features import PART

    return {t.removeprefix(PART) for t in terms}


def _analyst_home(state: State, members: np.ndarray) -> int:
    """The analyst theme a would-be new theme is part of, or -1.

    A group that discovery found among the notes no theme took, but whose notes mostly lean to
    one analyst theme (their fallback guess) and whose most shared word is a word of that
    theme's own examples, is more of that theme ("mer gaming!" next to the example "Gamingrom
    med PC-er"), not a new one.
    """
    votes = Counter(int(f) for f in state.fallback[members] if f >= 0)
    if not votes:
        return -1
    home, n = votes.most_common(1)[0]
    if 2 * n < len(members):
        return -1
    # The group's own words (not compound parts: "plass" would tie "studieplass" to
    # "badeplass"), against the words and parts of the analyst's examples and filed notes.
    counts = Counter(w for i in members for w in set(state.lemmas[i]))
    top = max(counts.values(), default=0)
    shared = {w for w, c in counts.items() if c == top and c >= 2}
    filed = np.flatnonzero((state.labels == home) & (state.confidence >= 1.0))
    examples = np.flatnonzero(state.train_y == home)
    own = set().union(*(_words(state.train_terms[i]) for i in examples),
                      *(_words(state.terms[i]) for i in filed))
    return home if shared & own else -1


def _coherent(term_lists: list[list[str]], share: float = 0.0) -> bool:
    """A theme needs a word that two of its notes, and `share` of all of them, use; otherwise
    it is a heap of notes that resemble nothing else, not a theme."""
    counts = Counter(w for terms in term_lists for w in set(terms))
    need = max(2, math.ceil(share * len(term_lists)))
    return any(c >= need for c in counts.values())


# Languages the pipeline reads word by word (lemma tables, stop words, keywords). Notes in
# other languages are read through the sentence embeddings only, when they are available.
READABLE = frozenset({"nb", "nn", "en"})


# A language in which at least this share of a campaign's notes is written is one of the
# campaign's own languages, read through the sentence embeddings: its notes make themes.
_MAIN_LANGUAGE_SHARE = 0.2


def _main_languages(state: State) -> frozenset[str]:
    content = has_content(state)
    counts = Counter(lang for lang, ok in zip(state.languages, content, strict=True) if ok)
    total = sum(counts.values())
    return READABLE | {lang for lang, n in counts.items()
                       if lang != "und" and total and n >= _MAIN_LANGUAGE_SHARE * total}


def set_aside_other_languages(state: State) -> None:
    """A new theme made mostly of notes in languages the pipeline cannot read word by word is
    a heap of "foreign" notes, not a theme: it is dissolved, and its notes join a theme they
    clearly resemble or stay unassigned, where those in other languages are set aside per
    language for the analyst (Result.set_aside). Notes in other languages that an analyst's or
    a mostly Norwegian theme took stay there. A language a fifth of the campaign writes in is
    not "other": a campaign in Icelandic, or a language café's own, gets its themes."""
    state.main_languages = _main_languages(state)
    other = np.array([lang not in state.main_languages for lang in state.languages], dtype=bool)
    pinned = pinned_mask(state)
    for idx, seed in enumerate(state.seeds):
        if seed.source != "discovered":
            continue
        members = np.flatnonzero((state.labels == idx) & ~pinned)
        if len(members) and other[members].sum() * 2 >= len(members):
            state.labels[members] = -1
            state.confidence[members] = 0.0


def enforce_pins(state: State) -> None:
    """Pinned notes end where the analyst put them, whatever the model thought."""
    index = {s.label: i for i, s in enumerate(state.seeds) if s.source == "examples"}
    for i, note in enumerate(state.notes):
        label = state.options.pinned.get(note.id)
        if label is not None:
            state.labels[i] = index[label]
            state.confidence[i] = 1.0


STEPS = (
    prepare,
    detect_languages,
    analyse_text,
    build_seeds_and_features,
    file_into_seeds,
    discover_new,
    set_aside_other_languages,
    attach_leftovers,
    enforce_pins,
    build_result,
)

# What a progress callback hears (Options.progress), in order; "statistics" comes from inside
# build_result. The fractions say roughly how much of a typical run lies before each step.
STAGES = ("preparing", "language", "features", "filing", "clustering", "labels", "statistics",
          "done")
PROGRESS = {
    "prepare": (0.0, "preparing"),
    "detect_languages": (0.02, "language"),
    "analyse_text": (0.05, "features"),
    "build_seeds_and_features": (0.35, "features"),
    "file_into_seeds": (0.45, "filing"),
    "discover_new": (0.75, "clustering"),
    "attach_leftovers": (0.92, "filing"),
    "build_result": (0.95, "labels"),
}


def run(notes: list[Note] | tuple[Note, ...], options: Options | None = None) -> Result:
    """Group notes into themes and break them down by place, question and target group.

    Themes known beforehand (`Options.prior_themes`) only name the themes found: the grouping
    is the one made without them (see naming.py).
    """
    options = options or Options()
    unique = _unique_notes(list(notes))
    if options.prior_themes:
        from .naming import name_from_library

        result = _run(unique, replace(options, prior_themes=()))
        return name_from_library(result, unique, options)
    return _run(unique, options)


def _run(notes: list[Note], options: Options) -> Result:
    state = State(notes=notes, options=options)
    if not state.notes:
        report(state, 1.0, "done")
        return Result(n_notes=0, themes=[_empty_theme(i, s) for i, s in enumerate(
            dict.fromkeys([e.theme for e in state.options.examples]))], unassigned=[])
    for step in STEPS:
        if step.__name__ in PROGRESS:
            report(state, *PROGRESS[step.__name__])
        step(state)
    assert state.result is not None
    report(state, 1.0, "done")
    return state.result


def _empty_theme(pos: int, label: str) -> Theme:
    return Theme(id=f"t{pos + 1}", label=label, keywords=[], note_ids=[], quotes=[],
                 source="examples")
