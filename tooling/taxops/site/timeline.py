"""A taxonomy's versions as labelers live through them: the sequence of versions
(releases, then the working file when it is not released yet), the change set
between each pair (computed once, by :func:`taxops.changes.diff`), and each
label's history in plain words ("renamed from 'Order status'", "split into ...").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from taxops.changes import ChangeKind, ChangeSet, diff
from taxops.changes.model import Change
from taxops.models.taxonomy import Replacement, Taxonomy


@dataclass(frozen=True)
class Event:
    """Something that happened to a label in a version."""

    version: str
    text: str


@dataclass
class Timeline:
    """Versions of one taxonomy, oldest first, and the changes between them."""

    versions: list[Taxonomy]
    _diffs: dict[tuple[str, str], ChangeSet] = field(default_factory=dict)

    @classmethod
    def of(cls, releases: list[Taxonomy], working: Taxonomy) -> Timeline:
        versions = sorted(releases, key=lambda t: t.version)
        if not any(r.version == working.version for r in versions):
            versions.append(working)
        return cls(versions)

    def changes(self, old: Taxonomy, new: Taxonomy) -> ChangeSet:
        key = (str(old.version), str(new.version))
        if key not in self._diffs:
            self._diffs[key] = diff(old, new)
        return self._diffs[key]

    def pairs(self) -> list[tuple[Taxonomy, Taxonomy]]:
        """Which briefings to publish: each step, and from every older version
        straight to the newest (a labeler returning after months reads one page)."""
        steps = list(zip(self.versions, self.versions[1:], strict=False))
        latest = self.versions[-1]
        catch_up = [(v, latest) for v in self.versions[:-2]]
        return steps + catch_up

    @cached_property
    def events(self) -> dict[str, list[Event]]:
        """Each label's history, oldest first: when it appeared and what changed."""
        out: dict[str, list[Event]] = {}
        if not self.versions:
            return out
        first = self.versions[0]
        for label in first.labels:
            out.setdefault(label.id, []).append(Event(str(first.version), "in the first version"))
        for old, new in zip(self.versions, self.versions[1:], strict=False):
            for change in self.changes(old, new):
                for label_id, text in describe(change):
                    out.setdefault(label_id, []).append(Event(str(new.version), text))
        order = {str(v.version): i for i, v in enumerate(self.versions)}
        for events in out.values():  # within a version, "added" reads first
            events.sort(key=lambda e: (order[e.version], e.text != "added"))
        return out


def _names(ids: list[str]) -> str:
    quoted = [f"'{i}'" for i in ids]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def instead_verb(targets: list[str], mode: str | None) -> str:
    """What labelers do now with items of a label that left, to be followed by
    the replacement labels when there are any ("choose for each item between")."""
    if mode == Replacement.PARENT.value:
        return "use its parent label"
    if not targets:
        return "no single replacement: pick the label that fits, or escalate"
    if mode == Replacement.REVIEW.value and len(targets) > 1:
        return "choose for each item between"
    return "use"


def instead(targets: list[str], mode: str | None) -> str:
    """The same as one sentence naming the labels by id."""
    verb = instead_verb(targets, mode)
    if not targets or mode == Replacement.PARENT.value:
        return verb
    if verb == "use":
        return f"use {_names(targets)}"
    return f"choose {' or '.join(repr(t) for t in targets)} for each item"


def describe(change: Change) -> list[tuple[str, str]]:
    """``(label id, sentence)`` for each label the change concerns; taxonomy-level
    changes and bookkeeping edits (notes, ``since``, order) are not for labelers."""
    d = change.detail
    label = change.label or ""
    kind = change.kind
    if kind is ChangeKind.LABEL_ADDED:
        return [(label, "added")]
    if kind is ChangeKind.NAME_CHANGED:
        return [(label, f"renamed from '{d['before']}' to '{d['after']}'")]
    if kind is ChangeKind.DEFINITION_CHANGED:
        return [(label, "definition changed")]
    if kind is ChangeKind.PARENT_CHANGED:
        return [
            (
                label,
                f"moved from '{d['before'] or 'the top level'}' to '{d['after'] or 'the top level'}'",
            )
        ]
    if kind is ChangeKind.ALIAS_ADDED:
        return [(label, f"alias '{d['alias']}' added")]
    if kind is ChangeKind.ALIAS_REMOVED:
        return [(label, f"alias '{d['alias']}' removed")]
    if kind in (ChangeKind.LABEL_DEPRECATED, ChangeKind.LABEL_RETIRED):
        verb = "deprecated" if kind is ChangeKind.LABEL_DEPRECATED else "retired"
        return [(label, f"{verb}: {instead(list(d.get('targets', [])), d.get('mode'))}")]
    if kind is ChangeKind.LABEL_SPLIT:
        targets = list(d.get("targets", []))
        out = [(label, f"split into {_names(targets)}")]
        return out + [(t, f"takes over part of '{label}'") for t in targets]
    if kind is ChangeKind.LABELS_MERGED:
        sources, target = list(d["sources"]), str(d["target"])
        out = [(s, f"merged into '{target}'") for s in sources]
        return [*out, (target, f"absorbs {_names(sources)}")]
    if kind is ChangeKind.LABEL_ID_CHANGED:
        targets = list(d.get("targets", []))
        return [(label, f"replaced by {_names(targets)} (new id)")] + [
            (t, f"replaces '{label}'") for t in targets
        ]
    if kind is ChangeKind.LABEL_REACTIVATED:
        return [
            (label, "back in use" if d.get("status") == "active" else "valid on old items again")
        ]
    if kind is ChangeKind.REPLACEMENT_CHANGED:
        return [
            (label, f"replacement changed: {instead(list(d.get('targets', [])), d.get('mode'))}")
        ]
    if kind is ChangeKind.LABEL_REMOVED:
        return [(label, "removed from the taxonomy")]
    if kind is ChangeKind.LABEL_NARROWED:
        targets = list(d.get("targets", []))
        return [(label, f"narrowed: part of its meaning moved to {_names(targets)}")] + [
            (t, f"takes over part of '{label}'") for t in targets
        ]
    if kind is ChangeKind.LABEL_BECAME_GROUP:
        return [(label, f"became a group: {instead(list(d.get('targets', [])), d.get('mode'))}")]
    if kind is ChangeKind.LABEL_REUSED:
        targets = list(d.get("targets", []))
        return [
            (
                label,
                f"now means something else; for its former meaning {instead(targets, d.get('mode'))}",
            )
        ]
    if kind.value.startswith("attribute-"):
        return [(label, _attribute_sentence(kind, d))]
    return []


def _attribute_sentence(kind: ChangeKind, d: dict[str, object]) -> str:
    name = d.get("attribute")
    return {
        ChangeKind.ATTRIBUTE_ADDED: f"attribute '{name}' added",
        ChangeKind.ATTRIBUTE_REMOVED: f"attribute '{name}' removed",
        ChangeKind.ATTRIBUTE_RETYPED: f"attribute '{name}' changed type",
        ChangeKind.ATTRIBUTE_OPTION_ADDED: f"attribute '{name}' gained option '{d.get('option')}'",
        ChangeKind.ATTRIBUTE_OPTION_REMOVED: f"attribute '{name}' lost option '{d.get('option')}'",
        ChangeKind.ATTRIBUTE_REQUIRED_CHANGED: f"attribute '{name}' is now "
        + ("required" if d.get("after") else "optional"),
        ChangeKind.ATTRIBUTE_DESCRIPTION_CHANGED: f"attribute '{name}' explained differently",
    }.get(kind, f"attribute '{name}' changed")
