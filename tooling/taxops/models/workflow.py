"""The workflow: the stages a labeling task goes through (labeling, review,
audit, adjudication), what share of items enters each, where an item goes next,
and who decides an ambiguous case within how long.

Kept under ``policies/workflows/<workflow-id>.yaml``; SLAs and datasets name the
workflow they follow, the site shows it to labelers and vendors, and the
operations reports read the stage rates.
"""

from __future__ import annotations

import enum
from typing import Literal

from pydantic import Field, model_validator

from taxops.models.common import DocId, Owner, Strict
from taxops.models.sla import TaskType

WORKFLOW_FORMAT = "workflow/1"

#: Route targets that end an item's way through the workflow.
DONE = "done"


class Condition(str, enum.Enum):
    """When a route is taken, after a stage."""

    ALWAYS = "always"
    """Every item leaving the stage (unless an earlier route took it)."""
    DISAGREEMENT = "disagreement"
    """The stage's labelers did not agree."""
    LOW_CONFIDENCE = "low_confidence"
    """A labeler marked the item unsure, or the model's confidence was low."""
    REJECTED = "rejected"
    """A reviewer or auditor rejected the label."""
    GOLD_FAILED = "gold_failed"
    """The item was a gold item and the label was wrong."""
    ESCALATED = "escalated"
    """A labeler escalated it (the guideline's escalation path)."""


class Route(Strict):
    """Where an item goes after a stage; routes are tried in order."""

    when: Condition
    """always, disagreement, low_confidence, rejected, gold_failed or escalated."""
    to: DocId
    """Id of the next stage, or ``done``."""


class Escalation(Strict):
    """Who decides an ambiguous case, and how soon."""

    decided_by: str = Field(min_length=1)
    """The role (with an address) that decides."""
    within_hours: float = Field(gt=0)
    """Hours within which the decision comes."""
    channel: str | None = None
    """Where the case is raised (a queue, a chat channel)."""


class Stage(Strict):
    """One stage of the workflow."""

    id: DocId
    """Stable id of the stage, used by routes."""
    task: TaskType
    """What the stage does: label, review, audit or adjudication (and what the
    SLA prices it as)."""
    rate: float = Field(gt=0, le=1)
    """Share of the workflow's items that enter this stage (1 for every item,
    0.1 for a 10 % review sample)."""
    annotators: int = Field(default=1, ge=1)
    """Independent labels per item in the stage (2 or more: agreement is measured)."""
    vendor: DocId | None = None
    """Id of the vendor doing it (a ``vendor/1`` file), or omit for in-house work."""
    role: str | None = None
    """Who does it, by role (``labeler``, ``senior reviewer``, ``QA lead``)."""
    routes: tuple[Route, ...] = ()
    """Where items go next, tried in order (none: the item is done)."""
    escalation: Escalation | None = None
    """Who decides ambiguous cases in this stage (default: the workflow's)."""

    @model_validator(mode="after")
    def _someone(self) -> Stage:
        if self.vendor is None and not self.role:
            raise ValueError("say who does the stage: 'vendor:' (an id) or 'role:'")
        return self


class Workflow(Strict):
    """The way a task goes from creation to delivery."""

    taxops: Literal["workflow/1"]
    """File format marker: this file is a workflow, format version 1."""
    id: DocId
    """Stable id of the workflow, used by SLAs, datasets and specs."""
    title: str = Field(min_length=1)
    """Its name, for people."""
    description: str | None = None
    """What work it is for (Markdown)."""
    owners: tuple[Owner, ...] = ()
    """Who approves changes to it: @user, @org/team or emails. Used for CODEOWNERS."""
    taxonomies: tuple[DocId, ...] = ()
    """Taxonomies labeled through it (empty: any)."""
    stages: tuple[Stage, ...] = Field(min_length=1)
    """The stages, the first being where every task starts."""
    escalation: Escalation
    """Who decides an ambiguous case, within how long (stages may name their own)."""

    def stage(self, stage_id: str) -> Stage | None:
        return next((s for s in self.stages if s.id == stage_id), None)
