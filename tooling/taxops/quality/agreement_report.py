"""The agreement report as plain data (schema ``taxops/quality-agreement/1``,
documented in ``site/docs/reference/quality.md``): figures overall, per label,
per vendor, per annotator and pair, per week, the most confused label pairs,
and the findings where a figure misses the quality plan."""

from __future__ import annotations

from typing import Any

import numpy as np

from taxops.diagnostics import Diagnostic
from taxops.formatting.json_format import diagnostic_to_dict
from taxops.quality.agreement import (
    UNIT_METRICS,
    Estimate,
    coincidences,
    confused_pairs,
    estimate_pair,
    estimate_per_label,
    estimate_units,
    figures,
    labels_with_intervals,
    pair_items,
    per_label,
    pooled,
    substituted_pairs,
)
from taxops.quality.annotations import AnnotationData
from taxops.quality.targets import Target, hold

AGREEMENT_SCHEMA = "taxops/quality-agreement/1"
METRICS = list(UNIT_METRICS)
#: Pairs of annotators listed (most shared items first); all feed the annotator means.
MAX_PAIRS = 200
#: Above this many labels the full confusion matrix is left out of the report.
MAX_MATRIX_LABELS = 100


def _est(e: Estimate) -> dict[str, float | None]:
    return {k: None if v is None else round(v, 12) for k, v in e.as_dict().items()}


def agreement_report(
    data: AnnotationData,
    *,
    source: str,
    replicates: int = 1000,
    seed: int = 0,
    targets: list[Target] | None = None,
    plan_metric: str | None = None,
) -> dict[str, Any]:
    """Every figure, with seeded bootstrap intervals, and the findings against
    ``targets`` (``scope`` "overall", a label id or a vendor id)."""
    overall = estimate_units(data.overall, METRICS, replicates, seed)
    labels = estimate_per_label(data.overall, replicates, seed)
    chosen = data.overall.chosen()
    vendors = {
        name: (units, estimate_units(units, METRICS, replicates, seed))
        for name, units in data.by_vendor.items()
    }
    pairs: list[dict[str, Any]] = []
    for (a, b), shared in sorted(data.pairs.items(), key=lambda kv: (-pair_items(kv[1]), kv[0])):
        estimate = estimate_pair(shared, replicates if len(pairs) < MAX_PAIRS else 0, seed)
        pairs.append({"annotators": [a, b], "items": pair_items(shared), "kappa": estimate})
    report: dict[str, Any] = {
        "schema": AGREEMENT_SCHEMA,
        "source": source,
        "multi_label": data.multi_label,
        "plan_metric": plan_metric,
        "bootstrap": {
            "replicates": replicates,
            "seed": seed,
            "level": 0.95,
            "over": "items",
            "labels_with_intervals": labels_with_intervals(len(data.labels), replicates),
        },
        "summary": {
            "rows": data.rows,
            "rows_without_label": data.rows_without_label,
            "repeated_ratings": data.repeated_ratings,
            "items": data.overall.items,
            "items_rated_twice_or_more": int(data.overall.weights[data.overall.m >= 2].sum()),
            "ratings": data.overall.ratings,
            "annotators": len(data.annotators),
            "vendors": len(data.by_vendor),
            "labels": len(data.labels),
        },
        "columns": data.columns,
        "overall": {
            **{m: _est(e) for m, e in overall.items()},
            "cohen_kappa": {"value": _mean_pair_kappa(pairs), "ci_low": None, "ci_high": None},
        },
        **_pooled(data),
        "labels": {
            label: {"chosen": int(chosen[i]), **{m: _est(e) for m, e in labels[label].items()}}
            for i, label in enumerate(data.labels)
        },
        "vendors": {
            name: {
                "items": units.items,
                "ratings": units.ratings,
                **{m: _est(e) for m, e in est.items()},
            }
            for name, (units, est) in vendors.items()
        },
        "annotators": _annotators(data, pairs),
        "pairs": [{**p, "kappa": _est(p["kappa"])} for p in pairs[:MAX_PAIRS]],
        "pairs_total": len(pairs),
        "confusion": _confusion(data),
        "weeks": _weeks(data),
    }
    report["findings"] = [diagnostic_to_dict(d) for d in agreement_findings(report, targets or [])]
    return report


def _pooled(data: AnnotationData) -> dict[str, Any]:
    """Multi-label: the pooled (micro) figures beside the macro ones, points only."""
    if not data.multi_label:
        return {}
    return {"overall_pooled": {m: _round(float(v)) for m, v in pooled(data.overall).items()}}


def _mean_pair_kappa(pairs: list[dict[str, Any]]) -> float | None:
    """Cohen's kappa for more than two annotators: the mean over pairs, weighted
    by the items each pair shares."""
    known = [p for p in pairs if p["kappa"].value is not None]
    total = float(sum(p["items"] for p in known))
    if not total:
        return None
    weighted = float(sum(p["kappa"].value * p["items"] for p in known))
    return round(weighted / total, 12)


def _annotators(data: AnnotationData, pairs: list[dict[str, Any]]) -> dict[str, Any]:
    """Each annotator's ratings and their item-weighted mean Cohen's kappa with
    every annotator they share items with."""
    sums: dict[str, list[float]] = {a: [0.0, 0.0] for a in data.annotators}
    for p in pairs:
        value = p["kappa"].value
        if value is None:
            continue
        for a in p["annotators"]:
            sums[a][0] += value * p["items"]
            sums[a][1] += p["items"]
    return {
        a: {
            "vendor": vendor,
            "ratings": n,
            "cohen_kappa_mean": round(sums[a][0] / sums[a][1], 12) if sums[a][1] else None,
            "shared_items": int(sums[a][1]),
        }
        for a, (vendor, n) in data.annotators.items()
    }


def _confusion(data: AnnotationData) -> dict[str, Any]:
    small = len(data.labels) <= MAX_MATRIX_LABELS
    if data.label_sets is not None:
        sets = data.label_sets
        out: dict[str, Any] = {"top": substituted_pairs(sets)}
        if small:
            out["labels"] = list(sets.labels)
            out["substituted"] = np.round(sets.substituted + sets.substituted.T, 6).tolist()
            out["chosen_together"] = np.round(sets.together, 6).tolist()
        return out
    out = {"top": confused_pairs(data.overall)}
    if small:
        out["labels"] = list(data.labels)
        out["coincidences"] = np.round(coincidences(data.overall), 6).tolist()
    return out


def _weeks(data: AnnotationData) -> dict[str, Any]:
    """Point figures per week (items by the week they were first rated)."""
    out: dict[str, Any] = {}
    for week, units in data.by_week.items():
        labels = per_label(units)["krippendorff_alpha"]
        chosen = units.chosen()  # once: a product over the week's patterns
        out[week] = {
            "items": units.items,
            **{m: _round(float(v)) for m, v in figures(units).items()},
            "labels": {
                units.labels[i]: _round(float(labels[i])) for i in np.flatnonzero(chosen > 0)
            },
        }
    return out


def _round(x: float) -> float | None:
    return round(x, 12) if np.isfinite(x) else None


def agreement_findings(report: dict[str, Any], targets: list[Target]) -> list[Diagnostic]:
    """Each target held against its figure: overall, a label's, or a vendor's."""
    found: list[Diagnostic] = []
    for target in targets:
        if target.scope == "overall":
            figure, subject = report["overall"].get(target.metric), "all labels"
        elif target.scope in report["labels"]:
            figure = report["labels"][target.scope].get(target.metric)
            subject = f"label `{target.scope}`"
        elif target.scope in report["vendors"]:
            figure = report["vendors"][target.scope].get(target.metric)
            subject = f"vendor `{target.scope}`"
        else:
            continue  # a label nobody used this time: nothing to hold
        if figure is None and target.metric == "cohen_kappa":
            # Cohen's kappa is defined for two annotators; a label's or a vendor's
            # figure among many is its many-annotator form, Fleiss' kappa.
            scope = report["labels"].get(target.scope) or report["vendors"].get(target.scope)
            figure = scope.get("fleiss_kappa") if scope else None
        if figure is None:
            continue
        finding = hold(
            target,
            figure["value"],
            rule="agreement-below-target",
            subject=subject,
            interval=(figure["ci_low"], figure["ci_high"]),
        )
        if finding is not None:
            found.append(finding)
    return found
