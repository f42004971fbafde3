"""The policy files the figures are held against, as :class:`Target` lines with
their places in the YAML: the quality plan of a taxonomy (``quality-plan/1``),
the SLAs (``sla/1``) and the workflows (``workflow/1``) under ``policies/``.

The models are the policies' own (registered in :mod:`taxops.documents`); this
module reads only what the figures need from them, through the small protocols
below, and locates each line so a finding points at it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from taxops.diagnostics import Location, TaxopsError, has_errors
from taxops.loading import YamlDocument, load_yaml
from taxops.quality.forecast import Stage
from taxops.quality.targets import Target

QUALITY_PLAN = "quality-plan/1"
SLA = "sla/1"
WORKFLOW = "workflow/1"


class _Enum(Protocol):
    @property
    def value(self) -> str: ...


class _Agreement(Protocol):
    metric: _Enum
    target: float


class _LabelTargets(Protocol):
    label: str
    agreement_target: float | None
    gold_accuracy_target: float | None


class _Audit(Protocol):
    method: _Enum
    rate: float | None
    inspection_level: _Enum
    aql: float | None
    severity: _Enum


class QualityPlanModel(Protocol):
    taxonomy: str
    agreement: _Agreement
    gold_accuracy_target: float
    audit: _Audit
    review_rate: float
    labels: Sequence[_LabelTargets]


@dataclass(frozen=True)
class Policy:
    """A valid policy file: its model, and its document for locations."""

    path: Path
    display: str
    doc: YamlDocument
    model: Any

    def at(self, *path: str | int) -> Location:
        return self.doc.locate(tuple(path))


def load_policies(root: Path, marker: str) -> list[Policy]:
    """Every valid file of one kind under ``policies/``, in path order. A kind
    taxops does not know yet, or a file with errors, is skipped: ``taxops
    validate`` reports those."""
    from taxops.documents import KINDS
    from taxops.validate import validate_document

    folder = root / "policies"
    kind = KINDS.get(marker)
    if kind is None or not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.rglob("*.y*ml")):
        display = path.relative_to(root).as_posix()
        doc, _ = load_yaml(path, display)
        if doc is None or not isinstance(doc.data, dict) or doc.data.get("taxops") != marker:
            continue
        model, problems = validate_document(doc, kind)
        if model is not None and not has_errors(problems):
            found.append(Policy(path, display, doc, model))
    return found


def quality_plan(root: Path, taxonomy: str) -> Policy | None:
    """The quality plan of a taxonomy, if the repository has a valid one."""
    return next(
        (p for p in load_policies(root, QUALITY_PLAN) if p.model.taxonomy == taxonomy), None
    )


def agreement_targets(
    plan: Policy, labels: Sequence[str] = (), vendors: Sequence[str] = ()
) -> list[Target]:
    """The plan's agreement target overall; per label (its own line, else the
    plan-wide one) for the plan's labels and every label in ``labels``; and the
    plan-wide one for each vendor in ``vendors``."""
    model: QualityPlanModel = plan.model
    metric = model.agreement.metric.value
    source = f"the quality plan ({plan.display})"
    wide = plan.at("agreement", "target")
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
                    plan.at("labels", i, "agreement_target"),
                    source,
                )
            )
    for label in labels:
        if label not in own_lines:
            targets.append(Target(metric, model.agreement.target, True, label, wide, source))
    for vendor in vendors:
        targets.append(Target(metric, model.agreement.target, True, vendor, wide, source))
    return targets


def gold_targets(plan: Policy) -> list[Target]:
    model: QualityPlanModel = plan.model
    source = f"the quality plan ({plan.display})"
    targets = [
        Target(
            "gold_accuracy",
            model.gold_accuracy_target,
            True,
            "overall",
            plan.at("gold_accuracy_target"),
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
                    plan.at("labels", i, "gold_accuracy_target"),
                    source,
                )
            )
    return targets


def audit_settings(plan: Policy) -> dict[str, Any]:
    """The plan's audit: ``method`` random (``rate``) or iso-2859-1 (``level``,
    ``aql``, ``inspection``), with the line it is on."""
    audit: _Audit = plan.model.audit
    return {
        "method": audit.method.value,
        "rate": audit.rate,
        "level": audit.inspection_level.value,
        "aql": audit.aql,
        "inspection": audit.severity.value,
        "location": plan.at("audit"),
        "min_accuracy": plan.model.gold_accuracy_target,
    }


def slas(root: Path, taxonomy: str | None = None) -> list[Policy]:
    """The SLAs (covering ``taxonomy`` when given), in path order."""
    found = load_policies(root, SLA)
    if taxonomy is not None:
        found = [p for p in found if not p.model.taxonomies or taxonomy in p.model.taxonomies]
    return found


def sla_targets(sla: Policy) -> list[Target]:
    """The lines of an SLA the event log can measure."""
    model = sla.model
    source = f"SLA {model.id} ({sla.display})"
    targets = [
        Target(
            "turnaround_hours",
            float(model.turnaround.hours),
            False,
            model.vendor,
            sla.at("turnaround", "hours"),
            source,
            detail=f"p{model.turnaround.percentile:g}",
        ),
        Target(
            "throughput_per_day",
            float(model.throughput_per_day),
            True,
            model.vendor,
            sla.at("throughput_per_day"),
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
                sla.at("rework_rate_max"),
                source,
            )
        )
    for i, rate in enumerate(model.rates):
        if rate.task.value == "label":
            targets.append(
                Target(
                    "cost_per_item",
                    float(rate.cost_per_item),
                    False,
                    model.vendor,
                    sla.at("rates", i, "cost_per_item"),
                    source,
                )
            )
    return targets


def sla_percentiles(found: Sequence[Policy]) -> list[float]:
    return sorted({float(p.model.turnaround.percentile) for p in found})


def workflow_stages(root: Path, workflow_id: str) -> tuple[Policy, list[Stage]]:
    """The stages of a workflow, as the forecast model needs them."""
    found = load_policies(root, WORKFLOW)
    match = next((p for p in found if p.model.id == workflow_id), None)
    if match is None:
        known = ", ".join(p.model.id for p in found) or "none"
        raise TaxopsError(
            f"no valid workflow '{workflow_id}' under policies/", f"known workflows: {known}"
        )
    stages = [
        Stage(s.id, s.task.value, float(s.rate), int(getattr(s, "annotators", 1)))
        for s in match.model.stages
    ]
    return match, stages
