"""Password policy: length is the rule, common and guessable passwords are refused."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256

# Common Norwegian passwords and words people build them from; the English ones come from the
# 30,000 most common passwords that the zxcvbn package ships.
NORWEGIAN_COMMON = frozenset({
    "passord", "hemmelig", "kodeord", "velkommen", "sommer", "vinter", "høst", "vår", "norge",
    "noreg", "oslo", "bergen", "trondheim", "stavanger", "drammen", "askim", "mysen", "kommune",
    "gjestebud", "elsker", "kjæreste", "fotball", "brann", "rosenborg", "vålerenga", "hallo",
    "heisann", "hei", "jegelskerdeg", "ikkenoe", "bibliotek", "innbyggertorg", "admin",
    "administrator", "bruker", "brukernavn", "logginn", "qwertyuiopå", "asdfghjkløæ",
})
KEYBOARD_RUNS = ("qwertyuiopå", "asdfghjkløæ", "zxcvbnm", "abcdefghijklmnopqrstuvwxyzæøå",
                 "1234567890" * 4, "0987654321" * 4)


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The common passwords and password words that are refused, lowercased."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"]) | NORWEGIAN_COMMON


def _context_words(email: str, name: str) -> set[str]:
    local = (email or "").lower().partition("@")[0]
    parts = [local, *local.replace("_", ".").replace("-", ".").split("."), *name.lower().split()]
    parts.append("".join(ch for ch in local + name.lower() if ch.isalpha()))
    parts.append("".join(ch for ch in local if ch.isalpha()))
    return {part for part in parts if len(part) >= 3}


def _is_run(text: str) -> bool:
    return any(text in run for run in KEYBOARD_RUNS)


def _is_repeat_of(text: str, words) -> bool:
    """True when text is a word from `words` (or a keyboard run) written one or more times."""
    for size in range(1, len(text) // 2 + 1):
        if len(text) % size == 0 and text == text[:size] * (len(text) // size):
            unit = text[:size]
            return len(unit) < 3 or unit in words or _is_run(unit)
    return text in words or _is_run(text)


def _is_simple_suffix(rest: str, words) -> bool:
    """Digits and symbols people add to a word: a year, a run, a repeat, or a few symbols."""
    digits = "".join(ch for ch in rest if ch.isdigit())
    symbols = len(rest) - len(digits)
    if symbols > 3:
        return False
    return (
        len(digits) <= 4 or digits in words or _is_run(digits) or len(set(digits)) <= 2
    )


def password_problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """Why a new password is refused ('too_short', 'too_long', 'common'), or None if it is fine.

    Length is the rule; there are no composition rules. Refused as common: a listed password,
    or a listed word (or the person's own name or address) with only digits or symbols added.
    """
    password = password or ""
    if len(password) < MIN_PASSWORD_LENGTH:
        return "too_short"
    if len(password) > MAX_PASSWORD_LENGTH:
        return "too_long"
    squeezed = "".join(unicodedata.normalize("NFKC", password).lower().split())
    words = common_passwords() | _context_words(email, name)
    if squeezed in words or len(set(squeezed)) < 5:
        return "common"
    letters = "".join(ch for ch in squeezed if ch.isalpha())
    rest = "".join(ch for ch in squeezed if not ch.isalpha())
    if _is_simple_suffix(rest, words) and (not letters or _is_repeat_of(letters, words)):
        return "common"
    return None
