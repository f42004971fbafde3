"""The policy files the figures are held against, as :class:`Target` lines with
their places in the YAML: the quality plan of a taxonomy (``quality-plan/1``),
the SLAs (``sla/1``) and the workflows (``workflow/1``) under ``policies/``.

The files are read once, by :func:`taxops.policies.load_policies`; this module
turns the lines the figures are held against into targets, each located at its
YAML line so a finding points at it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from taxops.diagnostics import Location, TaxopsError
from taxops.governed import Governed
from taxops.models.quality_plan import QualityPlan
from taxops.models.sla import Sla, TaskType
from taxops.policies import load_policies
from taxops.quality.forecast import Stage
from taxops.quality.targets import Target

#: A valid policy file: its model, and its document for locations.
Policy = Governed[Any]


def _at(policy: Governed[Any], *path: str | int) -> Location:
    return policy.doc.locate(tuple(path))


def quality_plan(root: Path, taxonomy: str) -> Governed[QualityPlan] | None:
    """The quality plan of a taxonomy, if the repository has a valid one."""
    return load_policies(root).quality_plan(taxonomy)


def agreement_targets(
    plan: Governed[QualityPlan], labels: Sequence[str] = (), vendors: Sequence[str] = ()
) -> list[Target]:
    """The plan's agreement target overall; per label (its own line, else the
    plan-wide one) for the plan's labels and every label in ``labels``; and the
    plan-wide one for each vendor in ``vendors``."""
    model = plan.model
    metric = model.agreement.metric.value
    source = f"quality plan {plan.model.taxonomy}"
    wide = _at(plan, "agreement", "target")
    targets = [Target(metric, model.agreement.target, True, "overall", wide, source)]
    own_lines = set()
    for i, own in enumerate(model.labels):
        if own.agreement_target is not None:
            own_lines.add(own.label)
            targets.append(
                Target(
                    metric,
                    own.agreement_target,
                    True,
                    own.label,
                    _at(plan, "labels", i, "agreement_target"),
                    source,
                )
            )
    for label in labels:
        if label not in own_lines:
            targets.append(Target(metric, model.agreement.target, True, label, wide, source))
    for vendor in vendors:
        targets.append(Target(metric, model.agreement.target, True, vendor, wide, source))
    return targets


def gold_targets(plan: Governed[QualityPlan]) -> list[Target]:
    model = plan.model
    source = f"quality plan {plan.model.taxonomy}"
    targets = [
        Target(
            "gold_accuracy",
            model.gold_accuracy_target,
            True,
            "overall",
            _at(plan, "gold_accuracy_target"),
            source,
        )
    ]
    for i, own in enumerate(model.labels):
        if own.gold_accuracy_target is not None:
            targets.append(
                Target(
                    "gold_accuracy",
                    own.gold_accuracy_target,
                    True,
                    own.label,
                    _at(plan, "labels", i, "gold_accuracy_target"),
                    source,
                )
            )
    return targets


def audit_settings(plan: Governed[QualityPlan]) -> dict[str, Any]:
    """The plan's audit: ``method`` random (``rate``) or iso-2859-1 (``level``,
    ``aql``, ``inspection``), with the line it is on."""
    audit = plan.model.audit
    return {
        "method": audit.method.value,
        "rate": audit.rate,
        "level": audit.inspection_level.value,
        "aql": audit.aql,
        "inspection": audit.severity.value,
        "location": _at(plan, "audit"),
        "min_accuracy": plan.model.gold_accuracy_target,
    }


def slas(root: Path, taxonomy: str | None = None) -> list[Governed[Sla]]:
    """The SLAs (covering ``taxonomy`` when given), in path order."""
    found = load_policies(root).slas
    if taxonomy is not None:
        found = [p for p in found if not p.model.taxonomies or taxonomy in p.model.taxonomies]
    return found


def sla_targets(sla: Governed[Sla]) -> list[Target]:
    """The lines of an SLA the event log can measure."""
    model = sla.model
    source = f"SLA {model.id}"
    targets = [
        Target(
            "turnaround_hours",
            float(model.turnaround.hours),
            False,
            model.vendor,
            _at(sla, "turnaround", "hours"),
            source,
            detail=f"p{model.turnaround.percentile:g}",
        ),
        Target(
            "throughput_per_day",
            float(model.throughput_per_day),
            True,
            model.vendor,
            _at(sla, "throughput_per_day"),
            source,
        ),
    ]
    if model.rework_rate_max is not None:
        targets.append(
            Target(
                "rework_rate",
                float(model.rework_rate_max),
                False,
                model.vendor,
                _at(sla, "rework_rate_max"),
                source,
            )
        )
    for i, rate in enumerate(model.rates):
        if rate.task is TaskType.LABEL:
            targets.append(
                Target(
                    "cost_per_item",
                    float(rate.cost_per_item),
                    False,
                    model.vendor,
                    _at(sla, "rates", i, "cost_per_item"),
                    source,
                )
            )
    return targets


def sla_percentiles(found: Sequence[Governed[Sla]]) -> list[float]:
    return sorted({float(p.model.turnaround.percentile) for p in found})


def workflow_stages(root: Path, workflow_id: str) -> tuple[Policy, list[Stage]]:
    """The stages of a workflow, as the forecast model needs them."""
    found = load_policies(root).workflows
    match = next((p for p in found if p.model.id == workflow_id), None)
    if match is None:
        known = ", ".join(p.model.id for p in found) or "none"
        raise TaxopsError(
            f"no valid workflow '{workflow_id}' under policies/", f"known workflows: {known}"
        )
    stages = [Stage(s.id, s.task.value, float(s.rate), s.annotators) for s in match.model.stages]
    return match, stages
