"""Small pieces the in-file checks share."""

from __future__ import annotations

import difflib
from collections.abc import Collection, Hashable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from taxops.diagnostics import Diagnostic, Severity

if TYPE_CHECKING:  # did_you_mean is for every error message: it must not load the parser
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


def did_you_mean(value: str, ids: Collection[str]) -> str | None:
    """The id ``value`` was probably meant to be: the same id in another case
    first (ids are compared exactly, so ``a00.0`` does not name ``A00.0``), else
    the closest spelling."""
    folded = value.lower()
    same = [i for i in ids if i.lower() == folded] if len(ids) <= 200_000 else []
    if same:
        return f"did you mean '{same[0]}'? ids are compared exactly, case included"
    if len(ids) > 20_000:  # a fuzzy search over a huge taxonomy costs more than it helps
        return None
    match = difflib.get_close_matches(value, list(ids), n=1, cutoff=0.75)
    return f"did you mean '{match[0]}'?" if match else None


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
