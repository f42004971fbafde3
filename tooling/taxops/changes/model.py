"""What changed between two versions of a taxonomy, as plain data.

One :class:`ChangeSet` is computed per pair of versions (:func:`taxops.changes.diff`)
and everything downstream reads it: the compatibility rules, the migration map,
the PR report, the relabel impact and the labelers' briefing.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from taxops.models.taxonomy import Label, Taxonomy


class ChangeKind(str, enum.Enum):
    """Every kind of edit between two versions. Each is claimed by at least one
    compatibility rule (a test checks the coverage map)."""

    LABEL_ADDED = "label-added"
    LABEL_DEPRECATED = "label-deprecated"
    LABEL_RETIRED = "label-retired"
    LABEL_REACTIVATED = "label-reactivated"
    """A deprecated or retired label brought back: active again, or a retired
    label made deprecated (valid on existing data again). ``detail["status"]``
    says which."""
    LABEL_REMOVED = "label-removed"
    """Gone from the file without a tombstone: its id could be reused."""
    LABEL_ID_CHANGED = "label-id-changed"
    """Old id retired with a direct replacement by a label new in this version."""
    LABELS_MERGED = "labels-merged"
    LABEL_SPLIT = "label-split"
    REPLACEMENT_CHANGED = "replacement-changed"
    """An already deprecated/retired label now points somewhere else."""
    NAME_CHANGED = "name-changed"
    ALIAS_ADDED = "alias-added"
    ALIAS_REMOVED = "alias-removed"
    DEFINITION_CHANGED = "definition-changed"
    PARENT_CHANGED = "parent-changed"
    ATTRIBUTE_ADDED = "attribute-added"
    ATTRIBUTE_REMOVED = "attribute-removed"
    ATTRIBUTE_RETYPED = "attribute-retyped"
    ATTRIBUTE_OPTION_ADDED = "attribute-option-added"
    ATTRIBUTE_OPTION_REMOVED = "attribute-option-removed"
    ATTRIBUTE_REQUIRED_CHANGED = "attribute-required-changed"
    KIND_CHANGED = "kind-changed"
    LEAF_ONLY_CHANGED = "leaf-only-changed"
    METADATA_CHANGED = "metadata-changed"
    """Title, description, owners, compatibility mode: no effect on data."""
    LABELS_REORDERED = "labels-reordered"
    NOTE_CHANGED = "note-changed"
    """A label's ``note`` (why it was deprecated or retired) was edited."""
    SINCE_CHANGED = "since-changed"
    """A label's ``since`` (the version that introduced it) was edited."""
    ATTRIBUTE_DESCRIPTION_CHANGED = "attribute-description-changed"
    TAXONOMY_ID_CHANGED = "taxonomy-id-changed"
    """The taxonomy's own ``id``, which guidelines, policies and datasets cite."""
    LABEL_NARROWED = "label-narrowed"
    """The label stays, but part of its meaning moved to other labels (declared
    with ``narrowed:``). ``detail["targets"]`` are the labels that took part of it,
    ``detail["mode"]`` what happens to its items (review or keep)."""
    LABEL_BECAME_GROUP = "label-became-group"
    """The label became a group items cannot carry (declared with ``became_group:``);
    its items go to ``detail["targets"]`` (direct or review)."""
    LABEL_REUSED = "label-reused"
    """The id took another meaning (declared with ``reused:``); items that carried
    the old meaning go to ``detail["targets"]`` (direct or review)."""
    DECLARATION_EDITED = "declaration-edited"
    """A declaration about a version the old one already includes (``narrowed``,
    ``became_group``, ``reused``, ``backward`` with ``version`` up to the old
    version) was added, removed or changed: history rewritten, which no step
    acts on. ``detail["field"]``, ``detail["versions"]`` (the versions whose
    declarations differ), ``detail["before"]``/``detail["after"]``."""


@dataclass(frozen=True)
class Change:
    """One change. ``label`` is the label id the change is about (None for
    taxonomy-level changes); ``old``/``new`` are the label as it was and is, and
    ``old_index``/``new_index`` their positions in each file's ``labels`` list, so
    formatters can point at both YAML lines."""

    kind: ChangeKind
    label: str | None = None
    old: Label | None = None
    new: Label | None = None
    old_index: int | None = None
    new_index: int | None = None
    #: Facts specific to the kind: ``sources``/``target`` of a merge,
    #: ``targets`` of a split, ``attribute``, ``option``, ``before``/``after``...
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def field_path(self) -> tuple[str, ...]:
        """The key inside the label the change is about, for locating it."""
        return _FIELD.get(self.kind, ())


_FIELD: dict[ChangeKind, tuple[str, ...]] = {
    ChangeKind.NAME_CHANGED: ("name",),
    ChangeKind.ALIAS_ADDED: ("aliases",),
    ChangeKind.ALIAS_REMOVED: ("aliases",),
    ChangeKind.DEFINITION_CHANGED: ("definition",),
    ChangeKind.PARENT_CHANGED: ("parent",),
    ChangeKind.LABEL_DEPRECATED: ("status",),
    ChangeKind.LABEL_RETIRED: ("status",),
    ChangeKind.LABEL_REACTIVATED: ("status",),
    ChangeKind.LABEL_SPLIT: ("replaced_by",),
    ChangeKind.LABELS_MERGED: ("replaced_by",),
    ChangeKind.LABEL_ID_CHANGED: ("replaced_by",),
    ChangeKind.REPLACEMENT_CHANGED: ("replaced_by",),
    ChangeKind.ATTRIBUTE_ADDED: ("attributes",),
    ChangeKind.ATTRIBUTE_REMOVED: ("attributes",),
    ChangeKind.ATTRIBUTE_RETYPED: ("attributes",),
    ChangeKind.ATTRIBUTE_OPTION_ADDED: ("attributes",),
    ChangeKind.ATTRIBUTE_OPTION_REMOVED: ("attributes",),
    ChangeKind.ATTRIBUTE_REQUIRED_CHANGED: ("attributes",),
    ChangeKind.ATTRIBUTE_DESCRIPTION_CHANGED: ("attributes",),
    ChangeKind.NOTE_CHANGED: ("note",),
    ChangeKind.SINCE_CHANGED: ("since",),
    ChangeKind.LABEL_NARROWED: ("narrowed",),
    ChangeKind.LABEL_BECAME_GROUP: ("became_group",),
    ChangeKind.LABEL_REUSED: ("reused",),
}


@dataclass(frozen=True)
class Suggestion:
    """An undeclared rename or move that looks likely (similar name or
    definition). Shown to reviewers, never acted on."""

    removed: str
    added: str
    similarity: float
    """The overall score, 0 to 1 (1.0 for the same display name)."""
    reason: str
    name: float = 0.0
    """How alike the display names are, 0 to 1."""
    definition: float | None = None
    """How alike the definitions are, 0 to 1 (None when one has none)."""
    path: float = 1.0
    """How alike the places in the tree are (the names of the ancestors), 0 to 1."""


@dataclass(frozen=True)
class ChangeSet:
    """All changes from ``old`` to ``new``, each once, in a stable order
    (taxonomy-level first, then by label position in the files)."""

    old: Taxonomy
    new: Taxonomy
    changes: tuple[Change, ...]
    suggestions: tuple[Suggestion, ...] = ()

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.changes)

    def __len__(self) -> int:
        return len(self.changes)

    def of_kind(self, *kinds: ChangeKind) -> list[Change]:
        return [c for c in self.changes if c.kind in kinds]

    def about(self, label_id: str) -> list[Change]:
        """Changes about one label, including merges and splits it takes part in."""
        return [
            c
            for c in self.changes
            if c.label == label_id
            or label_id in c.detail.get("sources", ())
            or label_id in c.detail.get("targets", ())
        ]

    @property
    def content_changed(self) -> bool:
        """Whether anything but the version number differs."""
        return bool(self.changes)
