"""Holding a figure against a target from a plan: one place that turns "this
figure misses that line of the plan" into a :class:`~taxops.diagnostics.Diagnostic`
located at the plan's line, for agreement, gold accuracy and SLA figures alike.

The policy files (quality plan, SLA) are read by their own models; what this
module needs from them is a :class:`Target`: what is measured, the bound, which
way it points, and where the line is.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from taxops.diagnostics import Diagnostic, Location, Severity

#: How each metric is named to people.
METRIC_NAMES = {
    "krippendorff_alpha": "Krippendorff's alpha",
    "fleiss_kappa": "Fleiss' kappa",
    "gwet_ac1": "Gwet's AC1",
    "cohen_kappa": "Cohen's kappa",
    "percent_agreement": "percent agreement",
    "gold_accuracy": "accuracy on gold",
    "throughput_per_day": "throughput (items per day)",
    "turnaround_hours": "turnaround (hours)",
    "rework_rate": "rework rate",
    "cost_per_item": "cost per item",
    "audit_score": "audit score",
}


@dataclass(frozen=True)
class Target:
    """A bound from a plan. ``at_least``: the figure must reach ``bound``
    (agreement, accuracy, throughput); otherwise it must not exceed it
    (turnaround, rework, cost)."""

    metric: str
    bound: float
    at_least: bool = True
    #: What the bound covers: "overall", or a label, vendor or annotator id.
    scope: str = "overall"
    location: Location | None = None
    #: The plan in words, e.g. "quality plan support-intents".
    source: str = "the plan"
    #: A qualifier of the metric, e.g. "p95" for a turnaround percentile.
    detail: str = ""

    def met(self, value: float) -> bool:
        """Whether ``value`` keeps to the bound. A figure equal to the bound keeps
        to it even when floating point computed it a hair off (the mean of
        prices of 0.08 is 0.08000000000000002)."""
        if math.isclose(value, self.bound, rel_tol=1e-9, abs_tol=1e-12):
            return True
        return value >= self.bound if self.at_least else value <= self.bound

    def describe(self) -> str:
        sign = ">=" if self.at_least else "<="
        name = METRIC_NAMES.get(self.metric, self.metric)
        detail = f" {self.detail}" if self.detail else ""
        return f"{name}{detail} {sign} {_number(self.bound)}"


def _number(x: float) -> str:
    return f"{x:,.3f}".rstrip("0").rstrip(".") if not float(x).is_integer() else f"{x:,.0f}"


def hold(
    target: Target,
    value: float | None,
    *,
    rule: str,
    subject: str,
    interval: tuple[float | None, float | None] | None = None,
    unit: str = "",
) -> Diagnostic | None:
    """A finding when ``value`` misses ``target`` (None when met). An undefined
    figure (no data) is a warning: the target cannot be checked."""
    name = METRIC_NAMES.get(target.metric, target.metric)
    data: dict[str, object] = {
        "metric": target.metric,
        "scope": target.scope,
        "value": value,
        "target": target.bound,
        "at_least": target.at_least,
    }
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return Diagnostic(
            f"{rule}-unmeasured",
            Severity.WARNING,
            f"{subject}: {name} cannot be measured from this data, so the target "
            f"({target.describe()}) of {target.source} is not checked",
            target.location,
            hint="it needs items rated by at least two annotators with more than one label used",
            data=data,
        )
    if target.met(value):
        return None
    ci = ""
    severity = Severity.ERROR
    if interval and interval[0] is not None and interval[1] is not None:
        ci = f" (95% interval {_number(interval[0])} to {_number(interval[1])})"
        # The figure misses, but its interval still reaches the target: too few
        # items to tell. A warning, so a rare label does not fail the build.
        reaches = interval[1] >= target.bound if target.at_least else interval[0] <= target.bound
        if reaches:
            severity = Severity.WARNING
    direction = "below" if target.at_least else "above"
    detail = f" {target.detail}" if target.detail else ""
    hint = (
        "its 95% interval still reaches the target: more items would tell"
        if severity is Severity.WARNING
        else None
    )
    return Diagnostic(
        rule,
        severity,
        f"{subject}: {name}{detail} {_number(value)}{unit}{ci} is {direction} the target "
        f"{_number(target.bound)}{unit} of {target.source}",
        target.location,
        hint=hint,
        data=data,
    )
