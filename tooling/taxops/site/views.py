"""Views of guideline pieces that several pages show (a decision rule, an edge
case, an example, a changelog entry), built for the page they appear on so
their links are relative to it."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from taxops.models.guideline import ChangelogEntry, DecisionRule, EdgeCase, Example, NearMiss
from taxops.site.context import Here, Link


@dataclass(frozen=True)
class ExampleView:
    content: str
    why: Markup
    media: tuple[str, ...]
    attributes: tuple[tuple[str, str], ...] = ()
    #: For near misses: the label the item really carries.
    correct: Link | None = None


@dataclass(frozen=True)
class StepView:
    when: Markup
    use: Link


@dataclass(frozen=True)
class RuleView:
    id: str
    title: str
    href: str
    labels: tuple[Link, ...]
    steps: tuple[StepView, ...]
    otherwise: Link | None


@dataclass(frozen=True)
class EdgeCaseView:
    question: Markup
    decision: Markup
    use: Link | None
    labels: tuple[Link, ...]
    date: str
    decided_by: str


@dataclass(frozen=True)
class ChangeEntryView:
    version: str
    date: str
    what: Markup
    why: Markup
    labels: tuple[Link, ...]
    taxonomy_version: str


def example_view(here: Here, example: Example) -> ExampleView:
    return ExampleView(
        content=example.content,
        why=here.inline(example.why),
        media=_media(here, example.media),
        attributes=tuple((k, _value(v)) for k, v in example.attributes.items()),
    )


def near_miss_view(here: Here, miss: NearMiss) -> ExampleView:
    return ExampleView(
        content=miss.content,
        why=here.inline(miss.why),
        media=_media(here, miss.media),
        correct=here.label_link(miss.label),
    )


def rule_view(here: Here, rule: DecisionRule) -> RuleView:
    otherwise = None if rule.otherwise == "escalate" else here.label_link(rule.otherwise)
    return RuleView(
        id=rule.id,
        title=rule.title,
        href=here.href(here.site.rule_src(rule.id), rule.id),
        labels=tuple(here.label_link(label) for label in rule.all_labels),
        steps=tuple(StepView(here.inline(s.when), here.label_link(s.use)) for s in rule.steps),
        otherwise=otherwise,
    )


def edge_case_view(here: Here, case: EdgeCase) -> EdgeCaseView:
    return EdgeCaseView(
        question=here.prose(case.question),
        decision=here.prose(case.decision),
        use=here.label_link(case.use) if case.use else None,
        labels=tuple(here.label_link(label) for label in case.labels),
        date=case.date.isoformat(),
        decided_by=case.decided_by,
    )


def change_entry_view(here: Here, entry: ChangelogEntry) -> ChangeEntryView:
    return ChangeEntryView(
        version=str(entry.version),
        date=entry.date.isoformat(),
        what=here.inline(entry.what),
        why=here.inline(entry.why),
        labels=tuple(here.label_link(label) for label in entry.labels),
        taxonomy_version=str(entry.taxonomy_version or ""),
    )


def _media(here: Here, targets: tuple[str, ...]) -> tuple[str, ...]:
    urls = (here.media_url(t) for t in targets)
    return tuple(u for u in urls if u is not None)


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
