"""English to Norwegian word translations from FreeDict's eng-nor dictionary (Debian package
`dict-freedict-eng-nor`, dictd format), so that English notes share words with Norwegian ones.

"the forest close to my house" then also carries "skog", and lands with "skogen rett ved huset".
Only single-word translations are used, at most a few per English word, nouns and adjectives
first. Without the package the dictionary is empty and English notes are linked to Norwegian
ones by the sentence embeddings alone; `available()` says which, and the log says so once.
"""

from __future__ import annotations

import gzip
import logging
import os
import re
from functools import cache
from pathlib import Path

log = logging.getLogger(__name__)

DEFAULT_DIR = "/usr/share/dictd"
NAME = "freedict-eng-nor"
MAX_TRANSLATIONS = 3
_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_POS_ORDER = {"n": 0, "adj": 1, "v": 2}
_HEAD = re.compile(r"<([a-z]+)>\s*$")
_SENSE = re.compile(r"^(\d+)\.\s+(.*)$")
_TRAILING_SENSE = re.compile(r"\s+\d+\.$")


def _number(code: str) -> int:
    value = 0
    for ch in code:
        value = value * 64 + _B64.index(ch)
    return value


def _directory() -> Path:
    return Path(os.environ.get("GJESTEBUD_DICT_DIR") or DEFAULT_DIR)


def _translation_lines(entry: str) -> list[str]:
    """The Norwegian lines of one entry: the line after the headword and each numbered sense.

    Every translation line is followed by an English gloss; a bare " 3." starts another gloss
    of the same translation.
    """
    lines = entry.split("\n")[1:]
    out = []
    expect = True  # the first line after the headword is a translation
    for line in lines:
        stripped = line.strip()
        if not stripped or re.fullmatch(r"\d+\.", stripped):
            expect = False
            continue
        sense = _SENSE.match(stripped)
        if sense:
            out.append(sense.group(2))
            expect = False
        elif expect:
            out.append(stripped)
            expect = False
    return [_TRAILING_SENSE.sub("", line) for line in out]


def parse(index_text: str, data: bytes) -> dict[str, tuple[str, ...]]:
    """English word -> Norwegian single-word translations, from a dictd index and its data."""
    found: dict[str, list[tuple[int, int, str]]] = {}
    for row in index_text.splitlines():
        parts = row.split("\t")
        if len(parts) != 3 or parts[0].startswith("00database"):
            continue
        word, offset, length = parts[0].lower(), _number(parts[1]), _number(parts[2])
        if " " in word or not word.isalpha():
            continue
        entry = data[offset:offset + length].decode("utf-8", "replace")
        head = _HEAD.search(entry.split("\n", 1)[0])
        rank = _POS_ORDER.get(head.group(1) if head else "", 3)
        for pos, line in enumerate(_translation_lines(entry)):
            for term in line.split(","):
                term = term.strip().lower()
                if term.isalpha() and term != word:
                    found.setdefault(word, []).append((rank, pos, term))
    out = {}
    for word, items in found.items():
        terms = list(dict.fromkeys(t for _, _, t in sorted(items)))
        out[word] = tuple(terms[:MAX_TRANSLATIONS])
    return out


@cache
def translations() -> dict[str, tuple[str, ...]]:
    """The dictionary, loaded once per process; empty when the package is not installed."""
    folder = _directory()
    index, data = folder / f"{NAME}.index", folder / f"{NAME}.dict.dz"
    try:
        index_text = index.read_text(encoding="utf-8")
        raw = gzip.decompress(data.read_bytes())
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        log.warning("No English-Norwegian dictionary (%s: %s); install dict-freedict-eng-nor so "
                    "that English notes share words with Norwegian ones", folder, exc)
        return {}
    return parse(index_text, raw)


def available() -> bool:
    """True when the dictionary is installed and readable."""
    return bool(translations())


def norwegian(word: str) -> tuple[str, ...]:
    """Norwegian translations of a lower-case English word (lemma), or ()."""
    return translations().get(word, ())
