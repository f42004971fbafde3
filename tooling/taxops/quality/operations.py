"""Operations figures from a task event log, and the vendor scorecard: each
vendor's figures over the SLA's measurement window held against each line of
its SLA (met or missed, the figure, the line, by how much), with the trend
against the window before.

The DuckDB engine (:mod:`taxops.engines.events`) reduces the log to an
:class:`EventData`; everything here is plain arithmetic on it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from taxops.diagnostics import Diagnostic
from taxops.formatting.json_format import diagnostic_to_dict
from taxops.quality.targets import Target, hold

SCORECARD_SCHEMA = "taxops/ops-scorecard/1"
#: Metrics where a smaller figure is better.
LOWER_IS_BETTER = {"turnaround_hours", "rework_rate", "cost_per_item"}


@dataclass
class EventData:
    """Figures per group: ``groups[(vendor, week)]`` with None for "all"."""

    percentiles: tuple[float, ...]
    groups: dict[tuple[str | None, str | None], dict[str, Any]] = field(default_factory=dict)
    #: (vendor or None, label or task type) -> handle-time figures.
    handle: dict[tuple[str | None, str], dict[str, Any]] = field(default_factory=dict)
    #: Turnaround hours of delivered tasks, per vendor (None: all), bucketed for charts.
    turnaround_histogram: dict[str | None, list[tuple[float, int]]] = field(default_factory=dict)
    first_created: str | None = None
    last_accepted: str | None = None
    rows: int = 0
    columns: dict[str, str | None] = field(default_factory=dict)
    #: Tasks whose times run backwards (accepted before created...): left out.
    inconsistent: int = 0
    #: Per time column: rows whose value is written but not a time (left out
    #: of the figures that need it), and one such value.
    unreadable: dict[str, tuple[int, str]] = field(default_factory=dict)
    #: Tasks delivered per calendar day (ISO date), per vendor (None: all).
    daily: dict[str | None, dict[str, int]] = field(default_factory=dict)


def figures(group: dict[str, Any] | None, window_days: float) -> dict[str, float | None]:
    """The SLA-comparable figures of one group of tasks (a vendor in a window)."""
    if not group:
        return {
            "delivered": 0,
            "throughput_per_day": 0.0,
            "rework_rate": None,
            "cost_per_item": None,
            "audit_score": None,
        }
    delivered = group["delivered"] or 0
    out: dict[str, float | None] = {
        "delivered": delivered,
        "throughput_per_day": delivered / window_days if window_days else None,
        # What was asked of the vendor: a vendor that delivered everything it was
        # sent meets a throughput line even below the committed rate.
        "demand_per_day": group["tasks"] / window_days if window_days else None,
        "rework_rate": group["reworked"] / delivered if delivered else None,
        "cost_per_item": (
            group["label_cost"] / group["label_costed"]
            if group.get("label_costed")
            else group["cost"] / group["costed"]
            if group["costed"]
            else None
        ),
        "cost_per_delivered_task": group["cost"] / group["costed"] if group["costed"] else None,
        "audit_score": group["audit_score"],
        "turnaround_mean_hours": group["turnaround_mean"],
    }
    for name, value in group["turnaround_percentiles"].items():
        out[f"turnaround_{name}_hours"] = value
    return out


def figure_for(target: Target, values: dict[str, float | None]) -> float | None:
    """The figure a target line speaks of (turnaround: at the line's percentile)."""
    if target.metric == "turnaround_hours":
        return values.get(f"turnaround_{target.detail}_hours")
    return values.get(target.metric)


@dataclass(frozen=True)
class Window:
    start: dt.datetime
    end: dt.datetime

    @property
    def days(self) -> float:
        return (self.end - self.start).total_seconds() / 86400

    def before(self) -> Window:
        return Window(self.start - (self.end - self.start), self.start)

    def as_pair(self) -> tuple[str, str]:
        return self.start.isoformat(), self.end.isoformat()


def window_ending(last: str | None, days: int, as_of: dt.date | None = None) -> Window:
    """The measurement window: ``days`` whole days ending with ``as_of`` (default:
    the day of the last delivery in the log)."""
    if as_of is None:
        as_of = dt.datetime.fromisoformat(last).date() if last else dt.date.today()
    end = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time())
    return Window(end - dt.timedelta(days=days), end)


@dataclass
class VendorCard:
    vendor: str
    sla: str | None
    window: Window
    current: dict[str, float | None]
    previous: dict[str, float | None]
    lines: list[dict[str, Any]] = field(default_factory=list)
    findings: list[Diagnostic] = field(default_factory=list)

    @property
    def met(self) -> bool | None:
        judged = [line["met"] for line in self.lines if line["met"] is not None]
        return all(judged) if judged else None


def scorecard(
    vendor: str,
    sla: str | None,
    targets: list[Target],
    window: Window,
    current: dict[str, float | None],
    previous: dict[str, float | None],
) -> VendorCard:
    """One vendor's figures held against its SLA's lines."""
    card = VendorCard(vendor, sla, window, current, previous)
    for target in targets:
        demand = current.get("demand_per_day")
        line = target.describe()
        if target.metric == "throughput_per_day" and demand is not None and demand < target.bound:
            # Less was sent than the vendor committed to: it must deliver all of it.
            line = (
                f"throughput: everything sent, {demand:,.1f} a day "
                f"(committed {target.bound:,.0f} a day)"
            )
            target = replace(target, bound=demand)
        value = figure_for(target, current)
        before = figure_for(target, previous)
        finding = hold(
            target,
            value,
            rule="sla-missed",
            subject=f"vendor `{vendor}` ({window.start.date()} to "
            f"{(window.end - dt.timedelta(days=1)).date()})",
            unit=" h" if target.metric == "turnaround_hours" else "",
        )
        met = None if value is None else target.met(value)
        if finding is not None:
            card.findings.append(finding)
        card.lines.append(
            {
                "metric": target.metric,
                "detail": target.detail,
                "line": line,
                "target": target.bound,
                "figure": value,
                "met": met,
                "by": None if value is None else value - target.bound,
                "trend": _trend(target.metric, value, before),
                "location": None
                if target.location is None
                else {
                    "path": target.location.path,
                    "line": target.location.line,
                    "column": target.location.column,
                },
            }
        )
    return card


def _trend(metric: str, now: float | None, before: float | None) -> dict[str, Any]:
    if now is None or before is None:
        return {"previous": before, "change": None, "direction": "unknown"}
    change = now - before
    if abs(change) < 1e-12:
        direction = "same"
    else:
        better = change < 0 if metric in LOWER_IS_BETTER else change > 0
        direction = "better" if better else "worse"
    return {"previous": before, "change": change, "direction": direction}


def scorecard_report(
    cards: list[VendorCard], data: EventData, *, source: str, unmatched: list[str]
) -> dict[str, Any]:
    """Scorecards, weekly series and the turnaround distribution as plain data
    (schema ``taxops/ops-scorecard/1``)."""
    weekly: dict[str, dict[str, Any]] = {}
    for (vendor, week), group in sorted(data.groups.items(), key=lambda kv: str(kv[0])):
        if week is None:
            continue
        key = vendor or "(all)"
        weekly.setdefault(key, {})[week] = figures(group, 7.0)
    overall = {
        (vendor or "(all)"): figures(group, _span_days(group))
        for (vendor, week), group in data.groups.items()
        if week is None
    }
    return {
        "schema": SCORECARD_SCHEMA,
        "source": source,
        "rows": data.rows,
        "tasks_with_times_backwards": data.inconsistent,
        "unreadable_times": {
            column: {"tasks": n, "example": example}
            for column, (n, example) in data.unreadable.items()
        },
        "first_created": data.first_created,
        "last_accepted": data.last_accepted,
        "percentiles": [f"p{p:g}" for p in data.percentiles],
        "overall": overall,
        "vendors": {
            card.vendor: {
                "sla": card.sla,
                "window": {
                    "start": card.window.start.date().isoformat(),
                    "end": (card.window.end - dt.timedelta(days=1)).date().isoformat(),
                    "days": card.window.days,
                },
                "met": card.met,
                "figures": card.current,
                "previous_window": card.previous,
                "lines": card.lines,
            }
            for card in cards
        },
        "vendors_without_sla": unmatched,
        "weekly": weekly,
        "handle_time": {
            f"{vendor or '(all)'}|{kind}": value for (vendor, kind), value in data.handle.items()
        },
        "turnaround_histogram": {
            (vendor or "(all)"): [{"from_hours": b, "tasks": n} for b, n in buckets]
            for vendor, buckets in data.turnaround_histogram.items()
        },
        "daily_delivered": {(vendor or "(all)"): days for vendor, days in data.daily.items()},
        "findings": [diagnostic_to_dict(d) for card in cards for d in card.findings],
    }


def _span_days(group: dict[str, Any]) -> float:
    """Calendar days from the first task created to the last delivered (at least one)."""
    first, last = group.get("first_created"), group.get("last_accepted")
    if not first or not last:
        return 1.0
    span = dt.datetime.fromisoformat(last) - dt.datetime.fromisoformat(first)
    return max(1.0, span.total_seconds() / 86400)
