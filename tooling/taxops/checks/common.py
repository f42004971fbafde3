"""Small pieces the in-file checks share."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator


def repeats(keys: Iterable[Hashable]) -> Iterator[tuple[int, int]]:
    """``(index, index of its first occurrence)`` for every key seen before: the
    shape of every "used twice (first at line N)" finding."""
    first: dict[Hashable, int] = {}
    for i, key in enumerate(keys):
        if key in first:
            yield i, first[key]
        else:
            first[key] = i
