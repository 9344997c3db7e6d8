"""Small text functions run before any language processing: masking, clean-up, non-answers."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

PHONE_MASK = "[telefon]"
EMAIL_MASK = "[e-post]"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# A run of digits with the usual separators (space, dot, dash, parentheses) and an optional
# country prefix. Whether it is a phone number is decided by counting its digits.
_PHONE_CANDIDATE = re.compile(r"(?<![\w+])(?:\+|00)?\d(?:[\s().-]{0,2}\d){5,16}(?!\w)")
_MIN_PHONE_DIGITS = 8
_MAX_PHONE_DIGITS = 15

_REPEAT_LETTERS = re.compile(r"([^\W\d_])\1{2,}", re.UNICODE)
_REPEAT_PUNCT = re.compile(r"([!?.,])\1+")
_SPACES = re.compile(r"\s+")
# Control and invisible formatting characters (zero-width spaces, direction marks, BOM).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)

# Answers that say nothing, in the languages the notes usually come in. Compared after
# lower-casing and removing punctuation; the list is about form, not about any data set.
_NON_ANSWERS = frozenset(
    """
    vet ikke|veit ikke|vet ikkje|veit ikkje|veit ikke|aner ikke|ikke noe|ikkje noko|ingenting|
    ingen ting|inkje|ingen|ingenting spesielt|ikke noe spesielt|ikkje noko spesielt|nei|ja|ok|
    okei|kanskje|usikker|hmm|hm|vetikke|idk|i dont know|i don't know|dont know|don't know|
    nothing|no idea|none|n/a|na|nope|no|yes|tbh|idk tbh|ingen anelse|ikke sikker|nothing really|
    ingen kommentar|ingen kommentarer|ikke noe å si|test|testing|asdf|x|xx|xxx|
    """.split("|")
)
_NON_ANSWERS = frozenset(p.strip() for p in _NON_ANSWERS if p.strip())
_FILLER = frozenset({"tbh", "lol", "haha", "hehe", "egentlig", "really", "just", "bare", "altså"})
# Short notes made only of these words say "I'm content / I don't know / I don't understand",
# which answers none of the questions ("alt er bra", "vet ikke helt, er fornøyd").
_EMPTY_WORDS = frozenset(
    """
    vet veit vite ikke ikkje itte inte ikkje helt heilt egentlig alt er e bra fint fin greit ok
    okei fornøyd nøgd klage klager klaga forstår forstå skjønner skjønar skjønne spørsmål
    spørsmålet spørsmåla har hæ det her no noe noko nok å på jeg eg i vi me du dere det
    så sånn liksom ingenting sikker usikker hmm ja nei takk everything fine good all is im i'm
    dont don't understand question know nothing
    """.split()
)
_MAX_EMPTY_WORDS = 10


def mask_personal_data(text: str) -> str:
    """Replace e-mail addresses and phone numbers in `text` with neutral placeholders."""
    if not text:
        return text or ""
    text = _EMAIL.sub(EMAIL_MASK, text)

    def phone(match: re.Match) -> str:
        digits = sum(ch.isdigit() for ch in match.group(0))
        if _MIN_PHONE_DIGITS <= digits <= _MAX_PHONE_DIGITS:
            return PHONE_MASK
        return match.group(0)

    return _PHONE_CANDIDATE.sub(phone, text)


@lru_cache(maxsize=131_072)  # the pipeline normalises each note in more than one step
def normalise(text: str) -> str:
    """Unicode-normalise, drop control characters and shorten stretched letters and punctuation."""
    text = unicodedata.normalize("NFC", text or "")
    text = _CONTROL.sub(" ", text)
    text = _REPEAT_LETTERS.sub(r"\1\1", text)
    text = _REPEAT_PUNCT.sub(r"\1", text)
    return _SPACES.sub(" ", text).strip()


def strip_masks(text: str) -> str:
    """Remove the placeholders left by :func:`mask_personal_data`."""
    return text.replace(PHONE_MASK, " ").replace(EMAIL_MASK, " ")


def words(text: str) -> list[str]:
    """Lower-cased letter/digit runs of `text`."""
    return [w.lower() for w in _WORD.findall(text)]


def is_non_answer(text: str) -> bool:
    """True for empty notes, emoji or punctuation only, and stock phrases such as "vet ikke"."""
    cleaned = strip_masks(normalise(text))
    tokens = words(cleaned)
    if not any(any(ch.isalpha() for ch in tok) for tok in tokens):
        return True
    phrase = " ".join(tokens)
    if phrase in _NON_ANSWERS:
        return True
    content = [t for t in tokens if t not in _FILLER]
    if not content or " ".join(content) in _NON_ANSWERS:
        return True
    return len(content) <= _MAX_EMPTY_WORDS and all(t in _EMPTY_WORDS for t in content)
