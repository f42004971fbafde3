"""An annotation export reduced to what the agreement figures need: the plain
data the DuckDB engine (:mod:`taxops.engines.annotations`) hands the pure core."""

from __future__ import annotations

from dataclasses import dataclass, field

from taxops.quality.agreement import LabelSets, PairRatings, Units
from taxops.quality.gold import GoldCount


@dataclass
class AnnotationData:
    """An export reduced: units overall, per vendor and per week; a contingency
    table per pair of annotators; who rated what; and what was odd in the rows."""

    labels: list[str]
    multi_label: bool
    overall: Units
    by_vendor: dict[str, Units] = field(default_factory=dict)
    by_week: dict[str, Units] = field(default_factory=dict)
    #: (annotator a, annotator b) -> their shared items: a contingency table (a's
    #: labels x b's labels), or (multi-label) their label sets.
    pairs: dict[tuple[str, str], PairRatings] = field(default_factory=dict)
    #: Multi-label: which labels are substituted for, or used with, each other.
    label_sets: LabelSets | None = None
    #: annotator -> (vendor or None, ratings)
    annotators: dict[str, tuple[str | None, int]] = field(default_factory=dict)
    rows: int = 0
    rows_without_label: int = 0
    repeated_ratings: int = 0
    columns: dict[str, str | None] = field(default_factory=dict)
    #: With a gold set: ratings of gold items per annotator and gold label.
    gold_counts: list[GoldCount] = field(default_factory=list)
