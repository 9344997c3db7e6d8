"""The contract of `analysis.run`: every note accounted for, deterministic, odd inputs handled."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from analysis import Note, Options, PriorTheme, run


def test_every_id_appears_exactly_once(notes, result, all_ids):
    ids = all_ids(result)
    assert sorted(ids) == sorted(n.id for n in notes)
    assert len(ids) == len(set(ids))
    assert result.n_notes == len(notes)


def test_non_answers_are_unassigned(result, non_answer_ids):
    assert set(non_answer_ids) <= set(result.unassigned)


def test_themes_have_labels_keywords_and_quotes_from_their_own_notes(result):
    assert len(result.themes) >= 2
    for theme in result.themes:
        assert theme.label.strip()
        assert theme.size == len(theme.note_ids) > 0
        assert 1 <= len(theme.quotes) <= 3
        assert set(theme.quotes) <= set(theme.note_ids)
    assert [t.id for t in result.themes] == [f"t{i + 1}" for i in range(len(result.themes))]


def test_notes_that_share_a_subject_end_up_together(result):
    # From the notes alone: the four that say "gaming" (one of them in English), the four about
    # buses, and the four about quiet study places each make one theme named by its words.
    for ids, word in ((("n001", "n003", "n005", "n007"), "gaming"),
                      (("n009", "n010", "n011", "n012"), "buss"),
                      (("n020", "n021", "n022", "n023"), "stille")):
        theme = result.theme_of(ids[0])
        assert theme is not None and set(ids) <= set(theme.note_ids)
        assert word in theme.label or word in theme.keywords


def test_same_seed_gives_identical_json(notes):
    first = run(notes, Options(seed=7)).to_json()
    second = run(list(notes), Options(seed=7)).to_json()
    assert first == second


def test_json_has_the_documented_shape(result):
    data = json.loads(result.to_json())
    required = {"version", "n_notes", "themes", "unassigned", "by_location", "by_question",
                "by_target_group"}
    assert required <= set(data) and set(data) - required <= {"set_aside", "guesses"}
    assert data["version"] == 1
    assert set(data["themes"][0]) == {"id", "label", "keywords", "size", "note_ids", "quotes"}
    cell = data["by_location"]["Svelvik"][0]
    assert set(cell) == {"theme", "count", "share", "lift", "p_value", "distinctive"}
    assert set(data["by_question"]) == {"q1", "q2", "q3"}


def test_empty_input_gives_an_empty_result():
    result = run([])
    data = json.loads(result.to_json())
    assert data["n_notes"] == 0 and data["themes"] == [] and data["unassigned"] == []


def test_one_note(all_ids):
    result = run([Note(id="a", text="Flere benker i parken", question="q1", location="X")])
    assert all_ids(result) == ["a"]


def test_one_non_answer_note():
    result = run([Note(id="a", text="vet ikke")])
    assert result.unassigned == ["a"] and result.themes == []


@pytest.mark.parametrize("prior", [(), (PriorTheme("Buss", keywords=("buss*",)),)])
def test_hundred_identical_notes_form_one_theme(prior):
    notes = [Note(id=f"x{i}", text="Mer buss på kvelden", location="Mysen") for i in range(100)]
    result = run(notes, Options(prior_themes=prior))
    assert len(result.themes) == 1
    assert result.themes[0].size == 100


def test_note_in_an_unknown_language_is_accounted_for(notes, all_ids):
    extra = Note(id="zz", text="Waxaan jeclahay beerta iyo dadka", question="q1",
                 location="Mysen", language="")
    result = run([*notes, extra])
    assert all_ids(result).count("zz") == 1
    assert result.languages["zz"] not in {"nb", "nn", "en"}


def test_duplicate_ids_are_reported_once(all_ids):
    notes = [Note(id="a", text="Buss til byen"), Note(id="a", text="Buss til byen igjen")]
    assert all_ids(run(notes)) == ["a"]


def test_importing_analysis_is_cheap():
    code = ("import sys, analysis; heavy = {'spacy', 'sklearn', 'scipy', 'wordcloud', "
            "'simplemma', 'wordfreq'} & set(sys.modules); print(sorted(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"


def test_without_prior_themes_every_theme_comes_from_the_notes(notes, all_ids):
    result = run(notes)
    assert all(t.source == "discovered" for t in result.themes)
    assert sorted(all_ids(result)) == sorted(n.id for n in notes)


def test_prior_themes_do_not_force_labels_on_unrelated_notes(make_notes):
    rows = [(f"Setja upp fleiri ruslatunnur vidh gotuna {i}", "q1", "R", "", "is")
            for i in range(6)] + [
        (f"Laga gangstettina og malbikidh i hverfinu {i}", "q1", "R", "", "is")
        for i in range(6)]
    prior = (PriorTheme("Buss", keywords=("buss*", "rute*")),
             PriorTheme("Natur", keywords=("skog*", "tursti*", "park*")))
    result = run(make_notes(rows), Options(prior_themes=prior))
    # A campaign written in Icelandic gets its themes from its notes, none from the library.
    assert result.themes and all(t.source == "discovered" for t in result.themes)
    assert not result.set_aside


def test_many_notes_from_few_templates_stay_consistent(make_notes, all_ids):
    rows = []
    for i in range(60):
        rows.append((f"Flere bussavganger til sentrum nr {i}", "q3", "Mysen", "", "nb"))
        rows.append((f"Gamingrom med konsoller nr {i}", "q3", "Svelvik", "", "nb"))
    result = run(make_notes(rows))
    assert sorted(all_ids(result)) == sorted(n.id for n in make_notes(rows))
    sizes = sorted(t.size for t in result.themes)
    assert sizes[-1] >= 55 and sizes[-2] >= 55


FOREIGN = [
    ("f1", "أحب أن المكتبة قريبة من بيتي"), ("f2", "الحديقة قرب بيتي جميلة جداً"),
    ("f3", "Люди тут привітні"), ("f4", "Курси норвезької для дорослих увечері"),
    ("f5", "Dadka halkan ku nool waa dad wanaagsan"),
    ("f6", "Waxaan rabnaa dhakhaatiir badan iyo waqti sugid oo gaaban"),
]


def test_notes_in_languages_it_cannot_read_never_make_a_mixed_theme():
    norwegian = [Note(id=f"b{i}", text=t, question="q3", location="Askim") for i, t in enumerate(
        ["Bussen går for sjelden", "Flere bussavganger om kvelden", "Bussen til byen er full",
         "Buss i helgene også", "Bedre busstilbud til sentrum", "Bussen kommer aldri i tide"])]
    norwegian += [Note(id=f"s{i}", text=t, question="q1", location="Mysen") for i, t in enumerate(
        ["Turstiene i skogen", "Skogen rett ved huset", "Fine turstier langs elva",
         "Lysløypa i skogen", "Natur og turstier i nærheten", "Gå tur i skogen"])]
    foreign = [Note(id=i, text=t, question="q1", location="Mysen", language="nb")
               for i, t in FOREIGN]
    result = run(norwegian + foreign)
    for theme in result.themes:
        other = [i for i in theme.note_ids if result.languages[i] not in {"nb", "nn", "en"}]
        assert len(other) * 2 < len(theme.note_ids), (theme.label, theme.note_ids)
    assert set(result.set_aside) <= {"ar", "uk", "so"}
    aside = [i for ids in result.set_aside.values() for i in ids]
    assert set(aside) <= set(result.unassigned)
    assert result.to_dict()["set_aside"] == result.set_aside
    placed = [i for t in result.themes for i in t.note_ids] + result.unassigned
    assert sorted(placed) == sorted(n.id for n in norwegian + foreign)


def test_set_aside_is_left_out_of_the_json_when_empty():
    result = run([Note(id="a", text="Bussen går for sjelden"),
                  Note(id="b", text="Flere busser om kvelden")])
    assert "set_aside" not in result.to_dict()


def test_a_rendering_is_read_in_place_of_a_note_the_pipeline_cannot_read():
    buses = [Note(id=f"b{i}", text=t, question="q3", location="Askim") for i, t in enumerate(
        ["Bussen går for sjelden", "Flere bussavganger om kvelden", "Bussen til byen er full",
         "Buss i helgene også", "Bedre busstilbud til sentrum", "Bussen kommer aldri i tide"])]
    woods = [Note(id=f"s{i}", text=t, question="q1", location="Mysen") for i, t in enumerate(
        ["Turstiene i skogen", "Skogen rett ved huset", "Fine turstier langs elva",
         "Lysløypa i skogen", "Natur og turstier i nærheten", "Gå tur i skogen"])]
    arabic = "نريد حافلات أكثر في المساء"
    # Word by word only (the sentence embeddings would often place it by its meaning).
    words_only = Options(use_embeddings=False)
    plain = run([*buses, *woods, Note(id="ar", text=arabic, language="nb")], words_only)
    assert plain.theme_of("ar") is None and plain.set_aside == {"ar": ["ar"]}
    rendered = run([*buses, *woods, Note(id="ar", text=arabic, language="nb",
                                         rendering="Vi vil ha flere busser om kvelden")],
                   words_only)
    theme = rendered.theme_of("ar")
    assert theme is not None and all(i == "ar" or i.startswith("b") for i in theme.note_ids)
    assert rendered.languages["ar"] == "ar" and not rendered.set_aside


def test_notes_left_unassigned_get_the_theme_they_resemble_most_as_a_guess(result, notes,
                                                                           non_answer_ids):
    # "Spillkveld med TV-spill" shares no word with the gaming notes, but their theme is
    # the likeliest one; non-answers get no guess.
    data = json.loads(result.to_json())
    assert set(result.guesses) == set(result.unassigned) - set(non_answer_ids)
    assert data["guesses"] == result.guesses
    assert set(result.guesses.values()) <= {t.id for t in result.themes}
    text = {n.id: n.text for n in notes}
    gaming = result.theme_of("n001").id
    for note_id in {"n002", "n008"} & set(result.unassigned):
        assert result.guesses[note_id] == gaming, text[note_id]
