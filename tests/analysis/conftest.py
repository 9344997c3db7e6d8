"""Small hand-written notes for the analysis tests (no Flask, no network)."""

from __future__ import annotations

import pytest

from analysis import Note

# (text, question, location, target_group, language); gaming is planted in Svelvik.
_ROWS = [
    ("Gamingrom med mange PC-er", "q3", "Svelvik", "barn og unge", "nb"),
    ("e-sport turnering på biblioteket", "q3", "Svelvik", "barn og unge", "nb"),
    ("gaming kveld med venner", "q2", "Svelvik", "barn og unge", "nb"),
    ("Playstation og Xbox å låne", "q2", "Svelvik", "barn og unge", "nb"),
    ("mer gaming!!", "q3", "Svelvik", "barn og unge", "nb"),
    ("LAN-party i helgene", "q3", "Svelvik", "barn og unge", "nb"),
    ("i want a gaming room", "q3", "Svelvik", "barn og unge", "en"),
    ("Spillkveld med TV-spill", "q2", "Svelvik", "barn og unge", "nb"),
    ("Flere bussavganger om kvelden", "q3", "Mysen", "pensjonister", "nb"),
    ("Bussen går for sjelden", "q3", "Askim", "pensjonister", "nb"),
    ("Bedre bussforbindelse til byen", "q3", "Tomter", "pensjonister", "nb"),
    ("Buss til sentrum i helgene", "q3", "Svelvik", "pensjonister", "nb"),
    ("Sykkelvei og fortau langs veien", "q3", "Mysen", "lag og foreninger", "nb"),
    ("Turstiene i skogen", "q1", "Askim", "pensjonister", "nb"),
    ("Skogen og marka rett ved huset", "q1", "Tomter", "barselgruppe", "nb"),
    ("Badeplassen ved elva om sommeren", "q1", "Mysen", "barn og unge", "nb"),
    ("Eg likar turstiane langs fjorden", "q1", "Askim", "lag og foreninger", "nn"),
    ("Lysløypa om vinteren", "q1", "Svelvik", "pensjonister", "nb"),
    ("Fjorden og stranda", "q1", "Tomter", "barn og unge", "nb"),
    ("Et stillerom for lesing", "q2", "Askim", "studenter", "nb"),
    ("Lesesal med studieplasser", "q2", "Mysen", "studenter", "nb"),
    ("Rolig plass å studere til eksamen", "q2", "Tomter", "studenter", "nb"),
    ("Stille studieplass med stikkontakter", "q2", "Svelvik", "studenter", "nb"),
    ("Lydbøker og tegneserier", "q2", "Askim", "pensjonister", "nb"),
    ("Flere bøker på engelsk", "q2", "Mysen", "språkkafé", "nb"),
    ("Bokbuss og hjemlevering av bøker", "q2", "Tomter", "pensjonister", "nb"),
    ("Låne bøker og lydbøker", "q2", "Svelvik", "pensjonister", "nb"),
    ("vet ikke", "q1", "Askim", "barn og unge", "nb"),
    ("-", "q2", "Mysen", "barn og unge", "nb"),
    ("🙂", "q3", "Tomter", "barn og unge", ""),
    ("ingenting", "q1", "Svelvik", "barn og unge", "nb"),
    ("", "q2", "Askim", "pensjonister", ""),
]


def make_notes(rows=_ROWS, prefix: str = "n") -> list[Note]:
    """Notes with ids n001, n002, … from (text, question, location, group, language) rows."""
    return [
        Note(id=f"{prefix}{i + 1:03d}", text=t, question=q, location=loc, target_group=g,
             language=lang)
        for i, (t, q, loc, g, lang) in enumerate(rows)
    ]


NON_ANSWER_IDS = [f"n{i:03d}" for i in range(28, 33)]


@pytest.fixture(scope="session")
def non_answer_ids() -> list[str]:
    return NON_ANSWER_IDS


@pytest.fixture(scope="session", name="make_notes")
def make_notes_fixture():
    return make_notes


@pytest.fixture(scope="session", name="all_ids")
def all_ids_fixture():
    return all_ids


@pytest.fixture(scope="session")
def notes() -> list[Note]:
    return make_notes()


@pytest.fixture(scope="session")
def result(notes):
    """One run shared by the read-only tests (spaCy and the tables load once)."""
    from analysis import run

    return run(notes)


def all_ids(result) -> list[str]:
    """Every id the result mentions, once per mention."""
    return [i for t in result.themes for i in t.note_ids] + list(result.unassigned)
