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

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

Floats = NDArray[np.float64]
Ints = NDArray[np.int64]

#: Bootstrap replicates drawn at once: bounds memory to BATCH x patterns numbers.
BATCH = 64

#: Below this many cells (patterns x labels) the counts are also kept as a
#: dense matrix, whose products with the weights are one BLAS call; above it
#: (thousands of labels: 100,000 items of Google's 5,500 product categories
#: made 2.4 GB) every sum over patterns reads the stored entries instead.
DENSE_CELLS = 2_000_000


@dataclass(frozen=True)
class Units:
    """Reliability data as patterns: on each of ``weights[k]`` items, ``m[k]``
    annotators rated the item and ``count(k, c)`` of them chose label ``c``.

    Stored as its non-zero entries (``rows[i]`` a pattern, ``cols[i]`` a label,
    ``vals[i]`` its count): an item's pattern holds a handful of labels however
    many the taxonomy has, so the data grows with the ratings, never with
    patterns times labels.

    Single-label data: ``raters`` is a pattern's count total. Multi-label data:
    an annotator may choose several labels or none, so ``raters`` is given, and
    each label is judged as its own yes/no decision (:func:`per_label`).
    """

    rows: Ints
    cols: Ints
    vals: Floats
    weights: Floats
    labels: tuple[str, ...]
    raters: Floats | None = None
    multi_label: bool = False

    @classmethod
    def empty(cls) -> Units:
        return cls.of_entries([], [], [], np.zeros(0), ())

    @classmethod
    def of_entries(
        cls,
        rows: object,
        cols: object,
        vals: object,
        weights: Floats,
        labels: tuple[str, ...],
        raters: Floats | None = None,
    ) -> Units:
        """From entries (pattern, label, count), repeated pairs summed."""
        r = np.asarray(rows, dtype=np.int64)
        c = np.asarray(cols, dtype=np.int64)
        v = np.asarray(vals, dtype=np.float64)
        q = max(len(labels), 1)
        key, at = np.unique(r * q + c, return_inverse=True)
        summed = np.bincount(at, weights=v, minlength=len(key)) if len(v) else v
        keep = summed != 0
        weights = np.asarray(weights, dtype=np.float64)
        multi = raters is not None
        return cls(
            key[keep] // q,
            key[keep] % q,
            summed[keep],
            weights,
            labels,
            None if raters is None else np.asarray(raters, dtype=np.float64),
            multi,
        )

    @property
    def patterns(self) -> int:
        return len(self.weights)

    @cached_property
    def m(self) -> Floats:
        """Annotators per pattern."""
        if self.raters is not None:
            return self.raters
        return _sums(self.rows, self.vals, self.patterns)

    @property
    def items(self) -> int:
        return int(self.weights.sum())

    @property
    def ratings(self) -> int:
        return int(self.weights @ self.m)

    def chosen(self) -> Floats:
        """How often each label was chosen (ratings), over every item."""
        return self.by_label(self.weights, self.vals)

    @cached_property
    def observed_labels(self) -> int:
        """``q``: labels chosen at least once."""
        return int((self.chosen() > 0).sum())

    @cached_property
    def dense(self) -> Floats | None:
        """The counts as a patterns x labels matrix, when that is small
        (:data:`DENSE_CELLS`); None otherwise."""
        if self.patterns * len(self.labels) > DENSE_CELLS:
            return None
        return self.as_matrix(self.vals)

    def as_matrix(self, values: Floats) -> Floats:
        """``values`` (one per entry) as a patterns x labels matrix. For small data."""
        out = np.zeros((self.patterns, len(self.labels)))
        out[self.rows, self.cols] = values
        return out

    def only(self, labels: Ints) -> Units:
        """The same items with only ``labels`` (positions, ascending) kept: for
        figures of those labels alone. Each pattern keeps its annotators."""
        keep = np.zeros(len(self.labels), dtype=bool)
        keep[labels] = True
        entry = keep[self.cols]
        renumber = np.cumsum(keep) - 1
        return Units(
            self.rows[entry],
            renumber[self.cols[entry]],
            self.vals[entry],
            self.weights,
            tuple(self.labels[int(c)] for c in labels),
            self.m,
            self.multi_label,
        )

    def by_pattern(self, values: Floats) -> Floats:
        """The sum of ``values`` (one per entry) in each pattern."""
        return _sums(self.rows, values, self.patterns)

    def by_label(self, w: Floats, values: Floats) -> Floats:
        """``sum_k w[..., k] * value(k, c)`` for every label ``c``: ``values`` one
        per entry (zero elsewhere), ``w`` one weight per pattern or a matrix of
        replicates (one row each)."""
        q = len(self.labels)
        if self.dense is not None:
            matrix = self.dense if values is self.vals else self.as_matrix(values)
            out: Floats = w @ matrix
            return out
        if w.ndim == 1:
            return _sums(self.cols, w[self.rows] * values, q)
        return np.stack([_sums(self.cols, row[self.rows] * values, q) for row in w])


def _sums(index: Ints, values: Floats, size: int) -> Floats:
    """The sum of ``values`` at each position ``0 .. size - 1`` of ``index``."""
    out: Floats = np.bincount(index, weights=values, minlength=size).astype(np.float64)
    return out


def _safe_div(num: Floats, den: Floats, fill: float = np.nan) -> Floats:
    """``num / den``, ``fill`` where ``den`` is 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        out: Floats = np.where(den != 0, num / np.where(den == 0, 1, den), fill)
    return out


def alpha(units: Units, weights: Floats | None = None) -> Floats:
    """Krippendorff's alpha (nominal). ``weights`` may be a matrix of replicates
    (one row each); the result then has one value per row."""
    if units.multi_label:
        return macro(units, weights)["krippendorff_alpha"]
    w = units.weights if weights is None else weights
    m = units.m
    valid = m >= 2
    wv = w * valid  # an item rated once pairs with nobody
    n_c = units.by_label(wv, units.vals)
    n = n_c.sum(-1)
    agreeing = units.by_pattern(units.vals * (units.vals - 1))
    same = wv @ _safe_div(agreeing, m - 1, fill=0.0)
    expected = n * n - (n_c * n_c).sum(-1)
    return 1 - _safe_div((n - 1) * (n - same), expected)


def _agreement_and_prevalence(units: Units, w: Floats) -> tuple[Floats, Floats]:
    assert not units.multi_label, "multi-label figures are averaged over labels"
    m = units.m
    valid, rated = m >= 2, m >= 1
    agreeing = units.by_pattern(units.vals * (units.vals - 1))
    pair = _safe_div(agreeing, m * (m - 1), fill=0.0)
    wv, wr = w * valid, w * rated
    pa = _safe_div(wv @ pair, wv.sum(-1))
    share = units.vals / m[units.rows]  # an entry's pattern has a rating at least
    pi = units.by_label(wr, share) / np.expand_dims(wr.sum(-1), -1)
    return pa, pi


def _kappas(units: Units, w: Floats) -> dict[str, Floats]:
    """Fleiss' kappa, Gwet's AC1 and the percent agreement, which share the
    observed agreement and the prevalences."""
    pa, pi = _agreement_and_prevalence(units, w)
    pe_fleiss = (pi * pi).sum(-1)
    q = units.observed_labels
    pe_gwet: Floats = (pi * (1 - pi)).sum(-1) / (q - 1) if q >= 2 else np.full(np.shape(pa), np.nan)
    return {
        "fleiss_kappa": _safe_div(pa - pe_fleiss, 1 - pe_fleiss),
        "gwet_ac1": _safe_div(pa - pe_gwet, 1 - pe_gwet),
        "percent_agreement": pa,
    }


def fleiss_kappa(units: Units, weights: Floats | None = None) -> Floats:
    """Fleiss' kappa (Gwet's generalisation to unequal numbers of ratings)."""
    if units.multi_label:
        return macro(units, weights)["fleiss_kappa"]
    return _kappas(units, units.weights if weights is None else weights)["fleiss_kappa"]


def gwet_ac1(units: Units, weights: Floats | None = None) -> Floats:
    """Gwet's AC1; ``q`` is the number of labels observed in the data."""
    if units.multi_label:
        return macro(units, weights)["gwet_ac1"]
    return _kappas(units, units.weights if weights is None else weights)["gwet_ac1"]


def percent_agreement(units: Units, weights: Floats | None = None) -> Floats:
    """Share of agreeing pairs of ratings on items rated at least twice."""
    if units.multi_label:
        return macro(units, weights)["percent_agreement"]
    return _kappas(units, units.weights if weights is None else weights)["percent_agreement"]


def _binary_parts(units: Units, w: Floats) -> dict[str, Floats]:
    """Sums over items of each label's yes/no decision, shape ``(..., q)``: the
    pieces every binary coefficient is made of, so labels can also be pooled.

    On an item rated by ``m`` annotators, ``x`` of whom chose the label, the
    agreeing pairs ``x(x-1) + (m-x)(m-x-1)`` over ``m-1`` are ``m + 2x(x-m)/(m-1)``:
    the part that does not depend on the label (``m``, all that an unchosen
    label has) is summed once per item, the rest only where the label was
    chosen, so nothing grows with items times labels."""
    x, m = units.vals, units.m
    valid, rated = m >= 2, m >= 1
    wv, wr = w * valid, w * rated
    q = len(units.labels)
    mx = m[units.rows]
    deviation = _safe_div(2 * x * (x - mx), mx - 1, fill=0.0)  # zero where m < 2
    chosen_pairs = units.by_label(wv, deviation)
    chosen_share = units.by_label(wr, _safe_div(x, mx, fill=0.0))
    per_item = np.expand_dims(wv @ m, -1)
    paired = np.expand_dims(wv.sum(-1), -1)

    def each_label(column: Floats) -> Floats:
        return np.repeat(column, q, -1)

    return {
        "chose": units.by_label(wv, x),
        "values": each_label(per_item),
        "same": per_item + chosen_pairs,
        "pair": paired + units.by_label(wv, _safe_div(deviation, mx, fill=0.0)),
        "paired_items": each_label(paired),
        "share": chosen_share,
        "rated_items": each_label(np.expand_dims(wr.sum(-1), -1)),
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
    ``weights[k]`` items the first chose the labels ``first_labels[i]`` where
    ``first_rows[i] == k``, and the second likewise (labels are the data's,
    ``labels`` of them): the labels chosen, never patterns times labels."""

    first_rows: Ints
    first_labels: Ints
    second_rows: Ints
    second_labels: Ints
    weights: Floats
    labels: int

    @cached_property
    def _both(self) -> tuple[Ints, Ints]:
        """The (pattern, label) both annotators chose."""
        q = max(self.labels, 1)
        both = np.intersect1d(
            self.first_rows * q + self.first_labels, self.second_rows * q + self.second_labels
        )
        return both // q, both % q

    def label_tables(self, weights: Floats | None = None) -> Floats:
        """Each label's 2x2 yes/no table of the pair, shape ``(..., labels, 2, 2)``:
        ``[[both chose it, only the first], [only the second, neither]]``."""
        w = self.weights if weights is None else weights
        rows = [w] if w.ndim == 1 else list(w)
        tables = []
        for row in rows:
            first = _sums(self.first_labels, row[self.first_rows], self.labels)
            second = _sums(self.second_labels, row[self.second_rows], self.labels)
            both = _sums(self._both[1], row[self._both[0]], self.labels)
            neither = row.sum() - first - second + both
            tables.append(np.stack([both, first - both, second - both, neither], -1))
        stacked: Floats = tables[0] if w.ndim == 1 else np.stack(tables)
        return stacked.reshape((*stacked.shape[:-1], 2, 2))


@dataclass(frozen=True)
class PairCells:
    """Single-label ratings of the items two annotators share, as the non-empty
    cells of their contingency table: on ``weights[i]`` items the first chose
    label ``first[i]`` and the second ``second[i]`` (codes ``0 .. used - 1`` of
    the labels the pair used). A pair that used thousands of labels has a cell
    per distinct pair of answers, not a square of every label."""

    first: Ints
    second: Ints
    weights: Floats
    used: int


#: What two annotators' shared items reduce to: the cells of a contingency table
#: of their labels (single-label), or their label sets (multi-label).
PairRatings = PairCells | PairSets


def pair_kappa(pair: PairRatings, weights: Floats | None = None) -> Floats:
    """Cohen's kappa of a pair: from the cells of its contingency table, or
    (multi-label) the macro average of the per-label kappas."""
    if isinstance(pair, PairSets):
        return mean_defined(cohen_kappa(pair.label_tables(weights)))
    w = pair.weights if weights is None else weights
    n = w.sum(-1)
    po = _safe_div((w * (pair.first == pair.second)).sum(-1), n)

    def chance(row: Floats) -> float:
        return float(_sums(pair.first, row, pair.used) @ _sums(pair.second, row, pair.used))

    products = [chance(w)] if w.ndim == 1 else [chance(row) for row in w]
    pe = _safe_div(np.array(products).reshape(np.shape(n)), n * n)
    return _safe_div(po - pe, 1 - pe)


def pair_items(pair: PairRatings) -> int:
    """The items a pair shares."""
    return round(float(pair.weights.sum()))


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


#: Patterns (non-empty) above which a resample may draw item by item (below,
#: numpy's multinomial costs under a millisecond, and keeps the draws, so the
#: intervals, of every export this size exactly as earlier versions gave them).
DRAW_ITEMS_ABOVE = 10_000


def resample(
    weights: Floats, replicates: int, rng: np.random.Generator, batch: int = BATCH
) -> Iterator[Floats]:
    """Bootstrap weights: each row a multinomial resample of the items (with
    replacement), in batches of ``batch`` rows, each made when it is used
    (1,000 replicates of 200,000 patterns held at once were 1.6 GB).

    numpy's multinomial draws a binomial per pattern (about 60 ns each): with
    as many patterns as items, as thousands of labels give, that took 14 ms a
    replicate, five times over per report. There each replicate draws its items
    uniformly instead and counts them per pattern (about 5 ns an item): the
    same distribution, in time proportional to the items."""
    total = int(weights.sum())
    p = weights / total if total else weights
    owner = None
    drawn_from = np.count_nonzero(weights)  # an empty pattern or cell draws nothing
    if drawn_from > DRAW_ITEMS_ABOVE and 0 < total < 10 * drawn_from:  # cheaper item by item
        owner = np.repeat(np.arange(len(weights), dtype=np.int64), weights.astype(np.int64))
    for start in range(0, replicates, batch):
        size = min(batch, replicates - start)
        if owner is None:
            yield rng.multinomial(total, p, size=size).astype(np.float64)
            continue
        drawn = np.empty((size, len(weights)))
        for row in range(size):
            drawn[row] = np.bincount(owner[rng.integers(0, total, total)], minlength=len(weights))
        yield drawn


def figures(units: Units, weights: Floats | None = None) -> dict[str, Floats]:
    """Every metric of :data:`UNIT_METRICS` at once (the observed agreement and
    the prevalences they share computed once)."""
    if units.multi_label:
        return macro(units, weights)
    w = units.weights if weights is None else weights
    return {"krippendorff_alpha": alpha(units, w), **_kappas(units, w)}


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
    point = figures(units)
    points = {m: _finite(float(point[m])) for m in metrics}
    if replicates <= 0 or units.items == 0:
        return {m: Estimate(points[m]) for m in metrics}
    draws: dict[str, list[Floats]] = {m: [] for m in metrics}
    for batch in resample(units.weights, replicates, rng):
        found = figures(units, batch)
        for m in metrics:
            draws[m].append(found[m])
    out = {}
    for m in metrics:
        low, high = _interval(np.concatenate(draws[m]), level)
        out[m] = Estimate(points[m], low, high)
    return out


#: Bootstrap figures kept per label, at most (replicates x labels): 1,000
#: replicates of 150,000 labels would be 1.2 GB per metric. Past it, the labels
#: chosen most get intervals; the others (a handful of ratings each, whose
#: interval would say little) get their value alone.
PER_LABEL_DRAWS = 10_000_000
#: Labels x replicates computed at once in one batch of per-label figures.
PER_LABEL_BATCH_CELLS = 2_000_000


def labels_with_intervals(labels: int, replicates: int) -> int:
    """How many labels get a bootstrap interval (:data:`PER_LABEL_DRAWS`)."""
    if replicates <= 0:
        return 0
    return min(labels, max(1, PER_LABEL_DRAWS // replicates))


def estimate_per_label(
    units: Units, replicates: int, seed: int, level: float = 0.95
) -> dict[str, dict[str, Estimate]]:
    """Every label's yes/no figures with bootstrap intervals: label -> metric -> estimate."""
    points = per_label(units)
    q = len(units.labels)
    with_interval = np.arange(q)
    draws: dict[str, list[Floats]] = {m: [] for m in points}
    if replicates > 0 and units.items and q:
        most = labels_with_intervals(q, replicates)
        if most < q:
            with_interval = np.sort(np.argsort(-units.chosen(), kind="stable")[:most])
        sampled = units.only(with_interval) if len(with_interval) < q else units
        rng = np.random.default_rng(seed)
        size = max(1, min(BATCH, PER_LABEL_BATCH_CELLS // len(with_interval)))
        for batch in resample(units.weights, replicates, rng, size):
            for m, values in per_label(sampled, batch).items():
                draws[m].append(values)
    bounds = {m: _intervals(np.concatenate(d), level) for m, d in draws.items() if d}
    out: dict[str, dict[str, Estimate]] = {}
    place = {int(c): k for k, c in enumerate(with_interval)} if bounds else {}
    for c, label in enumerate(units.labels):
        k = place.get(c)
        out[label] = {
            m: Estimate(
                _finite(float(values[c])),
                *(bounds[m][0][k], bounds[m][1][k]) if k is not None else (None, None),
            )
            for m, values in points.items()
        }
    return out


def _intervals(samples: Floats, level: float) -> tuple[list[float | None], list[float | None]]:
    """:func:`_interval` of every column of ``samples`` (replicates x labels) at
    once: each column sorted, its finite values first, and the percentile read
    as ``np.percentile`` reads it (linear, the same interpolation). numpy's
    ``nanpercentile`` goes column by column: 6.6 s for 5,000 labels."""
    x = np.where(np.isfinite(samples), samples, np.nan)
    x.sort(axis=0)  # NaN last
    n = np.isfinite(x).sum(0)
    columns = np.arange(x.shape[1])
    tail = (1 - level) / 2
    bounds = []
    for q in (tail, 1 - tail):
        position = q * np.maximum(n - 1, 0)
        below = np.floor(position).astype(np.int64)
        above = np.minimum(below + 1, np.maximum(n - 1, 0))
        t = position - below
        a, b = x[below, columns], x[above, columns]
        diff = b - a
        value = np.where(t >= 0.5, b - diff * (1 - t), a + diff * t)  # numpy's _lerp
        bounds.append([_finite(v) if k else None for v, k in zip(value, n, strict=True)])
    return bounds[0], bounds[1]


def estimate_pair(pair: PairRatings, replicates: int, seed: int, level: float = 0.95) -> Estimate:
    """Cohen's kappa of a pair with a bootstrap interval over the shared items."""
    point = _finite(float(pair_kappa(pair)))
    weights = pair.weights
    if replicates <= 0 or weights.sum() == 0:
        return Estimate(point)
    rng = np.random.default_rng(seed)
    batches = resample(weights, replicates, rng)
    if isinstance(pair, PairCells) and pair.used * pair.used <= DENSE_CELLS:
        # A small table is resampled cell by cell in its row-major order, empty
        # cells included (they draw nothing), as taxops always did: the same
        # export and seed keep giving the same interval.
        at = pair.first * pair.used + pair.second
        table = np.zeros(pair.used * pair.used)
        table[at] = weights
        batches = (batch[:, at] for batch in resample(table, replicates, rng))
    samples = [pair_kappa(pair, batch) for batch in batches]
    low, high = _interval(np.concatenate(samples), level)
    return Estimate(point, low, high)


def coincidences(units: Units) -> Floats:
    """Krippendorff's coincidence matrix: ``o[c, k]`` counts the ordered pairs of
    ratings of one item by two annotators, one ``c`` and one ``k``, each item
    weighted ``1 / (m - 1)``. Off the diagonal: how often two labels are
    confused with each other. A labels x labels matrix: for a few labels (the
    report shows it up to :data:`~taxops.quality.agreement_report.MAX_MATRIX_LABELS`)."""
    q = len(units.labels)
    o: Floats = np.zeros((q, q))
    first, second, value = _confusions(units)
    np.add.at(o, (first, second), value)
    np.add.at(o, (second, first), value)
    scale = _pair_weight(units)
    np.add.at(o, (units.cols, units.cols), scale[units.rows] * units.vals * (units.vals - 1))
    return o


def _pair_weight(units: Units) -> Floats:
    """Each pattern's weight per pair of its ratings, ``w_k / (m_k - 1)``; zero
    where an item was rated once (it pairs with nobody)."""
    m = units.m
    weight: Floats = _safe_div(units.weights, m - 1, fill=0.0) * (m >= 2)
    return weight


def _confusions(units: Units) -> tuple[Ints, Ints, Floats]:
    """Every pair of different labels given to one item, ``first < second``,
    with its coincidences ``sum_k w_k n_kc n_kd / (m_k - 1)`` (the coincidence
    matrix above its diagonal), from each pattern's own entries: the work
    follows the labels an item was given, never labels times labels."""
    scale = _pair_weight(units)
    order = np.lexsort((units.cols, units.rows))
    rows, cols, vals = units.rows[order], units.cols[order], units.vals[order]
    firsts, seconds, values = [], [], []
    step = 1
    while step < len(rows):
        at = np.flatnonzero(rows[:-step] == rows[step:])
        if not len(at):
            break  # no pattern holds step + 1 labels
        firsts.append(cols[at])
        seconds.append(cols[at + step])
        values.append(scale[rows[at]] * vals[at] * vals[at + step])
        step += 1
    if not firsts:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
    return np.concatenate(firsts), np.concatenate(seconds), np.concatenate(values)


def confused_pairs(units: Units, top: int = 10) -> list[dict[str, object]]:
    """The label pairs most often given to one item by two annotators, most first:
    ``pairs`` counts unordered pairs of disagreeing ratings (coincidences / 2, so
    an item rated ``a, b`` by two annotators counts one)."""
    first, second, value = _confusions(units)
    q = len(units.labels)
    key, at = np.unique(first * q + second, return_inverse=True)
    pairs = np.bincount(at, weights=value, minlength=len(key))
    # A label's coincidences with every label (a row of the matrix): the
    # ratings of it on items rated at least twice.
    m = units.m
    ratings = units.by_label(units.weights * (m >= 2), units.vals)
    rows = []
    for k in np.flatnonzero(pairs > 0):
        i, j = divmod(int(key[k]), q)
        share = pairs[k] / max(ratings[i] / 2 + ratings[j] / 2, 1e-12)
        rows.append(
            {
                "labels": [units.labels[i], units.labels[j]],
                "pairs": round(float(pairs[k]), 6),
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
    ``k`` (diagonal: ratings choosing ``c``), the labels used side by side.

    Each is kept as its non-zero cells (``(c, k, value)`` arrays, one cell
    once); the matrices are made from them when asked, for a few labels."""

    labels: tuple[str, ...]
    substituted_cells: tuple[Ints, Ints, Floats]
    either_cells: tuple[Ints, Ints, Floats]
    together_cells: tuple[Ints, Ints, Floats]

    def _matrix(self, cells: tuple[Ints, Ints, Floats]) -> Floats:
        q = len(self.labels)
        out: Floats = np.zeros((q, q))
        np.add.at(out, (cells[0], cells[1]), cells[2])
        return out

    @property
    def substituted(self) -> Floats:
        return self._matrix(self.substituted_cells)

    @property
    def either(self) -> Floats:
        return self._matrix(self.either_cells)

    @property
    def together(self) -> Floats:
        return self._matrix(self.together_cells)


def substituted_pairs(sets: LabelSets, top: int = 10) -> list[dict[str, object]]:
    """Multi-label: the label pairs most often substituted for each other, most
    first; ``share_of_their_pairs`` is their share of the pairs of ratings in
    which either label was chosen by either annotator."""
    q = len(sets.labels)
    c, k, value = sets.substituted_cells
    apart = c != k
    low, high = np.minimum(c[apart], k[apart]), np.maximum(c[apart], k[apart])
    key, at = np.unique(low * q + high, return_inverse=True)
    pairs = np.bincount(at, weights=value[apart], minlength=len(key))
    ec, ek, ev = sets.either_cells
    either = dict(zip((ec * q + ek).tolist(), ev.tolist(), strict=True))
    ranked = []
    for n in np.flatnonzero(pairs > 0):
        i, j = divmod(int(key[n]), q)
        substituted = float(pairs[n])
        ranked.append((-round(substituted, 6), sets.labels[i], sets.labels[j], substituted, i, j))
    ranked.sort()
    rows = []
    for minus, first, second, substituted, i, j in ranked[:top]:
        involved = either.get(i * q + i, 0.0) + either.get(j * q + j, 0.0)
        involved -= either.get(i * q + j, 0.0)
        rows.append(
            {
                "labels": [first, second],
                "pairs": -minus,
                "share_of_their_pairs": round(substituted / max(involved, 1e-12), 6),
            }
        )
    return rows
