"""Staffing and delivery forecasts: one model of labeling work, used by
``taxops ops plan`` and by the relabel time of ``taxops impact``.

Effort per item is the sum over the workflow's stages of the share of items
that pass through the stage, times the annotators per item there, times the
measured handle time of that kind of task (hours from started to submitted in
the event log; a stage whose kind of task the log does not time is priced at the
labeling time, and said so). People work ``productive_hours`` a day on working
days (Monday to Friday by default).

- staff for a date: the people needed to finish the volume by the due date;
- date for a staff: the working day the volume is finished;
- progress: items delivered so far against the plan, and the completion date
  forecast from the daily deliveries seen so far: days are resampled (seeded) to
  simulate the rest of the delivery, giving the median date, a 90% range and the
  risk of missing the due date (the share of simulations finishing after it).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from taxops.diagnostics import TaxopsError

PLAN_SCHEMA = "taxops/ops-plan/1"


@dataclass(frozen=True)
class Stage:
    """One stage of a workflow, as the model needs it."""

    id: str
    task: str
    rate: float
    annotators: int = 1


@dataclass(frozen=True)
class Effort:
    """Hours of work per item through the workflow, stage by stage."""

    stages: tuple[tuple[Stage, float, str], ...]

    @property
    def hours_per_item(self) -> float:
        return sum(stage.rate * stage.annotators * hours for stage, hours, _ in self.stages)

    def as_dict(self) -> dict[str, object]:
        return {
            "hours_per_item": self.hours_per_item,
            "stages": [
                {
                    "stage": stage.id,
                    "task": stage.task,
                    "rate": stage.rate,
                    "annotators": stage.annotators,
                    "handle_hours": hours,
                    "hours_per_item": stage.rate * stage.annotators * hours,
                    "handle_time_from": source,
                }
                for stage, hours, source in self.stages
            ],
        }


def effort(stages: Sequence[Stage], handle_hours: Mapping[str, float]) -> Effort:
    """The workflow's effort per item from measured handle times per task kind
    (``label``, ``review``, ...; ``label`` is required)."""
    if "label" not in handle_hours:
        raise TaxopsError(
            "the event log has no handle time for labeling",
            "it needs started and submitted times on labeling tasks, or pass --handle-hours",
        )
    out = []
    for stage in stages:
        if stage.task in handle_hours:
            out.append((stage, handle_hours[stage.task], "measured"))
        else:
            out.append((stage, handle_hours["label"], "labeling time (not measured for this task)"))
    return Effort(tuple(out))


def is_working_day(day: dt.date, week: int) -> bool:
    return week == 7 or day.weekday() < week


def working_days_between(start: dt.date, end: dt.date, week: int = 5) -> int:
    """Working days from ``start`` up to and including ``end``."""
    days = 0
    day = start
    while day <= end:
        days += is_working_day(day, week)
        day += dt.timedelta(days=1)
    return days


def add_working_days(start: dt.date, days: float, week: int = 5) -> dt.date:
    """The working day on which ``days`` working days starting on ``start`` end."""
    whole = max(1, math.ceil(days - 1e-9)) if days > 0 else 0
    day = start
    while not is_working_day(day, week):
        day += dt.timedelta(days=1)
    counted = 1 if whole else 0
    while counted < whole:
        day += dt.timedelta(days=1)
        counted += is_working_day(day, week)
    return day


def work_days(items: float, items_per_day: float) -> float:
    """Working days ``items`` take at ``items_per_day``: the one rule for pace,
    used by ``taxops impact`` for review work as well."""
    if items <= 0:
        return 0.0
    return items / items_per_day


def delivery_days(working_days: float, turnaround_days: float) -> int:
    """Days until delivery: the work, then the turnaround the SLA allows for the
    last batch (each rounded up to whole days); nothing to do takes no time."""
    if working_days <= 0:
        return 0
    return math.ceil(working_days) + math.ceil(turnaround_days)


def staff_for_date(
    volume: int,
    work: Effort,
    productive_hours: float,
    start: dt.date,
    due: dt.date,
    week: int = 5,
) -> dict[str, object]:
    """People needed to finish ``volume`` items between ``start`` and ``due``."""
    days = working_days_between(start, due, week)
    if days <= 0:
        raise TaxopsError(f"no working day between {start} and {due}")
    hours = volume * work.hours_per_item
    people = hours / (productive_hours * days)
    return {
        "volume": volume,
        "hours": hours,
        "working_days": days,
        "people_exact": people,
        "people": math.ceil(people - 1e-9),
        "items_per_day": volume / days,
    }


def date_for_staff(
    volume: int,
    work: Effort,
    productive_hours: float,
    start: dt.date,
    staff: float,
    week: int = 5,
) -> dict[str, object]:
    """The working day ``staff`` people finish ``volume`` items."""
    if staff <= 0:
        raise TaxopsError(
            f"a staff of {staff:g} never finishes", "pass --staff with more than 0 people"
        )
    hours = volume * work.hours_per_item
    days = hours / (staff * productive_hours)
    return {
        "volume": volume,
        "hours": hours,
        "working_days": days,
        "finish": add_working_days(start, days, week).isoformat(),
        "items_per_day": volume / days if days else None,
    }


def progress(
    volume: int,
    delivered: int,
    daily: Mapping[str, int],
    *,
    today: dt.date,
    due: dt.date | None,
    week: int = 5,
    seed: int = 0,
    simulations: int = 2000,
) -> dict[str, object]:
    """Delivery so far and the forecast completion date with its risk. ``daily``
    holds the items delivered per calendar day (ISO dates) so far."""
    remaining = max(0, volume - delivered)
    days = sorted(daily)
    if not days:
        return {"volume": volume, "delivered": delivered, "remaining": remaining, "forecast": None}
    first = dt.date.fromisoformat(days[0])
    counts = [
        daily.get(d.isoformat(), 0)
        for d in (first + dt.timedelta(n) for n in range((today - first).days + 1))
        if is_working_day(d, week)
    ]
    rate = sum(counts) / len(counts) if counts else 0.0
    out: dict[str, object] = {
        "volume": volume,
        "delivered": delivered,
        "remaining": remaining,
        "share_done": delivered / volume if volume else None,
        "working_days_observed": len(counts),
        "items_per_working_day": rate,
    }
    if remaining == 0:
        out["forecast"] = {"finish": today.isoformat(), "risk_of_missing": 0.0}
        return out
    if rate <= 0:
        out["forecast"] = None
        return out
    import numpy as np  # here: taxops impact reads this module and starts fast

    rng = np.random.default_rng(seed)
    pool = np.asarray(counts, dtype=np.float64)
    finishes = []
    # Each simulation draws future days from the days seen, until the remainder is done.
    horizon = max(10, math.ceil(remaining / max(rate, 1e-9) * 4))
    draws = rng.choice(pool, size=(simulations, horizon), replace=True)
    done = np.cumsum(draws, axis=1) >= remaining
    needed = np.where(done.any(axis=1), done.argmax(axis=1) + 1, horizon + 1)
    for n in needed:
        finishes.append(add_working_days(today + dt.timedelta(days=1), float(n), week))
    finishes.sort()
    median = finishes[len(finishes) // 2]
    low, high = finishes[int(0.05 * len(finishes))], finishes[int(0.95 * len(finishes)) - 1]
    forecast: dict[str, object] = {
        "finish": median.isoformat(),
        "range_90": [low.isoformat(), high.isoformat()],
        "simulations": simulations,
        "seed": seed,
    }
    if due is not None:
        late = sum(1 for f in finishes if f > due)
        forecast["due"] = due.isoformat()
        forecast["risk_of_missing"] = late / len(finishes)
        left = working_days_between(today + dt.timedelta(days=1), due, week)
        forecast["items_per_day_needed"] = remaining / left if left else None
    out["forecast"] = forecast
    return out
