"""The text steps: non-answers, language detection, lemmas, compounds, stop words, clouds."""

from __future__ import annotations

import pytest

from analysis import Note, wordcloud_png
from analysis.language import detect, detect_all
from analysis.lexicon import correct_spelling, split_compound
from analysis.nlp import analyse
from analysis.preprocess import is_non_answer
from analysis.wordclouds import PALETTE, slug


@pytest.mark.parametrize("text", [
    "", "   ", "-", "...", "🙂", "vet ikke", "Vet ikke!!", "ingenting", "idk", "alt er bra 👍",
    "Jeg forstår ikke spørsmålet",
])
def test_non_answers(text):
    assert is_non_answer(text)


@pytest.mark.parametrize("text", ["fotbal", "Buss", "ikke mer støy", "Ingen kafé i bygda"])
def test_short_answers_are_answers(text):
    assert not is_non_answer(text)


@pytest.mark.parametrize(("text", "lang"), [
    ("Jeg liker at det er kort vei til butikken", "nb"),
    ("Eg likar at det er kort veg til butikken", "nn"),
    ("I like the river walk, it is so peaceful", "en"),
    ("أحب أن المكتبة قريبة من بيتي", "ar"),
    ("Люди тут привітні", "uk"),
])
def test_language_detection(text, lang):
    assert detect(text, default="nb") == lang


@pytest.mark.parametrize(("text", "lang"), [
    ("گھر پر ہر دن نئی نرس آتی ہے", "ur"),
    ("ایستگاه اتوبوس از خانه‌ها خیلی دور است", "fa"),
    ("Buổi tối đường rất tối, người già sợ bị ngã.", "vi"),
    ("Waxaan rabnaa dhakhaatiir badan iyo waqti sugid oo gaaban.", "so"),
    ("Wszystko mam blisko, sklep, lekarz, biblioteka", "pl"),
])
def test_languages_told_apart_by_letters_or_words(text, lang):
    assert detect(text, default="nb") == lang


def test_the_text_decides_and_the_page_language_only_breaks_ties():
    texts = ["Gaming room for teenagers", "أحب أن المكتبة قريبة من بيتي", "gaming",
             "Biblioteket er fint", "Eg likar biblioteket", "Jeg liker biblioteket", "zzz qqq"]
    # Written on the bokmål page: English and Arabic are still English and Arabic.
    assert detect_all(texts, ["nb"] * 7) == ["en", "ar", "nb", "nb", "nn", "nb", "nb"]
    # On the nynorsk page, Norwegian without forms of either standard counts as nynorsk.
    assert detect_all(texts, ["nn"] * 7) == ["en", "ar", "nn", "nn", "nn", "nb", "nn"]
    # A word common to several languages follows the page it was written on.
    assert detect_all(["gaming"], ["en"]) == ["en"]
    # Without a page language, the batch's most common given language fills in.
    assert detect_all(["hei", "zzz qqq"], ["nn", ""]) == ["nn", "nn"]


@pytest.mark.parametrize(("word", "parts"), [
    ("turstier", ("tur", "stier")), ("leksehjelp", ("lekse", "hjelp")),
    ("bibliotekkafé", ("bibliotek", "kafé")),
])
def test_compounds_split_into_known_parts(word, parts):
    assert split_compound(word) == parts


def test_common_simple_words_are_not_split_or_corrected():
    assert split_compound("skogen") == ()
    assert correct_spelling("fotbal") == "fotball"
    assert correct_spelling("bibliotekkafé") == "bibliotekkafé"


def test_lemmas_without_stop_words_and_compound_parts():
    tokens = analyse(["Vi ønsker oss flere turstier og bøker", "Eg vil ha fleire bøker"],
                     ["nb", "nn"])
    assert "bok" in tokens[0].lemmas and "tursti" in tokens[0].lemmas
    assert {"vi", "og", "ønske", "flere"}.isdisjoint(tokens[0].lemmas)
    assert "tur" in tokens[0].parts
    assert "bok" in tokens[1].lemmas and "eg" not in tokens[1].lemmas


def test_compounds_written_apart_are_joined():
    """"lekse hjelp" is "leksehjelp" misspelled, so it meets notes that spell it right."""
    apart, joined, english, ordinary = analyse(
        ["Lekse hjelp i mate!!!", "leksehjelp etter skolen", "homework help", "god dag"],
        ["nb", "nb", "en", "nb"])
    assert "leksehjelp" in apart.lemmas and "leksehjelp" in joined.lemmas
    assert {"lekse", "hjelp"} <= set(apart.lemmas)  # the parts stay too
    assert "homeworkhelp" not in english.lemmas  # Norwegian spelling, Norwegian notes only
    assert "goddag" not in ordinary.lemmas  # filler words are not joined into a greeting


def test_wordcloud_png_and_top_words():
    notes = [Note(id=str(i), text=t, language="nb") for i, t in enumerate(
        ["Mer buss på kvelden", "Buss til byen", "Bussen er for sjelden", "Turstier i skogen"])]
    png, top = wordcloud_png(notes, seed=1)
    assert png.startswith(b"\x89PNG")
    assert top[0] == ("buss", 3)
    assert png == wordcloud_png(notes, seed=1)[0]


def test_wordcloud_takes_a_runs_lemmas_and_analyses_only_the_other_notes():
    notes = [Note(id="a", text="Mer buss i Svelvik", language="nb"),
             Note(id="b", text="Bussen er for sjelden", language="nb"),
             Note(id="c", text="vet ikke", language="nb"),
             Note(id="d", text="-", language="nb")]
    # The run left the place name out of note a's lemmas and gave the non-answer c none; the
    # notes it did not see (b, d) are analysed here, and d is left out as a non-answer.
    _png, top = wordcloud_png(notes, lemmas={"a": ["buss"], "c": []})
    assert top == [("buss", 2), ("sjelden", 1)]


def test_wordcloud_of_nothing_is_a_blank_png():
    png, top = wordcloud_png([Note(id="1", text="vet ikke")])
    assert png.startswith(b"\x89PNG") and top == []


def test_palette_contrast_on_white_meets_wcag_aa():
    def luminance(hex_colour):
        rgb = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    for colour in PALETTE:
        assert 1.05 / (luminance(colour) + 0.05) >= 4.5


def test_slug():
    assert slug("Drammen sentrum") == "drammen-sentrum"
    assert slug("Skjønhaug") == "skjonhaug"
