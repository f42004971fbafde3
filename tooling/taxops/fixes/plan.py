"""What ``taxops fix`` writes, decided from one comparison: plain data.

Only findings with one right fix are fixed (as ``ruff --fix`` does):

* a label removed without a tombstone (``label-removed``) is put back as a
  tombstone: its old id, name, parent and definition, ``status: retired`` and
  ``replacement: review`` (a human decides where its items go), so no item is
  stranded and the id is never reused;
* where the change set suggests the removed label was renamed (its
  ``suggestions``, the same matcher ``undeclared-rename`` reports) and the user
  accepts suggestions at or above a confidence, the tombstone says
  ``replaced_by: [new-id]`` instead, and a machine relabels its items;
* a deprecated or retired label that names no replacement
  (``missing-replacement``) gets ``replacement: review``;
* the version is bumped to the smallest one the changes require (the check's
  own ``minimum``, so whatever the taxonomy's versioning rules say).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from taxops.changes import ChangeKind, ChangeSet, Suggestion
from taxops.diagnostics import Diagnostic
from taxops.models.taxonomy import Label, Status


@dataclass(frozen=True)
class Tombstone:
    """A removed label put back. ``before`` is the index in the current
    ``labels`` list it is inserted at (where it stood among the labels that
    survived), ``replaced_by`` an accepted suggestion (empty: review)."""

    label: Label
    before: int
    replaced_by: tuple[str, ...] = ()
    similarity: float | None = None


@dataclass
class FixPlan:
    tombstones: list[Tombstone] = field(default_factory=list)
    review: list[int] = field(default_factory=list)
    """Indexes of labels that get ``replacement: review``."""
    version: str | None = None
    """The version to set, or None to leave it."""

    def __bool__(self) -> bool:
        return bool(self.tombstones or self.review or self.version)

    @property
    def accepted(self) -> int:
        return sum(1 for t in self.tombstones if t.replaced_by)


def plan_labels(changes: ChangeSet, accept: float | None = None) -> FixPlan:
    """Tombstones for the labels removed between the two versions and review
    replacements for inactive labels that name none. ``accept``: the lowest
    suggestion similarity taken as a replacement (None: take none)."""
    plan = FixPlan()
    new = changes.new
    position = _positions(changes)
    chosen = _accepted(changes.suggestions, accept)
    for change in changes.of_kind(ChangeKind.LABEL_REMOVED):
        old = change.old
        if old is None or old.status is Status.RETIRED or change.old_index is None:
            continue  # a deleted tombstone is `tombstone-removed`: a choice, not a slip
        suggestion = chosen.get(old.id)
        plan.tombstones.append(
            Tombstone(
                old,
                position[change.old_index],
                (suggestion.added,) if suggestion else (),
                suggestion.similarity if suggestion else None,
            )
        )
    plan.review = [
        i
        for i, label in enumerate(new.labels)
        if label.status is not Status.ACTIVE and label.replacement_mode is None
    ]
    return plan


def version_to_set(versioning: list[Diagnostic]) -> str | None:
    """The version the check asks for (``version-unchanged``,
    ``version-bump-too-small``, ``version-decreased`` carry it as ``minimum``)."""
    for d in versioning:
        minimum = d.data.get("minimum")
        if minimum:
            return str(minimum)
    return None


def _accepted(suggestions: tuple[Suggestion, ...], accept: float | None) -> dict[str, Suggestion]:
    """For each removed label, the one suggestion at or above ``accept``; a label
    with two equally good candidates gets none (a human chooses)."""
    if accept is None:
        return {}
    best: dict[str, list[Suggestion]] = {}
    for s in suggestions:
        if s.similarity + 1e-9 < accept:
            continue
        top = best.setdefault(s.removed, [])
        if not top or s.similarity > top[0].similarity:
            best[s.removed] = [s]
        elif s.similarity == top[0].similarity:
            top.append(s)
    return {label: found[0] for label, found in best.items() if len(found) == 1}


def _positions(changes: ChangeSet) -> list[int]:
    """For each old label, the index in the new ``labels`` list where it would
    stand again: right after the last label before it that survived."""
    new_at = changes.new.index
    out: list[int] = []
    after = 0
    # The ids' column, not the labels: a release read from the cache builds a
    # label when it is read, and building 89,000 took most of a second.
    for label_id in changes.old.columns.ids:
        out.append(after)
        j = new_at.get(label_id)
        if j is not None:
            after = j + 1
    return out
