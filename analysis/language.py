"""Offline language detection for short notes, from the text itself.

Notes are 2-30 words, too short for character statistics to be reliable. The detector looks at
the writing system first (with the letters that tell Persian and Urdu from Arabic, and
Vietnamese from other Latin scripts), then at how common each word is in each language
(wordfreq's word lists, which ship with the package), then at function words from spaCy's
stop-word lists for languages wordfreq does not cover (Somali). A short list of forms that only
nynorsk has tells nynorsk from bokmål; Danish and Swedish count as Norwegian.

A note's given language (the language of the page it was written on) is only a tie-breaker: it
decides when the text does not (one or two words common to several languages, "gaming",
"skatepark pls"). English written on the bokmål page is English.
"""

from __future__ import annotations

import math
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
_URDU_LETTERS = set("ٹڈڑںےۓہھ")
_PERSIAN_LETTERS = set("پچژگ")
# Letters with the stacked tone marks only Vietnamese uses among Latin scripts.
_VIETNAMESE_LETTERS = set("ăđơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ")
_NORWEGIAN = frozenset({"nb", "nn", "no"})
# Languages scored by how common their words are (wordfreq's small lists, about 30,000 words).
_FREQUENCY_LANGS = ("nb", "en", "da", "sv", "de", "fr", "es", "pl", "nl", "it", "pt", "is",
                    "fi", "tr")
_SCANDINAVIAN = frozenset({"nb", "da", "sv"})
# The winner must beat the best other language by this many Zipf points per √word to be sure.
_MARGIN = 1.0
_ONE_WORD_MARGIN = 2.5
# Words this rare on average (Zipf) are not the language's own words.
_RARE_ZIPF = 2.0


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
    if code in ("ar", "fa"):
        if any(ch in _URDU_LETTERS for ch in text):
            return "ur"
        if any(ch in _PERSIAN_LETTERS for ch in text):
            return "fa"
        return "ar"
    return code


@cache
def _frequencies(lang: str) -> dict[str, float]:
    from wordfreq import get_frequency_dict

    return get_frequency_dict(lang, wordlist="small")


def _zipf(word: str, lang: str) -> float:
    frequency = _frequencies(lang).get(word, 0.0)
    return math.log10(frequency * 1e9) if frequency > 0 else 0.0


def _nynorsk_or_bokmaal(tokens: list[str]) -> str:
    """"nn" or "nb" by the forms only one standard has; "no" when the note has none."""
    nn_hits = sum(1 for t in tokens if t in _NYNORSK_STRONG)
    nb_hits = sum(1 for t in tokens if t in _BOKMAAL)
    return "nn" if nn_hits > nb_hits else "nb" if nb_hits > nn_hits else "no"


def detect_with_confidence(text: str) -> tuple[str, bool]:
    """(language, sure): "und" when the text gives nothing to go on, "no" for Norwegian that
    could be either standard."""
    script = _script_language(text)
    if script:
        return script, True
    if sum(1 for ch in text.lower() if ch in _VIETNAMESE_LETTERS) >= 2:
        return "vi", True
    tokens = words(text)
    if not tokens:
        return "und", False
    scores = {lang: sum(_zipf(t, lang) for t in tokens) for lang in _FREQUENCY_LANGS}
    best = max(scores, key=lambda lang: (scores[lang], lang == "nb"))
    # Somali has no word list: its function words count when the words are rare everywhere else.
    somali_hits = sum(1 for t in tokens if t in _stop_words("so"))
    if somali_hits >= 2 or (somali_hits and scores[best] < _RARE_ZIPF * len(tokens)):
        return "so", True
    family = _SCANDINAVIAN if best in _SCANDINAVIAN else {best}
    runner_up = max((v for lang, v in scores.items() if lang not in family), default=0.0)
    # One word is often a loanword ("lan", "gaming"): it must stand out far more to be sure.
    margin = _MARGIN * math.sqrt(len(tokens)) if len(tokens) > 1 else _ONE_WORD_MARGIN
    sure = scores[best] > 0 and scores[best] - runner_up >= margin
    if best in _SCANDINAVIAN:
        return _nynorsk_or_bokmaal(tokens), sure
    return best, sure


def detect(text: str, default: str = "und") -> str:
    """Return an ISO 639-1 style code for `text`, or `default` when it cannot tell."""
    lang, _sure = detect_with_confidence(text)
    if lang == "no":
        return default if default in ("nb", "nn") else "nb"
    return default if lang == "und" else lang


def detect_all(texts: list[str], given: list[str]) -> list[str]:
    """Each note's language from its text; where the text does not settle it, the given
    language (the page it was written on), else the batch's most common given language."""
    given = [normalise_code(g) for g in given]
    known = Counter(g for g in given if g and g != "und")
    default = known.most_common(1)[0][0] if known else "nb"
    out = []
    found: dict[str, tuple[str, bool]] = {}
    for text, page in zip(texts, given, strict=True):
        if text not in found:
            found[text] = detect_with_confidence(text)
        lang, sure = found[text]
        page = page if page and page != "und" else ""
        if lang == "no":  # Norwegian; the page (or the batch) tells which standard
            norwegian = [c for c in (page, default) if c in ("nb", "nn")]
            out.append(norwegian[0] if norwegian else "nb")
        elif sure or not page:
            out.append(default if lang == "und" else lang)
        else:
            out.append(page)
    return out
