"""Drawing an audit sample, reproducibly.

Every item gets a pseudo-random rank from a keyed hash of the seed and its id
(BLAKE2b), and a sample is the items with the lowest ranks: the same seed and
items give the same sample whatever the order of the rows, and an item keeps its
rank when others are added (next week's export, with last week's items in it,
draws the same ones again unless the seed changes). Three ways to size it:

- ``rate``: a share of the items (rounded up);
- ``by label``: that share of each label's items, at least ``minimum`` per
  label (or all of a label's items when it has fewer);
- ISO 2859-1: the plan's sample size for the lot (all items are one lot).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable
from dataclasses import dataclass

from taxops.diagnostics import TaxopsError
from taxops.quality.acceptance import Inspection, Plan, single_plan


def rank(seed: int | str, item: str) -> int:
    """The item's place in the seeded random order (lower: drawn first)."""
    digest = hashlib.blake2b(item.encode("utf-8"), digest_size=8, key=str(seed).encode())
    return int.from_bytes(digest.digest(), "big")


@dataclass(frozen=True)
class Sample:
    """The items drawn and how their number was decided."""

    items: list[str]
    method: str
    population: int
    seed: int | str
    plan: Plan | None = None
    per_label: dict[str, tuple[int, int]] | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "method": self.method,
            "seed": self.seed,
            "population": self.population,
            "sample_size": len(self.items),
            "plan": self.plan.as_dict() if self.plan else None,
            "per_label": {k: {"items": n, "drawn": d} for k, (n, d) in self.per_label.items()}
            if self.per_label
            else None,
        }


def _lowest(items: Iterable[str], n: int, seed: int | str) -> list[str]:
    return sorted(items, key=lambda item: (rank(seed, item), item))[:n]


def by_rate(items: list[str], rate: float, seed: int | str) -> Sample:
    _check_rate(rate)
    unique = sorted(set(items))
    n = min(len(unique), math.ceil(rate * len(unique)))
    return Sample(_lowest(unique, n, seed), f"random {rate:g}", len(unique), seed)


def by_label(labeled: dict[str, str], rate: float, seed: int | str, minimum: int = 1) -> Sample:
    """Stratified: ``labeled`` maps each item to its label."""
    _check_rate(rate)
    strata: dict[str, list[str]] = {}
    for item, label in labeled.items():
        strata.setdefault(label, []).append(item)
    drawn: list[str] = []
    per_label: dict[str, tuple[int, int]] = {}
    for label in sorted(strata):
        members = strata[label]
        n = min(len(members), max(minimum, math.ceil(rate * len(members))))
        chosen = _lowest(members, n, seed)
        drawn += chosen
        per_label[label] = (len(members), len(chosen))
    drawn.sort(key=lambda item: (rank(seed, item), item))
    return Sample(
        drawn, f"by label {rate:g} (at least {minimum})", len(labeled), seed, None, per_label
    )


def by_plan(
    items: list[str],
    level: str,
    aql: str | float,
    inspection: Inspection,
    seed: int | str,
) -> Sample:
    """ISO 2859-1 single sampling: the lot is the items given."""
    unique = sorted(set(items))
    plan = single_plan(len(unique), level, aql, inspection)
    return Sample(
        _lowest(unique, plan.sample_size, seed),
        f"ISO 2859-1 single sampling, level {level}, AQL {plan.aql}, {inspection.value}",
        len(unique),
        seed,
        plan,
    )


def _check_rate(rate: float) -> None:
    if not 0 < rate <= 1:
        raise TaxopsError(
            f"a sampling rate of {rate:g} is not a share of the items",
            "give a number above 0 and at most 1, e.g. 0.05 for 5 %",
        )


SAMPLE_SCHEMA = "taxops/audit-sample/1"


def sample_record(sample: Sample, *, source: str, plan_file: str | None) -> dict[str, object]:
    """What is written beside a sample file, so its audit knows the plan."""
    return {
        "schema": SAMPLE_SCHEMA,
        "source": source,
        "quality_plan": plan_file,
        **sample.as_dict(),
    }


def plan_from_record(record: dict[str, object]) -> Plan | None:
    """The ISO 2859-1 plan a sample was drawn by, from its record (None: not ISO)."""
    plan = record.get("plan")
    if not isinstance(plan, dict):
        return None
    return single_plan(
        int(plan["lot_size"]),
        str(plan["inspection_level"]),
        str(plan["aql"]),
        Inspection(str(plan["inspection"])),
    )
