"""Relabel impact before anything runs: how many items each change touches, how
many a human must review, and what that costs and takes under a vendor's SLA.

Pure: a migration map, label counts (from a dataset or a ``label,count`` file)
and optionally an SLA in; plain data out, for ``taxops impact`` and the
compatibility PR report alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from taxops.escaping import short, terminal_lines
from taxops.migration.model import Action, MigrationMap, Mode
from taxops.migration.values import Disposition, classify
from taxops.models.datasets import Dataset
from taxops.models.sla import Sla, TaskType
from taxops.quality.forecast import delivery_days, work_days

IMPACT_SCHEMA = "taxops/relabel-impact/1"


@dataclass(frozen=True)
class RegisteredImpact:
    """One registered dataset's share of a change."""

    dataset: Dataset
    #: Where the counts came from: the dataset file, or its counts file.
    counts_from: str | None
    #: ``taxops/relabel-impact/1`` data (None when no counts could be had).
    result: dict[str, Any] | None
    #: Why there is no result.
    problem: str | None = None

    def summary(self) -> dict[str, Any]:
        """Plain data for tools (``registered_datasets`` of ``taxops check
        --format json``): the dataset, where its counts came from, and its
        ``taxops/relabel-impact/1`` result or why there is none."""
        d = self.dataset
        return {
            "taxonomy": d.taxonomy,
            "dataset": d.id,
            "version": str(d.version),
            "location": d.location,
            "counts_from": self.counts_from,
            "impact": self.result,
            "problem": self.problem,
        }


def impact(
    migration: MigrationMap, counts: Mapping[str | None, int], sla: Sla | None = None
) -> dict[str, Any]:
    """Items per change, items needing review, and (with an SLA) the estimated
    review cost and working days. ``counts`` maps raw label values to item counts;
    values are matched as ``taxops migrate`` matches them (exactly, else repaired),
    and values unknown to the old version count as review."""
    per_label: dict[str, int] = {}
    unknown: dict[str, int] = {}
    unlabeled = 0
    for raw, n in counts.items():
        fate = classify(raw, migration)
        if fate.disposition is Disposition.UNLABELED:
            unlabeled += n
        elif fate.disposition is Disposition.UNKNOWN:
            unknown[str(raw)] = unknown.get(str(raw), 0) + n
        else:
            assert fate.label is not None
            per_label[fate.label] = per_label.get(fate.label, 0) + n
    changes: list[dict[str, Any]] = []
    for entry in migration:
        items = per_label.get(entry.label, 0)
        if entry.mode is Mode.KEEP and entry.action is not Action.NARROWED:
            continue
        change: dict[str, Any] = {
            "label": entry.label,
            "action": entry.action.value,
            "mode": entry.mode.value,
            "targets": list(entry.targets),
            "items": items,
        }
        if entry.narrowed_to:
            change["narrowed_to"] = list(entry.narrowed_to)
        changes.append(change)
    direct = sum(c["items"] for c in changes if c["mode"] == Mode.DIRECT.value)
    review = sum(c["items"] for c in changes if c["mode"] == Mode.REVIEW.value) + sum(
        unknown.values()
    )
    total = sum(counts.values())
    result: dict[str, Any] = {
        "schema": IMPACT_SCHEMA,
        "taxonomy": migration.taxonomy,
        "from": migration.from_version,
        "to": migration.to_version,
        "items": total,
        "items_unchanged": total - direct - review - unlabeled,
        "items_relabeled_by_machine": direct,
        "items_needing_review": review,
        "items_unlabeled": unlabeled,
        # Kept on a narrowed label whose meaning partly moved: some may now be wrong.
        "items_kept_on_narrowed_labels": sum(
            c["items"] for c in changes if c["mode"] == Mode.KEEP.value
        ),
        "unknown_labels": dict(sorted(unknown.items(), key=lambda kv: -kv[1])),
        "changes": sorted(changes, key=lambda c: -c["items"]),
        "cost": _cost(review, sla) if sla else None,
    }
    return result


def _cost(review_items: int, sla: Sla) -> dict[str, Any]:
    rate = sla.rate(TaskType.REVIEW) or sla.rate(TaskType.LABEL) or sla.rates[0]
    per_day = rate.items_per_day or sla.throughput_per_day
    # The pace rule of the staffing forecasts (taxops ops plan), in one place.
    days = work_days(review_items, per_day)
    turnaround_days = sla.turnaround.days
    return {
        "vendor": sla.vendor,
        "sla": sla.id,
        "currency": sla.currency,
        "task": rate.task.value,
        "cost_per_item": rate.cost_per_item,
        "review_cost": round(review_items * rate.cost_per_item, 2),
        "items_per_day": per_day,
        "working_days": round(days, 1),
        "calendar_days_with_turnaround": delivery_days(days, turnaround_days),
        "turnaround_sla_days": round(turnaround_days, 2),
        "turnaround": sla.turnaround.describe(),
    }


def impact_text(result: Mapping[str, Any]) -> str:
    """A short human summary."""
    lines = [
        f"{result['taxonomy']} {result['from']} -> {result['to']}: {result['items']:,} items",
        f"  unchanged {result['items_unchanged']:,}, relabeled by machine "
        f"{result['items_relabeled_by_machine']:,}, needing review {result['items_needing_review']:,}"
        + (f", unlabeled {result['items_unlabeled']:,}" if result["items_unlabeled"] else ""),
    ]
    if result.get("items_kept_on_narrowed_labels"):
        lines.append(
            f"  kept on narrowed labels {result['items_kept_on_narrowed_labels']:,} "
            "(part of their meaning moved: some of these may now be wrong)"
        )
    for change in result["changes"]:
        if change["items"] and change["mode"] == Mode.KEEP.value:
            moved = " | ".join(change.get("narrowed_to", ()))
            lines.append(
                f"  {change['items']:>10,}  {change['action']:<8} {change['label']} stays "
                f"(part moved to {moved})"
            )
        elif change["items"]:
            arrow = " | ".join(change["targets"]) or "(a reviewer decides)"
            lines.append(
                f"  {change['items']:>10,}  {change['action']:<8} {change['label']} -> {arrow}"
            )
    if result["unknown_labels"]:
        lines.append(
            "  labels not in "
            + result["from"]
            + ": "
            + ", ".join(
                f"'{short(k)}' ({v:,})" for k, v in list(result["unknown_labels"].items())[:5]
            )
        )
    cost = result.get("cost")
    if cost:
        lines.append(
            f"  review at {cost['vendor']}: {cost['review_cost']:,.2f} {cost['currency']} "
            f"({cost['cost_per_item']} per item), {cost['working_days']} working days at "
            f"{cost['items_per_day']:,}/day; delivered within {cost['calendar_days_with_turnaround']} "
            f"days with the turnaround SLA ({cost['turnaround']})"
        )
    return terminal_lines(lines)  # names and dataset values are escaped here
