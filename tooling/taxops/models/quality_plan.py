"""The quality plan of one taxonomy: how agreement is measured and what it must
reach, the gold-set accuracy target, how labeled work is audited and reviewed,
and the pass mark a labeler needs to be certified.

Kept under ``policies/quality/<taxonomy-id>.yaml``. The quiz on the guideline
site scores against ``certification.pass_mark``; the quality reports hold
agreement, gold accuracy and audits against the targets (per label where the
plan says so).
"""

from __future__ import annotations

import enum
from typing import Literal

from pydantic import Field, model_validator

from taxops.models.common import DocId, LabelId, Owner, Share, Strict

QUALITY_PLAN_FORMAT = "quality-plan/1"


class AgreementMetric(str, enum.Enum):
    """How agreement between labelers is measured."""

    COHEN_KAPPA = "cohen_kappa"
    """Cohen's kappa: two labelers per item."""
    FLEISS_KAPPA = "fleiss_kappa"
    """Fleiss' kappa: a fixed number of labelers per item, not always the same people."""
    KRIPPENDORFF_ALPHA = "krippendorff_alpha"
    """Krippendorff's alpha: any number of labelers, missing labels allowed."""
    GWET_AC1 = "gwet_ac1"
    """Gwet's AC1: stable when one label dominates (kappa's paradox)."""

    @property
    def display_name(self) -> str:
        """The metric's name as people write it."""
        return {
            "cohen_kappa": "Cohen's kappa",
            "fleiss_kappa": "Fleiss' kappa",
            "krippendorff_alpha": "Krippendorff's alpha",
            "gwet_ac1": "Gwet's AC1",
        }[self.value]


class AuditMethod(str, enum.Enum):
    RANDOM = "random"
    """A fixed share of items, drawn at random (``rate``)."""
    ISO_2859_1 = "iso-2859-1"
    """Acceptance sampling by lot (ISO 2859-1): the sample size and acceptance
    number follow from the lot size, the inspection level and the AQL."""


class InspectionLevel(str, enum.Enum):
    """ISO 2859-1 inspection levels: general I, II (the usual), III; special S-1 to S-4."""

    I = "I"  # noqa: E741 (the standard's name)
    II = "II"
    III = "III"
    S1 = "S-1"
    S2 = "S-2"
    S3 = "S-3"
    S4 = "S-4"


class InspectionSeverity(str, enum.Enum):
    """ISO 2859-1 switching state: the sampling plan in force."""

    NORMAL = "normal"
    TIGHTENED = "tightened"
    REDUCED = "reduced"


#: The AQL values of ISO 2859-1's tables (percent nonconforming).
AQL_VALUES = (
    0.010, 0.015, 0.025, 0.040, 0.065, 0.10, 0.15, 0.25, 0.40, 0.65, 1.0, 1.5, 2.5,
    4.0, 6.5, 10.0, 15.0, 25.0, 40.0, 65.0, 100.0, 150.0, 250.0, 400.0, 650.0, 1000.0,
)  # fmt: skip


class Audit(Strict):
    """How labeled work is audited: a random share, or ISO 2859-1 acceptance sampling."""

    method: AuditMethod
    """random (a share of items) or iso-2859-1 (acceptance sampling per lot)."""
    rate: Share | None = None
    """For ``random``: the share of items audited (0.02 = 2 %)."""
    inspection_level: InspectionLevel = InspectionLevel.II
    """For ``iso-2859-1``: the inspection level (I, II, III, S-1 to S-4)."""
    aql: float | None = None
    """For ``iso-2859-1``: the acceptance quality limit, in percent nonconforming,
    one of the standard's values (0.65, 1.0, 1.5, 2.5, 4.0, ...)."""
    severity: InspectionSeverity = InspectionSeverity.NORMAL
    """For ``iso-2859-1``: the inspection in force: normal, tightened or reduced."""

    @model_validator(mode="after")
    def _method_fields(self) -> Audit:
        if self.method is AuditMethod.RANDOM:
            if self.rate is None:
                raise ValueError("a random audit needs 'rate:' (the share of items audited)")
            if self.aql is not None:
                raise ValueError("'aql' belongs to iso-2859-1 sampling, not a random audit")
        else:
            if self.aql is None:
                raise ValueError("iso-2859-1 sampling needs 'aql:' (e.g. 1.0 or 2.5)")
            if self.aql not in AQL_VALUES:
                shown = ", ".join(f"{v:g}" for v in AQL_VALUES[:16])
                raise ValueError(f"aql {self.aql:g} is not in ISO 2859-1's tables ({shown}, ...)")
            if self.rate is not None:
                raise ValueError("'rate' belongs to a random audit; iso-2859-1 derives the sample")
        return self

    def describe(self) -> str:
        """The plan in words: ``a random 3 % of items`` or ``ISO 2859-1 ...``."""
        if self.method is AuditMethod.RANDOM:
            return f"a random {(self.rate or 0) * 100:g} % of items"
        level = self.inspection_level.value
        kind = "special" if level.startswith("S") else "general"
        return (
            f"ISO 2859-1 acceptance sampling per lot: {kind} inspection level {level}, "
            f"AQL {self.aql:g} %, {self.severity.value} inspection"
        )


class Agreement(Strict):
    """How agreement between labelers is measured, and the target."""

    metric: AgreementMetric
    """cohen_kappa, fleiss_kappa, krippendorff_alpha or gwet_ac1."""
    target: float = Field(gt=-1, le=1)
    """The value the metric must reach over the measurement window."""


class Certification(Strict):
    """What a labeler must show before labeling with this taxonomy."""

    pass_mark: float = Field(gt=0, le=1)
    """Share of quiz answers a labeler must get right (0.8 = 80 %). The guideline
    site's quiz scores against it."""


class LabelTargets(Strict):
    """Targets for one label that differ from the taxonomy-wide ones (a rare or
    costly-to-confuse label held higher, a hard one lower)."""

    label: LabelId
    """Id of an active label of the taxonomy."""
    agreement_target: float | None = Field(default=None, gt=-1, le=1)
    """Agreement this label must reach, by the plan's metric."""
    gold_accuracy_target: Share | None = None
    """Accuracy on gold items of this label."""
    note: str | None = None
    """Why this label has its own targets."""


class QualityPlan(Strict):
    """The quality targets and controls of one taxonomy."""

    taxops: Literal["quality-plan/1"]
    """File format marker: this file is a quality plan, format version 1."""
    taxonomy: DocId
    """Id of the taxonomy the plan is for."""
    owners: tuple[Owner, ...] = ()
    """Who approves changes to it: @user, @org/team or emails. Used for CODEOWNERS."""
    agreement: Agreement
    """Agreement metric and taxonomy-wide target."""
    gold_accuracy_target: Share
    """Accuracy labelers must reach on gold (known-answer) items, 0 to 1."""
    gold_rate: Share | None = None
    """Share of tasks that are gold items, mixed into the work unannounced."""
    audit: Audit
    """How delivered work is audited."""
    review_rate: Share
    """Share of labeled items a second person reviews (0 to 1)."""
    certification: Certification
    """The pass mark of the labeler quiz."""
    labels: tuple[LabelTargets, ...] = ()
    """Per-label targets that differ from the taxonomy-wide ones."""

    def agreement_target_for(self, label: str) -> float:
        """The agreement target of ``label``: its own, else the taxonomy-wide one."""
        own = next((t.agreement_target for t in self.labels if t.label == label), None)
        return own if own is not None else self.agreement.target

    def gold_accuracy_target_for(self, label: str) -> float:
        own = next((t.gold_accuracy_target for t in self.labels if t.label == label), None)
        return own if own is not None else self.gold_accuracy_target
