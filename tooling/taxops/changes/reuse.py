"""Ids that come back with another meaning, found across every release.

A label id is what datasets store, so an id used in any release must never
mean something else later. Comparing a new version with the last release alone
cannot see it when the id was dropped in between (a tombstone deleted in one
release, the id re-added with a new meaning in the next: only a ``label-added``
there). Here the whole history is read once, oldest first, remembering for each
id the last meaning it had while in use and whether it left use since
(absent, or retired, in a later version).

An id is *reused* when the new version uses it again, after it left, with
another meaning (a different name or definition). A publisher may declare a
reuse (the crosswalk's ``reused:``): the caller passes those ids as
``declared``, and the finding stays, as the team's ``ids: {reuse: ...}``
policy says (rule ``retired-id-reused``).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from taxops.models.taxonomy import Label, Status, Taxonomy
from taxops.names import normalise_name


@dataclass(frozen=True)
class Use:
    """Where an id last had a meaning: the version (its position in the history
    given) and the label as it was there (in use, or its tombstone)."""

    at: int
    label: Label


@dataclass(frozen=True)
class Reuse:
    """An id of the new version that meant something else before."""

    label: Label
    """The label as the new version has it."""
    before: Use
    """Its last use with the old meaning."""
    left_in: int | None
    """The position in the history of the first version without it in use
    (absent or retired) after that; None for a declared reuse in use throughout."""
    declared: bool


def find_reuses(
    history: Iterable[Taxonomy], new: Taxonomy, declared: Collection[str] = ()
) -> list[Reuse]:
    """The reused ids of ``new``, given the versions before it, oldest first.

    Set operations over whole versions find the few ids that left use and are
    used again; only those are looked at label by label (a 200,000-label
    history costs a few set operations per version, not an object per label)."""
    versions = list(history)
    seen: set[str] = set()
    left: set[str] = set()  # ids not in use now that were seen before
    for n, version in enumerate(versions, 1):
        present = version.index.keys()
        # Not in use in this version: retired here, or seen before and absent.
        left = _retired(version) | (seen - present)
        if n < len(versions) or declared:  # the last one's ids are read only for those
            seen |= present
    pool = left | (seen & set(declared))  # few ids: those that could be reused
    if not pool:
        return []  # the usual case: no label of the new version is walked
    columns = new.columns
    in_use_now = {
        label_id
        for label_id, status in zip(columns.ids, columns.statuses, strict=True)
        if status is not Status.RETIRED and label_id in pool
    }
    candidates = pool & in_use_now
    found = []
    for k, (label_id, status) in enumerate(zip(columns.ids, columns.statuses, strict=True)):
        if label_id not in candidates or status is Status.RETIRED:
            continue
        candidates.discard(label_id)  # an id listed twice: the first counts
        label = new.labels[k]
        before, left_in = _last_use(versions, label.id)
        is_declared = label.id in declared
        if is_declared or (left_in is not None and _meaning_changed(before.label, label)):
            found.append(Reuse(label, before, left_in, is_declared))
    return found


def _retired(version: Taxonomy) -> set[str]:
    """The ids of a version's retired labels, read from its columns."""
    cols = version.columns
    if cols.all_active:
        return set()
    return {
        i for i, status in zip(cols.ids, cols.statuses, strict=True) if status is Status.RETIRED
    }


def _last_use(versions: list[Taxonomy], label_id: str) -> tuple[Use, int | None]:
    """The last version that has the id (in use, or its tombstone), and the first
    version since its last use in which it is not in use (None: in use throughout)."""
    last = max(i for i, v in enumerate(versions) if label_id in v.index)
    label = versions[last].labels[versions[last].index[label_id]]
    left_in = None
    for i in range(last, -1, -1):
        v = versions[i]
        here = v.labels[v.index[label_id]] if label_id in v.index else None
        if here is not None and here.status is not Status.RETIRED:
            break
        left_in = i
    if left_in is None:  # in use in its last version: did it leave after that?
        left_in = last + 1 if last + 1 < len(versions) else None
    return Use(last, label), left_in


def _meaning_changed(before: Label, after: Label) -> bool:
    """Whether a label says something else now: another name, or another
    definition where both have one (rewording is not a new meaning, so
    whitespace and case in names do not count)."""
    if normalise_name(before.name) != normalise_name(after.name):
        return True
    if before.definition and after.definition:
        return " ".join(before.definition.split()) != " ".join(after.definition.split())
    return False
