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
    same = _same_but_case(value, ids)
    if same is not None:
        return f"did you mean '{same}'? ids are compared exactly, case included"
    if len(ids) > 20_000:  # a fuzzy search over a huge taxonomy costs more than it helps
        return None
    match = difflib.get_close_matches(value, list(ids), n=1, cutoff=0.75)
    return f"did you mean '{match[0]}'?" if match else None


def _same_but_case(value: str, ids: Collection[str]) -> str | None:
    """The first id that is ``value`` in another case. Over many ids, one
    search in C through all of them joined and lowered (a lowered id is found
    at its own place when lowering changed no length), not a call per id."""
    folded = value.lower()
    if len(ids) < 1000 or "\n" in folded:
        return next((i for i in ids if i.lower() == folded), None)
    joined = "\n".join(ids)
    lowered = joined.lower()
    if len(lowered) != len(joined) or joined.count("\n") != len(ids) - 1:
        return next((i for i in ids if i.lower() == folded), None)
    at = f"\n{lowered}\n".find(f"\n{folded}\n")
    return None if at < 0 else joined[at : at + len(folded)]


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
