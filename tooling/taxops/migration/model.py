"""The migration map as plain data: for every label of an old taxonomy version,
exactly one entry saying what happens to the items that carry it.

An entry's ``mode`` is what a data engine needs (``keep`` the value, rewrite it
``direct``\\ly, or send the item to human ``review``); its ``action`` says why, in
the words of the change (a merge, a split, a parent fallback...). ``targets`` are
the labels of the new version the item ends up with (``keep``, ``direct``) or may
end up with (``review``: the candidates; none means a human picks from the whole
new version).
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterator
from dataclasses import MISSING, dataclass, field, fields
from functools import cached_property


class Mode(str, enum.Enum):
    """What a machine does with an item carrying the label."""

    KEEP = "keep"
    """The value stays as it is."""
    DIRECT = "direct"
    """A machine rewrites the value to ``targets``."""
    REVIEW = "review"
    """A human relabels the item, choosing among ``targets`` when given."""


class Action(str, enum.Enum):
    """Why an entry has its mode, in the words of the change."""

    KEEP = "keep"
    """Same id in the new version (maybe renamed for display, moved or deprecated)."""
    RENAME = "rename"
    """The id changed: retired in favour of a label new in this version (direct)."""
    MERGE = "merge"
    """Merged into another label (direct)."""
    SPLIT = "split"
    """Split into several labels: a human picks one (review)."""
    REPLACE = "replace"
    """Replaced directly through several steps or by an earlier tombstone (direct)."""
    REVIEW = "review"
    """Retired; a human relabels the items (review)."""
    PARENT = "parent"
    """Retired; items fall back to the parent label (direct)."""
    UNMAPPED = "unmapped"
    """Removed or retired without saying where items go: sent to review, and a
    finding that fails ``taxops check``."""
    NARROWED = "narrowed"
    """The label stays, but part of its meaning moved to other labels: a human
    decides among the label itself and those (review), or items stay (keep)."""
    BECAME_GROUP = "became-group"
    """The label became a group items cannot carry: items go to one of its
    children (direct) or a human picks among them (review)."""
    REUSED = "reused"
    """The id now means something else: items that carried its old meaning go
    where the new version says (direct or review)."""


#: The mode each action implies when it is the only step.
ACTION_MODE: dict[Action, Mode] = {
    Action.KEEP: Mode.KEEP,
    Action.RENAME: Mode.DIRECT,
    Action.MERGE: Mode.DIRECT,
    Action.SPLIT: Mode.REVIEW,
    Action.REPLACE: Mode.DIRECT,
    Action.REVIEW: Mode.REVIEW,
    Action.PARENT: Mode.DIRECT,
    Action.UNMAPPED: Mode.REVIEW,
    Action.NARROWED: Mode.REVIEW,
    Action.BECAME_GROUP: Mode.DIRECT,
    Action.REUSED: Mode.DIRECT,
}

#: Actions whose name holds in either mode (the declaration says direct or review).
EITHER_MODE: frozenset[Action] = frozenset({Action.NARROWED, Action.BECAME_GROUP, Action.REUSED})


@dataclass(frozen=True)
class Step:
    """One release-to-release step an entry went through (composed maps only)."""

    from_version: str
    to_version: str
    label: str
    action: Action
    targets: tuple[str, ...]


@dataclass(frozen=True)
class SuggestedLabel:
    """A label of the new version that resembles an unmapped old label: the
    overall score and its parts (display name, definition, place in the tree)."""

    label: str
    score: float
    name: float
    definition: float | None
    path: float


@dataclass(frozen=True)
class Entry:
    """What happens to items carrying the old label ``label``."""

    label: str
    action: Action
    mode: Mode
    targets: tuple[str, ...]
    #: Decision rules that help a reviewer choose among the candidates.
    hints: tuple[str, ...] = ()
    #: A label the item keeps or gets is deprecated in the new version: valid,
    #: but not for new work.
    deprecated: bool = False
    #: Display name (before, after) when it changed; the id and data did not.
    renamed: tuple[str, str] | None = None
    #: Parent (before, after) when the label moved in the hierarchy.
    moved: tuple[str | None, str | None] | None = None
    #: The tombstone's note: why the label was retired or deprecated.
    note: str | None = None
    via: tuple[Step, ...] = ()
    #: A narrowed label: the labels that took part of its meaning (also when its
    #: items stay, ``keep``).
    narrowed_to: tuple[str, ...] = ()
    #: Unmapped entries: labels of the new version that look like this one,
    #: best first. Shown to reviewers, never applied unless declared.
    suggestions: tuple[SuggestedLabel, ...] = ()

    @property
    def relabels(self) -> bool:
        """Whether items carrying the label change (machine or human)."""
        return self.mode is not Mode.KEEP

    @classmethod
    def kept(
        cls,
        label: str,
        renamed: tuple[str, str] | None = None,
        moved: tuple[str | None, str | None] | None = None,
    ) -> Entry:
        """The entry of a label kept as it is: ``Entry(label, Action.KEEP,
        Mode.KEEP, (label,), renamed=..., moved=...)``, the same value. Most
        entries of a large map are these (89,000 of a classification's
        90,000), and a frozen dataclass's ``__init__`` sets each of the 13
        fields through ``object.__setattr__``: this fills the instance's
        fields at once (90,000 entries: 0.28 -> 0.20 s), for a map read from
        the cache or built."""
        entry = object.__new__(cls)
        values = {**_KEPT, "label": label, "targets": (label,), "renamed": renamed, "moved": moved}
        object.__setattr__(entry, "__dict__", values)
        return entry


def _kept_fields() -> dict[str, object]:
    """Every field of a kept entry but its label's own: the defaults, and the
    keep action and mode (each default is an immutable value, shared)."""
    found: dict[str, object] = {"action": Action.KEEP, "mode": Mode.KEEP}
    for f in fields(Entry):
        if f.name in ("label", "action", "mode", "targets"):
            continue
        if f.default is MISSING:  # a default_factory would give each its own
            raise TypeError(f"Entry.kept cannot fill the field {f.name}")
        found[f.name] = f.default
    return found


_KEPT = _kept_fields()


@dataclass(frozen=True)
class MigrationMap:
    """Total map from every label of ``from_version`` to its fate in ``to_version``."""

    taxonomy: str
    from_version: str
    to_version: str
    #: ``single-label``, ``multi-label`` or ``hierarchical`` (of the new version).
    kind: str
    entries: tuple[Entry, ...]
    #: Labels valid on data in the new version (active and deprecated), in file order.
    valid_labels: tuple[str, ...] = ()
    #: Of those, the deprecated ones (valid, not for new work).
    deprecated_labels: tuple[str, ...] = ()
    #: Whether the old version's ids ignore case (``insensitive``: a dataset
    #: value in another case is that label) or not (``sensitive``). From the
    #: old version's ``ids:``; slugs are lowercase, so they ignore case.
    id_case: str = "insensitive"
    _index: dict[str, Entry] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for entry in self.entries:
            self._index.setdefault(entry.label, entry)

    def __getitem__(self, label: str) -> Entry:
        return self._index[label]

    def get(self, label: str | None) -> Entry | None:
        """The entry of ``label``, or None when it is no old label's id."""
        return self._index.get(label) if label is not None else None

    def __contains__(self, label: object) -> bool:
        return label in self._index

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    @cached_property
    def by_lower_id(self) -> dict[str, tuple[str, ...]]:
        """Old label ids by their lower case; several ids under one key cannot
        be told apart without their case."""
        found: dict[str, tuple[str, ...]] = {}
        for label in self._index:
            found[label.lower()] = (*found.get(label.lower(), ()), label)
        return found

    @property
    def labels(self) -> tuple[str, ...]:
        """The old version's labels, in file order."""
        return tuple(e.label for e in self.entries)

    def summary(self) -> dict[str, int]:
        """Number of entries per action, every action present (zeros included)."""
        counts = Counter(e.action for e in self.entries)
        return {a.value: counts.get(a, 0) for a in Action}
