"""Filing notes into known themes and discovering new ones; the number of themes is chosen here."""

from __future__ import annotations

import math
import warnings
from contextlib import contextmanager

import numpy as np

from .features import reduce

UNASSIGNED = -1
_MAX_TRAIN = 12_000  # a classifier sees at most this many rows; more adds time, not accuracy
_SAMPLE = 2_000  # rows used to choose the number of themes
_LSA_DIMS = 100
_OVER_CHANCE = 1.6  # a filed note's probability must be this many times 1 / number of themes
_LR_C = 8.0
_MIN_SILHOUETTE = 0.02  # below this, clusters are no better than noise
_LR_CLASS_WEIGHT = "balanced"
_NB_ALPHA = 0.3
_FLOOR_FROM = 30  # notes in a pool before the √n floor on the number of themes applies
# A silhouette this high is clear structure, not the flat curve of real short notes (0.03-0.08
# on campaigns of 300 notes): then the √n floor does not apply.
_CLEAR_STRUCTURE = 0.25


@contextmanager
def _quiet():
    """Silence sklearn's convergence notices only; every other warning still surfaces."""
    from sklearn.exceptions import ConvergenceWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        yield


def _subsample(y: np.ndarray, limit: int, seed: int) -> np.ndarray:
    """Indices of at most `limit` rows, stratified by label, in ascending order."""
    if len(y) <= limit:
        return np.arange(len(y))
    rng = np.random.default_rng(seed)
    keep: list[np.ndarray] = []
    for label in np.unique(y):
        idx = np.flatnonzero(y == label)
        take = max(1, round(limit * len(idx) / len(y)))
        keep.append(np.sort(rng.choice(idx, size=min(take, len(idx)), replace=False)))
    return np.sort(np.concatenate(keep))


def _centroids(x_train, y_train: np.ndarray, classes: np.ndarray) -> np.ndarray:
    """Each label's unit-length mean row."""
    from sklearn.preprocessing import normalize

    return normalize(np.vstack([
        np.asarray(x_train[y_train == c].mean(axis=0)).ravel() for c in classes
    ]))


def _regression(x_train, y_train: np.ndarray, seed: int):
    """A logistic regression fitted on (a stratified sample of) the training rows, and the rows."""
    from sklearn.linear_model import LogisticRegression

    rows = _subsample(y_train, _MAX_TRAIN, seed)
    model = LogisticRegression(C=_LR_C, max_iter=100, tol=1e-3, class_weight=_LR_CLASS_WEIGHT)
    with _quiet():
        model.fit(x_train[rows], y_train[rows])
    return model, rows


def file_notes(x_train, y_train: np.ndarray, x_pool, *, seed: int, min_prob: float,
               min_similarity: float):
    """Put each pool row into one of the training labels, or UNASSIGNED when none fits.

    A logistic regression decides between labels; a note must also resemble its label's
    centroid, so that notes about something new are left for discovery instead of being forced.
    Returns (labels, confidence, classes, probabilities of every class per pool row).
    """
    n_pool = x_pool.shape[0]
    labels = np.full(n_pool, UNASSIGNED, dtype=np.int64)
    conf = np.zeros(n_pool)
    classes = np.unique(y_train)
    if n_pool == 0 or len(classes) == 0:
        return labels, conf, classes, np.zeros((n_pool, len(classes)))
    sims = np.asarray(x_pool @ _centroids(x_train, y_train, classes).T)
    if len(classes) == 1:
        prob = np.ones((n_pool, 1))
    else:
        prob = _regression(x_train, y_train, seed)[0].predict_proba(x_pool)
    best = prob.argmax(axis=1)
    best_prob = prob[np.arange(n_pool), best]
    best_sim = sims[np.arange(n_pool), best]
    # The bar is relative to chance: with four themes 0.3 is barely better than guessing.
    bar = max(min_prob, min(0.5, _OVER_CHANCE / len(classes)))
    ok = (best_prob >= bar) & (best_sim >= min_similarity)
    labels[ok] = classes[best[ok]]
    conf[ok] = best_prob[ok]
    return labels, conf, classes, prob


def classify(x_train, y_train: np.ndarray, x_pool, *, seed: int):
    """Probabilities of each training label for the pool rows, each row's cosine to the labels'
    centroids, and per label the median cosine of its own training rows to its centroid:
    (classes, probabilities, similarities, typical similarities).

    Two views of the same features, averaged: a logistic regression, which weighs words against
    each other, and a complement naive Bayes, which with a handful of examples per label
    generalises from single shared words better than the regression does.
    """
    from sklearn.naive_bayes import ComplementNB

    classes = np.unique(y_train)
    n_pool = x_pool.shape[0]
    if n_pool == 0 or len(classes) == 0:
        empty = np.zeros((n_pool, len(classes)))
        return classes, empty, empty, np.zeros(len(classes))
    centroids = _centroids(x_train, y_train, classes)
    sims = np.asarray(x_pool @ centroids.T)
    own = np.asarray((x_train @ centroids.T)[np.arange(len(y_train)),
                                             np.searchsorted(classes, y_train)]).ravel()
    typical = np.array([np.median(own[y_train == c]) for c in classes])
    if len(classes) == 1:
        return classes, np.ones((n_pool, 1)), sims, typical
    model, rows = _regression(x_train, y_train, seed)
    # Naive Bayes counts evidence, so it sees the features that are counts: the sentence
    # embeddings (which have negative parts) only where they are positive.
    bayes = ComplementNB(alpha=_NB_ALPHA).fit(_non_negative(x_train[rows]), y_train[rows])
    prob = (model.predict_proba(x_pool) + bayes.predict_proba(_non_negative(x_pool))) / 2
    return classes, prob, sims, typical


def _non_negative(x):
    """`x` with negative entries set to zero (sparse or dense)."""
    import scipy.sparse as sp

    return x.maximum(0) if sp.issparse(x) else np.maximum(x, 0)


def _k_grid(k_max: int) -> list[int]:
    """Candidate numbers of themes: every k up to 8, then steps of about 20 %."""
    out, k = [], 2
    while k <= k_max:
        out.append(k)
        k = k + 1 if k < 8 else max(k + 1, round(k * 1.2))
    return out


def _choose_k(emb: np.ndarray, k_max: int, seed: int) -> int:
    """The number of themes, from silhouettes of k-means runs on a sample.

    The k with the best silhouette wins. Silhouette curves of short texts are flat, and with
    sentence embeddings they often favour two or three broad groups, so a pool of 30 notes or
    more gets at least about √n themes (17 for 300 notes): a few catch-all themes would hide
    what stands out, while picking the largest k of a flat curve gave twice as many themes as
    an analyst makes. Clearly separate groups keep their number; a pool under 30 notes gets 1
    when nothing beats noise.
    """
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    rng = np.random.default_rng(seed)
    n = emb.shape[0]
    sample = np.sort(rng.choice(n, size=min(n, _SAMPLE), replace=False))
    data = emb[sample]
    scores: dict[int, float] = {}
    with _quiet():
        for k in _k_grid(k_max):
            if k >= len(data):  # a silhouette needs fewer groups than rows
                break
            km = KMeans(n_clusters=k, n_init=1, random_state=seed).fit(data)
            if not 2 <= len(np.unique(km.labels_)) < len(data):
                continue
            scores[k] = float(silhouette_score(data, km.labels_))
    floor = min(k_max, round(math.sqrt(n))) if n >= _FLOOR_FROM else 1
    if not scores or max(scores.values()) < _MIN_SILHOUETTE:
        return max(1, floor)
    best = max(scores.values())
    chosen = max(scores, key=lambda k: (scores[k], -k))
    # Notes that fall into a few clearly separate groups (many notes written from a few
    # templates, or a campaign with a few sharp subjects) keep the number the data asks for.
    return chosen if best >= _CLEAR_STRUCTURE else max(floor, chosen)


def discover(x, *, seed: int, min_size: int, max_k: int) -> np.ndarray:
    """Cluster rows of `x` into a number of groups chosen from the data; tiny groups -> -1."""
    from sklearn.cluster import KMeans, MiniBatchKMeans

    n = x.shape[0]
    if n < min_size:
        return np.full(n, UNASSIGNED, dtype=np.int64)
    emb = reduce(x, _LSA_DIMS, seed)
    distinct = len(np.unique(np.round(emb, 4), axis=0))
    k_max = min(max_k, n // max(1, min_size), distinct, int(2 * math.sqrt(n)) + 2)
    k = _choose_k(emb, k_max, seed) if k_max >= 2 else 1
    if k == 1:
        return np.zeros(n, dtype=np.int64)
    if n > 20_000:
        model = MiniBatchKMeans(n_clusters=k, n_init=3, random_state=seed, batch_size=4096)
    else:
        model = KMeans(n_clusters=k, n_init=3, random_state=seed)
    with _quiet():
        labels = model.fit_predict(emb).astype(np.int64)
    sizes = np.bincount(labels, minlength=k)
    labels[sizes[labels] < min_size] = UNASSIGNED
    return labels


def representatives(x, members: np.ndarray, lengths: np.ndarray, n: int = 3) -> list[int]:
    """Indices of the `n` members closest to their centroid, preferring notes of a few words."""
    from sklearn.preprocessing import normalize

    if len(members) == 0:
        return []
    sub = x[members]
    centroid = normalize(np.asarray(sub.mean(axis=0)).reshape(1, -1))
    sims = np.asarray(sub @ centroid.T).ravel()
    # One-word notes rarely make good quotes; very long ones are hard to read on a slide.
    bonus = np.where((lengths[members] >= 3) & (lengths[members] <= 20), 0.1, 0.0)
    order = sorted(range(len(members)), key=lambda i: (-(sims[i] + bonus[i]), members[i]))
    return [int(members[i]) for i in order[:n]]
