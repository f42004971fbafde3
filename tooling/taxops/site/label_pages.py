"""One page per label: what it means, when to use it and when not, examples and
near misses, the labels it is confused with and the rules that separate them,
the edge cases decided about it, and its history."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from markupsafe import Markup

from taxops.models.guideline import Guideline
from taxops.models.taxonomy import Label, Replacement, Status
from taxops.site.context import Here, Link, TaxonomySite, status_note
from taxops.site.label_groups import LabelGroup
from taxops.site.pages import Page, TocEntry
from taxops.site.timeline import Event, Timeline, instead_verb
from taxops.site.urls import label_anchor
from taxops.site.views import (
    ChangeEntryView,
    EdgeCaseView,
    ExampleView,
    RuleView,
    change_entry_view,
    edge_case_view,
    example_view,
    near_miss_view,
    rule_view,
)

#: Where the label finder's index lives in a large taxonomy's site.
FINDER_FOLDER = "labels/_find"
#: Labels in use come first in search results; retired ones last.
_SEARCH_BOOST = {Status.ACTIVE: 2.0, Status.DEPRECATED: 1.0, Status.RETIRED: 0.5}


@dataclass(frozen=True)
class AttributeView:
    name: str
    type: str
    options: tuple[str, ...]
    required: bool
    description: str


@dataclass(frozen=True)
class LabelView:
    id: str
    name: str
    status: str
    status_note: str
    historical: bool
    assignable: bool
    group: bool
    home: Link
    version: str
    breadcrumbs: tuple[Link, ...]
    children: tuple[Link, ...]
    aliases: tuple[str, ...]
    definition: Markup
    replaced_by: tuple[Link, ...]
    what_now: str
    note: Markup
    include: tuple[Markup, ...]
    exclude: tuple[tuple[Markup, Link], ...]
    examples: tuple[ExampleView, ...]
    near_misses: tuple[ExampleView, ...]
    confusable: tuple[Link, ...]
    rules: tuple[RuleView, ...]
    edge_cases: tuple[EdgeCaseView, ...]
    attributes: tuple[AttributeView, ...]
    history: tuple[Event, ...]
    guideline_changes: tuple[ChangeEntryView, ...]


@dataclass
class _Index:
    """Who mentions whom, built once per taxonomy so each page is a lookup."""

    confused: dict[str, dict[str, list[str]]]
    rules: dict[str, list[int]]
    cases: dict[str, list[int]]
    changes: dict[str, list[int]]

    @classmethod
    def of(cls, g: Guideline | None) -> _Index:
        confused: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        rules: dict[str, list[int]] = defaultdict(list)
        cases: dict[str, list[int]] = defaultdict(list)
        changes: dict[str, list[int]] = defaultdict(list)
        if g is None:
            return cls(confused, rules, cases, changes)

        def pair(a: str, b: str, why: str) -> None:
            if a != b:
                for x, y in ((a, b), (b, a)):
                    if why not in confused[x][y]:
                        confused[x][y].append(why)

        for entry in g.labels:
            if entry.historical:
                continue
            for miss in entry.near_misses:
                pair(entry.label, miss.label, "near miss")
            for criterion in entry.exclude:
                pair(entry.label, criterion.use, "exclusion")
        for k, rule in enumerate(g.decision_rules):
            members = rule.all_labels
            for label in members:
                rules[label].append(k)
                for other in members:
                    pair(label, other, "decision rule")
        for k, case in enumerate(g.edge_cases):
            for label in dict.fromkeys([*([case.use] if case.use else []), *case.labels]):
                cases[label].append(k)
        for k, change in enumerate(g.changelog):
            for label in change.labels:
                changes[label].append(k)
        return cls(confused, rules, cases, changes)


@dataclass(frozen=True)
class GroupView:
    """A group page of a large taxonomy: its labels, each a section."""

    title: str
    home: Link
    parents: tuple[Link, ...]
    labels: tuple[tuple[str, LabelView], ...]
    """(anchor, label) pairs, in tree order."""
    finder: str
    """The label finder's index folder, relative to this page."""


#: The template of a label's own page.
LABEL_TEMPLATE = "label.html.j2"


def label_pages(site: TaxonomySite, timeline: Timeline) -> Iterator[Page]:
    """A page for every label of the working taxonomy, retired ones included
    (old annotations still carry them); for a large taxonomy, a page per group
    of labels instead (:mod:`taxops.site.label_groups`). Made one at a time, so
    the build renders each before the next one's view exists."""
    index = _Index.of(site.guideline)
    children: dict[str, list[Label]] = defaultdict(list)
    for label in site.taxonomy.labels:
        if label.parent:
            children[label.parent].append(label)
    if site.large:
        return (_group_page(site, g, index, children, timeline) for g in site.groups)
    return (_page(site, label, index, children, timeline) for label in site.taxonomy.labels)


def _group_page(
    site: TaxonomySite,
    group: LabelGroup,
    index: _Index,
    children: dict[str, list[Label]],
    timeline: Timeline,
) -> Page:
    src = site.group_src(group.key)
    here = site.here(src)
    views = tuple(
        (label_anchor(label.id), _view(site, label, index, children, timeline, here))
        for label in group.labels
    )
    view = GroupView(
        title=group.title,
        home=Link(site.title, here.href(site.src("index"))),
        parents=tuple(here.label_link(p) for p in group.parents if p is not None),
        labels=views,
        finder=here.path(f"{site.id}/{FINDER_FOLDER}/"),
    )
    return Page(
        src=src,
        title=f"{group.title}: {len(views)} labels",
        template="label_group.html.j2",
        view=view,
        toc=[TocEntry(anchor, v.name) for anchor, v in views],
        # The label finder indexes these pages: Material's index would hold
        # every label's full text (megabytes no phone should load).
        searchable=False,
    )


def _page(
    site: TaxonomySite,
    label: Label,
    index: _Index,
    children: dict[str, list[Label]],
    timeline: Timeline,
) -> Page:
    src = site.label_src(label.id)
    view = _view(site, label, index, children, timeline, site.here(src))
    return Page(
        src=src,
        # Search results show the title: a label no longer used says so there.
        title=f"{label.name} ({label.id})"
        + ("" if label.status is Status.ACTIVE else f", {label.status.value}"),
        template=LABEL_TEMPLATE,
        view=view,
        toc=_toc(view),
        search_boost=_SEARCH_BOOST[label.status],
    )


def _view(
    site: TaxonomySite,
    label: Label,
    index: _Index,
    children: dict[str, list[Label]],
    timeline: Timeline,
    here: Here,
) -> LabelView:
    g = site.guideline
    entry = site.guidance.get(label.id)
    return LabelView(
        id=label.id,
        name=label.name,
        status=label.status.value,
        status_note=status_note(label),
        historical=bool(entry and entry.historical),
        assignable=site.assignable(label),
        group=site.is_group(label),
        home=Link(site.title, here.href(site.src("index"))),
        version=str(site.taxonomy.version),
        breadcrumbs=tuple(here.label_link(a) for a in _ancestors(site, label)),
        children=tuple(here.label_link(c.id, status_note(c)) for c in children.get(label.id, [])),
        aliases=label.aliases,
        definition=here.prose(site.definition(label)),
        replaced_by=tuple(here.label_link(t) for t in label.replaced_by)
        if label.replacement_mode is not Replacement.PARENT
        else (),
        what_now=_what_now(label),
        note=here.prose(label.note),
        include=tuple(here.inline(text) for text in entry.include) if entry else (),
        exclude=tuple((here.inline(c.when), here.label_link(c.use)) for c in entry.exclude)
        if entry
        else (),
        examples=tuple(example_view(here, e) for e in entry.examples) if entry else (),
        near_misses=tuple(near_miss_view(here, m) for m in entry.near_misses) if entry else (),
        confusable=tuple(
            here.label_link(other, ", ".join(reasons))
            for other, reasons in index.confused.get(label.id, {}).items()
            if other in site.labels
        ),
        rules=tuple(rule_view(here, g.decision_rules[k]) for k in index.rules.get(label.id, []))
        if g
        else (),
        edge_cases=tuple(
            edge_case_view(here, g.edge_cases[k]) for k in index.cases.get(label.id, [])
        )
        if g
        else (),
        attributes=tuple(
            AttributeView(a.name, a.type.value, a.options, a.required, a.description or "")
            for a in label.attributes
        ),
        history=tuple(timeline.events.get(label.id, ())),
        guideline_changes=tuple(
            change_entry_view(here, g.changelog[k]) for k in index.changes.get(label.id, [])
        )
        if g
        else (),
    )


def _ancestors(site: TaxonomySite, label: Label) -> list[str]:
    out: list[str] = []
    seen = {label.id}
    parent = label.parent
    while parent and parent in site.labels and parent not in seen:
        out.append(parent)
        seen.add(parent)
        parent = site.labels[parent].parent
    return out[::-1]


def _what_now(label: Label) -> str:
    if label.status is Status.ACTIVE:
        return ""
    mode = label.replacement_mode
    return instead_verb(list(label.replaced_by), mode.value if mode else None)


def _toc(view: LabelView) -> list[TocEntry]:
    sections = [
        ("definition", "Definition", True),
        ("use-when", "Use it when", bool(view.include or view.exclude)),
        ("examples", "Examples", bool(view.examples)),
        ("near-misses", "Near misses", bool(view.near_misses)),
        ("confusable", "Often confused with", bool(view.confusable)),
        ("decision-rules", "Decision rules", bool(view.rules)),
        ("edge-cases", "Edge cases", bool(view.edge_cases)),
        ("attributes", "Attributes", bool(view.attributes)),
        ("history", "History", bool(view.history or view.guideline_changes)),
    ]
    return [TocEntry(anchor, title) for anchor, title, shown in sections if shown]
