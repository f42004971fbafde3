"""Inter-annotator agreement from reliability data reduced to patterns.

An export of millions of ratings is reduced (by DuckDB, in
:mod:`taxops.engines.annotations`) to **units**: each distinct per-item vector of
label counts (how many annotators chose each label for that item) with the number
of items that have it. Every coefficient here is a sum over items of a per-item
quantity, so it is a weighted sum over patterns; the same formula then serves the
point estimate (weights: item counts) and the bootstrap (weights: a multinomial
resample of the items), for a whole matrix of replicates at once.

Definitions (nominal data; an item rated by fewer than two annotators carries no
agreement information and is left out of the observed agreement):

- *Krippendorff's alpha*: ``1 - (n-1) * sum_{c!=k} o_ck / sum_{c!=k} n_c n_k`` over
  the coincidence matrix (missing ratings allowed);
- *Fleiss' kappa* and *Gwet's AC1* as generalised by Gwet (2014) to items rated by
  different numbers of annotators: observed agreement ``pa`` is the mean over items
  rated at least twice of ``sum_c r_ic (r_ic - 1) / (r_i (r_i - 1))``; ``pi_c`` is the
  mean over rated items of ``r_ic / r_i``; chance agreement is ``sum pi_c^2``
  (Fleiss) or ``sum pi_c (1 - pi_c) / (q - 1)`` (AC1), ``q`` the number of labels
  observed. With every item rated by the same annotators this is Fleiss' kappa;
- *Cohen's kappa* for one pair of annotators from their contingency table.

Reference implementations (the ``krippendorff`` package, statsmodels,
scikit-learn, irrCAC) agree with these to 1e-9 (``tests/quality``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Floats = NDArray[np.float64]

#: Bootstrap replicates drawn at once: bounds memory to BATCH x patterns numbers.
BATCH = 64


@dataclass(frozen=True)
class Units:
    """Reliability data as patterns: ``counts[k, c]`` annotators chose label ``c``
    on each of ``weights[k]`` items. ``labels`` names the columns."""

    counts: Floats
    weights: Floats
    labels: tuple[str, ...]

    @classmethod
    def from_patterns(
        cls, patterns: dict[tuple[tuple[str, int], ...], int], labels: list[str] | None = None
    ) -> Units:
        """From ``{((label, count), ...): items}``."""
        names = labels or sorted({lbl for p in patterns for lbl, _ in p})
        index = {name: i for i, name in enumerate(names)}
        counts = np.zeros((len(patterns), len(names)))
        weights = np.zeros(len(patterns))
        for k, (pattern, items) in enumerate(patterns.items()):
            for label, n in pattern:
                counts[k, index[label]] += n
            weights[k] = items
        return cls(counts, weights, tuple(names))

    @property
    def items(self) -> int:
        return int(self.weights.sum())

    @property
    def ratings(self) -> int:
        return int(self.weights @ self.counts.sum(1))

    @property
    def observed_labels(self) -> int:
        """``q``: labels chosen at least once."""
        return int(((self.weights @ self.counts) > 0).sum())

    def binary(self, label: int) -> Units:
        """The label against every other: ``(chose it, chose something else)``."""
        chose = self.counts[:, label]
        other = self.counts.sum(1) - chose
        return Units(np.stack([chose, other], axis=1), self.weights, (self.labels[label], "other"))


def _safe_div(num: Floats, den: Floats) -> Floats:
    with np.errstate(divide="ignore", invalid="ignore"):
        out: Floats = np.where(den != 0, num / np.where(den == 0, 1, den), np.nan)
    return out


def alpha(units: Units, weights: Floats | None = None) -> Floats:
    """Krippendorff's alpha (nominal). ``weights`` may be a matrix of replicates
    (one row each); the result then has one value per row."""
    w = units.weights if weights is None else weights
    counts = units.counts
    m = counts.sum(1)
    valid = m >= 2
    c, mv = counts[valid], m[valid]
    wv = w[..., valid]
    n_c = wv @ c
    n = n_c.sum(-1)
    same = wv @ ((c * (c - 1)).sum(1) / (mv - 1))
    expected = n * n - (n_c * n_c).sum(-1)
    return 1 - _safe_div((n - 1) * (n - same), expected)


def _agreement_and_prevalence(units: Units, w: Floats) -> tuple[Floats, Floats]:
    counts = units.counts
    m = counts.sum(1)
    valid, rated = m >= 2, m >= 1
    pair = np.zeros(len(m))
    pair[valid] = (counts[valid] * (counts[valid] - 1)).sum(1) / (m[valid] * (m[valid] - 1))
    share = np.zeros_like(counts)
    share[rated] = counts[rated] / m[rated, None]
    pa = _safe_div(w[..., valid] @ pair[valid], w[..., valid].sum(-1))
    pi = w[..., rated] @ share[rated] / np.expand_dims(w[..., rated].sum(-1), -1)
    return pa, pi


def fleiss_kappa(units: Units, weights: Floats | None = None) -> Floats:
    """Fleiss' kappa (Gwet's generalisation to unequal numbers of ratings)."""
    pa, pi = _agreement_and_prevalence(units, units.weights if weights is None else weights)
    pe = (pi * pi).sum(-1)
    return _safe_div(pa - pe, 1 - pe)


def gwet_ac1(units: Units, weights: Floats | None = None) -> Floats:
    """Gwet's AC1; ``q`` is the number of labels observed in the data."""
    pa, pi = _agreement_and_prevalence(units, units.weights if weights is None else weights)
    q = units.observed_labels
    if q < 2:
        return np.full(np.shape(pa), np.nan)
    pe = (pi * (1 - pi)).sum(-1) / (q - 1)
    return _safe_div(pa - pe, 1 - pe)


def percent_agreement(units: Units, weights: Floats | None = None) -> Floats:
    """Share of agreeing pairs of ratings on items rated at least twice."""
    pa, _ = _agreement_and_prevalence(units, units.weights if weights is None else weights)
    return pa


def cohen_kappa(table: Floats) -> Floats:
    """Cohen's kappa from a contingency table (rows: one annotator's labels,
    columns: the other's), or a stack of tables."""
    n = table.sum((-2, -1))
    po = np.trace(table, axis1=-2, axis2=-1) / n
    pe = (table.sum(-1) * table.sum(-2)).sum(-1) / (n * n)
    return _safe_div(po - pe, 1 - pe)


UNIT_METRICS: dict[str, Callable[[Units, Floats | None], Floats]] = {
    "krippendorff_alpha": alpha,
    "fleiss_kappa": fleiss_kappa,
    "gwet_ac1": gwet_ac1,
    "percent_agreement": percent_agreement,
}


@dataclass(frozen=True)
class Estimate:
    """A figure with its bootstrap interval (``None`` where undefined, e.g. one
    label only, or no item rated twice)."""

    value: float | None
    low: float | None = None
    high: float | None = None

    def as_dict(self) -> dict[str, float | None]:
        return {"value": self.value, "ci_low": self.low, "ci_high": self.high}


def _finite(x: float) -> float | None:
    return float(x) if np.isfinite(x) else None


def _interval(samples: Floats, level: float) -> tuple[float | None, float | None]:
    samples = samples[np.isfinite(samples)]
    if not len(samples):
        return None, None
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(samples, [tail, 100 - tail])
    return float(low), float(high)


def resample(
    weights: Floats, replicates: int, rng: np.random.Generator
) -> list[Floats]:
    """Bootstrap weights: each row a multinomial resample of the items (with
    replacement), in batches of :data:`BATCH` rows."""
    total = int(weights.sum())
    p = weights / total if total else weights
    out = []
    for start in range(0, replicates, BATCH):
        size = min(BATCH, replicates - start)
        out.append(rng.multinomial(total, p, size=size).astype(np.float64))
    return out


def estimate_units(
    units: Units,
    metrics: list[str],
    replicates: int,
    seed: int,
    level: float = 0.95,
) -> dict[str, Estimate]:
    """Each metric with a percentile bootstrap interval over items (seeded: the
    same data and seed give the same interval)."""
    rng = np.random.default_rng(seed)
    points = {m: _finite(float(UNIT_METRICS[m](units, None))) for m in metrics}
    if replicates <= 0 or units.items == 0:
        return {m: Estimate(points[m]) for m in metrics}
    draws: dict[str, list[Floats]] = {m: [] for m in metrics}
    for batch in resample(units.weights, replicates, rng):
        for m in metrics:
            draws[m].append(UNIT_METRICS[m](units, batch))
    out = {}
    for m in metrics:
        low, high = _interval(np.concatenate(draws[m]), level)
        out[m] = Estimate(points[m], low, high)
    return out


def estimate_cohen(
    table: Floats, replicates: int, seed: int, level: float = 0.95
) -> Estimate:
    """Cohen's kappa of a pair with a bootstrap interval over the shared items."""
    point = _finite(float(cohen_kappa(table)))
    total = table.sum()
    if replicates <= 0 or total == 0:
        return Estimate(point)
    rng = np.random.default_rng(seed)
    flat = table.reshape(-1)
    q = table.shape[0]
    samples = [
        cohen_kappa(batch.reshape(-1, q, q)) for batch in resample(flat, replicates, rng)
    ]
    low, high = _interval(np.concatenate(samples), level)
    return Estimate(point, low, high)


def coincidences(units: Units) -> Floats:
    """Krippendorff's coincidence matrix: ``o[c, k]`` counts the ordered pairs of
    ratings of one item by two annotators, one ``c`` and one ``k``, each item
    weighted ``1 / (m - 1)``. Off the diagonal: how often two labels are
    confused with each other."""
    counts = units.counts
    m = counts.sum(1)
    valid = m >= 2
    c = counts[valid]
    scale = units.weights[valid] / (m[valid] - 1)
    o = np.einsum("k,kc,kd->cd", scale, c, c)
    o -= np.diag(scale @ c)
    return o


def confused_pairs(units: Units, top: int = 10) -> list[dict[str, object]]:
    """The label pairs most often given to one item by two annotators, most first:
    ``pairs`` counts unordered pairs of disagreeing ratings (coincidences / 2, so
    an item rated ``a, b`` by two annotators counts one)."""
    o = coincidences(units)
    rows = []
    q = len(units.labels)
    for i in range(q):
        for j in range(i + 1, q):
            pairs = (o[i, j] + o[j, i]) / 2
            if pairs > 0:
                share = pairs / max(o[i].sum() / 2 + o[j].sum() / 2, 1e-12)
                rows.append(
                    {
                        "labels": [units.labels[i], units.labels[j]],
                        "pairs": round(float(pairs), 6),
                        "share_of_their_pairs": round(float(share), 6),
                    }
                )
    rows.sort(key=lambda r: (-float(r["pairs"]), r["labels"]))  # type: ignore[arg-type]
    return rows[:top]
