"""Theme analysis of short notes: `run(notes, options) -> Result`.

    from analysis import Note, Example, Options, run
    result = run([Note(id="p1", text="Mer buss på kvelden", question="q3", location="Mysen")],
                 Options(seed=0, examples=(Example("x1", "Flere bussavganger", "Buss"),),
                         pinned={"p1": "Buss"}))
    result.themes            # Theme(id, label, keywords, note_ids, quotes, source)
    result.unassigned        # ids of non-answers and notes that fit nowhere
    result.by_location       # {"Mysen": [Cell(theme, count, share, lift, p_value, distinctive)]}
    result.scores            # note id -> confidence in [0, 1]; result.languages: note id -> code
    result.to_json()         # the CLI's OUT.json, byte for byte

`Options(progress=callback)` has `callback(fraction, stage)` called as the steps start (stage
codes in `pipeline.STAGES`, fraction from 0 to 1); the result does not depend on it.

`mask_personal_data(text)` hides phone numbers and e-mail addresses; `wordcloud_png(notes)`
returns PNG bytes and the top words (for a text alternative). Themes known beforehand (an
organisation's library) go in as `Options(prior_themes=...)`; the package ships none.
Importing the package is cheap: spaCy, scikit-learn and friends load inside the steps that
need them, and stay loaded (cached) for the next run in the same process.
"""

from __future__ import annotations

from .preprocess import mask_personal_data
from .types import Cell, Example, Note, Options, PriorTheme, Result, Theme

__all__ = [
    "Cell", "Example", "Note", "Options", "PriorTheme", "Result", "Theme",
    "mask_personal_data", "run", "wordcloud_png",
]


def run(notes, options: Options | None = None) -> Result:
    """Group notes into themes and break them down by place, question and target group."""
    from .pipeline import run as _run

    return _run(notes, options)


def wordcloud_png(notes, *, seed: int = 0, width: int = 800, height: int = 450,
                  max_words: int = 80, lemmas: dict[str, list[str]] | None = None,
                  ) -> tuple[bytes, list[tuple[str, int]]]:
    """A PNG word cloud of the notes' lemmas and the top words (for a text alternative).

    `lemmas`: the lemmas of a run's result by note id, so that those notes are not analysed again.
    """
    from .wordclouds import cloud_for_notes

    return cloud_for_notes(notes, seed=seed, width=width, height=height, max_words=max_words,
                           lemmas=lemmas)
