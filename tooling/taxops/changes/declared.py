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
    for kind, field, default in (
        (ChangeKind.LABEL_BECAME_GROUP, "became_group", children),
        (ChangeKind.LABEL_REUSED, "reused", _nothing),
    ):
        declared: tuple[Redirect, ...] = getattr(after, field)
        redirects = applying(declared, old.version, new.version)
        if redirects:
            targets = _unique(t for r in redirects for t in r.replaced_by) or default(after.id)
            yield change(
                kind,
                targets=targets,
                mode=_mode(redirects, targets).value,
                version=str(redirects[-1].version),
                index=declared.index(redirects[-1]),
                note=_note(redirects),
            )


def _nothing(label_id: str) -> list[str]:
    """A reused id's old items go nowhere by default: an open review."""
    return []


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
