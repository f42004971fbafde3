"""From one change set to one migration map.

The change set says what happened to each label (merged, split, id changed,
retired, deprecated, removed, renamed, moved); this module only reads it, plus
the new version's labels to follow tombstone chains (``a`` retired into ``b``,
itself retired into ``c`` in the same version) down to labels valid on data.
Every label of the old version gets exactly one entry: the loop below runs over
the old labels and each branch returns an entry, so the map is total by
construction (labels whose fate the new version does not declare become
``unmapped`` entries that send items to review and fail ``taxops check``).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import compress

from taxops.changes import Change, ChangeKind, ChangeSet
from taxops.migration.model import Action, Entry, MigrationMap, Mode, SuggestedLabel
from taxops.migration.outcome import OPEN, Outcome, direct, fan_out, name_action
from taxops.models.lazy_labels import LazyLabels, build
from taxops.models.taxonomy import Label, Replacement, Status, Taxonomy


@dataclass(frozen=True)
class DecisionHint:
    """A decision rule that helps a reviewer choose between labels, e.g. from a
    guideline: "over 3.5 t gross weight is truck.heavy"."""

    labels: tuple[str, ...]
    text: str


#: The change kinds that decide an old label's fate, and the action each implies.
_FATE: dict[ChangeKind, Action] = {
    ChangeKind.LABEL_REMOVED: Action.UNMAPPED,
    ChangeKind.LABEL_ID_CHANGED: Action.RENAME,
    ChangeKind.LABEL_SPLIT: Action.SPLIT,
    ChangeKind.LABEL_RETIRED: Action.REVIEW,
    ChangeKind.LABEL_NARROWED: Action.NARROWED,
    ChangeKind.LABEL_BECAME_GROUP: Action.BECAME_GROUP,
    ChangeKind.LABEL_REUSED: Action.REUSED,
}
#: When one label has several declared fates in a step, the strongest wins: a
#: reused id's old meaning is gone, and a group cannot keep its own items.
_PRECEDENCE = (Action.REUSED, Action.BECAME_GROUP, Action.NARROWED)

#: The change kinds that give an old label a fate of its own (``merged``
#: gives one to each of its sources). An old label none of them is about, and
#: that the new version still has active or deprecated, keeps its items.
FATE_KINDS = frozenset([*_FATE, ChangeKind.LABELS_MERGED])


def build_map(
    changes: ChangeSet, hints: Sequence[DecisionHint] = (), *, only: Collection[str] | None = None
) -> MigrationMap:
    """The migration map from ``changes.old`` to ``changes.new``: one entry per
    old label, in the old file's order. ``hints`` (optional, e.g. a guideline's
    decision rules) are attached to entries a human must review. ``only``
    restricts the entries to those labels (each entry depends on its own
    label alone): a finding about a few labels does not build 200,000."""
    return MigrationMap(
        taxonomy=changes.new.id,
        from_version=str(changes.old.version),
        to_version=str(changes.new.version),
        kind=changes.new.kind.value,
        entries=entries(changes, hints, only=only),
        valid_labels=_valid_labels(changes.new),
        deprecated_labels=_deprecated_labels(changes.new),
        id_case=changes.old.id_rule.case.value,
    )


def entries(
    changes: ChangeSet, hints: Sequence[DecisionHint] = (), *, only: Collection[str] | None = None
) -> tuple[Entry, ...]:
    """The entries of :func:`build_map`, without what the map says of the new
    version as a whole (its valid and deprecated labels: a pass over every label
    of it, which a finding about a few labels does not need)."""
    new_ids = LabelIndex(changes.new)
    fates = _fates(changes)
    _build_targets(changes)
    cosmetic = _cosmetic(changes)
    suggested = _suggested(changes)
    found = []
    labels = _unique_labels(changes.old, only)
    for label in labels:
        fate = fates.get(label.id)
        after = new_ids.get(label.id)
        renamed, moved = cosmetic.get(label.id, (None, None))
        if (
            fate is None
            and after is not None
            and after.status is Status.ACTIVE
            and not after.became_group
        ):
            # Nearly every label of a large map: still active, no fate of its
            # own, so kept as it is (what _fate, resolve and name_action give
            # it, without their 5 microseconds a label).
            found.append(Entry.kept(label.id, renamed, moved))
            continue
        action, outcome = _fate(label, fate, new_ids)
        action, mode = name_action(label.id, [action], outcome)
        declared = fate[1].detail if fate and fate[0] in _PRECEDENCE else {}
        found.append(
            Entry(
                label=label.id,
                action=action,
                mode=mode,
                targets=outcome.targets,
                hints=_hints_for(outcome, hints) if mode is Mode.REVIEW else (),
                deprecated=mode is not Mode.REVIEW
                and any(new_ids[t].status is Status.DEPRECATED for t in outcome.targets),
                renamed=renamed if mode is Mode.KEEP else None,
                moved=moved if mode is Mode.KEEP else None,
                note=declared.get("note")
                or (
                    after.note if after is not None and after.status is not Status.ACTIVE else None
                ),
                narrowed_to=tuple(declared.get("targets", ()))
                if fate and fate[0] is Action.NARROWED
                else (),
                suggestions=suggested.get(label.id, ()) if action is Action.UNMAPPED else (),
            )
        )
    return tuple(found)


def _build_targets(changes: ChangeSet) -> None:
    """Build at once the labels the map's first step reads for the changes
    that move items: the targets they name, and the parent a retired label
    falls back to (a cached release builds its labels when read: thousands of
    retirements into labels that did not change are one validation, not one
    each). Only what is read is built; anything further is built when read."""
    if not isinstance(changes.new.labels, LazyLabels):
        return
    at = changes.new.index
    targets: set[str] = set()
    for change in changes:
        if "targets" in change.detail:
            targets.update(change.detail["targets"] or ())
            if change.new is not None and change.new.parent is not None:
                targets.add(change.new.parent)
    build(changes.new.labels, [at[t] for t in targets if t in at])


def _fates(changes: ChangeSet) -> dict[str, tuple[Action, Change]]:
    """Old label id -> the change that decides where its items go."""
    fates: dict[str, tuple[Action, Change]] = {}
    for change in changes:
        if change.kind is ChangeKind.LABELS_MERGED:
            for source in change.detail["sources"]:
                fates[source] = (Action.MERGE, change)
        elif change.kind in _FATE and change.label is not None:
            action = _FATE[change.kind]
            held = fates.get(change.label)
            if (
                held
                and held[0] in _PRECEDENCE
                and action in _PRECEDENCE
                and _PRECEDENCE.index(held[0]) <= _PRECEDENCE.index(action)
            ):
                continue
            fates[change.label] = (action, change)
    return fates


class LabelIndex(Mapping[str, Label]):
    """A version's labels by id, with one more label laid over them (a tombstone
    the new version deleted), and the labels in use under each parent, tabled
    once, on first use, and shared: finding a group's children by scanning
    every label, once per group, made a map quadratic."""

    def __init__(
        self,
        taxonomy: Taxonomy,
        extra: Label | None = None,
        kids: list[dict[str | None, list[str]]] | None = None,
    ) -> None:
        self._base = taxonomy.by_id()
        self._extra = extra
        self._kids = kids if kids is not None else []
        self._taxonomy = taxonomy

    def __getitem__(self, label_id: str) -> Label:
        if self._extra is not None and label_id == self._extra.id:
            return self._extra
        return self._base[label_id]

    def __iter__(self) -> Iterator[str]:
        yield from self._base
        if self._extra is not None and self._extra.id not in self._base:
            yield self._extra.id

    def __len__(self) -> int:
        extra = self._extra is not None and self._extra.id not in self._base
        return len(self._base) + extra

    def with_label(self, label: Label) -> LabelIndex:
        return LabelIndex(self._taxonomy, label, self._kids)

    def children(self, label_id: str) -> list[str]:
        """The labels in use (not retired) whose parent is ``label_id``."""
        if not self._kids:
            table: dict[str | None, list[str]] = {}
            for i, lbl in self._base.items():
                if lbl.status is not Status.RETIRED:
                    table.setdefault(lbl.parent, []).append(i)
            self._kids.append(table)
        return list(self._kids[0].get(label_id, ()))


def _fate(
    label: Label, fate: tuple[Action, Change] | None, new_ids: LabelIndex
) -> tuple[Action, Outcome]:
    if fate is None:
        # Still in the new version with no fate change: active, deprecated (still
        # valid), or a tombstone in both versions (follow its replacement).
        if label.id not in new_ids:
            return Action.UNMAPPED, OPEN
        return _tombstone_action(new_ids[label.id]), resolve(label.id, new_ids)
    action, change = fate
    if action is Action.UNMAPPED:
        if label.status is Status.RETIRED and label.replacement_mode is not None:
            # A tombstone deleted in the new version: the old version's own
            # declaration still says where its items go (deleting it is reported
            # by the tombstone-removed rule, not treated as stranding data).
            with_tombstone = new_ids.with_label(label)
            return _tombstone_action(label), resolve(label.id, with_tombstone)
        return action, OPEN
    if action is Action.MERGE:
        return action, resolve(change.detail["target"], new_ids)
    if action is Action.NARROWED:
        if change.detail["mode"] == "keep":
            return action, direct(label.id)
        candidates = [label.id, *change.detail["targets"]]
        return action, fan_out(Mode.REVIEW, [resolve(t, new_ids) for t in candidates])
    if action in (Action.BECAME_GROUP, Action.REUSED):
        targets = change.detail["targets"]
        mode = Mode.DIRECT if change.detail["mode"] == "direct" else Mode.REVIEW
        return action, fan_out(mode, [resolve(t, new_ids) for t in targets])
    if action is Action.REVIEW:  # retired: its own declaration says how
        action = _tombstone_action(new_ids[label.id])
    return action, resolve(label.id, new_ids)


def _tombstone_action(label: Label) -> Action:
    """The action a retired label's own declaration implies (a group's items,
    were there any, go to its children)."""
    if label.status is not Status.RETIRED:
        return Action.BECAME_GROUP if label.became_group else Action.KEEP
    mode = label.replacement_mode
    if mode is None:
        return Action.UNMAPPED
    if mode is Replacement.PARENT:
        return Action.PARENT
    if len(label.replaced_by) >= 2:
        return Action.SPLIT
    return Action.REVIEW if mode is Replacement.REVIEW else Action.REPLACE


def resolve(label_id: str, new_ids: LabelIndex) -> Outcome:
    """Where an item labeled ``label_id`` ends up in the version ``new_ids``
    describes: itself if the label is valid there, else wherever its tombstone
    chain leads (direct, review among candidates, or the parent).

    Iterative, each label resolved once: a chain of thousands of tombstones must
    not exhaust Python's stack, and replacements that fan out and meet again
    (a -> [b, c], b -> [d, e], c -> [d, e] ...) must not be followed once per path."""
    done: dict[str, Outcome] = {}
    on_path: set[str] = set()  # a label met again on its own chain is a loop
    stack = [(label_id, False)]
    while stack:
        current, expanded = stack.pop()
        if current in done:
            continue
        label = new_ids.get(current)
        if label is None:
            done[current] = OPEN  # an unknown replacement: validation reports it
            continue
        plan = _next_steps(current, label, new_ids)
        if plan is None:
            done[current] = direct(current)
            continue
        combine, steps = plan
        if not expanded:
            on_path.add(current)
            stack.append((current, True))
            stack += [(s, False) for s in steps if s not in done and s not in on_path]
            continue
        on_path.discard(current)
        done[current] = combine([done.get(s, OPEN) for s in steps])  # a looping step is open
    return done[label_id]


def _next_steps(
    label_id: str, label: Label, new_ids: LabelIndex
) -> tuple[Callable[[list[Outcome]], Outcome], list[str]] | None:
    """None when an item can carry ``label`` as it is; else the labels it moves
    on to and how their outcomes combine."""
    if label.became_group and label.status is not Status.RETIRED:
        # A group items cannot carry: follow its latest redirect, as a tombstone.
        redirect = label.became_group[-1]
        targets = list(redirect.replaced_by or new_ids.children(label_id))
        step = Mode.DIRECT if redirect.mode.value == "direct" and targets else Mode.REVIEW
        return (lambda parts: fan_out(step, parts)), targets
    if label.status is not Status.RETIRED:
        return None
    mode = label.replacement_mode
    if mode is Replacement.PARENT:
        return (lambda parts: parts[0] if parts else OPEN), [label.parent] if label.parent else []
    if mode is None:
        return (lambda parts: OPEN), []
    split = Mode.DIRECT if mode is Replacement.DIRECT else Mode.REVIEW
    return (lambda parts: fan_out(split, parts)), list(label.replaced_by)


def _suggested(changes: ChangeSet) -> dict[str, tuple[SuggestedLabel, ...]]:
    """Suggested replacements for removed labels, best first (never applied)."""
    found: dict[str, list[SuggestedLabel]] = {}
    for s in changes.suggestions:
        found.setdefault(s.removed, []).append(
            SuggestedLabel(s.added, s.similarity, s.name, s.definition, s.path)
        )
    return {k: tuple(sorted(v, key=lambda x: -x.score)) for k, v in found.items()}


def _cosmetic(
    changes: ChangeSet,
) -> dict[str, tuple[tuple[str, str] | None, tuple[str | None, str | None] | None]]:
    """Display renames and moves: recorded on ``keep`` entries, no relabel."""
    found: dict[str, tuple[tuple[str, str] | None, tuple[str | None, str | None] | None]] = {}
    for change in changes.of_kind(ChangeKind.NAME_CHANGED, ChangeKind.PARENT_CHANGED):
        assert change.label is not None
        renamed, moved = found.get(change.label, (None, None))
        pair = (change.detail["before"], change.detail["after"])
        if change.kind is ChangeKind.NAME_CHANGED:
            renamed = pair
        else:
            moved = pair
        found[change.label] = (renamed, moved)
    return found


def _hints_for(outcome: Outcome, hints: Iterable[DecisionHint]) -> tuple[str, ...]:
    candidates = set(outcome.targets)
    return tuple(dict.fromkeys(h.text for h in hints if candidates & set(h.labels)))


def _unique_labels(taxonomy: Taxonomy, only: Collection[str] | None = None) -> list[Label]:
    """The first label of each id, in file order (the index already holds
    them); with ``only``, of those ids alone (the other labels are not read)."""
    labels, index = taxonomy.labels, taxonomy.index
    if only is not None:
        return [labels[i] for i in sorted(index[x] for x in set(only) if x in index)]
    if len(taxonomy.index) == len(labels):
        return list(labels)
    return [labels[i] for i in taxonomy.index.values()]


def _statuses(taxonomy: Taxonomy) -> tuple[Sequence[str], Sequence[Status]]:
    """Each label id and its status (the first label of the id), in file order,
    read from the taxonomy's columns: no label is read whole."""
    columns = taxonomy.columns
    if len(taxonomy.index) == len(columns.ids):  # no id repeats: the usual case
        return columns.ids, columns.statuses
    statuses = columns.statuses
    return list(taxonomy.index), [statuses[i] for i in taxonomy.index.values()]


def _deprecated_labels(taxonomy: Taxonomy) -> tuple[str, ...]:
    ids, statuses = _statuses(taxonomy)
    return tuple(compress(ids, map(Status.DEPRECATED.__eq__, statuses)))


def _valid_labels(taxonomy: Taxonomy) -> tuple[str, ...]:
    """The ids items may carry: not retired, not a group (a declaration only
    the labels that declare anything can make)."""
    labels, index = taxonomy.labels, taxonomy.index
    groups = {
        labels[i].id
        for i in taxonomy.declaring
        if labels[i].became_group and index[labels[i].id] == i  # the first of its id
    }
    ids, statuses = _statuses(taxonomy)
    valid = compress(ids, map(Status.RETIRED.__ne__, statuses))  # in C: 200,000 labels
    return tuple(valid) if not groups else tuple(x for x in valid if x not in groups)
