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

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, Protocol, overload

from pydantic import TypeAdapter, ValidationError

from taxops.models.label_digests import Digests, digest
from taxops.models.taxonomy import Label, LabelColumns, Status, Taxonomy
from taxops.packed import pack, unpack


class Damaged(Exception):
    """A cached label that does not read back as its entry says it should: the
    entry is damaged; the release must be read from its file again."""


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
        self, tail: Stored, bounds: Sequence[int], digests: Digests, columns: LabelColumns
    ) -> None:
        super().__init__(len(digests), columns)
        self._tail = tail
        self._bounds = bounds
        self.digests = digests

    def _validated(self, todo: list[int]) -> list[Label]:
        raws = [raw for first, last in _side_by_side(todo) for raw in self._read(first, last)]
        try:
            return _LABELS.validate_json(b"[" + b",".join(raws) + b"]")
        except ValidationError as exc:
            raise Damaged("a label is not a label") from exc

    def _read(self, first: int, last: int) -> list[bytes]:
        """The canonical JSON of labels ``first`` to ``last`` (side by side in
        the tail), read in one slice (three labels changed together: one read
        of the entry's file, not three), each checked against its bounds and
        its digest."""
        bounds = self._bounds
        start, end = bounds[first], bounds[last + 1]
        if not 0 < start < end <= len(self._tail):
            raise Damaged(f"labels {first} to {last} have no place in the entry")
        try:
            chunk = self._tail[start:end]
        except (OSError, ValueError) as exc:  # the entry's file cannot be read
            raise Damaged(f"labels {first} to {last} cannot be read") from exc
        out = []
        for i in range(first, last + 1):
            a, b = bounds[i] - start, bounds[i + 1] - start
            if not 0 <= a < b <= end - start:
                raise Damaged(f"label {i} has no place in the entry")
            raw = chunk[a : b - 1]
            if digest(raw) != self.digests[i]:
                raise Damaged(f"label {i} does not match its digest")
            out.append(raw)
        return out


#: The most labels read in one slice of an entry (a bound on the bytes held).
_SIDE_BY_SIDE = 1024


def _side_by_side(todo: list[int]) -> Iterator[tuple[int, int]]:
    """``todo`` (ascending, each once) as runs of positions side by side:
    (first, last) of each."""
    k = 0
    while k < len(todo):
        first = last = todo[k]
        k += 1
        while k < len(todo) and todo[k] == last + 1 and last - first < _SIDE_BY_SIDE - 1:
            last = todo[k]
            k += 1
        yield first, last


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

    def __init__(self, labels: Iterable[Label], digests: Digests) -> None:
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


#: Separators tried first for a skeleton's columns: printable, so JSON keeps
#: them as they are (an escaped separator 200,000 times made the decoder build
#: the string in 200,000 pieces), and never in an id of the ``slug`` or
#: ``code`` shapes (no whitespace).
_SEPARATORS = " ,|;"


def separator(values: Iterable[str]) -> str:
    """A character none of ``values`` holds, to join them by: a column split
    by it gives the values back, as many as there were. Any text can be an id
    (a release with findings is cached too), so a character is looked for
    until one is missing (there are fewer characters in the values than code
    points)."""
    text = "".join(values)
    for c in _SEPARATORS:  # one search each, in C: the usual case
        if c not in text:
            return c
    # Every usual one is taken: the characters present are gathered once (ids
    # holding thousands of distinct characters would make a search for each
    # cost minutes), then the first printable one missing is taken.
    present = set(text) | set('"\\')
    return next(c for c in map(chr, range(0x20, 0x110000)) if c not in present and c.isprintable())


def skeleton_of(taxonomy: Taxonomy) -> dict[str, Any]:
    """The columns a cached release keeps of every label, as plain data: what a
    comparison asks of every label.

    * ``ids``: one text, the ids joined by a :func:`separator`, read back by
      one split, in C (a JSON list of 200,000 strings took most of reading an
      entry);
    * ``parents``: each label's parent as a position (packed,
      :mod:`taxops.packed`) in the ids, then none (at the count of labels),
      then the parents that are no label's id (``other_parents``): read back
      as the ids' own strings, no second string per label;
    * ``statuses``: ``{position: status}`` for the labels not active;
    * ``declaring``: who declares anything."""
    c, active, index = taxonomy.columns, Status.ACTIVE, taxonomy.index
    n = len(c.ids)
    others: dict[str, int] = {}

    def position(parent: str | None) -> int:
        if parent is None:
            return n
        found = index.get(parent)  # the first label with that id, as everywhere
        return found if found is not None else n + 1 + others.setdefault(parent, len(others))

    sep = separator(c.ids)
    return {
        "labels": n,
        "separator": sep,
        "ids": sep.join(c.ids),
        "parents": pack(map(position, c.parents), narrow=True),
        "other_parents": list(others),
        "statuses": {i: s.value for i, s in enumerate(c.statuses) if s is not active},
        "declaring": taxonomy.declaring,
    }


def lazy_taxonomy(
    head: Taxonomy, tail: Stored, bounds: Sequence[int], digests: Any, skeleton: Any
) -> Taxonomy:
    """``head`` (the release's taxonomy validated with its first label only)
    with every label of ``tail``, built when read. ``digests`` is the column
    of :class:`Digests`. The skeleton is checked field by field
    (TypeError, ValueError or KeyError when it is not what :func:`skeleton_of`
    writes); the bounds of a label are checked when it is built (a label
    whose bounds lie reads bytes that do not match its digest)."""
    n = len(bounds) - 1
    if n < 1 or bounds[0] != 1 or bounds[-1] != len(tail):
        raise ValueError("malformed bounds")
    found = Digests(digests, n)
    return _with_labels(head, n, skeleton, lambda c: LazyLabels(tail, bounds, found, c))


def source_taxonomy(
    head: Taxonomy, n: int, read: Callable[[list[int]], list[Any]], skeleton: Any
) -> Taxonomy:
    """``head`` with its ``n`` labels built when read from the file's own
    items (:class:`SourceLabels`), the skeleton checked as for
    :func:`lazy_taxonomy`."""
    if n == 0:
        raise TypeError("malformed skeleton")
    return _with_labels(head, n, skeleton, lambda c: SourceLabels(n, read, c))


def _split(column: Any, sep: str, n: int) -> list[str]:
    """The ``n`` values joined by ``sep`` in ``column``: a split gives texts,
    so only their count needs checking (a separator inside a value, which the
    writer never leaves, gives too many)."""
    if type(column) is not str:
        raise TypeError("malformed column")
    values = column.split(sep)
    if len(values) != n:
        raise ValueError("malformed column")
    return values


def _with_labels(
    head: Taxonomy, n: int, skeleton: Any, labels_of: Callable[[LabelColumns], BuiltOnRead]
) -> Taxonomy:
    if type(skeleton) is not dict or skeleton["labels"] != n:
        raise TypeError("malformed skeleton")
    sep = skeleton["separator"]
    if type(sep) is not str or len(sep) != 1:
        raise TypeError("malformed separator")
    ids = _split(skeleton["ids"], sep, n)
    others = skeleton["other_parents"]
    _column(others, len(others), str)
    at = unpack(skeleton["parents"], signed=False)
    if len(at) != n:
        raise ValueError("malformed parents")
    known: list[str | None] = [*ids, None, *others]
    parents = list(map(known.__getitem__, at))  # the ids' own strings; IndexError past them
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


def _column(values: Any, n: int, kind: type) -> None:
    if type(values) is not list or len(values) != n:
        raise TypeError("malformed column")
    if not set(map(type, values)) <= {kind}:
        raise TypeError("malformed column")


def _sparse(values: Any, n: int) -> Iterator[tuple[int, Any]]:
    if type(values) is not dict:
        raise TypeError("malformed column")
    for key, value in values.items():
        i = int(key)
        if not 0 <= i < n or str(i) != key:
            raise ValueError("malformed column")
        yield i, value
