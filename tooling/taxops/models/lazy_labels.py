"""A taxonomy whose labels are built only when read: what a cached release
gives a command that compares it (``taxops diff``), so that 200,000 labels of
which a few hundred changed cost a few hundred label models, not 200,000.

A release's cache entry (:mod:`taxops.release_cache`) keeps each label's
canonical JSON (the model's own serialisation, fields at their defaults left
out), a digest of it, and a skeleton of the columns a comparison reads for
every label: id, parent, status, and which labels make crosswalk declarations. :class:`LazyLabels` answers ``labels[i]`` by
validating label ``i`` alone (through the model, as a fresh read would), once;
the skeleton answers the questions asked of all labels (the index by id, the
children of a parent, who is retired) without building any; two labels are
the same when their digests are (equal canonical JSON is an equal model, and
the converse), so a diff skips unchanged labels without building them.

Nothing is trusted blindly: a label's bytes must hash to its digest, must
validate, and the label must agree with its skeleton row (id, parent,
status), or :class:`Damaged` is raised (the command reads the releases again).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from hashlib import blake2b
from itertools import pairwise
from typing import Any, Protocol, overload

from pydantic import TypeAdapter, ValidationError

from taxops.models.taxonomy import Label, LabelColumns, Status, Taxonomy


class Damaged(Exception):
    """A cached label that does not read back as its entry says it should: the
    entry is damaged; the release must be read from its file again."""


def digest(raw: bytes | memoryview) -> str:
    """The digest of a label's canonical JSON (128 bits: equal digests are equal
    labels)."""
    return blake2b(raw, digest_size=16).hexdigest()


def digests(tail: bytes, bounds: Sequence[int]) -> list[str]:
    """The digest of every label of ``tail`` (:func:`digest`, inlined: 200,000
    calls)."""
    view = memoryview(tail)
    return [blake2b(view[a : b - 1], digest_size=16).hexdigest() for a, b in pairwise(bounds)]


class Stored(Protocol):
    """Where the labels' JSON is: bytes, or a cache entry's tail read where it
    is sliced (:class:`taxops.cache_entries.Tail`)."""

    def __len__(self) -> int: ...

    def __getitem__(self, part: slice, /) -> bytes: ...


#: Labels built together by a pass over all of them.
_CHUNK = 5_000


class BuiltOnRead(Sequence[Label]):
    """Labels each validated on first read, the skeleton's columns answering
    for all of them: the base of :class:`LazyLabels` (a cache entry's JSON)
    and :class:`SourceLabels` (the file's own items)."""

    def __init__(self, n: int, columns: LabelColumns) -> None:
        self._n = n
        self._columns = columns
        self._built: dict[int, Label] = {}

    def __len__(self) -> int:
        return self._n

    @overload
    def __getitem__(self, i: int) -> Label: ...

    @overload
    def __getitem__(self, i: slice) -> list[Label]: ...

    def __getitem__(self, i: int | slice) -> Label | list[Label]:
        if type(i) is int:  # tens of thousands of reads of labels built already
            found = self._built.get(i)
            if found is not None:
                return found
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        found = self._built.get(i)
        if found is None:
            self.build((i,))
            found = self._built[i]
        return found

    def __iter__(self) -> Iterator[Label]:
        # A pass over every label (a check that reads them all) builds them a
        # chunk at a time, one validation each: not 200,000 validations of one.
        for start in range(0, self._n, _CHUNK):
            stop = min(start + _CHUNK, self._n)
            self.build(range(start, stop))
            yield from map(self._built.__getitem__, range(start, stop))

    def built(self) -> int:
        """How many labels were built so far (for tests that hold the laziness)."""
        return len(self._built)

    def build(self, positions: Iterable[int]) -> None:
        """Build the labels at ``positions`` now, in one validation (a diff
        knows which labels it will read: one call for thousands of labels
        costs a fraction of one call each)."""
        todo = sorted({i for i in positions if i not in self._built})
        if not todo:
            return
        for i, label in zip(todo, self._validated(todo), strict=True):
            self._built[i] = self._agrees(i, label)

    def _validated(self, todo: list[int]) -> list[Label]:
        """The labels at ``todo`` (ascending), validated, or :class:`Damaged`."""
        raise NotImplementedError

    def _agrees(self, i: int, label: Label) -> Label:
        c = self._columns
        if (label.id, label.parent, label.status) != (c.ids[i], c.parents[i], c.statuses[i]):
            raise Damaged(f"label {i} disagrees with its skeleton")
        return label


class LazyLabels(BuiltOnRead):
    """The labels of a cached release, each validated on first read.

    ``tail`` is the JSON array of the labels' canonical JSON; label ``i`` is
    ``tail[bounds[i]:bounds[i + 1] - 1]`` (the byte after each label is the
    comma or the closing bracket)."""

    def __init__(
        self, tail: Stored, bounds: Sequence[int], digests: list[str], columns: LabelColumns
    ) -> None:
        super().__init__(len(digests), columns)
        self._tail = tail
        self._bounds = bounds
        self.digests = digests

    def raw(self, i: int) -> bytes:
        """Label ``i``'s canonical JSON."""
        return self._tail[self._bounds[i] : self._bounds[i + 1] - 1]

    def _validated(self, todo: list[int]) -> list[Label]:
        raws = [self._checked(i) for i in todo]
        try:
            return _LABELS.validate_json(b"[" + b",".join(raws) + b"]")
        except ValidationError as exc:
            raise Damaged("a label is not a label") from exc

    def _checked(self, i: int) -> bytes:
        try:
            raw = self.raw(i)
        except (OSError, ValueError) as exc:  # the entry's file cannot be read
            raise Damaged(f"label {i} cannot be read") from exc
        if digest(raw) != self.digests[i]:
            raise Damaged(f"label {i} does not match its digest")
        return raw


class SourceLabels(BuiltOnRead):
    """The labels of a version whose file this process read itself (the bytes
    a worker checked, :mod:`taxops.check_pair`), each built from its own item
    of the file: ``read(positions)`` parses those items (ascending) again, as
    one list, into the data the worker validated. Only a list whose items read
    alone as they do in place is read this way
    (:mod:`taxops.loading.item_source`)."""

    def __init__(
        self, n: int, read: Callable[[list[int]], list[Any]], columns: LabelColumns
    ) -> None:
        super().__init__(n, columns)
        self._read = read

    def _validated(self, todo: list[int]) -> list[Label]:
        try:
            data = self._read(todo)
            if type(data) is not list or len(data) != len(todo):
                raise Damaged("the items do not read back as labels")
            return _LABELS.validate_python(data)
        except (ValidationError, ValueError) as exc:
            raise Damaged("an item is not a label") from exc


_LABELS = TypeAdapter(list[Label])


class DigestedLabels(list[Label]):
    """A version's labels, built in full, with each one's digest (of its
    canonical JSON, as a cached release keeps it): a version read from its file
    and compared with a cached release by digest, so that the release's labels
    that did not change are never built."""

    def __init__(self, labels: Iterable[Label], digests: list[str]) -> None:
        super().__init__(labels)
        self.digests = digests


class MatchedLabels(list[Label]):
    """A version's labels, built in full, with the positions of those written
    exactly as in the version compared with (``against``, its labels), found
    by comparing the two files item by item as text
    (:mod:`taxops.loading.item_source`): those are the same labels, so a
    comparison never builds or reads them, as with digests, without
    serialising and hashing every label to get digests."""

    def __init__(
        self, labels: Iterable[Label], against: Sequence[Label], unchanged: Iterable[int]
    ) -> None:
        super().__init__(labels)
        self.against = against
        self.unchanged = frozenset(unchanged)


def build(labels: Sequence[Label], positions: Iterable[int]) -> None:
    """Build the labels at ``positions`` at once when ``labels`` are a cached
    release's (:meth:`LazyLabels.build`); nothing to do for any other."""
    if isinstance(labels, BuiltOnRead):
        labels.build(positions)


class _Field(Sequence[Any]):
    """One field of every label, read from the labels when asked (a column the
    skeleton does not keep: attributes)."""

    def __init__(self, labels: Sequence[Label], name: str) -> None:
        self._labels = labels
        self._name = name

    def __len__(self) -> int:
        return len(self._labels)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [getattr(lb, self._name) for lb in self._labels[i]]
        return getattr(self._labels[i], self._name)


class _ById(Mapping[str, Label]):
    """Labels by id, built when looked up."""

    def __init__(self, index: dict[str, int], labels: Sequence[Label]) -> None:
        self._index = index
        self._labels = labels

    def __getitem__(self, label_id: str) -> Label:
        return self._labels[self._index[label_id]]

    def __contains__(self, label_id: object) -> bool:
        return label_id in self._index

    def get(self, label_id: str, default: Any = None) -> Any:
        # Mapping's own get raises and catches a KeyError for each id missing.
        i = self._index.get(label_id)
        return default if i is None else self._labels[i]

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)


def skeleton_of(taxonomy: Taxonomy) -> dict[str, Any]:
    """The columns a cached release keeps of every label, as plain data: what a
    comparison asks of every label (ids, parents, statuses as ``{position:
    status}`` for the labels not active, and who declares anything)."""
    c, active = taxonomy.columns, Status.ACTIVE
    return {
        "ids": c.ids,
        "parents": c.parents,
        "statuses": {i: s.value for i, s in enumerate(c.statuses) if s is not active},
        "declaring": taxonomy.declaring,
    }


def lazy_taxonomy(
    head: Taxonomy, tail: Stored, bounds: Sequence[int], digests: list[str], skeleton: Any
) -> Taxonomy:
    """``head`` (the release's taxonomy validated with its first label only)
    with every label of ``tail``, built when read. The skeleton is checked
    field by field (TypeError, ValueError or KeyError when it is not what
    :func:`skeleton_of` writes)."""
    n = len(digests)
    if len(bounds) != n + 1 or n == 0:
        raise TypeError("malformed skeleton")
    if bounds[0] != 1 or bounds[-1] != len(tail) or not all(map(operator.lt, bounds, bounds[1:])):
        raise ValueError("malformed bounds")
    _column(digests, n, str)
    return _with_labels(head, n, skeleton, lambda c: LazyLabels(tail, bounds, digests, c))


def source_taxonomy(
    head: Taxonomy, n: int, read: Callable[[list[int]], list[Any]], skeleton: Any
) -> Taxonomy:
    """``head`` with its ``n`` labels built when read from the file's own
    items (:class:`SourceLabels`), the skeleton checked as for
    :func:`lazy_taxonomy`."""
    if n == 0:
        raise TypeError("malformed skeleton")
    return _with_labels(head, n, skeleton, lambda c: SourceLabels(n, read, c))


def _with_labels(
    head: Taxonomy, n: int, skeleton: Any, labels_of: Callable[[LabelColumns], BuiltOnRead]
) -> Taxonomy:
    if type(skeleton) is not dict:
        raise TypeError("malformed skeleton")
    ids, parents = skeleton["ids"], skeleton["parents"]
    _column(ids, n, str)
    _column(parents, n, str, none=True)
    statuses = [Status.ACTIVE] * n
    for i, value in _sparse(skeleton["statuses"], n):
        statuses[i] = Status(value)
    declaring = skeleton["declaring"]
    _column(declaring, len(declaring), int)
    if declaring and not 0 <= min(declaring) <= max(declaring) < n:
        raise ValueError("malformed declarations")
    lazy: list[Any] = []  # the columns no comparison reads for every label
    columns = LabelColumns(ids, lazy, parents, statuses, lazy, lazy, lazy, lazy, bool(declaring))
    labels = labels_of(columns)
    for column, name in (
        ("names", "name"),
        ("aliases", "aliases"),
        ("replaced_by", "replaced_by"),
        ("replacements", "replacement"),
        ("attributes", "attributes"),
    ):
        object.__setattr__(columns, column, _Field(labels, name))
    model = head.model_copy(update={"labels": labels})
    # What the model would compute from its labels, answered by the skeleton.
    model.__dict__["columns"] = columns
    index = Taxonomy.index.func(model)  # type: ignore[attr-defined]  # from the ids column
    model.__dict__["index"] = index
    model.__dict__["_by_id"] = _ById(index, labels)
    model.__dict__["declaring"] = declaring
    return model


def _column(values: Any, n: int, kind: type, *, none: bool = False) -> None:
    if type(values) is not list or len(values) != n:
        raise TypeError("malformed column")
    if not set(map(type, values)) <= ({kind, type(None)} if none else {kind}):
        raise TypeError("malformed column")


def _sparse(values: Any, n: int) -> Iterator[tuple[int, Any]]:
    if type(values) is not dict:
        raise TypeError("malformed column")
    for key, value in values.items():
        i = int(key)
        if not 0 <= i < n or str(i) != key:
            raise ValueError("malformed column")
        yield i, value
