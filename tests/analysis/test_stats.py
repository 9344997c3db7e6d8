"""Breakdowns: lift, over-representation tests and the multiple-comparison correction."""

from __future__ import annotations

import pytest

from analysis import Note, run
from analysis.stats import (
    benjamini_hochberg,
    breakdowns,
    holm,
    over_representation_p,
    stratified_over_representation_p,
)


def test_holm_on_a_known_case():
    assert holm([0.01, 0.04, 0.03, 0.005]) == pytest.approx([0.03, 0.06, 0.06, 0.02])


def test_benjamini_hochberg_on_a_known_case():
    got = benjamini_hochberg([0.01, 0.04, 0.03, 0.005])
    assert got == pytest.approx([0.02, 0.04, 0.04, 0.02])


def test_corrections_never_exceed_one_and_keep_order():
    p = [0.9, 0.5, 0.001, 0.2]
    for adjust in (holm, benjamini_hochberg):
        out = adjust(p)
        assert all(0 <= v <= 1 for v in out)
        by_p = sorted(range(4), key=lambda i: p[i])
        assert [out[i] for i in by_p] == sorted(out)  # adjusted values keep the raw order


def test_hypergeometric_p_value_matches_a_hand_computed_case():
    # 2 draws from 4 items of which 2 are hits: P(both hits) = 1/6.
    assert over_representation_p(2, 2, 2, 4) == pytest.approx(1 / 6)
    assert over_representation_p(0, 2, 2, 4) == 1.0


def _planted(n_places=6, per_place=30, planted_place="P0", planted_theme="gaming", extra=15):
    """Every place has the same mix of themes; one place has extra notes about one theme."""
    assignments, places = {}, {}
    themes = ["buss", "natur", "bok", "kafe", "gaming"]
    k = 0
    for p in range(n_places):
        for j in range(per_place):
            k += 1
            assignments[f"n{k}"] = themes[j % len(themes)]
            places[f"n{k}"] = f"P{p}"
    for _ in range(extra):
        k += 1
        assignments[f"n{k}"] = planted_theme
        places[f"n{k}"] = planted_place
    return assignments, places, themes


def test_a_planted_over_representation_is_flagged_and_nothing_else():
    assignments, places, themes = _planted()
    cells = breakdowns(assignments, {"location": places}, themes)["location"]
    flagged = [(g, c.theme) for g, cs in cells.items() for c in cs if c.distinctive]
    assert flagged == [("P0", "gaming")]
    cell = next(c for c in cells["P0"] if c.theme == "gaming")
    assert cell.count == 21 and cell.lift > 1.7 and cell.p_value < 0.05


def test_a_uniform_spread_flags_nothing():
    assignments, places, themes = _planted(extra=0)
    cells = breakdowns(assignments, {"location": places}, themes)["location"]
    assert not any(c.distinctive for cs in cells.values() for c in cs)
    assert all(c.lift == pytest.approx(1.0) for cs in cells.values() for c in cs)


def test_small_counts_are_never_distinctive_even_when_lift_is_high():
    assignments = {f"n{i}": "a" for i in range(40)} | {"x1": "b", "x2": "b"}
    places = {f"n{i}": "Q" for i in range(40)} | {"x1": "R", "x2": "R"}
    cells = breakdowns(assignments, {"location": places}, ["a", "b"])["location"]
    b_cell = next(c for c in cells["R"] if c.theme == "b")
    assert b_cell.lift > 10 and not b_cell.distinctive


def test_holm_is_stricter_than_bh():
    assignments, places, themes = _planted(extra=6)
    bh = breakdowns(assignments, {"location": places}, themes)["location"]
    hm = breakdowns(assignments, {"location": places}, themes, correction="holm")["location"]
    p_bh = next(c.p_value for c in bh["P0"] if c.theme == "gaming")
    p_holm = next(c.p_value for c in hm["P0"] if c.theme == "gaming")
    assert p_holm >= p_bh


def test_run_flags_the_planted_place():
    # Four places write about buses and nature alike; gaming is planted in Svelvik only.
    bus = ["Flere bussavganger om kvelden", "Bussen går for sjelden", "Buss til byen i helgene",
           "Bedre bussforbindelse", "Bussen er alltid full"]
    nature = ["Turstiene i skogen", "Skogen rett ved huset", "Lysløypa i skogen om vinteren",
              "Fine turstier i marka", "Gå tur i skogen"]
    gaming = ["Gaming hver fredag", "Et rom for gaming", "Gaming med venner",
              "Mer gaming for ungdom", "Gamingkveld på biblioteket", "Gaming og e-sport",
              "Turnering i gaming", "Gaming etter skolen"]
    notes = [Note(id=f"{place}{i}", text=t, question="q3", location=place, language="nb")
             for place in ("Mysen", "Askim", "Tomter", "Svelvik")
             for i, t in enumerate(bus + nature)]
    notes += [Note(id=f"g{i}", text=t, question="q3", location="Svelvik", language="nb")
              for i, t in enumerate(gaming)]
    result = run(notes)
    theme = result.theme_of("g0")
    assert theme is not None and {f"g{i}" for i in range(8)} <= set(theme.note_ids)
    flagged = [(g, c.theme) for g, cs in result.by_location.items() for c in cs if c.distinctive]
    assert flagged == [("Svelvik", theme.id)]


def test_a_small_planted_place_is_noticed_and_nothing_else_is(result):
    # Only a handful of notes there say "gaming": flagged, or at least worth a look.
    svelvik = {c.theme: c for c in result.by_location["Svelvik"]}
    gaming = next(t for t in result.themes if "n001" in t.note_ids)
    assert svelvik[gaming.id].distinctive or svelvik[gaming.id].hint
    flagged = [(g, c.theme) for g, cs in result.by_location.items() for c in cs if c.distinctive]
    assert set(flagged) <= {("Svelvik", gaming.id)}


def test_mid_p_value_matches_a_hand_computed_case():
    # 2 draws from 4 items of which 2 are hits: P(X > 2) + P(X = 2) / 2 = 0 + 1/12.
    assert over_representation_p(2, 2, 2, 4, mid=True) == pytest.approx(1 / 12)
    assert over_representation_p(1, 2, 2, 4, mid=True) == pytest.approx(5 / 6 - 4 / 12)


def _rare_theme(in_place: int, elsewhere: int, per_place: int = 20, n_places: int = 6):
    """Every place has `per_place` notes on a common theme; a rare theme has `in_place` notes
    in P0 and `elsewhere` notes spread over the other places."""
    assignments, places = {}, {}
    rows = [("common", f"P{p}") for p in range(n_places) for _ in range(per_place)]
    rows += [("rare", "P0")] * in_place
    rows += [("rare", f"P{1 + j % (n_places - 1)}") for j in range(elsewhere)]
    for k, (theme, place) in enumerate(rows):
        assignments[f"n{k}"] = theme
        places[f"n{k}"] = place
    return assignments, places


def _rare_cell(in_place: int, elsewhere: int):
    assignments, places = _rare_theme(in_place, elsewhere)
    cells = breakdowns(assignments, {"location": places}, ["common", "rare"])["location"]
    return next(c for c in cells["P0"] if c.theme == "rare")


def test_five_of_eight_rare_notes_from_one_place_are_distinctive():
    # The exact test alone gives 0.0073 here (0.073 after correction) and would miss this.
    cell = _rare_cell(5, 3)
    assert cell.count == 5 and cell.lift > 3
    assert cell.p_raw == pytest.approx(over_representation_p(5, 25, 8, 128, mid=True))
    assert cell.p_value < 0.05 and cell.distinctive


def test_three_of_eight_rare_notes_from_one_place_are_not():
    cell = _rare_cell(3, 5)
    assert cell.count == 3 and not cell.distinctive


def test_stratified_p_value_matches_a_hand_computed_case():
    # Two questions, in each one draw from two notes of which one is on the theme: the count is
    # the sum of two fair coins. P(X >= 2) = 1/4, its mid-p 1/8; P(X >= 1) = 3/4, mid-p 1/2.
    strata = [(1, 1, 2), (1, 1, 2)]
    assert stratified_over_representation_p(2, strata, mid=False) == pytest.approx(1 / 4)
    assert stratified_over_representation_p(2, strata) == pytest.approx(1 / 8)
    assert stratified_over_representation_p(1, strata) == pytest.approx(1 / 2)
    assert stratified_over_representation_p(3, strata) == 0.0
    # One question: the plain test.
    assert stratified_over_representation_p(5, [(25, 8, 128)]) == pytest.approx(
        over_representation_p(5, 25, 8, 128, mid=True))


def test_stratified_p_value_agrees_with_simulation():
    import numpy as np

    strata = [(30, 12, 100), (10, 40, 90), (25, 5, 60)]
    rng = np.random.default_rng(0)
    draws = sum(rng.hypergeometric(k, t - k, n, size=200_000) for n, k, t in strata)
    for count in (8, 10, 13):
        simulated = float((draws > count).mean() + 0.5 * (draws == count).mean())
        assert stratified_over_representation_p(count, strata) == pytest.approx(simulated,
                                                                               abs=0.005)


def _by_question(wish_notes: dict[str, int], good_notes: dict[str, int], bus_among_wishes):
    """Notes to a "good" question are all about nature; to a "wish" question, about buses for
    `bus_among_wishes(place, i)` and about the library otherwise."""
    assignments, places, questions = {}, {}, {}
    k = 0
    for place, n in good_notes.items():
        for _ in range(n):
            k += 1
            assignments[f"n{k}"], places[f"n{k}"], questions[f"n{k}"] = "natur", place, "good"
    for place, n in wish_notes.items():
        for i in range(n):
            k += 1
            theme = "buss" if bus_among_wishes(place, i) else "bibliotek"
            assignments[f"n{k}"], places[f"n{k}"], questions[f"n{k}"] = theme, place, "wish"
    return assignments, {"location": places, "question": questions}


def test_a_place_that_wrote_mostly_wishes_is_not_flagged_for_the_wish_themes():
    # Every place says the same: a third of its wishes are about buses. P0 wrote to the wish
    # question much more than to the other one, so buses are common among its notes overall.
    good = {"P0": 4} | {f"P{p}": 30 for p in range(1, 6)}
    wish = {"P0": 36} | {f"P{p}": 12 for p in range(1, 6)}
    assignments, attributes = _by_question(wish, good, lambda place, i: i % 3 == 0)
    themes = ["natur", "buss", "bibliotek"]
    cell = next(c for c in breakdowns(assignments, attributes, themes)["location"]["P0"]
                if c.theme == "buss")
    assert cell.count == 12 and cell.lift == pytest.approx(1.0) and not cell.distinctive
    # Compared without regard to the questions, P0 would look like a bus place.
    plain = breakdowns(assignments, attributes, themes, stratify_by=None)["location"]["P0"]
    assert next(c for c in plain if c.theme == "buss").distinctive


def test_a_place_whose_wishes_are_mostly_buses_is_flagged_though_it_wrote_few_wishes():
    # P0 wrote few wishes, but 7 of its 10 are about buses against 1 in 6 elsewhere. Counted
    # over all its notes (7 of 50, against 2 of 30 elsewhere) that is not enough to stand out.
    good = {"P0": 40} | {f"P{p}": 18 for p in range(1, 7)}
    wish = {"P0": 10} | {f"P{p}": 12 for p in range(1, 7)}
    assignments, attributes = _by_question(
        wish, good, lambda place, i: i < 7 if place == "P0" else i % 6 == 0)
    themes = ["natur", "buss", "bibliotek"]
    cells = breakdowns(assignments, attributes, themes)["location"]["P0"]
    cell = next(c for c in cells if c.theme == "buss")
    assert cell.count == 7 and cell.lift > 3 and cell.distinctive
    plain = breakdowns(assignments, attributes, themes, stratify_by=None)["location"]["P0"]
    assert not next(c for c in plain if c.theme == "buss").distinctive


def _one_place_planted(count: int, places: int = 8, themes: int = 8):
    """Every place writes 3 notes per theme, except P0, which writes `count` on theme t0."""
    assignments, location = {}, {}
    for p in range(places):
        for t in range(themes):
            for i in range(count if (p, t) == (0, 0) else 3):
                note = f"n{p}-{t}-{i}"
                assignments[note], location[note] = f"t{t}", f"P{p}"
    tables = breakdowns(assignments, {"location": location}, [f"t{t}" for t in range(themes)],
                        stratify_by=None)
    return tables["location"]


def test_a_strong_but_uncorrected_difference_is_worth_a_look_not_distinctive():
    table = _one_place_planted(10)
    cell = next(c for c in table["P0"] if c.theme == "t0")
    assert cell.p_raw < 0.05 and cell.p_value >= 0.05 and cell.lift >= 2
    assert cell.hint and not cell.distinctive
    assert cell.to_dict()["hint"] is True
    others = [c for cells in table.values() for c in cells if c is not cell]
    assert not any(c.hint for c in others)


def test_worth_a_look_needs_a_lift_of_two_and_four_notes():
    weaker = next(c for c in _one_place_planted(9)["P0"] if c.theme == "t0")
    assert weaker.p_raw < 0.05 and weaker.lift < 2
    assert not weaker.hint
    assert "hint" not in weaker.to_dict()


def test_a_distinctive_cell_is_never_also_a_hint():
    cell = next(c for c in _one_place_planted(20)["P0"] if c.theme == "t0")
    assert cell.distinctive and not cell.hint
