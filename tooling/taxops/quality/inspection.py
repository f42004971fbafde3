"""A dataset held against a taxonomy version, and two datasets' label
distributions compared: pure, over the counts the engine
(:mod:`taxops.engines.inspect`) gathers.

- labels the version does not know, and retired or deprecated labels still used;
- class imbalance: the largest and smallest label, their ratio, the share of the
  largest, normalised entropy (1: all labels equally common), labels below a
  minimum count, and active labels never used;
- drift: Pearson's chi-squared test of homogeneity between two datasets' label
  counts (statistic, degrees of freedom, p-value, Cramér's V) and the labels
  whose share moved most. When the datasets are labeled with different versions,
  the older counts are first carried to the newer version by the migration map
  (labels the map sends to review are counted as "(pending review)").
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from taxops.diagnostics import Diagnostic, Severity
from taxops.migration.model import MigrationMap
from taxops.migration.values import Disposition, classify
from taxops.models.taxonomy import Status, Taxonomy
from taxops.quality.stats import chi_squared

INSPECT_SCHEMA = "taxops/inspection/1"
PENDING = "(pending review)"
#: Drift is reported as a finding below this p-value.
DRIFT_P_VALUE = 0.01


def label_findings(
    counts: Mapping[str | None, int], taxonomy: Taxonomy, dataset: str
) -> tuple[dict[str, Any], list[Diagnostic]]:
    """Unknown and retired labels in use, with counts."""
    by_id = taxonomy.by_id()
    unknown: dict[str, int] = {}
    retired: dict[str, dict[str, Any]] = {}
    unlabeled = 0
    for raw, n in counts.items():
        if raw is None or not str(raw):
            unlabeled += n
            continue
        label = by_id.get(raw)
        if label is None:
            unknown[raw] = unknown.get(raw, 0) + n
        elif label.status is not Status.ACTIVE:
            retired[raw] = {"items": n, "status": label.status.value}
    version = f"{taxonomy.id} {taxonomy.version}"
    found = []
    for raw, n in sorted(unknown.items(), key=lambda kv: (-kv[1], kv[0])):
        found.append(
            Diagnostic(
                "unknown-label-in-dataset",
                Severity.ERROR,
                f"{dataset}: {_items(n)} carry '{raw}', which is not a label of {version}",
                hint="fix the label, or migrate the dataset to the version it belongs to",
                data={"label": raw, "items": n},
            )
        )
    for raw, info in sorted(retired.items(), key=lambda kv: (-kv[1]["items"], kv[0])):
        found.append(
            Diagnostic(
                "retired-label-in-dataset",
                Severity.ERROR if info["status"] == "retired" else Severity.WARNING,
                f"{dataset}: {_items(info['items'])} carry '{raw}', {info['status']} in {version}",
                hint=f"run 'taxops migrate' to carry the items to {version}",
                data={"label": raw, **info},
            )
        )
    return {"unknown": unknown, "not_active": retired, "unlabeled": unlabeled}, found


def _items(n: int) -> str:
    return f"{n:,} item{'s' if n != 1 else ''}"


def imbalance(
    counts: Mapping[str | None, int], taxonomy: Taxonomy | None, minimum: int = 10
) -> dict[str, Any]:
    """How unevenly the labels are used."""
    used = {k: v for k, v in counts.items() if k is not None and str(k) and v > 0}
    total = sum(used.values())
    if not used:
        return {"labels_used": 0}
    ranked = sorted(used.items(), key=lambda kv: (-kv[1], kv[0]))
    entropy = -sum((n / total) * math.log(n / total) for n in used.values())
    out: dict[str, Any] = {
        "labels_used": len(used),
        "largest": {"label": ranked[0][0], "items": ranked[0][1], "share": ranked[0][1] / total},
        "smallest": {
            "label": ranked[-1][0],
            "items": ranked[-1][1],
            "share": ranked[-1][1] / total,
        },
        "ratio_largest_to_smallest": ranked[0][1] / ranked[-1][1],
        "normalised_entropy": entropy / math.log(len(used)) if len(used) > 1 else 0.0,
        "below_minimum": {k: v for k, v in ranked if v < minimum},
        "minimum": minimum,
    }
    if taxonomy is not None:
        groups = {lbl.parent for lbl in taxonomy.labels if lbl.parent}
        out["active_labels_never_used"] = sorted(
            lbl.id
            for lbl in taxonomy.labels
            if lbl.status is Status.ACTIVE and lbl.id not in used and lbl.id not in groups
        )
    return out


def carry_counts(counts: Mapping[str, int], migration: MigrationMap) -> dict[str, int]:
    """Label counts carried through a migration map (for drift across versions)."""
    out: dict[str, int] = {}
    for raw, n in counts.items():
        fate = classify(raw, migration)
        if fate.disposition is Disposition.UNLABELED:
            continue
        if fate.disposition.to_review or not fate.targets:
            key = PENDING if fate.disposition is Disposition.REVIEW else str(raw)
            out[key] = out.get(key, 0) + n
            continue
        for target in fate.targets:
            out[target] = out.get(target, 0) + n
    return out


def drift(
    first: Mapping[str, int], second: Mapping[str, int], names: tuple[str, str]
) -> tuple[dict[str, Any], list[Diagnostic]]:
    """Chi-squared test of two label distributions, and the biggest moves."""
    test = chi_squared(first, second)
    n1, n2 = sum(first.values()) or 1, sum(second.values()) or 1
    moves = sorted(
        (
            {
                "label": label,
                "share_before": first.get(label, 0) / n1,
                "share_after": second.get(label, 0) / n2,
                "change": second.get(label, 0) / n2 - first.get(label, 0) / n1,
            }
            for label in set(first) | set(second)
        ),
        key=lambda m: (-abs(float(m["change"])), m["label"]),  # type: ignore[arg-type]
    )
    result = {
        "datasets": list(names),
        "test": "chi-squared (homogeneity)",
        **test,
        "moves": moves[:10],
    }
    found = []
    p = test["p_value"]
    if isinstance(p, float) and p < DRIFT_P_VALUE:
        top = moves[0]
        found.append(
            Diagnostic(
                "label-drift",
                Severity.WARNING,
                f"{names[1]}: labels are distributed differently from {names[0]} "
                f"(chi-squared {test['statistic']:.1f}, {test['dof']} degrees of freedom, "
                f"p = {p:.2g}); the largest move is '{top['label']}' "
                f"{top['share_before']:.1%} -> {top['share_after']:.1%}",
                hint="check whether the data or the labeling changed before training on both",
                data={k: v for k, v in test.items()},
            )
        )
    return result, found
