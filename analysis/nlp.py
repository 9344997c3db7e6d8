"""Tokenising, lemmatising and stop-word removal with spaCy blank pipelines.

spaCy's Norwegian models are not on PyPI, so each language gets `spacy.blank(lang)` (tokenizer and
stop words) plus a lookup lemmatizer component backed by simplemma's tables. Norwegian words the
tables do not know get a spelling fix and a compound split (see `lexicon.py`).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cache, lru_cache

from .lexicon import correct_spelling, split_compound, zipf
from .preprocess import normalise, strip_masks

# Languages with their own tokenizer rules and lemma tables. Everything else goes through spaCy's
# multilingual tokenizer and is only lower-cased: loading a lemma table costs seconds, which is
# not worth it for the handful of notes in each of the other languages; the character n-gram
# features carry those notes instead.
_SUPPORTED = frozenset({"nb", "nn", "en"})
_NORWEGIAN = frozenset({"nb", "nn"})
_MIN_LEMMA_ZIPF = 3.0
_MIN_APART_PART = 3
_MIN_APART_ZIPF = 2.5

# Words of answers to "what do you like / wish for" that carry no topic of their own.
_FILLERS = frozenset(
    """
    ønske ønsker ønskje gjerne kanskje bra fin fint flott god godt gode mykje mye mer meir fleire
    flere liker likar like lik synes syns tykkje tenke tenkje kunne kan vil ville skal skulle må
    få fått finnes finst fins ting noe noko noen nokon alt alle masse mange ofte alltid aldri
    bare berre også òg veldig svært litt lite stor store større ny nye nytt ha hatt være vere
    vært bli blir gjøre gjere gjør gjer sted stad plass ta tar sånn slik slike slags hva kva
    ein eit eg ikkje dei deira dykk ho frå korleis kvar kven kvifor me oss vår vårt våre
    min mitt mine din ditt dine sin sitt sine hennar hans deres dere
    want wants would like love really lot lots more things thing something good nice great
    """.split()
)
# spaCy has no nynorsk stop-word list; these are the nynorsk function words not in the bokmål one.
_NYNORSK_STOPS = frozenset(
    """
    eg meg deg seg ho han honom henne dykk dei deim deira me oss vår ikkje inkje ein eit
    berre òg og utan frå til med mot kva kven kvar kor korleis kvifor når då no her der dit
    vere vore er var vart blir blei kan kunne skal skulle vil ville må måtte som at om så
    sidan etter før heile heilt nokon noko nokre ingen inga inkje kvar kvart sjølv sjølve
    mykje meir mest litt lite fleire mange andre anna annan same slik sånn både enten eller
    """.split()
)
# spaCy's Norwegian list comes from news text and holds words that are topics in our notes.
_NOT_STOP = frozenset(
    "plass dag kveld tid kort sted stedet folk kamp mål land kontakt laget leder kroner bris "
    "poeng runde mennesker grunn by".split()
)


@dataclass(frozen=True)
class Tokens:
    """The terms of one note: lemmas (shown to people) and compound parts (extra features)."""

    lemmas: tuple[str, ...]
    parts: tuple[str, ...]
    # Norwegian translations of the words of an English note (dictionary.py): features that
    # link it to Norwegian notes on the same subject, never shown as its words
    translations: tuple[str, ...] = ()

    @property
    def terms(self) -> tuple[str, ...]:
        """Lemmas followed by compound parts."""
        return self.lemmas + self.parts


_lock = threading.Lock()
_registered = False


def _register_component() -> None:
    """Register the lookup lemmatizer factory with spaCy (once per process)."""
    global _registered
    with _lock:
        if _registered:
            return
        from spacy.language import Language

        @Language.factory("gjestebud_lemmatizer", default_config={"lang": "nb"})
        def make_lemmatizer(nlp, name, lang):  # noqa: ARG001 - spaCy's factory signature
            def lemmatize(doc):
                for token in doc:
                    token.lemma_ = lemma(token.lower_, lang)
                return doc

            return lemmatize

        _registered = True


@cache
def get_nlp(lang: str):
    """Return the cached spaCy pipeline for `lang` (blank tokenizer + lookup lemmatizer)."""
    import spacy

    _register_component()
    nlp = spacy.blank(lang if lang in _SUPPORTED else "xx")
    nlp.add_pipe("gjestebud_lemmatizer", config={"lang": lang})
    return nlp


@lru_cache(maxsize=200_000)
def lemma(word: str, lang: str) -> str:
    """Lemma of a lower-cased word; Norwegian words get spelling fixes when the tables miss."""
    if lang not in _SUPPORTED or not any(ch.isalpha() for ch in word):
        return word
    import simplemma

    # A word made of known parts is a compound, not a typo ("stillerom" is not "spillerom").
    if lang in _NORWEGIAN and not simplemma.is_known(word, lang=lang) and not split_compound(word):
        fixed = correct_spelling(word)
        if fixed != word:
            word = fixed
    out = simplemma.lemmatize(word, lang=lang).lower()
    if lang in _NORWEGIAN and out != word and zipf(out) < _MIN_LEMMA_ZIPF <= zipf(word):
        # The tables hold some rare homographs ("buss" -> "busse"); a common word whose
        # "lemma" is rare is more likely already in its base form.
        return word
    return out


@cache
def stop_words(lang: str) -> frozenset[str]:
    """Stop words for `lang`, with the Norwegian lists shared by both written standards."""
    from .language import _stop_words

    base = set(_stop_words(lang))
    if lang in _NORWEGIAN:
        base |= _stop_words("nb") | _stop_words("da") | _NYNORSK_STOPS
    base |= _stop_words("en")  # English words turn up in notes of every language
    return frozenset((base | _FILLERS) - _NOT_STOP)


@lru_cache(maxsize=200_000)
def _parts(word: str, lang: str) -> tuple[str, ...]:
    if lang not in _NORWEGIAN:
        return ()
    parts = split_compound(lemma(word, lang))
    return tuple(lemma(p, lang) for p in parts)


@lru_cache(maxsize=50_000)
def _norwegian(word: str) -> tuple[str, ...]:
    """Norwegian lemmas of an English word's dictionary translations."""
    from .dictionary import norwegian

    return tuple(dict.fromkeys(lemma(t, "nb") for t in norwegian(word)))


@lru_cache(maxsize=200_000)
def _written_apart(first: str, second: str, lang: str) -> str:
    """The lemma of a Norwegian compound written as two words ("lekse hjelp"), else "".

    Writing compounds apart (særskriving) is one of the commonest spelling errors in Norwegian,
    above all in children's writing. The joined form counts only when it is a known word.
    """
    if (lang not in _NORWEGIAN or len(first) < _MIN_APART_PART or len(second) < _MIN_APART_PART
            or not (first + second).isalpha()):
        return ""
    import simplemma

    joined = first + second
    if zipf(joined) >= _MIN_APART_ZIPF or simplemma.is_known(joined, lang=lang):
        return lemma(joined, lang)
    return ""


@lru_cache(maxsize=200_000)
def _keep(text: str, stops: frozenset[str]) -> bool:
    return len(text) > 1 and any(ch.isalpha() for ch in text) and text not in stops


def analyse(texts: list[str], languages: list[str], batch_size: int = 256) -> list[Tokens]:
    """Turn notes into lemma lists, one spaCy pipeline per language, batched with `nlp.pipe`."""
    out: list[Tokens | None] = [None] * len(texts)
    by_lang: dict[str, list[int]] = {}
    for i, lang in enumerate(languages):
        by_lang.setdefault(lang or "und", []).append(i)
    for lang in sorted(by_lang):
        idx = by_lang[lang]
        nlp = get_nlp(lang)
        stops = stop_words(lang)
        nb_stops = stop_words("nb")
        cleaned = (normalise(strip_masks(texts[i])) for i in idx)
        for i, doc in zip(idx, nlp.pipe(cleaned, batch_size=batch_size), strict=True):
            lemmas: list[str] = []
            parts: list[str] = []
            translated: list[str] = []
            previous = ""  # the kept word just before this token, for compounds written apart
            for token in doc:
                if token.is_punct or token.is_space or token.like_num:
                    previous = ""
                    continue
                word = token.lower_.strip("-'’")
                lem = token.lemma_.strip("-'’") or word
                if not _keep(word, stops) or not _keep(lem, stops):
                    previous = ""
                    continue
                joined = _written_apart(previous, word, lang)
                if joined and _keep(joined, stops):
                    lemmas.append(joined)
                previous = word
                lemmas.append(lem)
                mine = []
                pieces = word.split("-") if "-" in word else [word]
                for piece in pieces:
                    found = list(_parts(piece, lang))
                    # "lese-sal" -> "lese", "sal"; but "e-sport" is one word, not "sport".
                    if len(pieces) > 1 and min(map(len, pieces)) >= 3:
                        found.append(lemma(piece, lang))
                    mine.extend(p for p in found if _keep(p, stops) and p != lem)
                parts.extend(mine)
                if lang == "en":
                    translated.extend(t for t in _norwegian(lem) if _keep(t, nb_stops))
            out[i] = Tokens(tuple(lemmas), tuple(parts), tuple(translated))
    return [t if t is not None else Tokens((), ()) for t in out]
