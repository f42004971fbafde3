"""The guideline: how to apply a taxonomy's labels, written for the people who label.

One guideline file per taxonomy (``guidelines/<taxonomy-id>.yaml``), tied to it by
the taxonomy id and, for each piece of guidance, by label id. Prose fields are
Markdown (rendered safely: raw HTML is shown as text, never run); example
``content`` is the item itself and is shown verbatim.

Shapes are checked here; what needs the rest of the file (duplicates, changelog
order) is checked by :mod:`taxops.checks.guideline`, and what needs the taxonomy
(every active label covered, every referenced label exists and is active) by
:mod:`taxops.checks.guideline_coverage`.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from taxops.models.common import DocId, LabelId, SemVer, Strict
from taxops.versioning.versions import Version

GUIDELINE_FORMAT = "guideline/1"

#: Markdown written by guideline authors. Raw HTML in it is shown as text.
Markdown = str
AttributeValue = bool | int | float | str


#: The definition ``taxops init`` writes in the guideline entry of a label its
#: imported taxonomy does not define: valid, and plainly a gap to fill.
#: ``taxops fix`` writes the same for a new edition's labels where the
#: guideline still holds it (:mod:`taxops.fixes.guideline_entries`).
PLACEHOLDER_DEFINITION = "No definition yet; ask the labeling lead."


class Coverage(Strict):
    """How much guidance every active, assignable label needs before the guideline
    is complete. Per taxonomy, because a 40-label helpdesk taxonomy and a
    5,000-label product catalogue need different bars."""

    min_examples: int = Field(default=1, ge=0)
    """Positive examples each active label needs."""
    min_near_misses: int = Field(default=1, ge=0)
    """Near misses (look like the label, are not) each active label needs."""


class Training(Strict):
    """Settings of the training material published with the guideline."""

    pass_mark: float = Field(default=0.8, gt=0, le=1)
    """Share of quiz answers a labeler must get right (0.8 = 80 %). Used when no
    quality plan sets one for the taxonomy."""
    quiz_length: int = Field(default=10, ge=1)
    """Questions per quiz round, drawn at random from the examples and near misses."""


class EscalationStep(Strict):
    """One level of the escalation path: when a labeler is unsure, whom to ask,
    where, and how soon they answer. Steps are tried in order."""

    when: Markdown
    """When to take this step, e.g. 'the decision rules do not settle it'."""
    contact: str = Field(min_length=1)
    """Whom to ask: a role or team, with an address that reaches it."""
    channel: str = Field(min_length=1)
    """Where to ask: a chat channel, a queue in the labeling tool, an email address."""
    response_time: str = Field(min_length=1)
    """How soon an answer comes, e.g. 'within 4 working hours'."""


class Criterion(Strict):
    """A 'do not use this label when ...' criterion, naming the label to use instead."""

    when: Markdown
    """The situation, in plain words."""
    use: LabelId
    """The label to use instead."""


class Example(Strict):
    """A positive example: an item that carries the label, and why."""

    content: str = Field(min_length=1)
    """The item as the labeler sees it (a message, a scene description). Shown
    verbatim: Markdown and HTML in it are not interpreted."""
    why: Markdown
    """Why it carries this label: the words or features that decide it."""
    media: tuple[str, ...] = ()
    """Images or clips of the item, as paths relative to the guideline file; they
    must stay inside the repository."""
    attributes: dict[str, AttributeValue] = Field(default_factory=dict)
    """Attribute values the item carries, when the label has attributes
    (``occluded: true``)."""
    data_class: DocId | None = None
    """The privacy policy's class of the item (default: the policy's
    ``example_class``). Items of a class with redaction rules are redacted before
    they reach the site; the build fails on personal data in an item published as is."""
    unredactable: bool = False
    """No redaction makes the item safe to publish (a face, a voice): the site
    build refuses it. Replace it with a synthetic item."""


class NearMiss(Strict):
    """A near miss: an item that looks like it carries the label but does not."""

    content: str = Field(min_length=1)
    """The item as the labeler sees it. Shown verbatim."""
    label: LabelId
    """The label the item really carries."""
    why: Markdown
    """What tells it apart from the label it resembles."""
    media: tuple[str, ...] = ()
    """Images or clips of the item, relative to the guideline file."""
    data_class: DocId | None = None
    """The privacy policy's class of the item (default: the policy's ``example_class``)."""
    unredactable: bool = False
    """No redaction makes the item safe to publish: the site build refuses it."""


class LabelGuidance(Strict):
    """Everything a labeler needs to apply one label."""

    label: LabelId
    """Id of the label in the taxonomy."""
    definition: Markdown | None = None
    """What the label means, in plain words. Defaults to the taxonomy's definition."""
    include: tuple[Markdown, ...] = ()
    """Use this label when ... (criteria that make an item carry it)."""
    exclude: tuple[Criterion, ...] = ()
    """Do not use this label when ... and what to use instead."""
    examples: tuple[Example, ...] = ()
    """Items that carry the label."""
    near_misses: tuple[NearMiss, ...] = ()
    """Items that look like they carry the label but carry another."""
    historical: bool = False
    """The label is retired: its guidance stays for reading old annotations, and
    the site marks it historical. Required for retired labels."""


class DecisionStep(Strict):
    """One step of a decision rule: if the item matches ``when``, use ``use``."""

    when: Markdown
    """The test, in plain words."""
    use: LabelId
    """The label to use when the test holds."""


class DecisionRule(Strict):
    """How to choose between labels that are easy to confuse. Steps are tried in
    order; the first that holds decides."""

    id: DocId
    """Stable id of the rule (kebab-case), used for links."""
    title: str = Field(min_length=1)
    """The question the rule answers, e.g. 'Light or heavy truck?'."""
    labels: tuple[LabelId, ...] = ()
    """The confusable labels the rule separates (labels used in steps are added)."""
    steps: tuple[DecisionStep, ...] = Field(min_length=1)
    """Ordered tests; the first that holds decides."""
    otherwise: LabelId | Literal["escalate"] = "escalate"
    """What to do when no step holds: a label, or 'escalate' (follow the escalation path)."""

    @property
    def all_labels(self) -> list[str]:
        """The labels the rule separates: ``labels``, then those its steps and
        fallback use, each once, in order."""
        seen: dict[str, None] = dict.fromkeys(self.labels)
        seen.update(dict.fromkeys(step.use for step in self.steps))
        if self.otherwise != "escalate":
            seen.setdefault(self.otherwise)
        return list(seen)


class EdgeCase(Strict):
    """A hard case that was decided once, so every labeler decides it the same way."""

    question: Markdown
    """The case as it was asked."""
    decision: Markdown
    """What was decided, and why."""
    use: LabelId | None = None
    """The label to use for such items, when the decision names one."""
    labels: tuple[LabelId, ...] = ()
    """Other labels the case is about (shown on their pages)."""
    date: dt.date
    """When it was decided (YYYY-MM-DD)."""
    decided_by: str = Field(min_length=1)
    """Who decided: a person and role, or a forum (e.g. 'weekly calibration')."""


class ChangelogEntry(Strict):
    """One documented change of the guideline."""

    version: SemVer
    """Guideline version the change shipped in."""
    date: dt.date
    """When the change was made (YYYY-MM-DD)."""
    what: Markdown
    """What changed, for labelers."""
    why: Markdown
    """Why it changed."""
    labels: tuple[LabelId, ...] = ()
    """Labels whose guidance the change affects."""
    taxonomy_version: Version | None = None
    """The taxonomy version the change goes with, when it follows a taxonomy release."""


class Guideline(Strict):
    """The labeling guideline of one taxonomy."""

    taxops: Literal["guideline/1"]
    """File format marker: this file is a guideline, format version 1."""
    taxonomy: DocId
    """Id of the taxonomy this guideline explains."""
    version: SemVer
    """Version of the guideline itself; every version has a changelog entry."""
    title: str | None = None
    """Title of the guideline (default: the taxonomy's title)."""
    introduction: Markdown | None = None
    """What labelers should know before they start: the task, the data, the spirit."""
    coverage: Coverage = Coverage()
    """How many examples and near misses each active label needs."""
    training: Training = Training()
    """Quiz settings (pass mark)."""
    escalation: tuple[EscalationStep, ...] = Field(min_length=1)
    """When unsure: whom to ask, where, how soon they answer; in order."""
    labels: tuple[LabelGuidance, ...] = ()
    """Guidance per label, tied by label id."""
    decision_rules: tuple[DecisionRule, ...] = ()
    """Ordered rules for choosing between confusable labels."""
    edge_cases: tuple[EdgeCase, ...] = ()
    """The log of hard cases and how they were decided."""
    changelog: tuple[ChangelogEntry, ...] = Field(min_length=1)
    """Every change, newest first: date, what, why, labels affected."""

    def by_label(self) -> dict[str, LabelGuidance]:
        """Guidance by label id (first entry wins; duplicates are a separate finding)."""
        index: dict[str, LabelGuidance] = {}
        for guidance in self.labels:
            index.setdefault(guidance.label, guidance)
        return index
