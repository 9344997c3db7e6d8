"""Breakdowns of themes by place, question and target group, with a trustworthy "distinctive".

For each group g and theme t: count = notes of g in t, share = count / notes of g that have a
theme, lift = share / (size of t / all notes that have a theme). The p-value is one-sided
(hypergeometric, i.e. Fisher's exact test of the group against the rest for over-representation)
in its mid-p form, and is corrected over every cell of the result at once. A cell is distinctive
when the corrected p-value is below alpha, the lift is at least `min_lift` and the count at least
`min_count`.

Why mid-p: with counts of a handful of notes, the exact test's p-value jumps in big steps and its
real error rate lies well below the nominal one, so real effects at small counts go unflagged.
The mid-p value counts the observed count itself only half (P(X > k) + P(X = k) / 2), which
brings the error rate much closer to the nominal level for small counts (Lancaster's mid-p, as
recommended for discrete tests in Agresti's Categorical Data Analysis); it may exceed it a little.
The min_count floor keeps cells of one or two notes out whatever their p.
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


def breakdowns(
    assignments: dict[str, str],
    attributes: dict[str, dict[str, str]],
    theme_order: list[str],
    *,
    alpha: float = 0.05,
    min_lift: float = 1.5,
    min_count: int = 3,
    correction: str = "bh",
) -> dict[str, dict[str, list[Cell]]]:
    """Cells for every attribute (e.g. "location") -> group value -> theme, in theme order.

    `assignments` maps note id -> theme id for notes that have a theme; `attributes` maps an
    attribute name to note id -> value (empty values are left out of that breakdown).
    """
    theme_sizes = Counter(assignments.values())
    total = len(assignments)
    raw: list[tuple[str, str, Cell]] = []
    for attr in sorted(attributes):
        values = attributes[attr]
        per_group: dict[str, Counter[str]] = {}
        for note_id, theme in assignments.items():
            group = values.get(note_id, "")
            if group:
                per_group.setdefault(group, Counter())[theme] += 1
        for group in sorted(per_group):
            counts = per_group[group]
            group_size = sum(counts.values())
            for theme in theme_order:
                count = counts.get(theme, 0)
                if count == 0:
                    continue
                share = count / group_size
                base = theme_sizes[theme] / total
                lift = share / base if base else 0.0
                p = over_representation_p(count, group_size, theme_sizes[theme], total,
                                          mid=True)
                raw.append((attr, group, Cell(theme, count, share, lift, p, False, p_raw=p)))
    adjust = holm if correction == "holm" else benjamini_hochberg
    adjusted = adjust([cell.p_raw for _, _, cell in raw]) if raw else []
    out: dict[str, dict[str, list[Cell]]] = {attr: {} for attr in attributes}
    for (attr, group, cell), p_adj in zip(raw, adjusted, strict=True):
        cell.p_value = float(np.clip(p_adj, 0.0, 1.0))
        cell.distinctive = bool(
            cell.p_value < alpha and cell.lift >= min_lift and cell.count >= min_count
        )
        out[attr].setdefault(group, []).append(cell)
    return out
