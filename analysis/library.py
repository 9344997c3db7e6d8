"""A keyword matcher for themes known beforehand (an organisation's theme library)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .types import PriorTheme

_MIN_PREFIX = 3


@dataclass
class KeywordMatcher:
    """Counts keyword hits per theme; words shared by several themes count fractionally."""

    exact: dict[str, list[int]]
    prefixes: list[tuple[str, int]]
    phrases: list[tuple[str, int]]
    n_themes: int

    @classmethod
    def build(cls, themes: tuple[PriorTheme, ...] | list[PriorTheme]) -> KeywordMatcher:
        """Compile the keywords of `themes` (lower-case; `word*` is a prefix)."""
        exact: dict[str, list[int]] = {}
        prefixes: list[tuple[str, int]] = []
        phrases: list[tuple[str, int]] = []
        for idx, theme in enumerate(themes):
            for raw in theme.keywords:
                kw = raw.strip().lower()
                if not kw:
                    continue
                if " " in kw:
                    phrases.append((kw.rstrip("*"), idx))
                elif kw.endswith("*") and len(kw) > _MIN_PREFIX:
                    prefixes.append((kw[:-1], idx))
                else:
                    exact.setdefault(kw.rstrip("*"), []).append(idx)
        return cls(exact, sorted(set(prefixes)), sorted(set(phrases)), len(themes))

    @lru_cache(maxsize=100_000)  # noqa: B019 - the matcher lives as long as one run
    def _word_hits(self, word: str) -> tuple[int, ...]:
        hits = set(self.exact.get(word, ()))
        for prefix, idx in self.prefixes:
            if word.startswith(prefix):
                hits.add(idx)
        return tuple(sorted(hits))

    @lru_cache(maxsize=100_000)  # noqa: B019 - the matcher lives as long as one run
    def _whole_word_hits(self, word: str) -> tuple[int, ...]:
        hits = set(self.exact.get(word, ()))
        hits.update(idx for prefix, idx in self.prefixes if word == prefix)
        return tuple(sorted(hits))

    def scores(self, groups: list[tuple[str, ...]], text: str,
               whole_words_only: bool = False) -> list[float]:
        """Score every theme for one note.

        `groups` holds one tuple per word of the note (written form, lemma, compound parts), so
        a word counts once however many of its forms match; `text` is the lower-cased note for
        keywords of several words. With `whole_words_only` a word must be a keyword itself (a
        prefix keyword's stem counts, "bankid" for "bankid*"), and keywords of several words
        are not looked for: for notes in other languages, where names such as BankID and NAV
        are the same but a Norwegian prefix or phrase would match unrelated words.
        """
        out = [0.0] * self.n_themes
        hits_of = self._whole_word_hits if whole_words_only else self._word_hits
        for group in groups:
            hits = sorted({idx for form in group for idx in hits_of(form)})
            for idx in hits:
                out[idx] += 1.0 / len(hits)
        if not whole_words_only:
            for phrase, idx in self.phrases:
                if phrase in text:
                    out[idx] += 1.0
        return out

    def __hash__(self) -> int:
        return id(self)
