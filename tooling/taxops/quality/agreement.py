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

Multi-label data (a rating is a set of labels, possibly empty) has no single
label per rating to compare, so each label is judged as its own yes/no decision
(chose it, or not, among those who rated the item), every coefficient above on
that binary data, and the overall figure is their **macro average**: the mean
over the labels where the figure is defined, each label counting once. The
alternative, pooling every (item, label) decision into one yes/no table
(:func:`pooled`, kept in the report as ``overall_pooled``), leans on the many
labels nobody chose on an item: with 50 labels, two annotators who disagree on
every label they chose still agree on the 48 they both left out, so the pooled
figure drifts up with the size of the label set. Cohen's kappa for a pair is the
same macro average of its per-label kappas, over the items the pair shares.

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
    """Reliability data as patterns: on each of ``weights[k]`` items, ``raters[k]``
    annotators rated the item and ``counts[k, c]`` of them chose label ``c``.

    Single-label data: ``raters`` is the row sum of ``counts``. Multi-label data:
    an annotator may choose several labels or none, so ``raters`` is given, and
    each label is judged as its own yes/no decision (:func:`per_label`).
    """

    counts: Floats
    weights: Floats
    labels: tuple[str, ...]
    raters: Floats | None = None
    multi_label: bool = False

    @classmethod
    def from_patterns(
        cls,
        patterns: dict[tuple[tuple[str, int], ...], int],
        labels: list[str] | None = None,
        raters: list[int] | None = None,
    ) -> Units:
        """From ``{((label, count), ...): items}``; multi-label data passes the
        number of annotators of each pattern (same order) as ``raters``."""
        names = labels or sorted({lbl for p in patterns for lbl, _ in p})
        index = {name: i for i, name in enumerate(names)}
        counts = np.zeros((len(patterns), len(names)))
        weights = np.zeros(len(patterns))
        for k, (pattern, items) in enumerate(patterns.items()):
            for label, n in pattern:
                counts[k, index[label]] += n
            weights[k] = items
        if raters is None:
            return cls(counts, weights, tuple(names))
        return cls(counts, weights, tuple(names), np.asarray(raters, dtype=np.float64), True)

    @property
    def m(self) -> Floats:
        """Annotators per pattern."""
        return self.counts.sum(1) if self.raters is None else self.raters

    @property
    def items(self) -> int:
        return int(self.weights.sum())

    @property
    def ratings(self) -> int:
        return int(self.weights @ self.m)

    @property
    def observed_labels(self) -> int:
        """``q``: labels chosen at least once."""
        return int(((self.weights @ self.counts) > 0).sum())


def _safe_div(num: Floats, den: Floats) -> Floats:
    with np.errstate(divide="ignore", invalid="ignore"):
        out: Floats = np.where(den != 0, num / np.where(den == 0, 1, den), np.nan)
    return out


def alpha(units: Units, weights: Floats | None = None) -> Floats:
    """Krippendorff's alpha (nominal). ``weights`` may be a matrix of replicates
    (one row each); the result then has one value per row."""
    if units.multi_label:
        return macro(units, weights)["krippendorff_alpha"]
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
    assert not units.multi_label, "multi-label figures are averaged over labels"
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
    if units.multi_label:
        return macro(units, weights)["fleiss_kappa"]
    pa, pi = _agreement_and_prevalence(units, units.weights if weights is None else weights)
    pe = (pi * pi).sum(-1)
    return _safe_div(pa - pe, 1 - pe)


def gwet_ac1(units: Units, weights: Floats | None = None) -> Floats:
    """Gwet's AC1; ``q`` is the number of labels observed in the data."""
    if units.multi_label:
        return macro(units, weights)["gwet_ac1"]
    pa, pi = _agreement_and_prevalence(units, units.weights if weights is None else weights)
    q = units.observed_labels
    if q < 2:
        return np.full(np.shape(pa), np.nan)
    pe = (pi * (1 - pi)).sum(-1) / (q - 1)
    return _safe_div(pa - pe, 1 - pe)


def percent_agreement(units: Units, weights: Floats | None = None) -> Floats:
    """Share of agreeing pairs of ratings on items rated at least twice."""
    if units.multi_label:
        return macro(units, weights)["percent_agreement"]
    pa, _ = _agreement_and_prevalence(units, units.weights if weights is None else weights)
    return pa


def _binary_parts(units: Units, w: Floats) -> dict[str, Floats]:
    """Sums over items of each label's yes/no decision, shape ``(..., q)``: the
    pieces every binary coefficient is made of, so labels can also be pooled."""
    x, m = units.counts, units.m[:, None]
    valid, rated = units.m >= 2, units.m >= 1
    y = m - x
    safe_m = np.where(m >= 1, m, 1)
    safe_pairs = np.where(m >= 2, m - 1, 1)
    same = np.where(m >= 2, (x * (x - 1) + y * (y - 1)) / safe_pairs, 0.0)
    pair = np.where(m >= 2, same / safe_m, 0.0)
    share = np.where(m >= 1, x / safe_m, 0.0)
    wv = w[..., valid]
    q = x.shape[1]
    return {
        "chose": wv @ x[valid],
        "values": np.repeat(np.expand_dims(wv @ units.m[valid], -1), q, -1),
        "same": wv @ same[valid],
        "pair": wv @ pair[valid],
        "paired_items": np.repeat(np.expand_dims(wv.sum(-1), -1), q, -1),
        "share": w[..., rated] @ share[rated],
        "rated_items": np.repeat(np.expand_dims(w[..., rated].sum(-1), -1), q, -1),
    }


def _binary_metrics(parts: dict[str, Floats]) -> dict[str, Floats]:
    n, n1 = parts["values"], parts["chose"]
    n0 = n - n1
    expected = n * n - n1 * n1 - n0 * n0
    alpha_ = 1 - _safe_div((n - 1) * (n - parts["same"]), expected)
    pa = _safe_div(parts["pair"], parts["paired_items"])
    pi = _safe_div(parts["share"], parts["rated_items"])
    pe_f = pi * pi + (1 - pi) * (1 - pi)
    pe_g = 2 * pi * (1 - pi)
    both_seen = (n1 > 0) & (n0 > 0)
    one: Floats = np.ones_like(pe_f)
    return {
        "krippendorff_alpha": alpha_,
        "fleiss_kappa": np.where(both_seen, _safe_div(pa - pe_f, one - pe_f), np.nan),
        "gwet_ac1": np.where(both_seen, _safe_div(pa - pe_g, one - pe_g), np.nan),
        "percent_agreement": pa,
    }


def per_label(units: Units, weights: Floats | None = None) -> dict[str, Floats]:
    """Each label judged as a yes/no decision (chose it, or not), every metric
    for every label at once: arrays of shape ``(..., labels)``."""
    return _binary_metrics(_binary_parts(units, units.weights if weights is None else weights))


def pooled(units: Units, weights: Floats | None = None) -> dict[str, Floats]:
    """Every (item, label) yes/no decision pooled into one binary table (the
    micro average; see the module docstring for why it is not the headline)."""
    parts = _binary_parts(units, units.weights if weights is None else weights)
    return _binary_metrics({k: v.sum(-1) for k, v in parts.items()})


def macro(units: Units, weights: Floats | None = None) -> dict[str, Floats]:
    """Multi-label overall figures: each label's yes/no figure averaged over the
    labels where it is defined (a label nobody chose, or everybody always chose,
    has no agreement to measure and is left out)."""
    return {m: mean_defined(v) for m, v in per_label(units, weights).items()}


def mean_defined(values: Floats) -> Floats:
    """The mean over the last axis of the finite values (NaN where none is)."""
    finite = np.isfinite(values)
    count = finite.sum(-1)
    total = np.where(finite, values, 0.0).sum(-1)
    return _safe_div(total, count.astype(np.float64))


def cohen_kappa(table: Floats) -> Floats:
    """Cohen's kappa from a contingency table (rows: one annotator's labels,
    columns: the other's), or a stack of tables."""
    n = table.sum((-2, -1))
    po = np.trace(table, axis1=-2, axis2=-1) / n
    pe = (table.sum(-1) * table.sum(-2)).sum(-1) / (n * n)
    return _safe_div(po - pe, 1 - pe)


@dataclass(frozen=True)
class PairSets:
    """Multi-label ratings of the items two annotators share, as patterns: on
    ``weights[k]`` items the first chose the labels marked in ``first[k]`` and the
    second those in ``second[k]`` (columns: the data's labels)."""

    first: NDArray[np.bool_]
    second: NDArray[np.bool_]
    weights: Floats

    def label_tables(self, weights: Floats | None = None) -> Floats:
        """Each label's 2x2 yes/no table of the pair, shape ``(..., labels, 2, 2)``."""
        w = self.weights if weights is None else weights
        a, b = self.first.astype(np.float64), self.second.astype(np.float64)
        cells = [w @ (x * y) for x in (a, 1 - a) for y in (b, 1 - b)]
        stacked: Floats = np.stack(cells, -1)
        return stacked.reshape((*stacked.shape[:-1], 2, 2))


#: What two annotators' shared items reduce to: a contingency table of their
#: labels (single-label), or their label sets (multi-label).
PairRatings = Floats | PairSets


def pair_kappa(pair: PairRatings, weights: Floats | None = None) -> Floats:
    """Cohen's kappa of a pair: from the contingency table, or (multi-label) the
    macro average of the per-label kappas."""
    if isinstance(pair, PairSets):
        return mean_defined(cohen_kappa(pair.label_tables(weights)))
    return cohen_kappa(pair if weights is None else weights.reshape((-1, *pair.shape)))


def pair_items(pair: PairRatings) -> int:
    """The items a pair shares."""
    total = pair.weights.sum() if isinstance(pair, PairSets) else pair.sum()
    return round(float(total))


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


def resample(weights: Floats, replicates: int, rng: np.random.Generator) -> list[Floats]:
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
        # Multi-label: one pass over the labels serves every metric.
        figures = macro(units, batch) if units.multi_label else None
        for m in metrics:
            draws[m].append(figures[m] if figures else UNIT_METRICS[m](units, batch))
    out = {}
    for m in metrics:
        low, high = _interval(np.concatenate(draws[m]), level)
        out[m] = Estimate(points[m], low, high)
    return out


def estimate_per_label(
    units: Units, replicates: int, seed: int, level: float = 0.95
) -> dict[str, dict[str, Estimate]]:
    """Every label's yes/no figures with bootstrap intervals: label -> metric -> estimate."""
    points = per_label(units)
    draws: dict[str, list[Floats]] = {m: [] for m in points}
    if replicates > 0 and units.items:
        rng = np.random.default_rng(seed)
        for batch in resample(units.weights, replicates, rng):
            for m, values in per_label(units, batch).items():
                draws[m].append(values)
    out: dict[str, dict[str, Estimate]] = {}
    for c, label in enumerate(units.labels):
        out[label] = {}
        for m, values in points.items():
            low, high = (
                _interval(np.concatenate(draws[m])[:, c], level) if draws[m] else (None, None)
            )
            out[label][m] = Estimate(_finite(float(values[c])), low, high)
    return out


def estimate_pair(pair: PairRatings, replicates: int, seed: int, level: float = 0.95) -> Estimate:
    """Cohen's kappa of a pair with a bootstrap interval over the shared items."""
    point = _finite(float(pair_kappa(pair)))
    weights = pair.weights if isinstance(pair, PairSets) else pair.reshape(-1)
    if replicates <= 0 or weights.sum() == 0:
        return Estimate(point)
    rng = np.random.default_rng(seed)
    samples = [pair_kappa(pair, batch) for batch in resample(weights, replicates, rng)]
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
    o: Floats = np.einsum("k,kc,kd->cd", scale, c, c)
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


@dataclass(frozen=True)
class LabelSets:
    """Multi-label counterparts of the coincidence matrix, over the pairs of
    ratings of one item by two annotators (each item weighted ``1 / (m - 1)``,
    as in the coincidence matrix, so an item counts about once however many
    rated it): ``substituted[c, k]``, one annotator chose ``c`` and not ``k``, the
    other ``k`` and not ``c`` (with one label per rating, the coincidence matrix
    off its diagonal); ``either[c, k]``, each of ``c`` and ``k`` was chosen by at
    least one of the two (diagonal: ``c`` by at least one). And
    ``together[c, k]``: ratings (one annotator, one item) choosing both ``c`` and
    ``k`` (diagonal: ratings choosing ``c``), the labels used side by side."""

    labels: tuple[str, ...]
    substituted: Floats
    either: Floats
    together: Floats


def substituted_pairs(sets: LabelSets, top: int = 10) -> list[dict[str, object]]:
    """Multi-label: the label pairs most often substituted for each other, most
    first; ``share_of_their_pairs`` is their share of the pairs of ratings in
    which either label was chosen by either annotator."""
    s, e = sets.substituted, sets.either
    rows = []
    q = len(sets.labels)
    for i in range(q):
        for j in range(i + 1, q):
            pairs = float(s[i, j] + s[j, i])
            if pairs > 0:
                involved = float(e[i, i] + e[j, j] - e[i, j])
                rows.append(
                    {
                        "labels": [sets.labels[i], sets.labels[j]],
                        "pairs": round(pairs, 6),
                        "share_of_their_pairs": round(pairs / max(involved, 1e-12), 6),
                    }
                )
    rows.sort(key=lambda r: (-float(r["pairs"]), r["labels"]))  # type: ignore[arg-type]
    return rows[:top]
