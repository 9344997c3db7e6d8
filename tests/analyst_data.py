"""A small campaign with notes for the analyst tests: Svelvik's youth talk a lot about gaming."""

from __future__ import annotations

from gjestebud.extensions import db
from gjestebud.services.notes import add_note
from tests.conftest import make_meal

# (place, group, question position, text)
NOTES = [
    *[("Svelvik", "barn og unge", 3, t) for t in (
        "Gamingrom med mange PC-er", "E-sport turnering på biblioteket", "Gaming kveld med venner",
        "Mer gaming for ungdom", "LAN-party med gaming i helgene", "Et eget rom for gaming",
        "Gaming og e-sport for oss unge", "Spillkveld med gaming og TV-spill",
        "E-sport lag for ungdom", "Gaming på fredager", "Konsoller og gaming å låne",
        "Gaming-klubb på ungdomshuset",
    )],
    *[("Svelvik", "barn og unge", 1, t) for t in (
        "Stranda og fjorden om sommeren", "Badeplassen ved fjorden",
    )],
    *[("Askim", "pensjonister", 1, t) for t in (
        "Turstiene i skogen", "Skogen og marka rett ved huset", "Fine turstier langs elva",
        "Lysløypa i skogen om vinteren", "Natur og turstier i nærheten", "Gå tur i skogen",
    )],
    *[("Askim", "pensjonister", 3, t) for t in (
        "Flere bussavganger om kvelden", "Bussen går for sjelden", "Bedre buss til sentrum",
        "Buss i helgene", "Ring meg på 912 34 567 om bussen", "Flere busser til Mysen",
    )],
    *[("Mysen", "språkkafé", 2, t) for t in (
        "Flere bøker på engelsk", "Låne bøker og lydbøker", "Bøker på arabisk og somali",
        "Lydbøker og tegneserier", "Bøker for å lære norsk", "Flere bøker på ukrainsk",
    )],
    *[("Mysen", "språkkafé", 2, t) for t in (
        "Et stille rom for lesing", "Lesesal med studieplasser", "Rolig plass å studere",
        "Stille studieplass med stikkontakter", "Skriv til meg: ola@example.no om leserom",
    )],
    *[("Mysen", "språkkafé", 3, t) for t in (
        "Bussen til Askim går sjelden", "Gaming for voksne også",
    )],
    ("Askim", "pensjonister", 1, "vet ikke"),
    ("Mysen", "språkkafé", 1, "ingenting"),
]


def seed_notes(campaign, rows=NOTES) -> dict[str, int]:
    """One meal per (place, group) and the notes; return {text: note id}."""
    meals = {}
    ids = {}
    questions = {q.position: q for q in campaign.questions}
    for n, (place, group, position, text) in enumerate(rows):
        if (place, group) not in meals:
            meals[(place, group)] = make_meal(campaign, place, group)[0]
        note, _created = add_note(meals[(place, group)], questions[position], text, f"k{n}",
                                  max_length=280, language="nb")
        ids[text] = note.id
    db.session.commit()
    return ids
