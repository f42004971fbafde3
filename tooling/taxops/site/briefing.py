"""The "what changed for labelers" briefing between two versions: new labels,
labels that left and what to use instead, definitions side by side, renames and
moves, and the guideline changes that came with the release. Read from the one
change set (:mod:`taxops.changes`), never re-diffed here."""

from __future__ import annotations

import difflib
import html
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from taxops.changes import ChangeKind, ChangeSet
from taxops.site.context import Here, Link, TaxonomySite
from taxops.site.pages import Page, TocEntry
from taxops.site.timeline import Timeline, describe, instead_verb
from taxops.site.views import ChangeEntryView, change_entry_view
from taxops.versioning.versions import parse_version

_LEAVING = (
    ChangeKind.LABEL_BECAME_GROUP,
    ChangeKind.LABEL_DEPRECATED,
    ChangeKind.LABEL_RETIRED,
    ChangeKind.LABEL_SPLIT,
    ChangeKind.LABEL_ID_CHANGED,
    ChangeKind.LABEL_REMOVED,
)


@dataclass(frozen=True)
class NewLabel:
    link: Link
    id: str
    definition: Markup
    parent: Link | None


@dataclass(frozen=True)
class LeavingLabel:
    link: Link | None
    id: str
    name: str
    status: str
    what_now: str
    instead: tuple[Link, ...]


@dataclass(frozen=True)
class MeaningChange:
    """A label still in use whose meaning changed: narrowed (part of it moved to
    other labels) or reused (the id means something else now)."""

    link: Link
    id: str
    text: str
    instead: tuple[Link, ...]


@dataclass(frozen=True)
class DefinitionChange:
    link: Link
    id: str
    before: Markup
    after: Markup


@dataclass(frozen=True)
class OtherChange:
    link: Link
    id: str
    text: str


@dataclass(frozen=True)
class BriefingView:
    old: str
    new: str
    upcoming: bool
    home: Link
    summary: tuple[str, ...]
    new_labels: tuple[NewLabel, ...]
    leaving: tuple[LeavingLabel, ...]
    meaning: tuple[MeaningChange, ...]
    definitions: tuple[DefinitionChange, ...]
    other: tuple[OtherChange, ...]
    guidance: tuple[ChangeEntryView, ...]
    more: dict[str, int] = field(default_factory=dict)
    """Per section (its anchor), the changes a large taxonomy's briefing
    leaves to the labels' own pages."""


#: The most entries one section of a large taxonomy's briefing lists: the
#: definitions changed across 100,000 labels made a 9 MB page; the summary
#: still counts them all, and each label's section shows its own history.
BRIEFING_ITEMS = 500


def briefing_pages(site: TaxonomySite, timeline: Timeline) -> list[Page]:
    """A briefing per published pair of versions, and the page listing them."""
    pages = timeline.walk(lambda changes: _briefing(site, changes))
    return [*pages, _index(site, pages)] if pages else []


def _briefing(site: TaxonomySite, changes: ChangeSet) -> Page:
    old, new = changes.old, changes.new
    src = site.briefing_src(str(old.version), str(new.version))
    here = site.here(src)
    new_labels = tuple(
        NewLabel(
            here.label_link(c.label),
            c.label,
            here.prose(site.definition(c.new)),
            here.label_link(c.new.parent) if c.new.parent else None,
        )
        for c in changes.of_kind(ChangeKind.LABEL_ADDED)
        if c.label and c.new
    )
    leaving = tuple(_leaving(site, here, changes))
    meaning = tuple(_meaning(site, here, changes))
    definitions = tuple(
        DefinitionChange(
            here.label_link(c.label),
            c.label,
            *_side_by_side(str(c.detail.get("before") or ""), str(c.detail.get("after") or "")),
        )
        for c in changes.of_kind(ChangeKind.DEFINITION_CHANGED)
        if c.label
    )
    other = tuple(_other(here, changes))
    guidance = tuple(
        change_entry_view(here, e)
        for e in (site.guideline.changelog if site.guideline else ())
        if e.taxonomy_version and old.version < e.taxonomy_version <= new.version
    )
    summary = tuple(
        _count(n, one, many) + rest
        for n, one, many, rest in (
            (len(new_labels), "new label", "new labels", " to learn"),
            (len(leaving), "label", "labels", " no longer used for new work"),
            (len(meaning), "label", "labels", " whose meaning changed"),
            (len(definitions), "definition", "definitions", " changed"),
            (
                len(other),
                "other change",
                "other changes",
                ": names, places in the tree, attributes",
            ),
            (len(guidance), "guideline change", "guideline changes", ""),
        )
        if n
    ) or ("Nothing changes for labelers.",)
    upcoming = new is site.taxonomy and not site.released
    more: dict[str, int] = {}
    if site.large:
        new_labels, leaving, meaning, definitions, other = (
            _first(items, anchor, more)
            for items, anchor in (
                (new_labels, "new-labels"),
                (leaving, "no-longer-used"),
                (meaning, "meaning-changed"),
                (definitions, "definitions"),
                (other, "other-changes"),
            )
        )
    view = BriefingView(
        str(old.version),
        str(new.version),
        upcoming,
        Link(site.title, here.href(site.src("index"))),
        summary,
        new_labels,
        leaving,
        meaning,
        definitions,
        other,
        guidance,
        more,
    )
    sections = [
        ("new-labels", "New labels", new_labels),
        ("no-longer-used", "No longer used: what to do instead", leaving),
        ("meaning-changed", "Same label, changed meaning", meaning),
        ("definitions", "Changed definitions", definitions),
        ("other-changes", "Other changes", other),
        ("guidance", "Guideline changes", guidance),
    ]
    toc = [TocEntry(anchor, title) for anchor, title, items in sections if items]
    title = f"What changed from {old.version} to {new.version}"
    return Page(src, title, "briefing.html.j2", view, toc)


def _leaving(site: TaxonomySite, here: Here, changes: ChangeSet) -> list[LeavingLabel]:
    old_labels, new_labels = changes.old.by_id(), changes.new.by_id()
    out = []
    for c in changes:
        if c.kind in _LEAVING and c.label:
            sources = [(c.label, c.old)]
        elif c.kind is ChangeKind.LABELS_MERGED:
            sources = [(s, old_labels.get(s)) for s in c.detail.get("sources", [])]
        else:
            continue
        targets = list(c.detail.get("targets", []))
        for label_id, before in sources:
            now = new_labels.get(label_id)
            status = (
                now.status.value if now and c.kind is not ChangeKind.LABEL_REMOVED else "removed"
            )
            if c.kind is ChangeKind.LABEL_BECAME_GROUP:
                status = "group"
            out.append(
                LeavingLabel(
                    here.label_link(label_id) if label_id in site.labels else None,
                    label_id,
                    before.name if before else label_id,
                    status,
                    instead_verb(targets, c.detail.get("mode"))
                    if c.kind is not ChangeKind.LABEL_REMOVED
                    else "removed without a replacement: ask before using anything else",
                    tuple(here.label_link(t) for t in targets if t in site.labels)
                    if c.detail.get("mode") != "parent"
                    else (),
                )
            )
    return out


def _meaning(site: TaxonomySite, here: Here, changes: ChangeSet) -> list[MeaningChange]:
    out = []
    for c in changes.of_kind(ChangeKind.LABEL_NARROWED, ChangeKind.LABEL_REUSED):
        if not c.label:
            continue
        targets = [t for t in c.detail.get("targets", []) if t in site.labels]
        if c.kind is ChangeKind.LABEL_NARROWED:
            text = (
                "narrowed: part of what it covered now belongs to another label; for such items use"
            )
        else:
            text = "now means something else; for what it meant before, use"
        if not targets:
            text = text.rsplit(";", 1)[0] + ": ask before labeling such items"
        out.append(
            MeaningChange(
                here.label_link(c.label), c.label, text, tuple(here.label_link(t) for t in targets)
            )
        )
    return out


def _other(here: Here, changes: ChangeSet) -> list[OtherChange]:
    wanted = {
        ChangeKind.NAME_CHANGED,
        ChangeKind.PARENT_CHANGED,
        ChangeKind.ALIAS_ADDED,
        ChangeKind.LABEL_REACTIVATED,
        ChangeKind.REPLACEMENT_CHANGED,
        ChangeKind.ATTRIBUTE_ADDED,
        ChangeKind.ATTRIBUTE_REMOVED,
        ChangeKind.ATTRIBUTE_RETYPED,
        ChangeKind.ATTRIBUTE_OPTION_ADDED,
        ChangeKind.ATTRIBUTE_OPTION_REMOVED,
        ChangeKind.ATTRIBUTE_REQUIRED_CHANGED,
    }
    out = []
    for c in changes.of_kind(*wanted):
        for label_id, text in describe(c):
            out.append(OtherChange(here.label_link(label_id), label_id, text))
    return out


def _first(items: tuple[Any, ...], anchor: str, more: dict[str, int]) -> tuple[Any, ...]:
    """The first :data:`BRIEFING_ITEMS` of a section; how many are left is noted."""
    if len(items) > BRIEFING_ITEMS:
        more[anchor] = len(items) - BRIEFING_ITEMS
    return items[:BRIEFING_ITEMS]


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _side_by_side(before: str, after: str) -> tuple[Markup, Markup]:
    """Both texts, words removed marked in the first and words added in the second."""
    a, b = before.split(), after.split()
    left: list[str] = []
    right: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        old_words = html.escape(" ".join(a[i1:i2]))
        new_words = html.escape(" ".join(b[j1:j2]))
        if op == "equal":
            left.append(old_words)
            right.append(new_words)
            continue
        if old_words:
            left.append(f"<del>{old_words}</del>")
        if new_words:
            right.append(f"<ins>{new_words}</ins>")
    return Markup(" ".join(left)), Markup(" ".join(right))


@dataclass(frozen=True)
class BriefingIndexView:
    home: Link
    briefings: tuple[Link, ...]
    latest: str


def _index(site: TaxonomySite, briefings: list[Page]) -> Page:
    src = site.src("changes/index")
    here = site.here(src)
    links = tuple(
        Link(
            f"From {p.view.old} to {p.view.new}",
            here.href(p.src),
            "; ".join(p.view.summary) + (" (not released yet)" if p.view.upcoming else ""),
        )
        for p in sorted(
            briefings,
            key=lambda p: (parse_version(p.view.new), parse_version(p.view.old)),
            reverse=True,
        )
    )
    latest = max((p.view.new for p in briefings), key=parse_version, default="")
    view = BriefingIndexView(Link(site.title, here.href(site.src("index"))), links, latest)
    return Page(
        src,
        f"What changed: {site.title}",
        "briefing_index.html.j2",
        view,
        nav=True,
        nav_title="What changed",
    )
