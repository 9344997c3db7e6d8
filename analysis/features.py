"""Feature space shared by clustering and filing: TF-IDF on lemmas, character n-grams, keywords."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Relative weight of each block. Lemmas carry meaning; character n-grams survive misspellings,
# dialect and languages without lemma tables; library keywords bridge synonyms.
_W_WORDS = 1.0
_W_PARTS = 0.5  # compound parts are weaker evidence than whole words ("gamingrom" vs "stillerom")
PART = "+"  # marks a compound part in a term list
_W_CHARS = 0.6
# Filing from examples leans more on character n-grams than clustering does: with a handful of
# examples per theme, shared word pieces ("kafé" in "bibliotekkafé") carry much of the evidence.
_W_CHARS_FILING = 1.0
_W_CONCEPTS = 1.5


@dataclass
class FeatureSpace:
    """Fitted vectorizers; `transform` maps term lists and texts into one sparse matrix."""

    words: object
    parts: object
    chars: object
    n_concepts: int
    widths: list[int] | None = None  # columns of the word, part and character blocks

    def transform(self, terms: list[list[str]], texts: list[str], concepts=None):
        """Row-normalised sparse features for notes (concepts: dense n x k keyword scores)."""
        blocks = [
            self.words.transform(terms),
            self.parts.transform(terms),
            self.chars.transform(_safe(texts)),
        ]
        return self._combine(blocks, concepts, len(texts))

    def _combine(self, blocks, concepts, n: int):
        import scipy.sparse as sp
        from sklearn.preprocessing import normalize

        weighted = [w * b for w, b in zip((_W_WORDS, _W_PARTS, _W_CHARS), blocks, strict=True)]
        self.widths = [b.shape[1] for b in blocks]
        if self.n_concepts:
            c = np.asarray(concepts, dtype=np.float64).reshape(n, self.n_concepts)
            weighted.append(_W_CONCEPTS * sp.csr_matrix(normalize(c)))
        return normalize(sp.hstack(weighted, format="csr"))

    def for_filing(self, x):
        """`x` (rows of this space) with the block weights used for filing from examples."""
        import scipy.sparse as sp
        from sklearn.preprocessing import normalize

        words, parts, chars = self.widths
        scale = np.ones(x.shape[1])
        scale[words + parts: words + parts + chars] = _W_CHARS_FILING / _W_CHARS
        return normalize(sp.csr_matrix(x) @ sp.diags(scale))


def _whole_words(doc):
    return [t for t in doc if not t.startswith(PART)] or ["\x00"]


def _compound_parts(doc):
    return [t for t in doc if t.startswith(PART)] or ["\x00"]


def _safe(texts: list[str]) -> list[str]:
    return [t if t.strip() else "\x00" for t in texts]


def fit_space(terms: list[list[str]], texts: list[str], n_concepts: int, concepts=None):
    """Fit the vectorizers on the notes of one run; returns (space, feature matrix)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    n = len(texts)
    min_df = 1 if n < 2000 else 2
    words = TfidfVectorizer(
        analyzer=_whole_words, sublinear_tf=True, min_df=min_df, dtype=np.float64
    )
    parts = TfidfVectorizer(
        analyzer=_compound_parts, sublinear_tf=True, min_df=min_df, dtype=np.float64
    )
    chars = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=min(2, max(1, n - 1)),
        max_features=200_000, lowercase=True, dtype=np.float64,
    )
    safe_texts = _safe(texts)
    blocks = [words.fit_transform(terms), parts.fit_transform(terms)]
    try:
        blocks.append(chars.fit_transform(safe_texts))
    except ValueError:  # every text too short for the n-gram range: keep every n-gram
        chars.set_params(min_df=1)
        blocks.append(chars.fit_transform(safe_texts))
    space = FeatureSpace(words, parts, chars, n_concepts)
    return space, space._combine(blocks, concepts, len(texts))


def reduce(x, n_components: int, seed: int):
    """LSA: a truncated SVD of `x`, rows normalised; returns a dense float32 array."""
    from sklearn.decomposition import TruncatedSVD
    from sklearn.preprocessing import normalize

    n, m = x.shape
    k = max(1, min(n_components, n - 1, m - 1))
    if k < 2:
        return normalize(x.toarray().astype(np.float32))
    svd = TruncatedSVD(n_components=k, algorithm="randomized", n_iter=5, random_state=seed)
    return normalize(svd.fit_transform(x)).astype(np.float32)
