"""Filing by examples, pinned notes and prior themes."""

from __future__ import annotations

from analysis import Example, Note, Options, PriorTheme, run


def _examples():
    return (
        Example("e1", "Flere bussavganger", "Kollektivtilbud"),
        Example("e2", "Bussen må gå oftere på kvelden", "Kollektivtilbud"),
        Example("e3", "Tog til Oslo hver halvtime", "Kollektivtilbud"),
        Example("e4", "Gamingrom med PC-er", "Spill for ungdom"),
        Example("e5", "e-sport og konsoller", "Spill for ungdom"),
        Example("e6", "Turstier i skogen", "Friluft"),
        Example("e7", "Badeplass ved fjorden", "Friluft"),
        Example("e8", "Ingen tema her", "Tomt tema"),
    )


def test_example_themes_keep_their_exact_names_and_take_the_notes(notes, all_ids):
    result = run(notes, Options(examples=_examples()))
    labels = [t.label for t in result.themes]
    assert labels[:4] == ["Kollektivtilbud", "Spill for ungdom", "Friluft", "Tomt tema"]
    by_label = {t.label: set(t.note_ids) for t in result.themes}
    assert {"n001", "n002", "n003", "n005"} <= by_label["Spill for ungdom"]
    assert {"n009", "n010", "n011"} <= by_label["Kollektivtilbud"]
    assert {"n014", "n015"} <= by_label["Friluft"]
    assert sorted(all_ids(result)) == sorted(n.id for n in notes)


def test_notes_that_fit_no_example_are_not_forced_into_one(notes):
    result = run(notes, Options(examples=_examples()))
    by_label = {t.label: set(t.note_ids) for t in result.themes}
    study = {"n020", "n021", "n022", "n023"}
    assert not study & by_label["Kollektivtilbud"]
    assert not study & by_label["Spill for ungdom"]


def test_an_example_with_an_input_id_files_that_note(notes):
    examples = (*_examples(), Example("n024", "Lydbøker og tegneserier", "Friluft"))
    result = run(notes, Options(examples=examples))
    assert result.theme_of("n024").label == "Friluft"


def test_pinned_notes_never_move(notes):
    pinned = {"n001": "Kollektivtilbud", "n014": "Helt eget tema"}
    result = run(notes, Options(examples=_examples(), pinned=pinned))
    assert result.theme_of("n001").label == "Kollektivtilbud"
    assert result.theme_of("n014").label == "Helt eget tema"


def test_prior_themes_seed_like_examples(notes):
    prior = (
        PriorTheme(label="Buss", description="Buss og kollektivtransport",
                   examples=("Flere bussavganger", "Bussen går sjelden"), keywords=("buss*",)),
        PriorTheme(label="Gaming", description="Dataspill og e-sport",
                   examples=("Gamingrom", "LAN"), keywords=("gaming*", "e-sport*")),
    )
    result = run(notes, Options(prior_themes=prior))
    by_label = {t.label: set(t.note_ids) for t in result.themes}
    assert {"n009", "n010", "n011", "n012"} <= by_label["Buss"]
    assert {"n001", "n002", "n003"} <= by_label["Gaming"]
    assert not any(t.source == "library" for t in result.themes)


def test_examples_on_empty_input_still_name_the_themes():
    result = run([], Options(examples=_examples()))
    assert [t.label for t in result.themes][:2] == ["Kollektivtilbud", "Spill for ungdom"]
    assert all(t.size == 0 for t in result.themes)


def test_library_labels_follow_the_notes_language():
    notes = [Note(id=f"b{i}", text=t, language="nn") for i, t in enumerate([
        "Eg vil ha fleire bussar om kvelden", "Bussen går for sjeldan til byen",
        "Betre bussamband til sentrum", "Buss kvar time heile dagen"])]
    result = run(notes)
    assert [t.label for t in result.themes] == ["transport og buss"]
