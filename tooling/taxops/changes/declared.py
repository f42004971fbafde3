"""The crosswalk declarations a new version makes about a label it shares with
the old one: narrowed, became a group, id reused (:mod:`taxops.models.declarations`).

Only the declarations made after the old version and up to the new one act
(:func:`~taxops.models.declarations.applying`): they persist in later files, as
tombstones do, without firing again. Several declarations of one kind in one
step (comparing versions further apart) act as one, their targets united.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from taxops.changes.model import Change, ChangeKind
from taxops.models.declarations import (
    NarrowedItems,
    Narrowing,
    Redirect,
    RedirectMode,
    applying,
)
from taxops.models.taxonomy import Label, Status, Taxonomy


def declared_changes(
    before: Label,
    after: Label,
    i: int,
    j: int,
    old: Taxonomy,
    new: Taxonomy,
    children: Callable[[str], list[str]],
) -> Iterator[Change]:
    """The declared changes of one label present in both versions. ``children``
    gives a label's children in use in the new version (a group's default
    targets)."""
    if after.status is Status.RETIRED or before.status is Status.RETIRED:
        return  # a tombstone says where its items go itself

    def change(kind: ChangeKind, **detail: object) -> Change:
        return Change(
            kind, after.id, old=before, new=after, old_index=i, new_index=j, detail=detail
        )

    narrowings = applying(after.narrowed, old.version, new.version)
    if narrowings:
        moved = _unique(t for n in narrowings for t in n.moved_to)
        keep = all(n.items is NarrowedItems.KEEP for n in narrowings)
        yield change(
            ChangeKind.LABEL_NARROWED,
            targets=moved,
            mode="keep" if keep else "review",
            candidates=[after.id, *moved],
            version=str(narrowings[-1].version),
            index=after.narrowed.index(narrowings[-1]),
            note=_note(narrowings),
        )
    groups = applying(after.became_group, old.version, new.version)
    if groups:
        targets = _unique(t for g in groups for t in g.replaced_by) or children(after.id)
        yield change(
            ChangeKind.LABEL_BECAME_GROUP,
            targets=targets,
            mode=_mode(groups, targets).value,
            version=str(groups[-1].version),
            index=after.became_group.index(groups[-1]),
            note=_note(groups),
        )
    reuses = applying(after.reused, old.version, new.version)
    if reuses:
        targets = _unique(t for r in reuses for t in r.replaced_by)
        yield change(
            ChangeKind.LABEL_REUSED,
            targets=targets,
            mode=_mode(reuses, targets).value,
            version=str(reuses[-1].version),
            index=after.reused.index(reuses[-1]),
            note=_note(reuses),
        )


def _mode(redirects: list[Redirect], targets: list[str]) -> RedirectMode:
    """Direct only when every declaration is and one label takes the items."""
    explicit = {r.replacement for r in redirects if r.replacement is not None}
    if explicit == {RedirectMode.DIRECT} or (not explicit and len(targets) == 1):
        return RedirectMode.DIRECT if len(targets) >= 1 else RedirectMode.REVIEW
    return RedirectMode.REVIEW


def _note(declarations: Sequence[Narrowing | Redirect]) -> str | None:
    notes = [d.note for d in declarations if d.note]
    return " ".join(notes) or None


def _unique(items: Iterator[str] | list[str]) -> list[str]:
    return list(dict.fromkeys(items))
