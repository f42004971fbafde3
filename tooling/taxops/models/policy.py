"""Vendor policies: who labels for us, at what cost, how fast, under which SLA.

Kept under ``policies/vendors/<vendor-id>.yaml``. The relabel impact of a
taxonomy change (``taxops impact``, the PR report) reads the cost per item and
the throughput from here; the operations reports check turnaround against the SLA.
"""

from __future__ import annotations

import enum
from typing import Literal

from pydantic import Field

from taxops.models.common import DocId, Strict

VENDOR_FORMAT = "vendor/1"


class TaskType(str, enum.Enum):
    """What a vendor is paid for, per item."""

    LABEL = "label"
    """Labeling an item from scratch."""
    REVIEW = "review"
    """Relabeling an item a migration sent to review (a split, a retired label)."""
    AUDIT = "audit"
    """Checking an already labeled item (quality sample)."""


class Rate(Strict):
    """The price and pace of one task type."""

    task: TaskType
    """The task type: label, review or audit."""
    cost_per_item: float = Field(gt=0)
    """Price of one item, in the vendor's currency."""
    items_per_day: int | None = Field(default=None, gt=0)
    """Items per day for this task type, when it differs from the vendor's throughput."""


class Sla(Strict):
    """What the vendor commits to."""

    turnaround_days: float = Field(gt=0)
    """Longest time, in calendar days, from handing over a batch to its delivery."""
    min_agreement: float | None = Field(default=None, gt=0, le=1)
    """Agreement with the audit sample the vendor must keep (0-1), when agreed."""


class Vendor(Strict):
    """A labeling vendor (or an in-house team) and its commercial terms."""

    taxops: Literal["vendor/1"]
    """File format marker: this file is a vendor policy, format version 1."""
    id: DocId
    """Stable id of the vendor (kebab-case), used by datasets and reports."""
    name: str = Field(min_length=1)
    """The vendor's name as people say it."""
    contact: str | None = None
    """Who to talk to: an email or a handle."""
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    """ISO 4217 currency of the rates, e.g. USD or EUR."""
    throughput_per_day: int = Field(gt=0)
    """Items the vendor's team delivers per day across task types."""
    rates: list[Rate] = Field(min_length=1)
    """Cost per item for each task type the vendor does."""
    sla: Sla
    """The service levels agreed."""
    taxonomies: list[DocId] = Field(default_factory=list)
    """Taxonomies the vendor labels (empty: any)."""

    def rate(self, task: TaskType) -> Rate | None:
        return next((r for r in self.rates if r.task is task), None)
