"""Matching two versions of a taxonomy by stable label id, once.

Labels are matched by ``id`` only: a label whose id survives is the same label,
whatever happened to its name or parent. What happened to a label that stopped
being active is read from what the new version declares (``status``,
``replaced_by``, ``replacement``): a retirement into a label that already existed
is a merge, into a label new in this version an id change, into several labels a
split. Nothing undeclared is assumed: a label that vanished and a similar one that
appeared are only *suggested* as a rename.
"""

from __future__ import annotations

import operator
from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import compress, repeat

from pydantic import BaseModel

from taxops.changes.declared import declared_changes, declares
from taxops.changes.model import Change, ChangeKind, ChangeSet, Suggestion
from taxops.changes.similarity import Places, Scores, score, words
from taxops.collector import paused
from taxops.models.label_digests import Digests, differing
from taxops.models.lazy_labels import (
    BuiltOnRead,
    DigestedLabels,
    LazyLabels,
    MatchedLabels,
    build,
)
from taxops.models.taxonomy import Attribute, Label, Replacement, Status, Taxonomy
from taxops.names import normalise_name

_METADATA_FIELDS = ("title", "description", "owners", "compatibility", "ids", "versioning")
#: Fields whose written forms differ but mean the same (``ids: code`` and
#: ``ids: {preset: code}``): compared by what they mean.
_MEANING = {"ids": "id_rule", "versioning": "policy"}
#: Above this many removed x added pairs, only exact name matches are suggested.
_FUZZY_PAIR_LIMIT = 250_000
_SUGGEST_AT = 0.8


def diff(old: Taxonomy, new: Taxonomy) -> ChangeSet:
    """Every change from ``old`` to ``new``, each reported once."""
    # Two large versions are millions of live objects: a collection pass over
    # them in the middle of the diff would cost more than the diff and free nothing.
    with paused():
        return _diff(old, new)


def _diff(old: Taxonomy, new: Taxonomy) -> ChangeSet:
    old_at = old.index  # computed once per model (the in-file checks built it already)
    new_at = new.index
    changes: list[Change] = list(_taxonomy_changes(old, new))
    label_changes: list[tuple[tuple[int, int], Change]] = []

    gone = sorted(map(old_at.__getitem__, old_at.keys() - new_at.keys()))  # in C
    to_compare = _to_compare(old, new)
    if isinstance(old.labels, BuiltOnRead):  # labels built when read: build them at once
        build(new.labels, (j for _, j in to_compare))
        build(old.labels, [*gone, *(old_at[x] for x, _ in to_compare if x in old_at)])

    removed: list[Label] = []
    for k in gone:
        removed.append(old.labels[k])
        change = Change(ChangeKind.LABEL_REMOVED, old.labels[k].id, old=old.labels[k], old_index=k)
        label_changes.append((_order(None, k), change))

    retiring: list[tuple[Label, Label, int, int]] = []
    added: list[Label] = []
    in_use: dict[str | None, list[str]] | None = None

    def children_in_use(label_id: str) -> list[str]:
        nonlocal in_use
        if in_use is None:
            in_use = {}
            c = new.columns
            for child, parent, status in zip(c.ids, c.parents, c.statuses, strict=True):
                if status is not Status.RETIRED:
                    in_use.setdefault(parent, []).append(child)
        return list(in_use.get(label_id, []))

    for label_id, j in to_compare:
        i = old_at.get(label_id)
        if i is None:
            after = new.labels[j]
            added.append(after)
            label_changes.append(
                (_order(j, None), Change(ChangeKind.LABEL_ADDED, label_id, new=after, new_index=j))
            )
            continue
        before, after = old.labels[i], new.labels[j]
        if _untouched(before, after):
            continue  # most labels of a new version are: skip them cheaply
        for change in _label_changes(before, after, i, j):
            label_changes.append((_order(j, i), change))
        if declares(after) or declares(before):
            for change in declared_changes(before, after, i, j, old, new, children_in_use):
                label_changes.append((_order(j, i), change))
        if after.status is Status.RETIRED and before.status is not Status.RETIRED:
            retiring.append((before, after, i, j))
        elif after.status is Status.DEPRECATED and before.status is Status.ACTIVE:
            label_changes.append(
                (_order(j, i), _lifecycle(ChangeKind.LABEL_DEPRECATED, before, after, i, j))
            )
        elif (after.status is Status.ACTIVE and before.status is not Status.ACTIVE) or (
            after.status is Status.DEPRECATED and before.status is Status.RETIRED
        ):
            change = _lifecycle(ChangeKind.LABEL_REACTIVATED, before, after, i, j)
            label_changes.append((_order(j, i), change))
        elif after.status is before.status is not Status.ACTIVE and (
            _replacement(before) != _replacement(after)
        ):
            change = _lifecycle(ChangeKind.REPLACEMENT_CHANGED, before, after, i, j)
            label_changes.append((_order(j, i), change))

    label_changes += _retirements(retiring, old_at, new_at)
    reordered = None if _keeps_order(old_at, new_at) else _reordered(old_at, new_at)
    label_changes.sort(key=lambda pair: pair[0])
    changes += [c for _, c in label_changes]
    if reordered:
        changes.append(reordered)
    return ChangeSet(old, new, tuple(changes), tuple(_suggestions(removed, added, old, new)))


def _to_compare(old: Taxonomy, new: Taxonomy) -> Iterable[tuple[str, int]]:
    """The labels of ``new`` (id, position) to compare with ``old``'s: all of
    them, or, for two cached releases, those whose digest no label of ``old``
    has. A digest covers the whole label, id included: a label whose digest
    the old version has is that label, unchanged, and is never built (see
    :mod:`taxops.models.lazy_labels`). One set lookup per label, in C (200,000
    digests; a loop over them was most of the diff)."""
    ids = new.columns.ids
    matched = new.labels
    if (
        isinstance(matched, MatchedLabels)
        and matched.against is old.labels
        and len(old.index) == len(old.labels)  # an id repeats: the first one counts
        and len(new.index) == len(matched)
    ):
        return [(ids[j], j) for j in range(len(ids)) if j not in matched.unchanged]
    old_digests, new_digests = _digests(old), _digests(new)
    if (
        old_digests is None
        or new_digests is None
        or len(old.index) != len(old_digests)  # an id repeats: the first one counts
        or len(new.index) != len(new_digests)
    ):
        return new.index.items()
    return [(ids[j], j) for j in differing(old_digests, old.index, new_digests, ids)]


def _digests(taxonomy: Taxonomy) -> Digests | None:
    """Each label's digest, when the labels come from the release cache (or
    were digested to be compared with labels that do)."""
    labels = taxonomy.labels
    return labels.digests if isinstance(labels, (LazyLabels, DigestedLabels)) else None


#: How many ids :func:`_keeps_order` compares at once.
_ORDER_RUN = 32


def _keeps_order(old_at: dict[str, int], new_at: dict[str, int]) -> bool:
    """Whether the labels both versions have are in the same relative order.

    The new ids are read in runs: a run found whole, in order, in the old ids
    (one comparison of two slices, from where its first id is) is in order
    within; only the runs that are not (labels added, removed or moved in
    them) are looked up id by id. 200,000 ids cost a few thousand lookups, not
    200,000."""
    if not old_at or next(reversed(old_at.values())) != len(old_at) - 1:
        # An id repeats in the old version: its positions are not the places of
        # its ids in its keys, so no run would be found whole (still right: a
        # run found whole is in order); every id is looked up at once, in C.
        at = list(map(old_at.get, new_at, repeat(-1)))  # in C: 200,000 labels
        shared = list(compress(at, map(operator.ne, at, repeat(-1))))
        return shared == sorted(shared)  # distinct positions: sorted is increasing
    old_ids, new_ids = list(old_at), list(new_at)  # each old id at its position
    last = -1  # the old position of the last label both have, so far
    for start in range(0, len(new_ids), _ORDER_RUN):
        run = new_ids[start : start + _ORDER_RUN]
        i = old_at.get(run[0])
        if i is not None and old_ids[i : i + len(run)] == run:
            if i <= last:
                return False
            last = i + len(run) - 1
            continue
        for place in map(old_at.get, run):
            if place is not None:
                if place <= last:
                    return False
                last = place
    return True


#: Every field of a label but its attributes, read straight from the model's
#: __dict__ (derived from the model, so a new field is compared too).
_LABEL_FIELDS = operator.itemgetter(*(f for f in Label.model_fields if f != "attributes"))


def _untouched(before: Label, after: Label) -> bool:
    """Whether two versions of a label are equal, without Pydantic's __eq__
    (called 200,000 times on a large taxonomy, it was most of the diff)."""
    b, a = before.__dict__, after.__dict__
    if not b["attributes"] and not a["attributes"]:
        return b == a  # one comparison in C, when no attribute model is involved
    if _LABEL_FIELDS(b) != _LABEL_FIELDS(a):
        return False
    # Attribute by attribute, as plain dicts (no generator resumed per label).
    return [x.__dict__ for x in b["attributes"]] == [y.__dict__ for y in a["attributes"]]


def _order(new_index: int | None, old_index: int | None) -> tuple[int, int]:
    """Sort by position in the new file; removed labels sort by their old position."""
    if new_index is not None:
        return (new_index, 0)
    return (old_index if old_index is not None else 0, 1)


def _taxonomy_changes(old: Taxonomy, new: Taxonomy) -> Iterator[Change]:
    if old.id != new.id:
        yield Change(ChangeKind.TAXONOMY_ID_CHANGED, detail={"before": old.id, "after": new.id})
    if old.kind is not new.kind:
        yield Change(
            ChangeKind.KIND_CHANGED, detail={"before": old.kind.value, "after": new.kind.value}
        )
    if old.leaf_only != new.leaf_only:
        yield Change(
            ChangeKind.LEAF_ONLY_CHANGED, detail={"before": old.leaf_only, "after": new.leaf_only}
        )
    for name in _METADATA_FIELDS:
        meaning = _MEANING.get(name, name)
        if getattr(old, meaning) == getattr(new, meaning):
            continue
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            yield Change(
                ChangeKind.METADATA_CHANGED,
                detail={"field": name, "before": _plain(before), "after": _plain(after)},
            )


def _plain(value: object) -> object:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", exclude_none=True)
    return getattr(value, "value", value)


def _replacement(label: Label) -> tuple[tuple[str, ...], str | None]:
    mode = label.replacement_mode
    return (tuple(label.replaced_by), mode.value if mode else None)


def _lifecycle(kind: ChangeKind, before: Label, after: Label, i: int, j: int) -> Change:
    mode = after.replacement_mode
    return Change(
        kind,
        after.id,
        old=before,
        new=after,
        old_index=i,
        new_index=j,
        detail={
            "status_before": before.status.value,
            "status": after.status.value,
            "targets": list(after.replaced_by),
            "mode": mode.value if mode else None,
            "replacement_before": list(before.replaced_by),
        },
    )


def _retirements(
    retiring: list[tuple[Label, Label, int, int]], old_at: dict[str, int], new_at: dict[str, int]
) -> list[tuple[tuple[int, int], Change]]:
    """Classify the labels retired in this version by what replaces them: split
    (several targets), merge (one target that existed, or several sources into one
    new target), id change (one source into one new label), or plain retirement
    (review without candidates, parent fallback)."""
    out: list[tuple[tuple[int, int], Change]] = []
    into: dict[str, list[tuple[Label, Label, int, int]]] = defaultdict(list)
    for entry in retiring:
        before, after, i, j = entry
        mode = after.replacement_mode
        if len(after.replaced_by) >= 2:
            change = _lifecycle(ChangeKind.LABEL_SPLIT, before, after, i, j)
            out.append((_order(j, i), change))
        elif mode is Replacement.DIRECT and after.replaced_by:
            into[after.replaced_by[0]].append(entry)
        else:
            out.append((_order(j, i), _lifecycle(ChangeKind.LABEL_RETIRED, before, after, i, j)))
    for target, sources in into.items():
        target_existed = target in old_at
        if len(sources) == 1 and not target_existed:
            before, after, i, j = sources[0]
            change = _lifecycle(ChangeKind.LABEL_ID_CHANGED, before, after, i, j)
            out.append((_order(j, i), change))
            continue
        first_old, first_new = sources[0][2], sources[0][3]
        out.append(
            (
                _order(new_at.get(target, first_new), first_old),
                Change(
                    ChangeKind.LABELS_MERGED,
                    target,
                    old_index=old_at.get(target),
                    new_index=new_at.get(target),
                    detail={
                        "sources": [after.id for _, after, _, _ in sources],
                        "source_indexes": [(i, j) for _, _, i, j in sources],
                        "target": target,
                        "target_existed": target_existed,
                        "targets": [target],
                    },
                ),
            )
        )
    return out


def _label_changes(before: Label, after: Label, i: int, j: int) -> Iterator[Change]:
    def change(kind: ChangeKind, **detail: object) -> Change:
        return Change(
            kind, after.id, old=before, new=after, old_index=i, new_index=j, detail=detail
        )

    if before.name != after.name:
        yield change(ChangeKind.NAME_CHANGED, before=before.name, after=after.name)
    old_aliases, new_aliases = set(before.aliases), set(after.aliases)
    for alias in after.aliases:
        if alias not in old_aliases:
            yield change(ChangeKind.ALIAS_ADDED, alias=alias)
    for alias in before.aliases:
        if alias not in new_aliases:
            yield change(ChangeKind.ALIAS_REMOVED, alias=alias)
    if words(before.definition) != words(after.definition):
        yield change(
            ChangeKind.DEFINITION_CHANGED, before=before.definition, after=after.definition
        )
    if before.parent != after.parent:
        yield change(ChangeKind.PARENT_CHANGED, before=before.parent, after=after.parent)
    if words(before.note) != words(after.note):
        yield change(ChangeKind.NOTE_CHANGED, before=before.note, after=after.note)
    if before.since != after.since:
        yield change(
            ChangeKind.SINCE_CHANGED,
            before=str(before.since) if before.since else None,
            after=str(after.since) if after.since else None,
        )
    yield from _attribute_changes(before, after, change)


def _attribute_changes(before: Label, after: Label, change) -> Iterator[Change]:  # type: ignore[no-untyped-def]
    old_attrs: dict[str, Attribute] = {a.name: a for a in before.attributes}
    new_attrs: dict[str, Attribute] = {a.name: a for a in after.attributes}
    for name, attr in new_attrs.items():
        if name not in old_attrs:
            yield change(ChangeKind.ATTRIBUTE_ADDED, attribute=name, required=attr.required)
            continue
        was = old_attrs[name]
        if was.type is not attr.type:
            yield change(
                ChangeKind.ATTRIBUTE_RETYPED,
                attribute=name,
                before=was.type.value,
                after=attr.type.value,
            )
            continue
        for option in attr.options:
            if option not in was.options:
                yield change(ChangeKind.ATTRIBUTE_OPTION_ADDED, attribute=name, option=option)
        for option in was.options:
            if option not in attr.options:
                yield change(ChangeKind.ATTRIBUTE_OPTION_REMOVED, attribute=name, option=option)
        if was.required != attr.required:
            yield change(
                ChangeKind.ATTRIBUTE_REQUIRED_CHANGED,
                attribute=name,
                before=was.required,
                after=attr.required,
            )
        if words(was.description) != words(attr.description):
            yield change(
                ChangeKind.ATTRIBUTE_DESCRIPTION_CHANGED,
                attribute=name,
                before=was.description,
                after=attr.description,
            )
    for name in old_attrs:
        if name not in new_attrs:
            yield change(ChangeKind.ATTRIBUTE_REMOVED, attribute=name)


def _reordered(old_at: dict[str, int], new_at: dict[str, int]) -> Change | None:
    """Labels moved in the menu order: the fewest labels whose moving explains the
    new order (the others form the longest run kept in the old order). Adding or
    removing labels moves nothing."""
    common_new = [label_id for label_id in new_at if label_id in old_at]
    kept = _longest_increasing([old_at[label_id] for label_id in common_new])
    if len(kept) == len(common_new):
        return None
    moved = [label_id for i, label_id in enumerate(common_new) if i not in kept]
    return Change(
        ChangeKind.LABELS_REORDERED,
        old_index=old_at[moved[0]],
        new_index=new_at[moved[0]],
        detail={"labels_out_of_place": len(moved), "moved": moved},
    )


def _longest_increasing(values: list[int]) -> set[int]:
    """Indexes of one longest strictly increasing subsequence (patience sorting,
    O(n log n): fine for 200,000 labels)."""
    tails: list[int] = []  # tails[k]: index of the smallest tail of a run of length k+1
    back: list[int] = [-1] * len(values)
    for i, value in enumerate(values):
        k = _bisect(values, tails, value)
        if k > 0:
            back[i] = tails[k - 1]
        if k == len(tails):
            tails.append(i)
        else:
            tails[k] = i
    keep: set[int] = set()
    i = tails[-1] if tails else -1
    while i >= 0:
        keep.add(i)
        i = back[i]
    return keep


def _bisect(values: list[int], tails: list[int], value: int) -> int:
    """Leftmost k with values[tails[k]] >= value."""
    lo, hi = 0, len(tails)
    while lo < hi:
        mid = (lo + hi) // 2
        if values[tails[mid]] < value:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _suggestions(
    removed: list[Label], added: list[Label], old: Taxonomy, new: Taxonomy
) -> Iterator[Suggestion]:
    """Removed labels that look like an added one at the same depth of the tree:
    same normalised name, or alike in name, definition and place in the tree. A
    reviewer confirms and declares it."""
    if not removed or not added:
        return
    old_places, new_places = Places(old), Places(new)
    by_name: dict[tuple[int, str], list[Label]] = defaultdict(list)
    by_depth: dict[int, list[Label]] = defaultdict(list)
    for label in added:
        depth = new_places.depth(label.id)
        by_name[(depth, normalise_name(label.name))].append(label)
        by_depth[depth].append(label)
    fuzzy = len(removed) * len(added) <= _FUZZY_PAIR_LIMIT
    for gone in removed:
        gone_path = old_places.path(gone.id)
        depth = len(gone_path)
        exact = by_name.get((depth, normalise_name(gone.name)), [])
        if exact:
            for label in exact:
                s = score(gone, label, gone_path, new_places.path(label.id))
                yield Suggestion(
                    gone.id, label.id, 1.0, "same display name", s.name, s.definition, s.path
                )
            continue
        if not fuzzy:
            continue
        best: tuple[Scores, Label] | None = None
        for label in by_depth.get(depth, ()):
            s = score(gone, label, gone_path, new_places.path(label.id))
            if s.overall >= _SUGGEST_AT and (best is None or s.overall > best[0].overall):
                best = (s, label)
        if best:
            s, label = best
            yield Suggestion(gone.id, label.id, s.overall, "alike", s.name, s.definition, s.path)
