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


def test_prior_themes_name_the_themes_found_but_never_regroup_the_notes(notes):
    prior = (
        PriorTheme(label="Buss", description="Buss og kollektivtransport",
                   examples=("Flere bussavganger", "Bussen går sjelden"), keywords=("buss*",)),
        PriorTheme(label="Gaming", description="Dataspill og e-sport",
                   examples=("Gamingrom", "LAN"), keywords=("gaming*", "e-sport*")),
        PriorTheme(label="Kirkegård", description="Gravplasser og kirker",
                   examples=("Stell av graver", "Benker på kirkegården")),
    )
    plain = run(notes)
    named = run(notes, Options(prior_themes=prior))
    assert [sorted(t.note_ids) for t in named.themes] == [sorted(t.note_ids) for t in plain.themes]
    assert named.unassigned == plain.unassigned and named.to_dict()["by_location"] == \
        plain.to_dict()["by_location"]
    by_label = {t.label: t for t in named.themes}
    assert {"n009", "n010", "n011", "n012"} <= set(by_label["Buss"].note_ids)
    assert "n001" in by_label["Gaming"].note_ids
    assert by_label["Buss"].source == by_label["Gaming"].source == "prior"
    assert "Kirkegård" not in by_label  # nothing in the notes is about it
    assert sum(t.source == "prior" for t in named.themes) == 2


def test_examples_on_empty_input_still_name_the_themes():
    result = run([], Options(examples=_examples()))
    assert [t.label for t in result.themes][:2] == ["Kollektivtilbud", "Spill for ungdom"]
    assert all(t.size == 0 for t in result.themes)


def _library():
    return (
        PriorTheme(label="Buss", description="Buss og kollektivtransport",
                   examples=("Flere bussavganger", "Bussen går sjelden"), keywords=("buss*",)),
        PriorTheme(label="Gaming", description="Dataspill og e-sport",
                   examples=("Gamingrom", "LAN"), keywords=("gaming*", "e-sport*")),
    )


def _two_themes():
    return tuple(ex for ex in _examples() if ex.theme in {"Kollektivtilbud", "Friluft"})


def test_library_themes_never_take_notes_from_the_analysts_themes(notes, all_ids):
    # As the web app runs it: the organisation's library comes along as prior themes.
    result = run(notes, Options(examples=_two_themes(), prior_themes=_library()))
    by_label = {t.label: set(t.note_ids) for t in result.themes}
    buses = {"n009", "n010", "n011", "n012"}
    assert buses <= by_label["Kollektivtilbud"]
    assert not buses & by_label.get("Buss", set())
    # ... but a theme found among the other notes may take a library theme's name.
    assert {"n001", "n003", "n005"} <= by_label["Gaming"]
    assert sorted(all_ids(result)) == sorted(n.id for n in notes)


def test_with_two_example_themes_notes_about_something_else_find_their_own(notes):
    result = run(notes, Options(examples=_two_themes()))
    by_label = {t.label: set(t.note_ids) for t in result.themes}
    study = {"n020", "n021", "n022", "n023"}
    assert not study & by_label["Friluft"]
    assert max(len(study & ids) for label, ids in by_label.items()
               if label not in {"Kollektivtilbud", "Friluft"}) >= 3


def test_a_library_theme_with_the_analysts_name_is_that_one_theme(notes):
    prior = (PriorTheme(label="Kollektivtilbud", keywords=("buss*",),
                        examples=("Bussen går sjelden",)),)
    result = run(notes, Options(examples=_two_themes(), prior_themes=prior))
    labels = [t.label for t in result.themes]
    assert labels.count("Kollektivtilbud") == 1
    assert {"n009", "n010", "n011", "n012"} <= set(result.themes[0].note_ids)


def test_names_link_notes_in_other_languages_to_the_norwegian_notes(notes):
    """BankID and NAV are the same in every language: a Spanish and a Polish note about them
    land with the Norwegian notes about digital help, not unassigned."""
    extra = [
        ("d1", "Hjelp med BankID og nettbank", "nb"),
        ("d2", "Kurs i BankID for eldre", "nb"),
        ("d3", "Noen som kan hjelpe med Vipps og BankID", "nb"),
        ("d4", "Hjelp med skjema fra NAV", "nb"),
        ("es", "Ayuda con formularios en línea y BankID", "es"),
        ("pl", "Pomoc z formularzami NAV", "pl"),
    ]
    more = [Note(id=i, text=t, question="q2", location="Mysen", target_group="språkkafé",
                 language=lang) for i, t, lang in extra]
    result = run([*notes, *more], Options(seed=0))
    theme_of = {i: t.id for t in result.themes for i in t.note_ids}
    assert theme_of["es"] == theme_of["d1"] == theme_of["pl"]
