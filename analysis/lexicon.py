"""Norwegian vocabulary from wordfreq: spelling fixes and compound splitting.

Both functions only look at words; they are cached per word so that large batches cost little.
"""

from __future__ import annotations

from functools import lru_cache

_MIN_ZIPF_PART = 3.0  # parts of a compound must be ordinary words (about 1 per million or more)
_MIN_ZIPF_FIX = 3.3  # a spelling fix must be a common word
_VOCAB_ZIPF = 2.0
_MIN_SPLIT_LEN = 6
_MAX_ZIPF_SPLIT = 4.5  # very common words are simple words ("skogen" is not "sko" + "gen")
_MIN_PART_LEN = 3
_LINKS = ("s", "e")


@lru_cache(maxsize=1)
def _frequencies() -> dict[str, float]:
    """Zipf value of every alphabetic Norwegian (bokmål) word wordfreq knows above a floor."""
    import math

    from wordfreq import get_frequency_dict

    out = {}
    for word, freq in get_frequency_dict("nb").items():
        if freq <= 0 or not word.isalpha():
            continue
        zipf = math.log10(freq) + 9
        if zipf >= _VOCAB_ZIPF:
            out[word] = zipf
    return out


def zipf(word: str) -> float:
    """Zipf frequency of a Norwegian word, 0 when unknown."""
    return _frequencies().get(word, 0.0)


@lru_cache(maxsize=1)
def _delete_index() -> dict[str, str]:
    """Map every one-letter deletion of a common word to the most frequent such word."""
    freqs = _frequencies()
    index: dict[str, tuple[float, str]] = {}
    for word, z in freqs.items():
        if z < _MIN_ZIPF_FIX or len(word) < 4:
            continue
        for variant in {word} | {word[:i] + word[i + 1:] for i in range(len(word))}:
            current = index.get(variant)
            if current is None or (z, word) > current:
                index[variant] = (z, word)
    return {k: w for k, (_, w) in index.items()}


@lru_cache(maxsize=100_000)
def correct_spelling(word: str) -> str:
    """Return a common word one edit away from an unknown `word`, or `word` itself."""
    if len(word) < 5 or not word.isalpha() or zipf(word) > 0:
        return word
    index = _delete_index()
    candidates = []
    if word in index:  # a letter missing from `word` ("fotbal")
        candidates.append(index[word])
    for i in range(len(word)):  # an extra or a wrong letter ("venna", "biblotek")
        hit = index.get(word[:i] + word[i + 1:])
        if hit:
            candidates.append(hit)
    candidates = [c for c in candidates if abs(len(c) - len(word)) <= 1 and c[0] == word[0]]
    if not candidates:
        return word
    return max(candidates, key=lambda c: (zipf(c), c))


def _best_split(word: str) -> tuple[str, str] | None:
    best: tuple[float, str, str] | None = None
    for i in range(_MIN_PART_LEN, len(word) - _MIN_PART_LEN + 1):
        tail = word[i:]
        if zipf(tail) < _MIN_ZIPF_PART:
            continue
        heads = [word[:i]]
        if word[i - 1] in _LINKS and i - 1 >= _MIN_PART_LEN:
            heads.append(word[: i - 1])
        for head in heads:
            score = min(zipf(head), zipf(tail))
            if score >= _MIN_ZIPF_PART and (best is None or score > best[0]):
                best = (score, head, tail)
    return (best[1], best[2]) if best else None


@lru_cache(maxsize=100_000)
def split_compound(word: str) -> tuple[str, ...]:
    """Split a Norwegian compound into known parts ("turstier" -> ("tur", "stier")), else ()."""
    if len(word) < _MIN_SPLIT_LEN or not word.isalpha() or zipf(word) >= _MAX_ZIPF_SPLIT:
        return ()
    split = _best_split(word)
    if not split:
        return ()
    head, tail = split
    out: list[str] = []
    for part in (head, tail):
        sub = split_compound(part) if len(part) >= 2 * _MIN_PART_LEN + 2 else ()
        out.extend(sub or (part,))
    return tuple(out)
