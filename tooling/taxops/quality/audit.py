"""Scoring a reviewed audit sample: how many items were nonconforming, and
whether the lot is accepted, with the reasons in words.

A reviewed item is nonconforming when the reviewer's verdict says so, or when
the reviewer's label differs from the delivered label (labels compared exactly).
Under a single sampling plan (MIL-STD-105E's tables) the lot is accepted with at most ``Ac`` nonconforming
items and rejected with ``Re`` or more; under reduced inspection a count in
between accepts the lot and sends the next one back to normal inspection. Under
a random audit, the share of conforming items is held to the accuracy the plan
asks for, with its Wilson interval.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from taxops.quality.acceptance import Inspection, Plan
from taxops.quality.stats import wilson
from taxops.quality.switching import LotResult, State, next_state

AUDIT_SCHEMA = "taxops/quality-audit/1"


@dataclass(frozen=True)
class Reviewed:
    """One reviewed item."""

    item: str
    conforming: bool | None
    label: str | None = None
    reviewed_label: str | None = None


@dataclass
class AuditResult:
    sample_size: int
    reviewed: int
    nonconforming: int
    accepted: bool | None
    reasons: list[str] = field(default_factory=list)
    by_label: dict[str, dict[str, int]] = field(default_factory=dict)
    confusions: dict[tuple[str, str], int] = field(default_factory=dict)
    next_inspection: State | None = None


def score(
    items: list[Reviewed],
    *,
    plan: Plan | None = None,
    min_accuracy: float | None = None,
    history: State | None = None,
) -> AuditResult:
    """The verdict on a lot from its reviewed sample."""
    decided = [r for r in items if r.conforming is not None]
    bad = [r for r in decided if not r.conforming]
    result = AuditResult(len(items), len(decided), len(bad), None)
    for r in decided:
        key = r.label or "(no label)"
        row = result.by_label.setdefault(key, {"reviewed": 0, "nonconforming": 0})
        row["reviewed"] += 1
        row["nonconforming"] += 0 if r.conforming else 1
        if not r.conforming and r.label and r.reviewed_label and r.label != r.reviewed_label:
            pair = (r.label, r.reviewed_label)
            result.confusions[pair] = result.confusions.get(pair, 0) + 1
    missing = len(items) - len(decided)
    if missing and plan is not None and result.nonconforming >= plan.reject:
        # The items still to review cannot take nonconforming ones back.
        result.reasons.append(
            f"{missing} of the {len(items)} sampled items have no verdict yet, but no verdict "
            "of theirs can change this one:"
        )
        _judge_plan(result, plan, history)
        return result
    if missing:
        result.reasons.append(
            f"{missing} of the {len(items)} sampled items have no verdict yet: "
            "the lot cannot be judged until every sampled item is reviewed"
        )
        return result
    if plan is not None:
        _judge_plan(result, plan, history)
    elif min_accuracy is not None:
        _judge_accuracy(result, min_accuracy)
    else:
        result.reasons.append("no plan or accuracy to judge against: figures only")
    return result


def _judge_plan(result: AuditResult, plan: Plan, history: State | None) -> None:
    d = result.nonconforming
    lot = LotResult(plan.inspection, plan.accept, plan.reject, d)
    result.accepted = lot.accepted
    arrow = (
        f" (its arrow leads to {plan.plan_letter}'s plan)"
        if plan.plan_letter != plan.code_letter
        else ""
    )
    table = (
        f"{plan.source}, code letter {plan.code_letter}{arrow}, "
        f"{plan.inspection.value} inspection, AQL {plan.aql}"
    )
    if lot.accepted and d <= plan.accept:
        result.reasons.append(
            f"accept: {d} nonconforming of {result.sample_size} is at most the acceptance "
            f"number {plan.accept} ({table})"
        )
    elif lot.accepted:
        result.reasons.append(
            f"accept: {d} nonconforming is above the acceptance number {plan.accept} but below "
            f"the rejection number {plan.reject} ({table}); the next lot goes back to normal "
            "inspection"
        )
    else:
        result.reasons.append(
            f"reject: {d} nonconforming of {result.sample_size} reaches the rejection number "
            f"{plan.reject} ({table}); return the lot to the vendor for rework"
        )
    if history is not None:
        result.next_inspection = next_state(history, lot)
        result.reasons += list(result.next_inspection.reasons)


def _judge_accuracy(result: AuditResult, min_accuracy: float) -> None:
    n = result.reviewed
    accuracy = (n - result.nonconforming) / n if n else 0.0
    low, high = wilson(n - result.nonconforming, n)
    result.accepted = accuracy >= min_accuracy
    verdict = "accept" if result.accepted else "reject"
    interval = f" (95% interval {low:.1%} to {high:.1%})" if low is not None else ""
    relation = "reaches" if result.accepted else "is below"
    result.reasons.append(
        f"{verdict}: {accuracy:.1%} of the sample is correct{interval}, which {relation} the "
        f"required {min_accuracy:.1%}"
    )


def audit_report(result: AuditResult, *, source: str, plan: Plan | None) -> dict[str, Any]:
    """The result as plain data (schema ``taxops/quality-audit/1``)."""
    nxt = result.next_inspection
    return {
        "schema": AUDIT_SCHEMA,
        "source": source,
        "plan": plan.as_dict() if plan else None,
        "sample_size": result.sample_size,
        "reviewed": result.reviewed,
        "nonconforming": result.nonconforming,
        "accepted": result.accepted,
        "verdict": {True: "accept", False: "reject", None: "undecided"}[result.accepted],
        "reasons": result.reasons,
        "by_label": result.by_label,
        "confusions": [
            {"delivered": a, "reviewed": b, "items": n}
            for (a, b), n in sorted(result.confusions.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        "next_inspection": None
        if nxt is None
        else {
            "inspection": nxt.inspection.value,
            "discontinue": nxt.discontinued,
            "switching_score": nxt.score,
        },
    }


__all__ = ["Inspection", "Reviewed", "audit_report", "score"]
