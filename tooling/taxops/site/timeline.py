"""A taxonomy's versions as labelers live through them: the sequence of versions
(releases, then the working file when it is not released yet), the change set
between each pair (computed once, by :func:`taxops.changes.diff`, and let go once
its briefing is made), and each label's history in plain words ("renamed from
'Order status'", "split into ...").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from taxops.changes import ChangeKind, ChangeSet, diff
from taxops.changes.model import Change
from taxops.models.taxonomy import Replacement, Taxonomy
from taxops.versioning.versions import Version

T = TypeVar("T")


@dataclass(frozen=True)
class Event:
    """Something that happened to a label in a version."""

    version: str
    text: str


@dataclass(frozen=True)
class Release:
    """A release the site reads only for its history: its version, and how to
    read it when a comparison needs its labels. A release of a 100,000-label
    taxonomy is hundreds of megabytes as a model, so the site does not keep
    its releases: it reads them again, two at a time (:meth:`Timeline.walk`)."""

    version: Version
    load: Callable[[], Taxonomy]


@dataclass
class Timeline:
    """Versions of one taxonomy, oldest first: releases (as models, or as
    :class:`Release` to be read when compared) and the working taxonomy when
    its version is not released yet."""

    versions: list[Taxonomy | Release]
    _events: dict[str, list[Event]] | None = field(default=None, repr=False)

    @classmethod
    def of(cls, releases: list[Taxonomy] | list[Release], working: Taxonomy) -> Timeline:
        versions: list[Taxonomy | Release] = sorted(releases, key=lambda t: t.version)
        if not any(r.version == working.version for r in versions):
            versions.append(working)
        return cls(versions)

    def pairs(self) -> list[tuple[int, int]]:
        """Which briefings to publish, as positions in :attr:`versions`: each
        step, and from every older version straight to the newest (a labeler
        returning after months reads one page)."""
        n = len(self.versions)
        return [(i, i + 1) for i in range(n - 1)] + [(i, n - 1) for i in range(n - 2)]

    def walk(self, brief: Callable[[ChangeSet], T]) -> list[T]:
        """``brief`` of the change set of each pair of :meth:`pairs`, in that
        order, each change set computed once; each label's history
        (:attr:`events`) is recorded on the way.

        The versions are read oldest first and let go as soon as no pair needs
        them: at most two releases are held at any time (with the working
        taxonomy, which the site holds anyway). ``brief`` keeps what its page
        needs, never the change set (which holds both versions)."""
        n = len(self.versions)
        done: dict[tuple[int, int], T] = {}
        events: dict[str, list[Event]] = {}
        previous: Taxonomy | None = None
        for i in range(n):
            current: Taxonomy | None = _read(self.versions[i])
            assert current is not None
            if i == 0:
                for label in current.labels:
                    events.setdefault(label.id, []).append(
                        Event(str(current.version), "in the first version")
                    )
            if previous is not None:
                done[(i - 1, i)] = _brief(previous, current, brief, events)
            previous = None  # the older of the pair is let go before the next is read
            if i < n - 2:  # the catch-up briefing from this version to the newest
                done[(i, n - 1)] = _brief(current, _read(self.versions[-1]), brief, None)
            previous, current = current, None
        order = {str(v.version): i for i, v in enumerate(self.versions)}
        for history in events.values():  # within a version, "added" reads first
            history.sort(key=lambda e: (order[e.version], e.text != "added"))
        self._events = events
        return [done[pair] for pair in self.pairs()]

    @property
    def events(self) -> dict[str, list[Event]]:
        """Each label's history, oldest first: when it appeared and what changed."""
        if self._events is None:
            self.walk(lambda _changes: None)
        assert self._events is not None
        return self._events


def _read(version: Taxonomy | Release) -> Taxonomy:
    return version.load() if isinstance(version, Release) else version


def _brief(
    old: Taxonomy,
    new: Taxonomy,
    brief: Callable[[ChangeSet], T],
    events: dict[str, list[Event]] | None,
) -> T:
    changes = diff(old, new)
    if events is not None:
        for change in changes:
            for label_id, text in describe(change):
                events.setdefault(label_id, []).append(Event(str(new.version), text))
    return brief(changes)


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
