"""Accuracy against a gold set: items whose right label is known.

Gold items carry the taxonomy version they were labeled against. Before they
are compared with today's ratings, each gold label is carried to the current
version by the same migration map ``taxops migrate`` uses: a kept or merged
label becomes its new label; a label the map sends to review (a split, a
retirement without a replacement) or one the old version never had leaves the
gold set, counted with its reason, because its right answer in the new version
is not known.

Accuracy is the share of ratings of gold items that equal the gold label
(labels compared exactly), per annotator, vendor and gold label, with Wilson
intervals, held against the quality plan's gold accuracy targets.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from taxops.diagnostics import Diagnostic
from taxops.migration.model import MigrationMap
from taxops.migration.values import Disposition, classify
from taxops.quality.stats import wilson
from taxops.quality.targets import Target, hold


@dataclass(frozen=True)
class GoldItem:
    item: str
    label: str
    version: str


@dataclass
class GoldSet:
    """Gold labels in the current version, and the items that could not be carried."""

    labels: dict[str, str] = field(default_factory=dict)
    migrated: int = 0
    excluded: list[dict[str, str]] = field(default_factory=list)


def carry_gold(items: list[GoldItem], maps: Mapping[str, MigrationMap]) -> GoldSet:
    """Each gold label in the current version (``maps``: from each version the
    gold set uses to the current one)."""
    out = GoldSet()
    for g in items:
        migration = maps[g.version]
        fate = classify(g.label, migration)
        reason = None
        if fate.disposition is Disposition.UNKNOWN:
            reason = f"'{g.label}' is not a label of {migration.taxonomy} {g.version}"
        elif fate.disposition is Disposition.UNLABELED:
            reason = "no gold label"
        elif fate.disposition is Disposition.REVIEW:
            reason = f"the map from {g.version} sends '{g.label}' to review"
        elif len(fate.targets) != 1:
            reason = f"'{g.label}' becomes several labels in {migration.to_version}"
        if reason:
            out.excluded.append(
                {"item": g.item, "label": g.label, "version": g.version, "reason": reason}
            )
            continue
        new = fate.targets[0]
        out.migrated += new != g.label
        out.labels[g.item] = new
    return out


@dataclass(frozen=True)
class GoldCount:
    """Ratings of gold items by one annotator for one gold label."""

    annotator: str
    vendor: str | None
    gold_label: str
    ratings: int
    correct: int


def _share(correct: int, total: int) -> dict[str, Any]:
    low, high = wilson(correct, total)
    return {
        "ratings": total,
        "correct": correct,
        "accuracy": correct / total if total else None,
        "ci_low": low,
        "ci_high": high,
    }


def gold_report(counts: list[GoldCount], gold: GoldSet) -> dict[str, Any]:
    """Accuracy overall, per annotator, vendor and gold label."""
    groups: dict[str, dict[str, list[int]]] = {"annotators": {}, "vendors": {}, "labels": {}}
    total = [0, 0]
    for c in counts:
        for kind, key in (
            ("annotators", c.annotator),
            ("vendors", c.vendor),
            ("labels", c.gold_label),
        ):
            if key is None:
                continue
            acc = groups[kind].setdefault(key, [0, 0])
            acc[0] += c.correct
            acc[1] += c.ratings
        total[0] += c.correct
        total[1] += c.ratings
    vendor_of = {c.annotator: c.vendor for c in counts}
    return {
        "gold_items": len(gold.labels),
        "gold_items_migrated": gold.migrated,
        "gold_items_excluded": gold.excluded,
        "overall": _share(total[0], total[1]),
        "annotators": {
            a: {"vendor": vendor_of[a], **_share(*v)}
            for a, v in sorted(groups["annotators"].items())
        },
        "vendors": {k: _share(*v) for k, v in sorted(groups["vendors"].items())},
        "labels": {k: _share(*v) for k, v in sorted(groups["labels"].items())},
    }


def gold_findings(report: Mapping[str, Any], targets: list[Target]) -> list[Diagnostic]:
    """Gold accuracy held against the plan: overall, per label, per vendor."""
    found = []
    for target in targets:
        if target.scope == "overall":
            figure, subject = report["overall"], "all gold items"
        elif target.scope in report["labels"]:
            figure, subject = report["labels"][target.scope], f"gold label `{target.scope}`"
        elif target.scope in report["vendors"]:
            figure, subject = report["vendors"][target.scope], f"vendor `{target.scope}`"
        else:
            continue
        if figure["accuracy"] is None:
            continue
        finding = hold(
            target,
            figure["accuracy"],
            rule="gold-accuracy-below-target",
            subject=subject,
            interval=(figure["ci_low"], figure["ci_high"]),
        )
        if finding:
            found.append(finding)
    return found
