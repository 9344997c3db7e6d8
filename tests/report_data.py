"""A small analysed campaign for the report tests, with figures that can be counted by hand.

12 visible notes at three meals (one hidden note), filed into three themes by an analysis run
whose result is written here instead of computed, so every count in the report is known:

    theme      q1  q2  q3   Svelvik  Askim  Mysen   total
    gaming      -   -   4      4       -      -       4
    nature      3   -   -      -       3      -       3
    books       -   3   -      -       -      3       3
    no theme    1   -   1      -       1      1       2
"""

from __future__ import annotations

from gjestebud.extensions import db
from gjestebud.models import AnalysisRun, Note, Theme
from gjestebud.services import analysis_runs, meals
from gjestebud.services.notes import add_note
from tests.conftest import make_meal

PHONE_NOTE = "Turstien i skogen, ring meg på 912 34 567"
HIDDEN_NOTE = "Gaming er dumt og du er dum"

# (place, group, question position, text, theme key or None, lemmas)
NOTES = [
    ("Svelvik", "barn og unge", 3, "Gamingrom med PC-er", "gaming", ["gaming", "rom"]),
    ("Svelvik", "barn og unge", 3, "E-sport på biblioteket", "gaming", ["e-sport", "bibliotek"]),
    ("Svelvik", "barn og unge", 3, "Gaming kveld med venner", "gaming", ["gaming", "venn"]),
    ("Svelvik", "barn og unge", 3, "Mer gaming for ungdom", "gaming", ["gaming", "ungdom"]),
    ("Svelvik", "barn og unge", 3, HIDDEN_NOTE, "gaming", ["gaming"]),
    ("Askim", "pensjonister", 1, PHONE_NOTE, "nature", ["tursti", "skog"]),
    ("Askim", "pensjonister", 1, "Skogen rett ved huset", "nature", ["skog", "hus"]),
    ("Askim", "pensjonister", 1, "Fine turstier langs elva", "nature", ["tursti", "elv"]),
    ("Askim", "pensjonister", 3, "vet ikke", None, []),
    ("Mysen", "språkkafé", 2, "Flere bøker på engelsk", "books", ["bok", "engelsk"]),
    ("Mysen", "språkkafé", 2, "Lydbøker og tegneserier", "books", ["lydbok", "tegneserie"]),
    ("Mysen", "språkkafé", 2, "Bøker for å lære norsk", "books", ["bok", "norsk"]),
    ("Mysen", "språkkafé", 1, "ingenting", None, []),
]

LABELS = {"gaming": "gaming og e-sport", "nature": "natur og turstier", "books": "bøker"}


def _cell(theme: str, count: int, lift: float, distinctive: bool) -> dict:
    return {"theme": theme, "count": count, "share": 0.5, "lift": lift, "p_value": 0.001,
            "distinctive": distinctive}


BREAKDOWN = {
    "by_location": {
        "Svelvik": [_cell("gaming", 4, 3.0, True)],
        "Askim": [_cell("nature", 3, 2.75, True)],
        "Mysen": [_cell("books", 3, 2.5, False)],
    },
    "by_question": {"q3": [_cell("gaming", 4, 2.2, True)]},
    "by_target_group": {
        "barn og unge": [_cell("gaming", 4, 3.0, True)],
        "pensjonister": [_cell("nature", 3, 2.75, True)],
        # Too few notes to be shown publicly, distinctive or not.
        "språkkafé": [_cell("books", 2, 4.0, True)],
    },
}


def seed_report_campaign(campaign, *, hold: bool = True) -> dict[str, int]:
    """The notes above, the hidden one hidden, and a finished analysis; return {text: id}."""
    questions = {q.position: q for q in campaign.questions}
    by_meal, ids = {}, {}
    for n, (place, group, position, text, _theme, _lemmas) in enumerate(NOTES):
        if (place, group) not in by_meal:
            by_meal[(place, group)] = make_meal(campaign, place, group)[0]
        note, _ = add_note(by_meal[(place, group)], questions[position], text, f"r{n}",
                           max_length=280, language="nb")
        ids[text] = note.id
    if hold:
        for meal in by_meal.values():
            meals.close_meal(meal, 8, None)
    db.session.get(Note, ids[HIDDEN_NOTE]).hidden = True
    db.session.flush()
    run = AnalysisRun(campaign_id=campaign.id)
    db.session.add(run)
    db.session.flush()
    analysis_runs.apply_result(run, result_data(ids))
    db.session.commit()
    return ids


def result_data(ids: dict[str, int]) -> dict:
    """The pipeline's output for the visible notes, as analysis_tasks.result_data gives it."""
    key = analysis_runs.note_key
    visible = [row for row in NOTES if row[3] != HIDDEN_NOTE]
    themes = []
    for theme_key, label in LABELS.items():
        members = [key(ids[row[3]]) for row in visible if row[4] == theme_key]
        themes.append({"id": theme_key, "label": label, "keywords": [label.split()[0]],
                       "size": len(members), "note_ids": members, "quotes": members[:2],
                       "source": "discovered"})
    return {
        "version": 1, "n_notes": len(visible), "themes": themes,
        "unassigned": [key(ids[row[3]]) for row in visible if row[4] is None],
        **BREAKDOWN,
        "scores": {}, "languages": {key(ids[row[3]]): "nb" for row in visible},
        "lemmas": {key(ids[row[3]]): row[5] for row in visible},
    }


def theme_id(label_key: str) -> int:
    return db.session.query(Theme.id).filter(Theme.label == LABELS[label_key]).scalar()
