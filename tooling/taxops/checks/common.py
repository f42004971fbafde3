"""Small pieces the in-file checks share."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator, Sequence

from taxops.diagnostics import Diagnostic, Severity
from taxops.loading import YamlDocument


def repeats(keys: Iterable[Hashable]) -> Iterator[tuple[int, int]]:
    """``(index, index of its first occurrence)`` for every key seen before: the
    shape of every "used twice (first at line N)" finding."""
    first: dict[Hashable, int] = {}
    for i, key in enumerate(keys):
        if key in first:
            yield i, first[key]
        else:
            first[key] = i


def duplicates(
    doc: YamlDocument, key: str, ids: Sequence[str], field: str, what: str, rule: str
) -> Iterator[Diagnostic]:
    """``<what> '<id>' appears twice (first at line N)`` for each repeated id of
    the list ``key`` (whose items are mappings with ``field``)."""
    for i, first in repeats(ids):
        prev = doc.locate((key, first, field))
        yield Diagnostic(
            rule,
            Severity.ERROR,
            f"{what} '{ids[i]}' appears twice (first at line {prev.line})",
            doc.locate((key, i, field)),
            "ids are unique: merge the two entries or rename one",
        )
