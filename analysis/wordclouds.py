"""Word clouds (PNG) from lemmas in the product's colours, and the top words behind them."""

from __future__ import annotations

import io
import re
import unicodedata
import zlib
from collections import Counter
from pathlib import Path

# Dark colours with at least 7:1 contrast on white (WCAG AAA for text).
PALETTE = ("#1d4e89", "#7a1f5c", "#1b5e20", "#8a4b00", "#4a2c82")
_FOLD = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "ae", "Ø": "o", "Å": "a", "ß": "ss"})


def slug(value: str) -> str:
    """File-name-safe ASCII form of a place or question ("Drammen sentrum" -> "drammen-sentrum")."""
    text = unicodedata.normalize("NFKD", (value or "").translate(_FOLD))
    text = text.encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "x"


def frequencies(lemma_lists: list[list[str]]) -> Counter[str]:
    """How many notes use each lemma (a word counts once per note)."""
    return Counter(w for lemmas in lemma_lists for w in set(lemmas))


def _colour(word: str, **_kwargs) -> str:
    return PALETTE[zlib.crc32(word.encode("utf-8")) % len(PALETTE)]


def render_png(freqs: Counter[str] | dict[str, int], *, seed: int = 0, width: int = 800,
               height: int = 450, max_words: int = 80) -> bytes:
    """Draw a word cloud of `freqs` on white; an empty cloud is a plain white image."""
    from PIL import Image

    freqs = {w: c for w, c in freqs.items() if c > 0}
    if freqs:
        from wordcloud import WordCloud

        cloud = WordCloud(
            width=width, height=height, background_color="white", max_words=max_words,
            color_func=_colour, random_state=seed, collocations=False, prefer_horizontal=0.9,
            min_font_size=10,
        ).generate_from_frequencies(freqs)
        image = cloud.to_image()
    else:
        image = Image.new("RGB", (width, height), "white")
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def top_words(freqs: Counter[str], n: int = 20) -> list[tuple[str, int]]:
    """The `n` most used words, most used first, ties alphabetical."""
    return sorted(freqs.items(), key=lambda kv: (-kv[1], kv[0]))[:n]


def cloud_for_notes(notes, *, seed: int = 0, width: int = 800, height: int = 450,
                    max_words: int = 80, lemmas: dict[str, list[str]] | None = None,
                    ) -> tuple[bytes, list[tuple[str, int]]]:
    """PNG bytes and top words for notes (personal data masked, stop words removed).

    `lemmas` holds the lemmas an analysis run already found, by note id: those notes are not
    cleaned or analysed again (a run's lemmas also leave out place names, as the run's own
    clouds do, and are empty for non-answers).
    """
    from .language import detect_all
    from .nlp import analyse
    from .preprocess import is_non_answer, mask_personal_data, normalise

    known = lemmas or {}
    # A run's lemmas are already masked, and empty for non-answers: only the others need work.
    lemma_lists = [list(known[n.id]) for n in notes if n.id in known]
    others = [n for n in notes if n.id not in known]
    texts = [normalise(mask_personal_data(n.text or "")) for n in others]
    todo = [(t, n) for t, n in zip(texts, others, strict=True) if not is_non_answer(t)]
    langs = detect_all([t for t, _ in todo], [n.language for _, n in todo])
    lemma_lists += [list(t.lemmas) for t in analyse([t for t, _ in todo], langs)]
    freqs = frequencies(lemma_lists)
    png = render_png(freqs, seed=seed, width=width, height=height, max_words=max_words)
    return png, top_words(freqs)


def write_all(result, notes, directory: str | Path, *, seed: int = 0) -> list[Path]:
    """Write all.png, question-<q>.png, location-<slug>.png and theme-<id>.png; return paths."""
    out_dir = Path(directory)
    out_dir.mkdir(parents=True, exist_ok=True)
    lemmas = result.lemmas
    groups: dict[str, list[str]] = {"all": [n.id for n in notes]}
    for attr, prefix in (("question", "question"), ("location", "location")):
        for note in notes:
            value = getattr(note, attr)
            if value:
                groups.setdefault(f"{prefix}-{slug(value)}", []).append(note.id)
    for theme in result.themes:
        groups[f"theme-{theme.id}"] = list(theme.note_ids)
    written = []
    for name in sorted(groups):
        freqs = frequencies([lemmas.get(i, []) for i in groups[name]])
        path = out_dir / f"{name}.png"
        path.write_bytes(render_png(freqs, seed=seed))
        written.append(path)
    return written
