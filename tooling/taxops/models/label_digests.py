"""Each label's digest, and a version's digests as one column.

A label's digest is a 128-bit hash of its canonical JSON (the model's own
serialisation): equal digests are equal labels, the id included, so a
comparison of two cached releases skips the labels whose digests match without
building them (:mod:`taxops.models.lazy_labels`).

A version's digests are kept as one text, side by side (:class:`Digests`):
reading them makes no string per label, and two versions are compared a run of
labels at a time, one slice of each column (:func:`differing`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from hashlib import blake2b
from itertools import pairwise
from typing import Any, overload


def digest(raw: bytes | memoryview) -> str:
    """The digest of a label's canonical JSON (128 bits: equal digests are equal
    labels)."""
    return blake2b(raw, digest_size=16).hexdigest()


def digests(tail: bytes, bounds: Sequence[int]) -> list[str]:
    """The digest of every label of ``tail`` (:func:`digest`, inlined: 200,000
    calls)."""
    view = memoryview(tail)
    return [blake2b(view[a : b - 1], digest_size=16).hexdigest() for a, b in pairwise(bounds)]


#: The length of a label's digest in hex (:func:`digest`), and of its place in
#: a column of digests (with the space after it).
_DIGEST = 32
_STEP = _DIGEST + 1
#: How many labels are compared at once as one slice of each column, then,
#: where they differ, in shorter runs (:func:`differing`).
_RUNS = (32, 4)


class Digests(Sequence[str]):
    """Every label's digest as one column: the digests joined by spaces (hex
    never holds one), each at a fixed place. A cache entry keeps the column as
    it is; reading it makes no string per label, and a comparison compares a
    run of labels as one slice (:func:`differing`)."""

    def __init__(self, column: Any, n: int) -> None:
        if type(column) is not str or len(column) != max(_STEP * n - 1, 0):
            raise TypeError("malformed digests")
        self.column = column
        self._n = n

    @classmethod
    def of(cls, found: list[str]) -> Digests:
        """The column of these digests (each made by :func:`digest`)."""
        return cls(" ".join(found), len(found))

    def __len__(self) -> int:
        return self._n

    @overload
    def __getitem__(self, i: int) -> str: ...

    @overload
    def __getitem__(self, i: slice) -> list[str]: ...

    def __getitem__(self, i: int | slice) -> str | list[str]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(self._n))]
        if i < 0:
            i += self._n
        if not 0 <= i < self._n:
            raise IndexError(i)
        return self.column[_STEP * i : _STEP * i + _DIGEST]


def differing(
    old: Digests, old_at: Mapping[str, int], new: Digests, new_ids: Sequence[str]
) -> list[int]:
    """The positions of ``new``'s labels that no label of ``old`` is: an id
    ``old`` does not have, or another digest than ``old``'s label of that id
    (ids each once on both sides: the caller checks).

    A run of labels is compared as one slice of each column, from where the
    run's first id is in ``old``: equal, each label of the run is the old
    label at the same offset, unchanged (equal digests are equal labels, ids
    included). A run that differs but holds the same ids as ``old`` there (a
    label edited in place) is compared in shorter runs, then label by label,
    at the same offsets; any other run is looked up id by id. 200,000 digests
    are neither split nor hashed, and a label edited costs a few comparisons."""
    at, was, now = old_at.get, old.column, new.column  # slices inline: 10,000s of runs
    # The old ids at their positions (each once: a dict's keys in file order).
    old_ids = list(old_at) if len(old_at) == len(old) else None
    out: list[int] = []
    n, (run, short) = len(new), _RUNS
    for start in range(0, n, run):
        count = min(run, n - start)
        i = at(new_ids[start])
        if (
            i is not None
            and was[_STEP * i : _STEP * (i + count) - 1]
            == now[_STEP * start : _STEP * (start + count) - 1]
        ):
            continue
        if i is None or old_ids is None or old_ids[i : i + count] != new_ids[start : start + count]:
            for j in range(start, start + count):  # labels added, removed or moved here
                k = at(new_ids[j])
                if (
                    k is None
                    or was[_STEP * k : _STEP * k + _DIGEST] != now[_STEP * j : _STEP * j + _DIGEST]
                ):
                    out.append(j)
            continue
        shift = i - start  # the same ids: label j of new is label j + shift of old
        for first in range(start, start + count, short):
            end = min(first + short, start + count)
            if (
                was[_STEP * (first + shift) : _STEP * (end + shift) - 1]
                == now[_STEP * first : _STEP * end - 1]
            ):
                continue
            for j in range(first, end):
                k = j + shift
                if was[_STEP * k : _STEP * k + _DIGEST] != now[_STEP * j : _STEP * j + _DIGEST]:
                    out.append(j)
    return out
