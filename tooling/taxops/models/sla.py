"""Service-level agreements: what a vendor commits to for one workflow.

Kept under ``policies/slas/<sla-id>.yaml``, one file per vendor and workflow (a
vendor labeling support tickets and driving images has two). Everything the
organisation pays for and measures lives here, once: prices per task, the
throughput, the turnaround percentile, the quality floors, the rework ceiling,
the measurement window and what happens when a target is missed.

Read by the relabel impact (``taxops impact``, the pull-request report) for the
price and pace of review, and by the quality and operations reports for the
targets a vendor's scorecard is held against.
"""

from __future__ import annotations

import enum
from typing import Literal

from pydantic import Field, model_validator

from taxops.models.common import DocId, Owner, Share, Strict
from taxops.models.quality_plan import AgreementMetric

SLA_FORMAT = "sla/1"
HOURS_PER_DAY = 24


class TaskType(str, enum.Enum):
    """A kind of task: what a workflow stage does and what a vendor is paid for, per item."""

    LABEL = "label"
    """Labeling an item from scratch."""
    REVIEW = "review"
    """A second person checks (and corrects) a labeled item; also relabeling an
    item a migration sent to review (a split, a retired label)."""
    AUDIT = "audit"
    """Checking a sample of labeled items against the audit plan."""
    ADJUDICATION = "adjudication"
    """Deciding an item on which labelers or reviewers disagree."""


class Rate(Strict):
    """The price and pace of one task type."""

    task: TaskType
    """The task type: label, review, audit or adjudication."""
    cost_per_item: float = Field(gt=0)
    """Price of one item, in the SLA's currency."""
    items_per_day: int | None = Field(default=None, gt=0)
    """Items per day for this task type, when it differs from ``throughput_per_day``."""


class Turnaround(Strict):
    """How fast items come back: a percentile of the time from task creation to
    delivery, over the measurement window."""

    percentile: float = Field(default=95, gt=0, le=100)
    """Which percentile is held to ``hours`` (95 = p95: 95 % of items within the time)."""
    hours: float = Field(gt=0)
    """Hours from task creation to delivery that the percentile must not exceed."""

    @property
    def days(self) -> float:
        return self.hours / HOURS_PER_DAY

    def describe(self) -> str:
        """``p95 within 72 h``."""
        return f"p{self.percentile:g} within {self.hours:g} h"


class AgreementFloor(Strict):
    """The lowest agreement the vendor's labelers may reach among themselves."""

    metric: AgreementMetric
    """cohen_kappa, fleiss_kappa, krippendorff_alpha or gwet_ac1."""
    floor: float = Field(gt=-1, le=1)
    """The lowest acceptable value of the metric over a measurement window."""


class QualityFloors(Strict):
    """Quality the vendor must not fall below (the quality plan sets the
    organisation's targets; these are the contractual floors)."""

    gold_accuracy: Share | None = None
    """Lowest accuracy on gold (known-answer) items, 0 to 1."""
    agreement: AgreementFloor | None = None
    """Lowest inter-annotator agreement, with the metric it is measured by."""


class Breach(str, enum.Enum):
    """Which target a consequence answers."""

    TURNAROUND = "turnaround"
    THROUGHPUT = "throughput"
    GOLD_ACCURACY = "gold_accuracy"
    AGREEMENT = "agreement"
    REWORK_RATE = "rework_rate"
    ANY = "any"
    """Any target of this SLA."""


class Action(str, enum.Enum):
    """What happens when a target is missed."""

    ESCALATE = "escalate"
    """The breach goes to ``escalate_to`` for a decision."""
    PENALTY = "penalty"
    """A service credit of ``penalty_percent`` of the window's invoice."""
    REWORK = "rework"
    """The vendor redoes the affected items at its own cost."""
    TERMINATE = "terminate"
    """The organisation may end the SLA."""


class Consequence(Strict):
    """What happens when a target is missed, and after how many windows."""

    when: Breach
    """The target missed: turnaround, throughput, gold_accuracy, agreement,
    rework_rate, or any."""
    action: Action
    """escalate, penalty, rework or terminate."""
    after_misses: int = Field(default=1, ge=1)
    """Consecutive measurement windows missed before it applies."""
    penalty_percent: float | None = Field(default=None, gt=0, le=100)
    """For a penalty: the service credit, in percent of the window's invoice."""
    escalate_to: str | None = None
    """For an escalation: who decides (a role with an address)."""
    description: str | None = None
    """Anything else the contract says about it."""

    @model_validator(mode="after")
    def _complete(self) -> Consequence:
        if self.action is Action.PENALTY and self.penalty_percent is None:
            raise ValueError("a penalty needs 'penalty_percent:' (the service credit)")
        if self.action is Action.ESCALATE and not self.escalate_to:
            raise ValueError("an escalation needs 'escalate_to:' (who decides)")
        return self


class Sla(Strict):
    """What one vendor commits to for one workflow (or for all its work)."""

    taxops: Literal["sla/1"]
    """File format marker: this file is a service-level agreement, format version 1."""
    id: DocId
    """Stable id of the SLA (kebab-case), used by datasets and scorecards."""
    vendor: DocId
    """Id of the vendor bound by it (a ``vendor/1`` file under policies/)."""
    workflow: DocId | None = None
    """Id of the workflow it covers (a ``workflow/1`` file); omit when it covers
    all the vendor's work."""
    taxonomies: tuple[DocId, ...] = ()
    """Taxonomies it covers (empty: every taxonomy the vendor labels)."""
    owners: tuple[Owner, ...] = ()
    """Who approves changes to it: @user, @org/team or emails. Used for CODEOWNERS."""
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    """ISO 4217 currency of the prices, e.g. USD or EUR."""
    rates: tuple[Rate, ...] = Field(min_length=1)
    """Cost per item for each task type the vendor does."""
    throughput_per_day: int = Field(gt=0)
    """Items the vendor delivers per day across task types."""
    turnaround: Turnaround
    """The turnaround percentile and hours, from task creation to delivery."""
    quality: QualityFloors = QualityFloors()
    """Quality floors: accuracy on gold items, agreement."""
    rework_rate_max: Share | None = None
    """Highest share of delivered items sent back for rework in a window (0.05 = 5 %)."""
    measurement_window_days: int = Field(default=7, ge=1)
    """Length of the window every target is measured over, in days (7: weekly)."""
    consequences: tuple[Consequence, ...] = ()
    """What happens when a target is missed."""

    def rate(self, task: TaskType) -> Rate | None:
        return next((r for r in self.rates if r.task is task), None)

    def covers(self, taxonomy: str, workflow: str | None = None) -> bool:
        """Whether this SLA applies to work on ``taxonomy`` (in ``workflow``, when given)."""
        if self.taxonomies and taxonomy not in self.taxonomies:
            return False
        return workflow is None or self.workflow in (None, workflow)
