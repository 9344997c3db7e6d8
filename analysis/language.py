"""Offline language detection for short notes: writing system first, then function words.

Notes are 2-30 words, too short for character statistics to be reliable, so the detector counts
function words from spaCy's stop-word lists (which ship with spaCy itself) and uses a short list
of forms that only nynorsk has to tell nynorsk from bokmål. Anything it cannot place gets the
`default` language (the most common given language of the batch) or "und".
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

from .preprocess import words

# Latin-script languages we try to recognise by their function words.
_LATIN_LANGS = ("nb", "nn", "da", "sv", "en", "de", "fr", "es", "pl", "nl", "it", "pt", "is",
                "fi", "tr", "so")
# Forms that are nynorsk and (practically) never bokmål, and the bokmål forms they replace.
_NYNORSK_STRONG = frozenset(
    "eg ikkje ein eit kva ligg born korleis kvifor berre vere frå noko mykje heime meir fleire "
    "likar treng".split()
)
_BOKMAAL = frozenset("jeg ikke et hva hvordan hvorfor bare være fra noe mye hjemme mer "
                     "flere liker trenger".split())
# Few spaCy stop lists exist for these; a handful of very common words is enough to place a note.
_EXTRA_STOPS = {
    "so": "iyo waa ee ka ku oo la in u ah ayaa aan uu si kale leh ma".split(),
    "pl": "i w na z do nie się że jest to jak o po dla ale".split(),
    "is": "og að er i a sem vidh adh ekki thad med fyrir um til".split(),
}
_SCRIPTS = (
    ("ar", 0x0600, 0x06FF), ("fa", 0xFB50, 0xFDFF), ("ru", 0x0400, 0x04FF),
    ("ti", 0x1200, 0x139F), ("el", 0x0370, 0x03FF), ("he", 0x0590, 0x05FF),
    ("th", 0x0E00, 0x0E7F), ("zh", 0x4E00, 0x9FFF), ("ja", 0x3040, 0x30FF),
    ("ko", 0xAC00, 0xD7AF), ("hi", 0x0900, 0x097F), ("hy", 0x0530, 0x058F),
    ("ka", 0x10A0, 0x10FF), ("ta", 0x0B80, 0x0BFF),
)
_UKRAINIAN_LETTERS = set("іїєґІЇЄҐ")
_NORWEGIAN = frozenset({"nb", "nn", "no"})


def normalise_code(code: str | None) -> str:
    """Map variants ("no", "nob", "NB-no", "") to the short codes used here."""
    code = (code or "").strip().lower().replace("_", "-").split("-")[0]
    return {"no": "nb", "nob": "nb", "nno": "nn", "eng": "en", "": ""}.get(code, code)


@cache
def _stop_words(lang: str) -> frozenset[str]:
    """spaCy's stop words for `lang`, read without importing the language package.

    Importing `spacy.lang.<lang>` compiles its tokenizer exceptions, which takes seconds for
    some languages; the stop-word file is plain data and loads in milliseconds.
    """
    import importlib.util

    extra = set(_EXTRA_STOPS.get(lang, ()))
    stops: set[str] = set()
    spec = importlib.util.find_spec("spacy")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / "lang" / lang / "stop_words.py"
        if path.is_file():
            # The file is `STOP_WORDS = set("""...""".split())`: take the quoted words.
            parts = path.read_text("utf-8").split('"""')
            words_ = parts[1].split() if len(parts) >= 3 else []
            stops = {w.lower() for w in words_ if len(w) > 1 or w in {"i", "a", "å"}}
            break
    return frozenset(stops | extra)


def _script_language(text: str) -> str | None:
    counts: Counter[str] = Counter()
    latin = 0
    for ch in text:
        if not ch.isalpha():
            continue
        cp = ord(ch)
        if cp < 0x250:
            latin += 1
            continue
        for code, lo, hi in _SCRIPTS:
            if lo <= cp <= hi:
                counts[code] += 1
                break
    if not counts:
        return None
    code, n = counts.most_common(1)[0]
    if n < latin:
        return None
    if code == "ru" and any(ch in _UKRAINIAN_LETTERS for ch in text):
        return "uk"
    return code


def detect(text: str, default: str = "und") -> str:
    """Return an ISO 639-1 style code for `text`, or `default` when it cannot tell."""
    script = _script_language(text)
    if script:
        return script
    tokens = words(text)
    if not tokens:
        return default
    scores = {}
    for lang in _LATIN_LANGS:
        stops = _stop_words(lang)
        scores[lang] = sum(1 for t in tokens if t in stops)
    best = max(scores.values())
    if best == 0:
        return default
    leaders = [lang for lang in _LATIN_LANGS if scores[lang] == best]
    # Danish, Swedish and the two Norwegian standards share many function words: settle
    # ties inside that family with the forms that are distinctive for each.
    if any(lang in {"nb", "nn", "da", "sv"} for lang in leaders):
        nn_hits = sum(1 for t in tokens if t in _NYNORSK_STRONG)
        nb_hits = sum(1 for t in tokens if t in _BOKMAAL)
        if nn_hits > nb_hits:
            return "nn"
        if nb_hits > nn_hits or "nb" in leaders:
            return "nb"
        if default in _NORWEGIAN and ("nn" in leaders or "da" in leaders):
            return default
    return leaders[0]


def detect_all(texts: list[str], given: list[str]) -> list[str]:
    """Use the given language where there is one and detect the rest."""
    given = [normalise_code(g) for g in given]
    known = Counter(g for g in given if g and g != "und")
    default = known.most_common(1)[0][0] if known else "nb"
    return [g if g else detect(t, default=default) for t, g in zip(texts, given, strict=True)]
