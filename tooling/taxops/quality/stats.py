"""Small statistics the figures share: Wilson intervals for shares, the
chi-squared test of two label distributions (statistic, degrees of freedom and
p-value from the regularised incomplete gamma function), and Cramér's V."""

from __future__ import annotations

import math
from collections.abc import Mapping

Z95 = 1.959963984540054


def wilson(successes: int, trials: int, z: float = Z95) -> tuple[float | None, float | None]:
    """The Wilson score interval of a share (good at 0 %, 100 % and small samples)."""
    if trials <= 0:
        return None, None
    p = successes / trials
    denom = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denom
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def chi2_sf(x: float, dof: int) -> float:
    """P(X >= x) for a chi-squared variable with ``dof`` degrees of freedom:
    the regularised upper incomplete gamma Q(dof/2, x/2)."""
    if dof <= 0:
        return float("nan")
    if x <= 0:
        return 1.0
    return _gamma_q(dof / 2, x / 2)


def _gamma_q(a: float, x: float) -> float:
    # Series for x < a + 1, Lentz's continued fraction otherwise (Numerical
    # Recipes' split), both to machine precision.
    log_prefix = -x + a * math.log(x) - math.lgamma(a)
    if x < a + 1:
        term = total = 1 / a
        n = a
        for _ in range(10_000):
            n += 1
            term *= x / n
            total += term
            if abs(term) < abs(total) * 1e-16:
                break
        return max(0.0, 1 - total * math.exp(log_prefix))
    tiny = 1e-300
    b = x + 1 - a
    c = 1 / tiny
    d = 1 / b
    h = d
    for i in range(1, 10_000):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < 1e-16:
            break
    return min(1.0, math.exp(log_prefix) * h)


def chi_squared(
    first: Mapping[str, int], second: Mapping[str, int]
) -> dict[str, float | int | None]:
    """Pearson's chi-squared test of homogeneity: do two datasets draw their
    labels from the same distribution? Labels seen in neither are ignored."""
    labels = sorted(set(first) | set(second))
    n1, n2 = sum(first.values()), sum(second.values())
    total = n1 + n2
    if n1 == 0 or n2 == 0 or len(labels) < 2:
        return {
            "statistic": None,
            "dof": 0,
            "p_value": None,
            "cramers_v": None,
            "cells": 0,
            "sparse_cells": 0,
        }
    stat = 0.0
    sparse = cells = 0
    for label in labels:
        column = first.get(label, 0) + second.get(label, 0)
        if column == 0:
            continue
        for observed, rows in ((first.get(label, 0), n1), (second.get(label, 0), n2)):
            expected = rows * column / total
            stat += (observed - expected) ** 2 / expected
            cells += 1
            sparse += expected < 5
    used = sum(1 for label in labels if first.get(label, 0) + second.get(label, 0))
    dof = used - 1
    v = math.sqrt(stat / total) if total else None  # 2 rows: min(r, c) - 1 = 1
    return {
        "statistic": stat,
        "dof": dof,
        "p_value": chi2_sf(stat, dof),
        "cramers_v": v,
        # Pearson's approximation is rough when many cells expect fewer than 5.
        "cells": cells,
        "sparse_cells": sparse,
    }
