"""English words get Norwegian translations from FreeDict's dictionary (dictd format)."""

from __future__ import annotations

import gzip
import os

import pytest

from analysis import dictionary

_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def _code(number: int) -> str:
    out = ""
    while True:
        out = _B64[number % 64] + out
        number //= 64
        if not number:
            return out


def _dictd(entries: list[tuple[str, str]]) -> tuple[str, bytes]:
    """A dictd index and data for (headword, entry text) pairs, as dictfmt writes them."""
    data, index = b"", ["00databaseshort\tA\tB"]
    for word, text in entries:
        raw = text.encode("utf-8")
        index.append(f"{word}\t{_code(len(data))}\t{_code(len(raw))}")
        data += raw
    return "\n".join(index) + "\n", data


ENTRIES = [
    ("walk", "walk //wɔːk// <v>\n1. slippe løs\nto avoid a court case\n2. gå, spasere\n"
             "to move on the feet\n"),
    ("walk", "walk //wɔːk// <n>\ntur 2.\na trip made by walking\n 3.\na path\n"),
    ("room", "room //ɹuːm// <n>\n1. rom, værelse\ndivision in a building\n2. rom, plass\nspace\n"),
    ("bus stop", "bus stop <n>\nbussholdeplass\na stop for buses\n"),
]


def test_single_word_translations_nouns_first():
    table = dictionary.parse(*_dictd(ENTRIES))
    assert table["walk"] == ("tur", "gå", "spasere")  # the noun first; "slippe løs" is two words
    assert table["room"] == ("rom", "værelse", "plass")
    assert "bus stop" not in table and "00databaseshort" not in table


def test_without_the_dictionary_english_notes_get_no_translations(tmp_path, monkeypatch):
    monkeypatch.setenv("GJESTEBUD_DICT_DIR", str(tmp_path))
    dictionary.translations.cache_clear()
    try:
        assert not dictionary.available() and dictionary.norwegian("forest") == ()
        index, data = _dictd(ENTRIES)
        (tmp_path / "freedict-eng-nor.index").write_text(index, encoding="utf-8")
        (tmp_path / "freedict-eng-nor.dict.dz").write_bytes(gzip.compress(data))
        dictionary.translations.cache_clear()
        assert dictionary.norwegian("room") == ("rom", "værelse", "plass")
    finally:
        dictionary.translations.cache_clear()


@pytest.fixture
def installed():
    if not dictionary.available():
        if os.environ.get("CI"):
            pytest.fail("CI installs dict-freedict-eng-nor")
        pytest.skip("dict-freedict-eng-nor is not installed")


def test_an_english_note_shares_words_with_norwegian_notes(installed):
    from analysis.nlp import analyse

    english, norwegian = analyse(["the forest close to my house", "skogen rett ved huset"],
                                 ["en", "nb"])
    assert {"skog", "hus"} <= set(english.translations) & set(norwegian.lemmas)
    assert "skog" not in english.lemmas  # the note's own words stay its own
