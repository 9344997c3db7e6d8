"""Quality figures: theme discovery (ARI/NMI), planted place findings, filing by examples.

    python benchmarks/quality.py --dev PATH/postits-dev.csv [--reykjavik PATH/better-reykjavik]
        [--library-from PATH/other-topic.csv]

`--library-from` plays an organisation's theme library saved from an earlier campaign on
another topic (each of that file's themes with 12 of its notes as examples, as "save to
library" keeps them) and reports every figure with and without it.

The `theme` column of the data is read here, for evaluation only; the pipeline never sees it.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis import Example, Note, Options, PriorTheme, run  # noqa: E402

NON_ANSWER_THEMES = {"ingen_svar"}
DEFAULT_PLANTED = [
    "Svelvik=gaming_esport", "Tomter=kafe_mat", "Askim=natur_friluft",
    "Drammen sentrum=studieplass_stillerom", "Mysen=transport_trafikk",
]


def load(path: Path) -> tuple[list[Note], dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    notes = [Note(id=r["id"], text=r["text"], question=r.get("question", ""),
                  location=r.get("location", ""), target_group=r.get("target_group", ""),
                  language=r.get("language", "")) for r in rows]
    return notes, {r["id"]: r["theme"] for r in rows}


def library_from(path: Path, per_theme: int = 12) -> tuple[PriorTheme, ...]:
    """An earlier campaign's themes as a theme library: label and the first notes as examples."""
    notes, truth = load(path)
    themes = sorted(set(truth.values()) - NON_ANSWER_THEMES)
    return tuple(PriorTheme(label=t, examples=tuple(
        n.text for n in notes if truth[n.id] == t)[:per_theme]) for t in themes)


def _lib(library) -> str:
    return "from another campaign" if library else "none"


def predicted_labels(result) -> dict[str, str]:
    out = {i: "__unassigned__" for i in result.unassigned}
    for theme in result.themes:
        out.update({i: theme.id for i in theme.note_ids})
    return out


def agreement(truth: dict[str, str], pred: dict[str, str]) -> tuple[float, float]:
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    ids = sorted(truth)
    a, b = [truth[i] for i in ids], [pred[i] for i in ids]
    return adjusted_rand_score(a, b), normalized_mutual_info_score(a, b)


def nmf_baseline(notes, truth, k: int, seed: int = 0) -> tuple[float, float]:
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfVectorizer

    x = TfidfVectorizer(sublinear_tf=True).fit_transform([n.text for n in notes])
    w = NMF(n_components=k, init="nndsvda", random_state=seed, max_iter=400).fit_transform(x)
    return agreement(truth, {n.id: str(int(r.argmax())) for n, r in zip(notes, w, strict=True)})


def lr_baseline(train, test, truth, tuned: bool = False) -> float:
    """TF-IDF + logistic regression accuracy on `test`.

    Plain: word TF-IDF and scikit-learn's default regularisation. Tuned: word and character
    2-5-gram TF-IDF, the regularisation chosen by 3-fold cross-validation on the training notes.
    """
    import warnings

    from sklearn.exceptions import ConvergenceWarning
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression, LogisticRegressionCV
    from sklearn.pipeline import make_union

    vec = TfidfVectorizer(sublinear_tf=True)
    if tuned:
        vec = make_union(vec, TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5),
                                              sublinear_tf=True))
    xtr = vec.fit_transform([n.text for n in train])
    y = [truth[n.id] for n in train]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", FutureWarning)
        warnings.simplefilter("ignore", UserWarning)  # classes smaller than the folds
        # Three folds, or two when a theme has only two examples (the few-shot curve).
        folds = max(2, min(3, min(Counter(y).values())))
        model = (LogisticRegressionCV(Cs=[0.1, 1, 10, 100], cv=folds, max_iter=3000) if tuned
                 else LogisticRegression(max_iter=2000)).fit(xtr, y)
    pred = model.predict(vec.transform([n.text for n in test]))
    return sum(p == truth[n.id] for p, n in zip(pred, test, strict=True)) / len(test)


def filing_accuracy(train, test, truth, seed: int = 0, library=(),
                    use_embeddings: bool = True) -> float:
    """Share of `test` notes filed under their analyst theme (non-answers: left unassigned);
    `library` goes in as prior themes, as the web app passes an organisation's library."""
    examples = tuple(Example(n.id, n.text, truth[n.id]) for n in train
                     if truth[n.id] not in NON_ANSWER_THEMES)
    result = run(test, Options(seed=seed, examples=examples, prior_themes=tuple(library),
                               use_embeddings=use_embeddings))
    label_of = {i: t.label for t in result.themes for i in t.note_ids}
    correct = 0
    for n in test:
        got = label_of.get(n.id)
        correct += (got is None) if truth[n.id] in NON_ANSWER_THEMES else (got == truth[n.id])
    return correct / len(test)


def naming_report(notes, truth, other_library, seed: int = 0) -> None:
    """How a theme library names the themes found (it never regroups them): with the themes
    of one half of the notes as the library of the other half (a campaign on the same topic a
    year later), and with another topic's themes. A name is right when the majority of the
    theme's notes carry that analyst theme."""
    a, b = halves(notes, seed)
    same = tuple(PriorTheme(label=t, examples=tuple(n.text for n in a if truth[n.id] == t)[:12])
                 for t in sorted({truth[n.id] for n in a} - NON_ANSWER_THEMES))
    for name, library in (("same topic", same), ("another topic", other_library)):
        if not library:
            continue
        result = run(b, Options(seed=seed, prior_themes=tuple(library)))
        named = [t for t in result.themes if t.source == "prior"]
        right = sum(Counter(truth[i] for i in t.note_ids).most_common(1)[0][0] == t.label
                    for t in named)
        print(f"  library names ({name}): {len(named)} of {len(result.themes)} themes named, "
              f"{right} right")


def few_shot_report(notes, truth, per_theme=(2, 3, 5, 10), repeats: int = 5,
                    seed: int = 0) -> None:
    """Filing accuracy when the analyst has filed only a few notes per theme.

    For each count, `repeats` random draws of that many notes per theme (non-answers not
    drawn) are the examples; the other notes are filed. Next to it: tuned TF-IDF + logistic
    regression on the same examples, and the pipeline without sentence embeddings.
    """
    rng = random.Random(seed)
    themes = sorted(set(truth.values()) - NON_ANSWER_THEMES)
    by_theme = {t: [n for n in notes if truth[n.id] == t] for t in themes}
    print("  few-shot filing (examples per theme: pipeline / without embeddings / "
          "TF-IDF + LR tuned; mean of draws):")
    for k in per_theme:
        ours, plain, lr = [], [], []
        for _ in range(repeats):
            train = [n for t in themes for n in rng.sample(by_theme[t], min(k, len(by_theme[t])))]
            chosen = {n.id for n in train}
            test = [n for n in notes if n.id not in chosen]
            ours.append(filing_accuracy(train, test, truth, seed))
            plain.append(filing_accuracy(train, test, truth, seed, use_embeddings=False))
            lr.append(lr_baseline(train, test, truth, tuned=True))
        print(f"    {k:2d}: {sum(ours) / repeats:.3f} / {sum(plain) / repeats:.3f} / "
              f"{sum(lr) / repeats:.3f}")


def held_out_report(notes, truth, seed: int = 0, library=()) -> None:
    """Leave one analyst theme out of the examples: are its notes kept out of the other themes?

    A pipeline that files from examples must not force notes about something new into the
    analyst's themes. For each theme in turn, half of the notes minus that theme are examples;
    on the other half it prints the share of the left-out theme's notes that stay outside the
    example themes (in a new theme or unassigned) and the accuracy on the remaining notes.
    """
    train, test = halves(notes, seed)
    kept_out, accs, together = [], [], []
    for held in sorted(set(truth.values()) - NON_ANSWER_THEMES):
        examples = tuple(Example(n.id, n.text, truth[n.id]) for n in train
                         if truth[n.id] not in NON_ANSWER_THEMES | {held})
        result = run(test, Options(seed=seed, examples=examples, prior_themes=tuple(library)))
        theme_of = {i: t for t in result.themes for i in t.note_ids}
        novel = [n for n in test if truth[n.id] == held]
        rest = [n for n in test if truth[n.id] != held]
        outside = [n for n in novel if theme_of.get(n.id) is None
                   or theme_of[n.id].source != "examples"]
        kept_out.append(len(outside) / max(1, len(novel)))
        new = Counter(theme_of[n.id].id for n in outside if n.id in theme_of)
        together.append(new.most_common(1)[0][1] / max(1, len(novel)) if new else 0.0)
        correct = 0
        for n in rest:
            got = theme_of.get(n.id)
            correct += (got is None) if truth[n.id] in NON_ANSWER_THEMES else (
                got is not None and got.label == truth[n.id])
        accs.append(correct / len(rest))
    mean = sum(kept_out) / len(kept_out)
    print(f"  left-out theme (library: {_lib(library)}): its notes kept "
          f"out of example themes {mean:.2f} (in one new theme {sum(together) / len(together):.2f})"
          f"; accuracy on the other notes {sum(accs) / len(accs):.3f}")


def split_report(notes, truth, n_splits: int, library=()) -> None:
    """--examples accuracy over several random half/half splits, both directions each."""
    import statistics

    accs = []
    for split in range(n_splits):
        a, b = halves(notes, split)
        accs += [filing_accuracy(a, b, truth, split, library),
                 filing_accuracy(b, a, truth, split, library)]
    print(f"  --examples over {n_splits} random splits x 2 directions (library: "
          f"{_lib(library)}): mean {statistics.mean(accs):.3f}  "
          f"sd {statistics.stdev(accs):.3f}  min {min(accs):.3f}  max {max(accs):.3f}")


def halves(notes, seed: int = 0):
    shuffled = notes[:]
    random.Random(seed).shuffle(shuffled)
    mid = len(shuffled) // 2
    return shuffled[:mid], shuffled[mid:]


def planted_report(result, truth, planted: list[str], notes, options) -> None:
    by_theme: dict[str, Counter] = {}
    for t in result.themes:
        by_theme[t.id] = Counter(truth[i] for i in t.note_ids)
    found = hints = 0
    planted_cells = set()
    for item in planted:
        place, analyst_theme = item.split("=", 1)
        # the discovered themes that hold most of this analyst theme's notes
        candidates = sorted(by_theme, key=lambda t: -by_theme[t][analyst_theme])[:2]
        cells = [c for c in result.by_location.get(place, []) if c.theme in candidates
                 and by_theme[c.theme][analyst_theme] > 0]
        hit = any(c.distinctive for c in cells)
        hinted = not hit and any(c.hint for c in cells)
        found += hit
        hints += hinted
        for c in cells:
            if c.distinctive:
                planted_cells.add((place, c.theme))
        desc = ", ".join(f"{c.theme} n={c.count} lift={c.lift:.1f} p={c.p_value:.2g}"
                         f"{' *' if c.distinctive else ''}" for c in cells)
        state = "FLAGGED" if hit else ("hint   " if hinted else "missed ")
        print(f"    {place:16s} {analyst_theme:24s} {state}  {desc}")
    flags = [(g, c.theme, c.lift, c.count) for g, cells in result.by_location.items()
             for c in cells if c.distinctive]
    other = [f for f in flags if (f[0], f[1]) not in planted_cells]
    label = {t.id: t.label for t in result.themes}
    print(f"  planted findings flagged: {found}/{len(planted)}, worth a look: {hints}; "
          f"other location flags: "
          f"{len(other)} {[(g, label[t], round(lift, 1), n) for g, t, lift, n in other]}")
    for attr in ("by_question", "by_target_group"):
        flagged = [(g, label[c.theme], round(c.lift, 1), c.count)
                   for g, cells in getattr(result, attr).items() for c in cells if c.distinctive]
        print(f"  {attr} flags: {len(flagged)} {flagged}")
    print(f"  location flags when places are shuffled among the notes (no real effect; "
          f"mean over 500 shuffles): {shuffled_flags(result, notes, options):.2f}; "
          f"shuffled within each question: "
          f"{shuffled_flags(result, notes, options, within_questions=True):.2f}")


def shuffled_flags(result, notes, options, rounds: int = 500,
                   within_questions: bool = False) -> float:
    """Average number of distinctive location cells after shuffling the places among notes.

    The themes stay as the run made them, so every location flag in a shuffle is a false one:
    an estimate of how many false place flags one analysis shows. With `within_questions`, the
    places are shuffled among the notes to each question separately, so every place keeps the
    number of notes it wrote to each question: the harder case where places answered the
    questions in different proportions.
    """
    from analysis.stats import breakdowns

    assignments = {i: t.id for t in result.themes for i in t.note_ids}
    attributes = {"question": {n.id: n.question for n in notes},
                  "target_group": {n.id: n.target_group for n in notes}}
    blocks: dict[str, list] = {}
    for n in notes:
        blocks.setdefault(n.question if within_questions else "", []).append(n)
    rng = random.Random(0)
    total = 0
    for _ in range(rounds):
        attributes["location"] = {}
        for block in blocks.values():
            places = [n.location for n in block]
            rng.shuffle(places)
            attributes["location"].update(zip((n.id for n in block), places, strict=True))
        tables = breakdowns(assignments, attributes, [t.id for t in result.themes],
                            alpha=options.alpha, min_lift=options.min_lift,
                            min_count=options.min_count, correction=options.correction)
        total += sum(c.distinctive for cells in tables["location"].values() for c in cells)
    return total / rounds


def dev_report(path: Path, planted: list[str], seed: int, splits: int = 0,
               held_out: bool = False, alpha: float = 0.05, library=()) -> None:
    notes, truth = load(path)
    k_true = len(set(truth.values()))
    libraries = [(), library] if library else [()]
    print(f"== {path.name}: {len(notes)} notes, {k_true} analyst themes")
    for lib in libraries:
        t0 = time.perf_counter()
        options = Options(seed=seed, prior_themes=tuple(lib), alpha=alpha)
        result = run(notes, options)
        elapsed = time.perf_counter() - t0
        ari, nmi = agreement(truth, predicted_labels(result))
        non = [i for i, t in truth.items() if t in NON_ANSWER_THEMES]
        una = set(result.unassigned)
        print(f"  default mode, library: {_lib(lib)}: "
              f"ARI {ari:.3f}  NMI {nmi:.3f}  themes {len(result.themes)} "
              f"(from the library {sum(t.source == 'prior' for t in result.themes)})  "
              f"unassigned {len(una)} (non-answers caught {sum(i in una for i in non)}/{len(non)})"
              f"  {elapsed:.1f}s")
        planted_report(result, truth, planted, notes, options)
    ari, nmi = nmf_baseline(notes, truth, k_true, seed)
    print(f"  baseline TF-IDF + NMF (k={k_true} given): ARI {ari:.3f}  NMI {nmi:.3f}")
    a, b = halves(notes, seed)
    for lib in libraries:
        accs = [filing_accuracy(a, b, truth, seed, lib), filing_accuracy(b, a, truth, seed, lib)]
        print(f"  --examples half/half (library: {_lib(lib)}): "
              f"accuracy {accs[0]:.3f} / {accs[1]:.3f}  mean {sum(accs) / 2:.3f}")
    for tuned in (False, True):
        accs = [lr_baseline(a, b, truth, tuned), lr_baseline(b, a, truth, tuned)]
        print(f"  baseline TF-IDF + logistic regression half/half "
              f"({'words and characters, C by cross-validation' if tuned else 'plain'}): "
              f"mean {sum(accs) / 2:.3f}")
    if splits:
        for lib in libraries:
            split_report(notes, truth, splits, lib)
    if held_out:
        for lib in libraries:
            held_out_report(notes, truth, seed, lib)
    naming_report(notes, truth, library, seed)


def reykjavik_report(folder: Path, seed: int) -> None:
    train, truth = load(folder / "train.csv")
    test, truth_test = load(folder / "test.csv")
    truth.update(truth_test)
    k_true = len(set(truth_test.values()))
    print(f"== better-reykjavik: {len(train)} train, {len(test)} test, {k_true} test categories")
    result = run(test, Options(seed=seed))
    ari, nmi = agreement(truth_test, predicted_labels(result))
    print(f"  test, default mode: ARI {ari:.3f}  NMI {nmi:.3f}  themes {len(result.themes)}  "
          f"unassigned {len(result.unassigned)}")
    ari, nmi = nmf_baseline(test, truth_test, k_true, seed)
    print(f"  baseline TF-IDF + NMF (k={k_true} given): ARI {ari:.3f}  NMI {nmi:.3f}")
    t0 = time.perf_counter()
    acc = filing_accuracy(train, test, truth, seed)
    print(f"  --examples train -> test: accuracy {acc:.3f}  ({time.perf_counter() - t0:.1f}s)")
    print(f"  baseline TF-IDF + logistic regression: plain {lr_baseline(train, test, truth):.3f}"
          f", words and characters with C by cross-validation "
          f"{lr_baseline(train, test, truth, tuned=True):.3f}")
    majority = Counter(truth[n.id] for n in train).most_common(1)[0][0]
    share = sum(truth[n.id] == majority for n in test) / len(test)
    print(f"  majority class share on test: {share:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dev", type=Path, help="postits-dev.csv")
    parser.add_argument("--reykjavik", type=Path, help="folder with train.csv and test.csv")
    parser.add_argument("--planted", nargs="*", default=DEFAULT_PLANTED,
                        help="PLACE=ANALYST_THEME pairs expected to be distinctive")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--alpha", type=float, default=0.05,
                        help="false discovery rate for the distinctive flag (Options.alpha)")
    parser.add_argument("--splits", type=int, default=0,
                        help="also report --examples accuracy over this many random splits")
    parser.add_argument("--few-shot", action="store_true",
                        help="also report filing accuracy with 2, 3, 5 and 10 examples per "
                             "theme")
    parser.add_argument("--held-out", action="store_true",
                        help="also check that a theme left out of the examples is not forced "
                             "into the others")
    parser.add_argument("--library-from", type=Path,
                        help="a labelled file on another topic, played as the theme library "
                             "saved from an earlier campaign")
    args = parser.parse_args()
    library = library_from(args.library_from) if args.library_from else ()
    if args.dev:
        dev_report(args.dev, args.planted, args.seed, args.splits, args.held_out, args.alpha,
                   library)
        if args.few_shot:
            few_shot_report(*load(args.dev), seed=args.seed)
    if args.reykjavik:
        reykjavik_report(args.reykjavik, args.seed)


if __name__ == "__main__":
    main()
