"""The pages that look at a taxonomy as a whole: its home (purpose, versions,
where to start, whom to ask, the label tree), the decision guide, the edge-case
log and the changelog; and the list of all taxonomies."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass

from markupsafe import Markup

from taxops.models.taxonomy import Label, Status
from taxops.site.context import Here, Link, TaxonomySite, status_note
from taxops.site.label_pages import FINDER_FOLDER
from taxops.site.pages import Page, TocEntry
from taxops.site.timeline import Timeline
from taxops.site.views import (
    ChangeEntryView,
    EdgeCaseView,
    RuleView,
    change_entry_view,
    edge_case_view,
    rule_view,
)


@dataclass(frozen=True)
class TreeNode:
    """One row of the label tree in document order. The tree is flat so that
    neither building nor rendering it recurses (a hierarchy thousands of levels
    deep is valid YAML): a node with children opens a nested list, and after a
    leaf ``close`` nested lists end."""

    link: Link
    id: str
    status: str
    note: str
    group: bool
    depth: int
    has_children: bool
    close: int


@dataclass(frozen=True)
class EscalationView:
    when: Markup
    contact: str
    channel: str
    response_time: str


@dataclass(frozen=True)
class HomeView:
    title: str
    purpose: Markup
    introduction: Markup
    taxonomy_version: str
    released: bool
    guideline_version: str
    kind: str
    owners: tuple[str, ...]
    counts: dict[str, int]
    start: tuple[Link, ...]
    escalation: tuple[EscalationView, ...]
    tree: tuple[TreeNode, ...]
    finder: str = ""
    """A large taxonomy's label finder index folder (relative); empty otherwise."""
    tree_depth: int = 0
    """How many levels of a large taxonomy's tree the home shows."""
    pages: tuple[Link, ...] = ()
    """A large taxonomy whose top level alone is too wide to show: its group pages."""


def home_page(site: TaxonomySite, timeline: Timeline) -> Page:
    src = site.src("index")
    here = site.here(src)
    tax, g = site.taxonomy, site.guideline
    statuses = [label.status for label in tax.labels]
    start = [
        Link("Cheat sheet", here.href(site.src("cheat-sheet")), "one printable page"),
        Link("Decision guide", here.href(site.src("decision-guide")), "confusable labels"),
        Link("Quiz", here.href(site.src("quiz")), "check yourself"),
        Link("Flashcards", here.href(site.src("flashcards")), "learn the labels"),
    ]
    if len(timeline.versions) > 1:
        start.insert(0, Link("What changed", here.href(site.src("changes/index")), "for labelers"))
    tree, depth = _home_tree(site, here)
    view = HomeView(
        title=site.title,
        purpose=here.prose(tax.description),
        introduction=here.prose(g.introduction if g else None),
        taxonomy_version=str(tax.version),
        released=site.released,
        guideline_version=str(g.version) if g else "",
        kind=_kind(site),
        owners=tax.owners,
        counts={
            "active": statuses.count(Status.ACTIVE),
            "deprecated": statuses.count(Status.DEPRECATED),
            "retired": statuses.count(Status.RETIRED),
        },
        start=tuple(start),
        escalation=_escalation(here, site),
        tree=tree,
        finder=here.path(f"{site.id}/{FINDER_FOLDER}/") if site.large else "",
        tree_depth=depth,
        pages=_group_pages(site, here) if site.large and not tree else (),
    )
    toc = [
        TocEntry("start-here", "Start here"),
        TocEntry("when-unsure", "When unsure"),
        TocEntry("labels", "Labels"),
    ]
    return Page(src, site.title, "home.html.j2", view, toc, nav=True, nav_title="Overview")


def _kind(site: TaxonomySite) -> str:
    tax = site.taxonomy
    if tax.kind.value == "hierarchical":
        return "one label per item, from a tree" + (
            "; only the most specific labels (leaves) are used" if tax.leaf_only else ""
        )
    if tax.kind.value == "multi-label":
        return "any number of labels per item"
    return "exactly one label per item"


def _escalation(here: Here, site: TaxonomySite) -> tuple[EscalationView, ...]:
    if site.guideline is None:
        return ()
    return tuple(
        EscalationView(here.inline(s.when), s.contact, s.channel, s.response_time)
        for s in site.guideline.escalation
    )


#: A large taxonomy's home shows this many levels of its tree (the rest is on
#: the group pages, and in the label finder)...
LARGE_TREE_DEPTH = 2
#: ...and at most this many of its labels: fewer levels when two hold more,
#: and the list of group pages instead when the top level alone does (100,000
#: labels without parents made a 14 MB home page).
HOME_ROWS = 1_000


def _home_tree(site: TaxonomySite, here: Here) -> tuple[tuple[TreeNode, ...], int]:
    """The tree the home shows and how many levels of it: all of it for a
    taxonomy shown label by label; for a large one the most levels, up to
    :data:`LARGE_TREE_DEPTH`, that hold :data:`HOME_ROWS` labels or fewer
    (none when even the top level holds more)."""
    if not site.large:
        return _tree(site, here, None) or (), 0
    for depth in range(LARGE_TREE_DEPTH, 0, -1):
        tree = _tree(site, here, depth, most=HOME_ROWS)
        if tree is not None:
            return tree, depth
    return (), 0


def _group_pages(site: TaxonomySite, here: Here) -> tuple[Link, ...]:
    """Each group page, with how many labels it holds."""
    return tuple(
        Link(g.title, here.href(site.group_src(g.key)), f"{len(g.labels):,} labels")
        for g in site.groups
    )


def _tree(
    site: TaxonomySite, here: Here, limit: int | None, most: int | None = None
) -> tuple[TreeNode, ...] | None:
    """The label tree in document order, retired labels last within their parent
    (with ``limit``, its top ``limit`` levels; None when they hold more than
    ``most`` labels). Iterative: a parent chain thousands of labels long
    renders like any other."""
    kids: dict[str | None, list[Label]] = {}
    for label in site.taxonomy.labels:
        parent = label.parent if label.parent in site.labels else None
        kids.setdefault(parent, []).append(label)
    for siblings in kids.values():
        siblings.sort(key=lambda lb: lb.status is Status.RETIRED)

    rows: list[tuple[Label, int, bool]] = []
    placed: set[str] = set()  # a parent cycle (reported by validate) is shown once
    stack = [(label, 0) for label in reversed(kids.get(None, []))]
    while stack:
        label, depth = stack.pop()
        children = [c for c in kids.get(label.id, []) if c.id not in placed and c.id != label.id]
        if limit is not None and depth + 1 >= limit:
            children = []  # deeper levels are on the group pages
        placed.add(label.id)
        rows.append((label, depth, bool(children)))
        if most is not None and len(rows) > most:
            return None
        stack += [(child, depth + 1) for child in reversed(children)]
    nodes = []
    for i, (label, depth, has_children) in enumerate(rows):
        next_depth = rows[i + 1][1] if i + 1 < len(rows) else 0
        nodes.append(
            TreeNode(
                here.label_link(label.id),
                label.id,
                label.status.value,
                status_note(label),
                site.is_group(label),
                depth,
                has_children,
                0 if has_children else depth - next_depth,
            )
        )
    return tuple(nodes)


@dataclass(frozen=True)
class DecisionGuideView:
    home: Link
    rules: tuple[RuleView, ...]
    escalation: tuple[EscalationView, ...]
    pages: tuple[Link, ...] = ()
    """A large taxonomy's guide on several pages: each of them, in order."""
    page: int = 0
    """Which of them this is (from 0)."""


def decision_guide_pages(site: TaxonomySite) -> Iterator[Page]:
    """The decision guide: one page, or for a large taxonomy one per
    :data:`~taxops.site.context.RULES_PER_PAGE` rules, each listing the others
    (only the first is in the navigation)."""
    chunks = site.rule_pages
    starts = list(itertools.accumulate((len(c) for c in chunks), initial=0))
    for n, chunk in enumerate(chunks):
        src = site.rule_src(page=n)
        here = site.here(src)
        rules = tuple(rule_view(here, r) for r in chunk)
        pages = (
            tuple(
                Link(
                    f"Rules {starts[i] + 1:,} to {starts[i + 1]:,}",
                    here.href(site.rule_src(page=i)),
                    f"{chunks[i][0].title} to {chunks[i][-1].title}",
                )
                for i in range(len(chunks))
            )
            if len(chunks) > 1
            else ()
        )
        view = DecisionGuideView(
            Link(site.title, here.href(site.src("index"))), rules, _escalation(here, site), pages, n
        )
        toc = [TocEntry(r.id, r.title) for r in rules] + [TocEntry("when-unsure", "When unsure")]
        part = f" (rules {starts[n] + 1:,} to {starts[n + 1]:,})" if pages else ""
        yield Page(
            src,
            f"Decision guide{part}: {site.title}",
            "decision_guide.html.j2",
            view,
            toc,
            nav=n == 0,
            nav_title="Decision guide",
        )


@dataclass(frozen=True)
class EdgeCaseLogView:
    home: Link
    cases: tuple[EdgeCaseView, ...]


def edge_case_page(site: TaxonomySite) -> Page:
    src = site.src("edge-cases")
    here = site.here(src)
    cases = site.guideline.edge_cases if site.guideline else ()
    newest_first = sorted(cases, key=lambda c: c.date, reverse=True)
    view = EdgeCaseLogView(
        Link(site.title, here.href(site.src("index"))),
        tuple(edge_case_view(here, c) for c in newest_first),
    )
    return Page(
        src,
        f"Edge cases: {site.title}",
        "edge_cases.html.j2",
        view,
        nav=True,
        nav_title="Edge cases",
    )


@dataclass(frozen=True)
class VersionView:
    version: str
    date: str
    entries: tuple[ChangeEntryView, ...]


@dataclass(frozen=True)
class ReleaseView:
    version: str
    released: bool
    briefing: Link | None


@dataclass(frozen=True)
class ChangelogView:
    home: Link
    guideline: tuple[VersionView, ...]
    releases: tuple[ReleaseView, ...]


def changelog_page(site: TaxonomySite, timeline: Timeline) -> Page:
    src = site.src("changelog")
    here = site.here(src)
    groups: dict[str, list[ChangeEntryView]] = {}
    for entry in site.guideline.changelog if site.guideline else ():
        groups.setdefault(str(entry.version), []).append(change_entry_view(here, entry))
    versions = tuple(
        VersionView(v, entries[0].date, tuple(entries)) for v, entries in groups.items()
    )
    releases = []
    for i, tax in enumerate(reversed(timeline.versions)):
        older = timeline.versions[-i - 2] if i + 1 < len(timeline.versions) else None
        briefing = (
            Link(
                f"From {older.version}",
                here.href(site.briefing_src(str(older.version), str(tax.version))),
            )
            if older
            else None
        )
        released = tax is not site.taxonomy or site.released
        releases.append(ReleaseView(str(tax.version), released, briefing))
    view = ChangelogView(Link(site.title, here.href(site.src("index"))), versions, tuple(releases))
    toc = [TocEntry("guideline", "Guideline versions"), TocEntry("taxonomy", "Taxonomy versions")]
    return Page(
        src,
        f"Changelog: {site.title}",
        "changelog.html.j2",
        view,
        toc,
        nav=True,
        nav_title="Changelog",
    )


@dataclass(frozen=True)
class TaxonomyCard:
    link: Link
    purpose: Markup
    version: str
    labels: int


def taxonomy_cards(sites: list[TaxonomySite], src: str) -> tuple[TaxonomyCard, ...]:
    """A card per taxonomy, with links relative to the page ``src``."""
    cards = []
    for site in sites:
        here = site.here(src)
        active = sum(1 for label in site.taxonomy.labels if label.status is Status.ACTIVE)
        cards.append(
            TaxonomyCard(
                Link(site.title, here.href(site.src("index"))),
                here.prose(site.taxonomy.description),
                str(site.taxonomy.version),
                active,
            )
        )
    return tuple(cards)


def all_taxonomies_page(sites: list[TaxonomySite]) -> Page:
    src = "taxonomies.md"
    return Page(
        src,
        "All taxonomies",
        "taxonomies.html.j2",
        taxonomy_cards(sites, src),
        nav=True,
        searchable=False,
        nav_title="All taxonomies",
    )
