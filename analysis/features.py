"""Feature space shared by clustering and filing: TF-IDF on lemmas, character n-grams, and
sentence embeddings when they are available."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Relative weight of each block. Lemmas carry meaning; character n-grams survive misspellings,
# dialect and languages without lemma tables.
_W_WORDS = 1.0
_W_PARTS = 0.5  # compound parts are weaker evidence than whole words ("gamingrom" vs "stillerom")
PART = "+"  # marks a compound part in a term list
_W_CHARS = 0.6
# Filing from examples leans more on character n-grams than clustering does: with a handful of
# examples per theme, shared word pieces ("kafé" in "bibliotekkafé") carry much of the evidence.
_W_CHARS_FILING = 1.0
# Sentence embeddings (analysis/embeddings.py): what a note means when it shares no word.
W_EMBEDDINGS = 4.0


@dataclass
class FeatureSpace:
    """How the feature blocks of one run are laid out and weighted."""

    widths: list[int] | None = None  # columns of the word, part and character blocks

    def combine(self, blocks, embeddings=None):
        """One row-normalised sparse matrix from the blocks (embeddings: dense n x d unit rows,
        or None)."""
        import scipy.sparse as sp
        from sklearn.preprocessing import normalize

        weighted = [w * b for w, b in zip((_W_WORDS, _W_PARTS, _W_CHARS), blocks, strict=True)]
        self.widths = [b.shape[1] for b in blocks]
        if embeddings is not None:
            weighted.append(W_EMBEDDINGS * sp.csr_matrix(np.asarray(embeddings, np.float64)))
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


def _distinct_rows(terms: list[list[str]], texts: list[str]) -> tuple[list, list, np.ndarray]:
    """The distinct (terms, text) rows and, per input row, the index of its distinct row."""
    index: dict[tuple[tuple[str, ...], str], int] = {}
    inverse = np.fromiter(
        (index.setdefault((tuple(t), s), len(index)) for t, s in zip(terms, texts, strict=True)),
        dtype=np.int64, count=len(texts),
    )
    return [list(k[0]) for k in index], [k[1] for k in index], inverse


def _tfidf(counter, docs, inverse: np.ndarray, min_df: int, max_features: int | None = None):
    """TF-IDF rows for every input row, counting each distinct document once.

    The same as scikit-learn's TfidfVectorizer (sublinear tf, smoothed idf, rows l2-normalised,
    `min_df` and `max_features` over all rows), but the text is analysed once per distinct row:
    short notes repeat a lot ("gaming", "mer buss"), and analysing is most of the cost.
    """
    import scipy.sparse as sp
    from sklearn.preprocessing import normalize

    counts = counter.fit_transform(docs).tocsr()
    weight = np.bincount(inverse, minlength=counts.shape[0]).astype(np.float64)
    present = counts.copy()
    present.data[:] = 1.0
    df = np.asarray(present.T @ weight).ravel()
    keep = df >= min_df
    if not keep.any():  # nothing common enough (a tiny or very varied input): keep every term
        keep[:] = True
    if max_features is not None and keep.sum() > max_features:
        totals = np.asarray(counts.T @ weight).ravel()
        ranked = np.flatnonzero(keep)[np.argsort(-totals[keep], kind="stable")]
        keep[:] = False
        keep[ranked[:max_features]] = True
    counts = counts[:, np.flatnonzero(keep)].astype(np.float64)
    counts.data = 1.0 + np.log(counts.data)
    n = len(inverse)
    idf = np.log((1.0 + n) / (1.0 + df[keep])) + 1.0
    rows = normalize(counts @ sp.diags(idf))
    return rows[inverse]


def fit_space(terms: list[list[str]], texts: list[str], embeddings=None):
    """Fit the feature blocks on the notes of one run; returns (space, feature matrix)."""
    from sklearn.feature_extraction.text import CountVectorizer

    n = len(texts)
    min_df = 1 if n < 2000 else 2
    unique_terms, unique_texts, inverse = _distinct_rows(terms, _safe(texts))
    blocks = [
        _tfidf(CountVectorizer(analyzer=_whole_words, dtype=np.float64), unique_terms, inverse,
               min_df),
        _tfidf(CountVectorizer(analyzer=_compound_parts, dtype=np.float64), unique_terms,
               inverse, min_df),
        _tfidf(CountVectorizer(analyzer="char_wb", ngram_range=(3, 5), lowercase=True,
                               dtype=np.float64),
               unique_texts, inverse, min(2, max(1, n - 1)), max_features=200_000),
    ]
    space = FeatureSpace()
    return space, space.combine(blocks, embeddings)


def reduce(x, n_components: int, seed: int):
    """LSA: a truncated SVD of `x`, rows normalised; returns a dense float32 array."""
    from sklearn.decomposition import TruncatedSVD
    from sklearn.preprocessing import normalize

    n, m = x.shape
    k = max(1, min(n_components, n - 1, m - 1))
    if k < 2:
        return normalize(x.toarray().astype(np.float32))
    svd = TruncatedSVD(n_components=k, algorithm="randomized", n_iter=5, random_state=seed)
    # Rows that are all the same (a pool of one repeated note) have no variance to explain:
    # the explained-variance ratio divides by zero, which says nothing about the rows.
    with np.errstate(divide="ignore", invalid="ignore"):
        rows = svd.fit_transform(x)
    return normalize(rows).astype(np.float32)
