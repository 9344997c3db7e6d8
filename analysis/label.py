"""Keywords (class-based TF-IDF over lemmas) and short human labels for themes."""

from __future__ import annotations

import math
from collections import Counter

_JOINERS = {"nb": " og ", "nn": " og ", "da": " og ", "sv": " och ", "en": " and ",
            "de": " und ", "is": " og "}


def keywords(groups: list[list[list[str]]], n: int = 6) -> list[list[str]]:
    """Top words of each group (a group is a list of notes, a note a list of lemmas).

    A word scores by its frequency in the group times log(1 + average group size / its total
    frequency), so words that are common everywhere sink and words typical of the group rise.
    """
    counts = [Counter(w for note in group for w in set(note)) for group in groups]
    total: Counter[str] = Counter()
    for c in counts:
        total.update(c)
    sizes = [sum(c.values()) for c in counts]
    avg = (sum(sizes) / len(sizes)) if sizes else 0.0
    out = []
    for c, size in zip(counts, sizes, strict=True):
        if not size:
            out.append([])
            continue
        # Words shared by two or more notes first; a theme of one-off words still gets some.
        shared = sum(1 for cnt in c.values() if cnt >= 2)
        scored = sorted(
            ((cnt / size) * math.log(1 + avg / total[w]), w) for w, cnt in c.items()
            if cnt >= 2 or shared < 2
        )
        out.append([w for _, w in sorted(scored, key=lambda t: (-t[0], t[1]))[:n]])
    return out


def majority_language(languages: list[str], default: str = "nb") -> str:
    """The most common language among a theme's notes (ties broken alphabetically)."""
    known = Counter(lang for lang in languages if lang and lang != "und")
    if not known:
        return default
    top = max(known.values())
    return sorted(lang for lang, cnt in known.items() if cnt == top)[0]


def make_label(words: list[str], language: str) -> str:
    """A short label from the two strongest keywords, joined in the notes' language."""
    if not words:
        return "diverse" if language in {"nb", "nn", ""} else "misc"
    if len(words) == 1:
        return words[0]
    return _JOINERS.get(language, " / ").join(words[:2])


def unique_labels(labels: list[str], words: list[list[str]], fixed: list[bool]) -> list[str]:
    """Make discovered labels distinct from each other and from fixed (given) labels."""
    seen = {lab for lab, keep in zip(labels, fixed, strict=True) if keep}
    out = []
    for lab, kws, keep in zip(labels, words, fixed, strict=True):
        if not keep:
            extra = iter(kws[2:])
            base = lab
            while lab in seen:
                nxt = next(extra, None)
                lab = f"{base}, {nxt}" if nxt else f"{base} ({len(seen) + 1})"
                base = lab if nxt else base
        seen.add(lab)
        out.append(lab)
    return out
