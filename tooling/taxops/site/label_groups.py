"""Label pages for a large taxonomy: labels shown by group, many to a page.

Up to :data:`LARGE_TAXONOMY` labels a taxonomy's site has a page per label (the
5,000-label site its readers know). Above it, a page per label would make the
site grow with the raw label count: 100,000 pages for MkDocs to build, a
search index no phone can load, a navigation nobody reads. So each label is a
section of a *group page*: the labels under one parent stay together, small
sibling groups share a page, and no page holds more than :data:`GROUP_SIZE`
labels. Every label keeps its address (its group page, its id as the anchor),
its definition, guidance, examples and history; it is found with the label
finder (a small index, split by the first letters of each word, so a search
loads one piece of it) and from the tree on the taxonomy's home page.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from taxops.models.taxonomy import Label, Taxonomy
from taxops.site.urls import label_page_name

#: Above this many labels (retired ones included), labels are shown by group.
LARGE_TAXONOMY = 10_000
#: The most labels one group page holds.
GROUP_SIZE = 200


@dataclass(frozen=True)
class LabelGroup:
    """One group page: its name in the site, its title, and its labels in
    tree order (each with the parent it is listed under)."""

    key: str
    title: str
    labels: tuple[Label, ...]
    parents: tuple[str | None, ...]
    """The parents whose children the page lists (``None``: top-level labels)."""


def is_large(taxonomy: Taxonomy) -> bool:
    return len(taxonomy.labels) > LARGE_TAXONOMY


def label_groups(taxonomy: Taxonomy, size: int | None = None) -> list[LabelGroup]:
    """The group pages of a taxonomy: every label exactly once, under its
    parent (a label whose parent is missing is listed with the top-level
    ones), parents in tree order, consecutive small families packed together."""
    size = size or GROUP_SIZE
    by_id = taxonomy.by_id()
    families: dict[str | None, list[Label]] = {}
    for label in by_id.values():
        parent = label.parent if label.parent in by_id and label.parent != label.id else None
        families.setdefault(parent, []).append(label)
    pages: list[LabelGroup] = []
    batch: list[_Part] = []

    def flush() -> None:
        if batch:
            pages.append(_group(batch, by_id))
            batch.clear()

    held = 0
    for parent in _tree_order(families):
        family = families[parent]
        for start in range(0, len(family), size):
            part = family[start : start + size]
            if held + len(part) > size:
                flush()
                held = 0
            batch.append(_Part(parent, part, start, len(family)))
            held += len(part)
    flush()
    return _unique_keys(pages)


@dataclass(frozen=True)
class _Part:
    """A family's labels on one page: all of them, or (a family larger than a
    page) those from ``start`` on, of ``total``."""

    parent: str | None
    labels: list[Label]
    start: int
    total: int

    def title(self, by_id: Mapping[str, Label]) -> str:
        """The family's name; a part of a split family says which part, so the
        pages of 100,000 top-level labels are not 500 pages of one title."""
        name = "Top-level labels" if self.parent is None else by_id[self.parent].name
        if len(self.labels) == self.total:
            return name
        end = self.start + len(self.labels)
        return f"{name} (labels {self.start + 1:,} to {end:,} of {self.total:,})"


def _tree_order(families: dict[str | None, list[Label]]) -> list[str | None]:
    """Parents in the order a reader walks the tree: top level first, then each
    parent's family right after its own (depth first, file order)."""
    order: list[str | None] = []
    seen: set[str | None] = set()
    stack: list[str | None] = [None]
    while stack:
        parent = stack.pop()
        if parent in seen or parent not in families:
            continue
        seen.add(parent)
        order.append(parent)
        stack.extend(reversed([c.id for c in families[parent] if c.id in families]))
    return order


def _group(batch: list[_Part], by_id: Mapping[str, Label]) -> LabelGroup:
    labels = tuple(label for part in batch for label in part.labels)
    parents = tuple(dict.fromkeys(part.parent for part in batch))
    first = parents[0]
    # '_top' is never a label's page name (those start with a letter or digit).
    key = "_top" if first is None else label_page_name(first)
    shown = [part.title(by_id) for part in batch]
    title = shown[0] if len(shown) == 1 else f"{shown[0]} to {shown[-1]}"
    return LabelGroup(key, title, labels, parents)


def _unique_keys(pages: Iterable[LabelGroup]) -> list[LabelGroup]:
    """A family split over several pages puts its later pages below the first
    (``key/2``, ``key/3``): no label's page name holds a slash, so none collides."""
    seen: dict[str, int] = {}
    out = []
    for page in pages:
        n = seen.get(page.key, 0) + 1
        seen[page.key] = n
        key = page.key if n == 1 else f"{page.key}/{n}"
        out.append(LabelGroup(key, page.title, page.labels, page.parents))
    return out
