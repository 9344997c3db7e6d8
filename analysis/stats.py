"""Breakdowns of themes by place, question and target group, with a trustworthy "distinctive".

For each group g and theme t: count = notes of g in t, share = count / notes of g that have a
theme, and lift = count / the count expected if g were like everyone else. The p-value is
one-sided (hypergeometric, i.e. Fisher's exact test of the group against the rest for
over-representation) in its mid-p form, and is corrected over every cell of the result at once.
A cell is distinctive when the corrected p-value is below alpha, the lift is at least `min_lift`
and the count at least `min_count`.

Places and target groups are compared question by question. The questions ask for different
things ("what is good here" brings nature and the station, "what could be better" brings buses
and pavements), and a meal may write more on one question than another. A place that wrote few
notes to the "better" question would otherwise look poor in every wish theme, and one that wrote
many would look rich in them, whatever its people said. So the expected count is the sum over
questions of (notes of g on question q) × (share of theme t among all notes on q), and the test
is the exact test within each question, summed (the count is then a sum of independent
hypergeometric counts; its distribution is their convolution). This is the indirect
standardisation epidemiologists use for rates by area (the standardised ratio), with the
stratified exact test in place of a normal approximation. With one question, or when a group
answered the questions in the same proportions as everyone, it is the plain test and the plain
lift share / (size of t / all notes that have a theme).

Why mid-p: with counts of a handful of notes, the exact test's p-value jumps in big steps and its
real error rate lies well below the nominal one, so real effects at small counts go unflagged.
The mid-p value counts the observed count itself only half (P(X > k) + P(X = k) / 2), which
brings the error rate much closer to the nominal level for small counts (Lancaster's mid-p, as
recommended for discrete tests in Agresti's Categorical Data Analysis); it may exceed it a little.
The min_count floor keeps cells of one or two notes out whatever their p.

A second tier, "worth a look" (`hint`), marks cells that are strong before the correction
(uncorrected p below 0.05, lift at least 2, at least 4 notes) but not distinctive after it. At a
few hundred notes a real difference often sits there, but so do chance cells when many cells
are tested, so it is shown to the analyst as a hint to read the notes, and never claimed in a
report.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from .types import Cell


def holm(p_values: list[float]) -> list[float]:
    """Holm–Bonferroni adjusted p-values (controls the family-wise error rate)."""
    m = len(p_values)
    order = sorted(range(m), key=lambda i: (p_values[i], i))
    out = [0.0] * m
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p_values[i]))
        out[i] = running
    return out


def benjamini_hochberg(p_values: list[float]) -> list[float]:
    """Benjamini–Hochberg adjusted p-values (controls the false discovery rate)."""
    m = len(p_values)
    order = sorted(range(m), key=lambda i: (p_values[i], i))
    out = [0.0] * m
    running = 1.0
    for rank in range(m - 1, -1, -1):
        i = order[rank]
        running = min(running, p_values[i] * m / (rank + 1))
        out[i] = min(1.0, running)
    return out


def over_representation_p(count: int, group_size: int, theme_size: int, total: int,
                          *, mid: bool = False) -> float:
    """P(X >= count), X hypergeometric: `group_size` draws from `total` holding `theme_size`.

    With `mid`, the mid-p value P(X > count) + P(X = count) / 2.
    """
    from scipy.stats import hypergeom

    if count <= 0:
        return 1.0
    p = hypergeom.sf(count - 1, total, theme_size, group_size)
    if mid:
        p -= 0.5 * hypergeom.pmf(count, total, theme_size, group_size)
    return float(min(1.0, max(0.0, p)))


def _tail_window(n: int, k: int, total: int, count: int) -> tuple[int, int]:
    """The values of a hypergeometric count worth convolving: its support, cut to 12 standard
    deviations around the mean (the mass outside is far below float precision), widened to
    reach `count` so the observed value always lies inside."""
    low, high = max(0, n - (total - k)), min(n, k)
    mean = n * k / total
    sd = (mean * (1 - k / total) * (total - n) / max(1, total - 1)) ** 0.5
    reach = int(12 * sd) + 2
    return max(low, min(int(mean) - reach, count)), min(high, max(int(mean) + reach, count))


def stratified_over_representation_p(count: int, strata: list[tuple[int, int, int]],
                                     *, mid: bool = True) -> float:
    """P(X >= count) (or the mid-p value) for X = the sum over strata of independent
    hypergeometric counts; each stratum is (group size, theme size, total) within it."""
    from scipy.stats import hypergeom

    strata = [(n, k, t) for n, k, t in strata if n > 0 and k > 0]
    if count <= 0 or not strata:
        return 1.0 if count <= 0 else 0.0
    if len(strata) == 1:
        n, k, t = strata[0]
        return over_representation_p(count, n, k, t, mid=mid)
    dist, offset = np.ones(1), 0
    for n, k, t in strata:
        low, high = _tail_window(n, k, t, count)
        # exp(logpmf): scipy's pmf is a hundred times slower on large counts
        dist = np.convolve(dist, np.exp(hypergeom.logpmf(np.arange(low, high + 1), t, k, n)))
        offset += low
    at = count - offset
    if at < 0:
        return 1.0
    above = float(dist[at + 1:].sum()) if at + 1 < len(dist) else 0.0
    here = float(dist[at]) if at < len(dist) else 0.0
    p = above + (0.5 if mid else 1.0) * here
    return float(min(1.0, max(0.0, p)))


def breakdowns(
    assignments: dict[str, str],
    attributes: dict[str, dict[str, str]],
    theme_order: list[str],
    *,
    alpha: float = 0.05,
    min_lift: float = 1.5,
    min_count: int = 3,
    correction: str = "bh",
    stratify_by: str | None = "question",
    hint_alpha: float = 0.05,
    hint_min_lift: float = 2.0,
    hint_min_count: int = 4,
) -> dict[str, dict[str, list[Cell]]]:
    """Cells for every attribute (e.g. "location") -> group value -> theme, in theme order.

    `assignments` maps note id -> theme id for notes that have a theme; `attributes` maps an
    attribute name to note id -> value (empty values are left out of that breakdown). The other
    attributes are compared within each value of `stratify_by` (see the module's docstring);
    that attribute itself, or all of them when it is None or absent, are compared plainly.
    """
    theme_sizes = Counter(assignments.values())
    strata_of = attributes.get(stratify_by, {}) if stratify_by else {}
    stratum_total: Counter[str] = Counter()
    stratum_theme: Counter[tuple[str, str]] = Counter()
    for note_id, theme in assignments.items():
        stratum = strata_of.get(note_id, "")
        stratum_total[stratum] += 1
        stratum_theme[stratum, theme] += 1
    raw: list[tuple[str, str, Cell]] = []
    for attr in sorted(attributes):
        values = attributes[attr]
        plain = attr == stratify_by or not strata_of
        per_group: dict[str, Counter[str]] = {}
        sizes: dict[str, Counter[str]] = {}  # group -> stratum -> notes with a theme
        for note_id, theme in assignments.items():
            group = values.get(note_id, "")
            if group:
                per_group.setdefault(group, Counter())[theme] += 1
                stratum = "" if plain else strata_of.get(note_id, "")
                sizes.setdefault(group, Counter())[stratum] += 1
        for group in sorted(per_group):
            counts = per_group[group]
            group_size = sum(counts.values())
            for theme in theme_order:
                count = counts.get(theme, 0)
                if count == 0:
                    continue
                if plain:
                    strata = [(group_size, theme_sizes[theme], len(assignments))]
                else:
                    strata = [(n, stratum_theme[s, theme], stratum_total[s])
                              for s, n in sorted(sizes[group].items())]
                expected = sum(n * k / t for n, k, t in strata)
                lift = count / expected if expected else 0.0
                p = stratified_over_representation_p(count, strata, mid=True)
                raw.append((attr, group, Cell(theme, count, count / group_size, lift, p, False,
                                              p_raw=p)))
    adjust = holm if correction == "holm" else benjamini_hochberg
    adjusted = adjust([cell.p_raw for _, _, cell in raw]) if raw else []
    out: dict[str, dict[str, list[Cell]]] = {attr: {} for attr in attributes}
    for (attr, group, cell), p_adj in zip(raw, adjusted, strict=True):
        cell.p_value = float(np.clip(p_adj, 0.0, 1.0))
        cell.distinctive = bool(
            cell.p_value < alpha and cell.lift >= min_lift and cell.count >= min_count
        )
        cell.hint = bool(
            not cell.distinctive and cell.p_raw < hint_alpha and cell.lift >= hint_min_lift
            and cell.count >= hint_min_count
        )
        out[attr].setdefault(group, []).append(cell)
    return out
