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
    since,
)
from taxops.models.taxonomy import DECLARATIONS, Label, Status, Taxonomy


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

    def change(kind: ChangeKind, **detail: object) -> Change:
        return Change(
            kind, after.id, old=before, new=after, old_index=i, new_index=j, detail=detail
        )

    yield from _edited(before, after, old, change)
    if after.status is Status.RETIRED or before.status is Status.RETIRED:
        return  # a tombstone says where its items go itself

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


def declares(label: Label) -> bool:
    """Whether the label carries any crosswalk declaration (in any version)."""
    return any(getattr(label, name) for name in DECLARATIONS)


def _edited(
    before: Label, after: Label, old: Taxonomy, change: Callable[..., Change]
) -> Iterator[Change]:
    """Declarations about versions up to the old one must read in the new file
    as they did in the old one: a step acts only on the declarations made after
    its old version, so an edit there changes nothing any comparison sees,
    while the file now tells a history the release did not (and a comparison
    from an earlier version would route items by it). Notes are left out:
    rewording a publisher's remark changes no item's fate."""
    for name in DECLARATIONS:
        was = [_fate_of(d) for d in since(getattr(before, name), old.version)]
        now = [_fate_of(d) for d in since(getattr(after, name), old.version)]
        if was != now:
            versions = sorted(
                {v for v, f in was if (v, f) not in now} | {v for v, f in now if (v, f) not in was}
            )
            yield change(
                ChangeKind.DECLARATION_EDITED,
                field=name,
                versions=versions,
                before=[f for _, f in was],
                after=[f for _, f in now],
                present=bool(getattr(after, name)),
            )


def _fate_of(declaration: Narrowing | Redirect) -> tuple[str, str]:
    """(version, what the declaration says, in its own keys), without its note."""
    said = declaration.model_dump(mode="json", exclude={"note", "version"}, exclude_none=True)
    words = ", ".join(
        f"{key} [{', '.join(value)}]" if isinstance(value, list) else f"{key} {value}"
        for key, value in said.items()
    )
    return str(declaration.version), f"{declaration.version}: {words or 'declared'}"


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
