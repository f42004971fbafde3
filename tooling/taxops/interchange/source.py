"""What an export reads: the taxonomy version being exported, its guideline (for
labelers' hints) and its release history (for ids that must stay stable across
versions, such as COCO category numbers)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from taxops.models.guideline import Guideline, LabelGuidance
from taxops.models.taxonomy import Label, Status, Taxonomy, TaxonomyKind


@dataclass(frozen=True)
class ExportSource:
    taxonomy: Taxonomy
    guideline: Guideline | None = None
    #: Every known version of the taxonomy, oldest first (releases and the working
    #: file); empty when only ``taxonomy`` is known.
    history: Sequence[Taxonomy] = field(default_factory=tuple)

    @property
    def id(self) -> str:
        return self.taxonomy.id

    @property
    def version(self) -> str:
        return str(self.taxonomy.version)

    @property
    def hierarchical(self) -> bool:
        return self.taxonomy.kind is TaxonomyKind.HIERARCHICAL

    @property
    def multi_label(self) -> bool:
        return self.taxonomy.kind is TaxonomyKind.MULTI_LABEL

    def active(self) -> list[Label]:
        """Labels for new work (active), in file order."""
        return [label for label in self.taxonomy.labels if label.status is Status.ACTIVE]

    def assignable(self) -> list[Label]:
        """Active labels a labeler may put on an item: with ``leaf_only``, only
        those without active children (groups exist for routing, not for items)."""
        active = self.active()
        if not (self.hierarchical and self.taxonomy.leaf_only):
            return active
        parents = {label.parent for label in active if label.parent}
        return [label for label in active if label.id not in parents]

    def active_children(self) -> dict[str | None, list[Label]]:
        """Active labels by parent id (``None``: roots). A child whose parent is not
        active hangs from the nearest active ancestor, so nothing is lost."""
        active = {label.id: label for label in self.active()}
        by_id = self.taxonomy.by_id()
        groups: dict[str | None, list[Label]] = {}
        for label in active.values():
            parent = label.parent
            seen: set[str] = set()
            while parent is not None and parent not in active and parent not in seen:
                seen.add(parent)
                above = by_id.get(parent)
                parent = above.parent if above else None
            groups.setdefault(parent if parent in active else None, []).append(label)
        return groups

    @cached_property
    def _guidance(self) -> Mapping[str, LabelGuidance]:
        """The guideline's guidance by label, built once: each option's hint
        reads its label's (built per label, an export of 20,000 labels took
        40 s). Kept here, not on the guideline: a guideline copied with
        other labels (redacted) would carry a stale index along."""
        return self.guideline.by_label() if self.guideline else {}

    def definition(self, label: Label) -> str:
        """The label's definition as labelers read it: the guideline's wording when
        it has one, else the taxonomy's; whitespace collapsed."""
        guidance = self._guidance.get(label.id)
        text = (guidance.definition if guidance and guidance.definition else None) or (
            label.definition or ""
        )
        return " ".join(text.split())

    def title(self) -> str:
        return self.taxonomy.title

    def stamp(self) -> str:
        """``<id> <version>``: what every export says it was made from."""
        return f"{self.id} {self.version}"


def stable_numbers(history: Sequence[Taxonomy]) -> dict[str, int]:
    """A number per label id, from 1, in order of first appearance across the
    versions (oldest first, file order within a version). A label keeps its number
    in every later version, and a retired label's number is never given to
    another: numbering only ever appends."""
    numbers: dict[str, int] = {}
    for version in history:
        for label in version.labels:
            numbers.setdefault(label.id, len(numbers) + 1)
    return numbers


def history_of(source: ExportSource) -> list[Taxonomy]:
    """The versions up to and including the exported one, oldest first."""
    earlier = [t for t in source.history if t.version < source.taxonomy.version]
    return [*earlier, source.taxonomy]


def labels_by_id(labels: Sequence[Label]) -> dict[str, Label]:
    return {label.id: label for label in labels}
