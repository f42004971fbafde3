"""The backward map: for every label of a new version, where its items go in the
version before, read from the same declarations as the forward map.

A model trained on the new version may feed a system that still reads the old
one; official tables give both directions. Reading the forward map backwards:

* a label whose items come from one old label goes back to it by machine (a
  split read backwards is a merge; a rename is a rename);
* a label whose items may come from several old labels needs a human, who picks
  among them (a merge read backwards is a review among its sources);
* a label nothing leads to (new in this version, from nothing) is ``unmapped``.

Where the new version declares ``backward:`` on a label (an official table's
per-target direction flags, applied to the step they were declared in), that
declaration decides instead.
"""

from __future__ import annotations

from taxops.changes import ChangeSet
from taxops.migration.build import LabelIndex, build_map, resolve
from taxops.migration.model import Action, Entry, MigrationMap, Mode
from taxops.migration.outcome import Outcome
from taxops.models.declarations import RedirectMode, applying
from taxops.models.taxonomy import Label, Status


def backward_map(changes: ChangeSet, forward: MigrationMap | None = None) -> MigrationMap:
    """The map from ``changes.new`` back to ``changes.old``: one entry per label
    of the new version, in its file order. ``forward`` is the forward map of the
    same change set (built when not given)."""
    forward = forward or build_map(changes)
    old, new = changes.old, changes.new
    old_ids = LabelIndex(old)
    # Only labels items can carry in the old version are ways back: a tombstone
    # kept in both versions leads forward, but nothing goes back to it.
    valid = {
        i
        for i, lbl in old_ids.items()
        if lbl.status is not Status.RETIRED and not lbl.is_group_at(old.version)
    }
    sources = _sources(forward, valid)
    entries = []
    seen: set[str] = set()
    for label in new.labels:
        if label.id in seen:
            continue
        seen.add(label.id)
        declared = applying(label.backward, old.version, new.version)
        if declared:
            targets = tuple(dict.fromkeys(t for d in declared for t in d.replaced_by))
            direct = all(d.mode is RedirectMode.DIRECT for d in declared) and len(targets) == 1
            outcome = Outcome(Mode.DIRECT if direct else Mode.REVIEW, targets)
        else:
            reused = bool(applying(label.reused, old.version, new.version))
            outcome = _derived(label, sources.get(label.id, ()), old_ids, reused)
        entries.append(_entry(label, outcome, forward))
    return MigrationMap(
        taxonomy=new.id,
        from_version=str(new.version),
        to_version=str(old.version),
        kind=old.kind.value,
        entries=tuple(entries),
        valid_labels=tuple(
            i
            for i, lbl in old_ids.items()
            if lbl.status is not Status.RETIRED and not lbl.became_group
        ),
        deprecated_labels=tuple(i for i, lbl in old_ids.items() if lbl.status is Status.DEPRECATED),
        id_case=new.id_rule.case.value,
    )


def _sources(forward: MigrationMap, valid: set[str]) -> dict[str, tuple[str, ...]]:
    """New label -> the old labels (of ``valid``) whose items may end up with
    it, in old file order (a narrowed label whose items stay still gave part of
    its meaning to the labels in ``narrowed_to``)."""
    found: dict[str, dict[str, None]] = {}
    for entry in forward:
        if entry.label not in valid:
            continue
        for target in (*entry.targets, *entry.narrowed_to):
            found.setdefault(target, {})[entry.label] = None
    return {label: tuple(olds) for label, olds in found.items()}


def _derived(label: Label, sources: tuple[str, ...], old_ids: LabelIndex, reused: bool) -> Outcome:
    if not sources:
        # Nothing leads here: a label new from nothing, or an id reused in this
        # step (its old meaning is not its new one), has no old counterpart; one
        # that was in the old version (now a group or a tombstone) is itself, or
        # where its old tombstone leads.
        if label.id not in old_ids or reused:
            return Outcome(Mode.REVIEW, ())
        if old_ids[label.id].status is Status.RETIRED:
            return resolve(label.id, old_ids)
        return Outcome(Mode.DIRECT, (label.id,))
    if len(sources) == 1:
        return Outcome(Mode.DIRECT, sources)
    return Outcome(Mode.REVIEW, sources)


def _entry(label: Label, outcome: Outcome, forward: MigrationMap) -> Entry:
    if outcome.mode is Mode.DIRECT and outcome.targets == (label.id,):
        action, mode = Action.KEEP, Mode.KEEP
    elif outcome.mode is Mode.DIRECT:
        source = outcome.targets[0]
        renamed = source in forward and forward[source].targets == (label.id,)
        action, mode = (Action.RENAME if renamed else Action.MERGE), Mode.DIRECT
    elif not outcome.targets:
        action, mode = Action.UNMAPPED, Mode.REVIEW
    else:
        action = Action.SPLIT if len(outcome.targets) >= 2 else Action.REVIEW
        mode = Mode.REVIEW
    return Entry(label=label.id, action=action, mode=mode, targets=outcome.targets)
