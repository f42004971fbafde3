"""Where a guideline names labels, holds prose and points at media, each with the
YAML path of the place, so checks can report at the right line and the site can
collect media. Read by the in-file and cross-file guideline checks and the site."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from taxops.models.guideline import Guideline
from taxops.prose import link_targets

YamlPath = tuple[str | int, ...]


@dataclass(frozen=True)
class LabelReference:
    """A label id written in the guideline. ``role`` says what the place is, in
    the user's words ("near miss of 'billing.refund_status' names"); ``answer``
    is whether labelers are told to *use* the label there (it must be active and
    assignable); ``historical`` whether it sits in a retired label's guidance."""

    path: YamlPath
    label: str
    role: str
    answer: bool
    historical: bool = False
    #: The ``label:`` of a guidance entry itself.
    own: bool = False


@dataclass(frozen=True)
class MediaReference:
    path: YamlPath
    target: str
    image: bool


def label_references(g: Guideline) -> Iterator[LabelReference]:
    """Every label id the guideline names, in file order."""
    for i, guidance in enumerate(g.labels):
        own = guidance.label
        old = guidance.historical
        yield LabelReference(
            ("labels", i, "label"), own, "guidance is given for", False, old, own=True
        )
        for j, criterion in enumerate(guidance.exclude):
            yield LabelReference(
                ("labels", i, "exclude", j, "use"), criterion.use,
                f"an exclusion of '{own}' says to use", True, old,
            )  # fmt: skip
        for j, miss in enumerate(guidance.near_misses):
            yield LabelReference(
                ("labels", i, "near_misses", j, "label"), miss.label,
                f"a near miss of '{own}' gives the correct label as", True, old,
            )  # fmt: skip
    for k, rule in enumerate(g.decision_rules):
        where = f"decision rule '{rule.id}'"
        for m, label in enumerate(rule.labels):
            yield LabelReference(("decision_rules", k, "labels", m), label, f"{where} names", True)
        for m, step in enumerate(rule.steps):
            yield LabelReference(
                ("decision_rules", k, "steps", m, "use"),
                step.use,
                f"step {m + 1} of {where} uses",
                True,
            )
        if rule.otherwise != "escalate":
            yield LabelReference(
                ("decision_rules", k, "otherwise"),
                rule.otherwise,
                f"the fallback of {where} is",
                True,
            )
    for k, case in enumerate(g.edge_cases):
        where = f"edge case {k + 1} ({case.date})"
        if case.use:
            yield LabelReference(("edge_cases", k, "use"), case.use, f"{where} says to use", True)
        for m, label in enumerate(case.labels):
            yield LabelReference(("edge_cases", k, "labels", m), label, f"{where} names", True)
    for k, entry in enumerate(g.changelog):
        for m, label in enumerate(entry.labels):
            # The changelog is history: it may name labels retired since.
            yield LabelReference(
                ("changelog", k, "labels", m),
                label,
                f"changelog entry {entry.version} names",
                False,
                True,
            )


def prose_fields(g: Guideline) -> Iterator[tuple[YamlPath, str]]:
    """Every Markdown field with its path."""
    if g.introduction:
        yield ("introduction",), g.introduction
    for i, level in enumerate(g.escalation):
        yield ("escalation", i, "when"), level.when
    for i, guidance in enumerate(g.labels):
        if guidance.definition:
            yield ("labels", i, "definition"), guidance.definition
        for j, text in enumerate(guidance.include):
            yield ("labels", i, "include", j), text
        for j, criterion in enumerate(guidance.exclude):
            yield ("labels", i, "exclude", j, "when"), criterion.when
        for j, example in enumerate(guidance.examples):
            yield ("labels", i, "examples", j, "why"), example.why
        for j, miss in enumerate(guidance.near_misses):
            yield ("labels", i, "near_misses", j, "why"), miss.why
    for k, rule in enumerate(g.decision_rules):
        for m, step in enumerate(rule.steps):
            yield ("decision_rules", k, "steps", m, "when"), step.when
    for k, case in enumerate(g.edge_cases):
        yield ("edge_cases", k, "question"), case.question
        yield ("edge_cases", k, "decision"), case.decision
    for k, entry in enumerate(g.changelog):
        yield ("changelog", k, "what"), entry.what
        yield ("changelog", k, "why"), entry.why


def media_references(g: Guideline) -> Iterator[MediaReference]:
    """Every media file and every link or image in the prose."""
    for i, guidance in enumerate(g.labels):
        for j, example in enumerate(guidance.examples):
            for m, target in enumerate(example.media):
                yield MediaReference(("labels", i, "examples", j, "media", m), target, True)
        for j, miss in enumerate(guidance.near_misses):
            for m, target in enumerate(miss.media):
                yield MediaReference(("labels", i, "near_misses", j, "media", m), target, True)
    for path, text in prose_fields(g):
        for link in link_targets(text):
            yield MediaReference(path, link.target, link.image)
