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

from taxops.checks.taxonomy import normalise_name
from taxops.models.taxonomy import Label, Status, Taxonomy


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
    """The reused ids of ``new``, given the versions before it, oldest first."""
    last_use: dict[str, Use] = {}
    left: dict[str, int] = {}  # id -> first version without it in use since its last use
    for at, version in enumerate(history):
        present: set[str] = set()
        for label in version.labels:
            if label.id in present:
                continue  # an id listed twice (a publisher's release): the first counts
            present.add(label.id)
            # A tombstone keeps the meaning the id had; it is no longer in use.
            last_use[label.id] = Use(at, label)
            if label.status is Status.RETIRED:
                left.setdefault(label.id, at)
            else:
                left.pop(label.id, None)
        for label_id in last_use.keys() - present:
            left.setdefault(label_id, at)
    found = []
    for label in new.labels:
        before = last_use.get(label.id)
        if label.status is Status.RETIRED or before is None:
            continue
        is_declared = label.id in declared
        if (label.id in left and _meaning_changed(before.label, label)) or is_declared:
            found.append(Reuse(label, before, left.get(label.id), is_declared))
    return found


def _meaning_changed(before: Label, after: Label) -> bool:
    """Whether a label says something else now: another name, or another
    definition where both have one (rewording is not a new meaning, so
    whitespace and case in names do not count)."""
    if normalise_name(before.name) != normalise_name(after.name):
        return True
    if before.definition and after.definition:
        return " ".join(before.definition.split()) != " ".join(after.definition.split())
    return False
