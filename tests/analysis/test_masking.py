"""Phone numbers and e-mail addresses never leave the pipeline."""

from __future__ import annotations

import re

import pytest

from analysis import Note, mask_personal_data, run, wordcloud_png


@pytest.mark.parametrize("text", [
    "Ring meg på 98765432",
    "Ring meg på +47 987 65 432",
    "tlf 987 65 432 etter kl 16",
    "Kontakt: 22 33 44 55",
    "0047 98765432",
    "+46 70 123 45 67",
])
def test_phone_numbers_are_masked(text):
    masked = mask_personal_data(text)
    assert "[telefon]" in masked
    assert not re.search(r"\d{3}", masked.replace("[telefon]", ""))


@pytest.mark.parametrize("text", ["skriv til ola.nordmann@example.no", "Mail: a+b@kommune.no!"])
def test_email_addresses_are_masked(text):
    masked = mask_personal_data(text)
    assert "[e-post]" in masked and "@" not in masked


@pytest.mark.parametrize("text", [
    "Åpent til kl 2200 i 2024", "Buss 100 og 150", "Bygget i 1985", "5 dager i uka",
])
def test_ordinary_numbers_are_left_alone(text):
    assert mask_personal_data(text) == text


def test_nothing_personal_reaches_labels_keywords_or_word_clouds():
    texts = [
        "Dugnad med Kari, ring 98765432 eller kari.hansen@example.no",
        "Dugnad i idrettslaget, ring +47 987 65 432",
        "Dugnad på lørdag, spør kari.hansen@example.no",
        "Dugnadsgjengen, kontakt 412 34 567",
    ]
    notes = [Note(id=f"m{i}", text=t, location="Mysen", language="nb")
             for i, t in enumerate(texts)]
    result = run(notes)
    visible = result.to_json() + repr(result.lemmas)
    png, words = wordcloud_png(notes)
    visible += " ".join(w for w, _ in words)
    for secret in ("98765432", "987", "412", "kari.hansen", "example", "hansen", "telefon",
                   "e-post"):
        assert secret not in visible
    assert png.startswith(b"\x89PNG")
