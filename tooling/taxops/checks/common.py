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
    """The id ``value`` was probably meant to be, as a hint (see
    :class:`IdSuggestions`, which a check asking about many values keeps)."""
    return IdSuggestions(ids).hint(value)


class IdSuggestions:
    """The id a value that names no label was probably meant to be: the same
    id in another case first (ids are compared exactly, so ``a00.0`` does not
    name ``A00.0``), else the closest spelling.

    Made once per check, not once per finding: the ids are folded once (1,500
    unknown ids in a guideline against a 150,000-label taxonomy folded them
    1,500 times: 14 s). The closest spelling is a pass over every id, so it
    is searched only among at most :data:`FUZZY_MAX_IDS` ids and for the first
    few values asked (:data:`FUZZY_ASKS`, fewer among many ids): thousands of
    unknown ids have one cause (a label removed, a file for another version),
    not thousands of typos."""

    def __init__(self, ids: Collection[str]) -> None:
        self._ids = ids
        self._folded: dict[str, str] | None = None
        #: The ids' text, one a line, lower-cased at once (None: not made yet;
        #: "": not usable, an id holds a line break).
        self._lowered: str | None = None
        self._searches_left = FOLD_SEARCHES
        n = len(ids)
        self._fuzzy_left = min(FUZZY_ASKS, FUZZY_WORK // max(n, 1)) if n <= FUZZY_MAX_IDS else 0
        self._listed: list[str] | None = None

    def hint(self, value: str) -> str | None:
        same = self.same_but_case(value)
        if same is not None:
            return f"did you mean '{same}'? ids are compared exactly, case included"
        close = self.closest(value)
        return f"did you mean '{close}'?" if close is not None else None

    def same_but_case(self, value: str) -> str | None:
        """The first id that is ``value`` in another case. The first values
        asked are searched for in the ids' text lower-cased at once
        (:data:`FOLD_SEARCHES`); after them, an index of every folded id answers."""
        if self._folded is None and self._searches_left > 0 and "\n" not in value:
            lowered = self._lowered_text()
            if lowered:
                self._searches_left -= 1
                at = lowered.find(f"\n{value.lower()}\n")
                # The line breaks before the match count the ids before it.
                return None if at < 0 else self._ids_listed()[lowered.count("\n", 0, at)]
        if self._folded is None:
            ids = self._ids_listed()
            # Reversed, so the first id of those folding alike is the one kept.
            self._folded = dict(zip(map(str.lower, reversed(ids)), reversed(ids), strict=True))
        return self._folded.get(value.lower())

    def _lowered_text(self) -> str:
        """The ids one a line, lower-cased at once, between line breaks; empty
        when an id holds a line break (no line then is one id). Lower-casing
        the text is lower-casing each id: a line break is neither cased nor
        ignored by case, so no id's letters see another's (a final sigma stays
        final). At 200,000 ids, 10 ms where the index takes 80."""
        if self._lowered is None:
            ids = self._ids_listed()
            joined = "\n".join(ids)
            usable = joined.count("\n") == len(ids) - 1
            self._lowered = f"\n{joined.lower()}\n" if usable else ""
        return self._lowered

    def _ids_listed(self) -> list[str]:
        if self._listed is None:
            self._listed = list(self._ids)
        return self._listed

    def closest(self, value: str, cutoff: float = 0.75) -> str | None:
        if self._fuzzy_left <= 0:
            return None
        self._fuzzy_left -= 1
        match = difflib.get_close_matches(value, self._ids_listed(), n=1, cutoff=cutoff)
        return match[0] if match else None


#: How many values :meth:`IdSuggestions.same_but_case` searches for in the
#: ids' lower-cased text (a few milliseconds each at 200,000 ids) before it
#: folds every id into an index (80 ms): one typo is one search.
FOLD_SEARCHES = 16
#: Over more ids than this, no closest spelling is searched (a pass over a huge
#: taxonomy per finding costs more than it helps).
FUZZY_MAX_IDS = 20_000
#: Values whose closest spelling one :class:`IdSuggestions` searches: at most
#: this many, and at most as many as make :data:`FUZZY_WORK` ids compared (a
#: search among 20,000 ids takes 0.04 to 0.15 s).
FUZZY_ASKS = 50
FUZZY_WORK = 200_000


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
