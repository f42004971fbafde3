"""Where a label's parent is when a publisher's table does not say it in a
column of its own.

Publishers' tables often list codes and titles only, because the codes carry
the hierarchy: NAICS ``111110`` sits under ``11111``, ``1111``, ``111`` and
``11``; ICD-10-CM ``A00.1`` (or ``A001`` in the CMS files) under ``A00``; a
range code stands for the codes it spans (NAICS's sector ``31-33`` holds
``311`` to ``339``, an ICD block ``A00-A09`` holds ``A00`` to ``A09``). Other
tables give each row a level, in an order where every row follows its
parent (NAICS's own ``level`` column, the indented lists of many
classifications).

International classifications put a lettered section above numbered
divisions (ISIC and NACE: section ``A``, then divisions ``01`` to ``03``; then
``B``...): the letter begins no code, so the file's order says it. Where every
section is directly followed by numbered codes, a numbered code nothing else
holds is in the section listed last above it. A table sorted by code (the
sections after every number, or all together) says no such thing, and gets
no parent from it.

These rules are what such tables mean, and no more: a code's parent is
the most specific other code that begins it, or range that spans it; a row's
parent is the nearest row above it at a lower level. A table whose codes are
padded to one width (UNSPSC's ``10101500``, CPV's ``03110000``) has no code
that begins another, and which trailing zeros mark a level differs between
publishers, so no parent is guessed from them: the user says how many digits
each level takes (``taxops import --code-levels 2,2,2,2``), or gives a parent
or level column.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_right
from collections.abc import Sequence

from taxops.models.ids import MAX_ID_LENGTH

#: A section: one or two capital letters (ISIC's and NACE's ``A`` to ``U``).
_SECTION = re.compile(r"[A-Z]{1,2}")
#: A range code: two codes of one width joined by a dash (``31-33``, ``A00-A09``).
_RANGE = re.compile(r"^([0-9A-Za-z.]+)-([0-9A-Za-z.]+)$")


def _key(code: str) -> str:
    """The code as its prefixes are compared: dots are punctuation (``A00.1``
    begins with ``A00`` as ``A001`` does)."""
    return code.replace(".", "")


def parents_from_codes(codes: Sequence[str]) -> dict[str, str]:
    """Each code's parent where the codes say it: the longest other code that
    begins it, or at the same length the narrowest range that spans it (a
    code beats a range of its own width: ``A00`` holds ``A001`` more closely
    than ``A00-A09`` does). Codes with no such code are absent (top level).

    Linear in the codes times their length, with a binary search per range
    lookup (:class:`_Ranges`): a table of any size or shape reads in time. A
    code longer than an id may be is no code (a cell of text): it has no
    parent and is no one's."""
    codes = [code for code in codes if len(code) <= MAX_ID_LENGTH]
    plain: dict[str, str] = {}
    spans: dict[str, tuple[str, str]] = {}
    by_width: dict[int, list[tuple[str, str, str]]] = {}
    for code in codes:
        span = _span(code)
        if span is None:
            plain.setdefault(_key(code), code)
        else:
            spans[code] = span
            by_width.setdefault(len(span[0]), []).append((*span, code))
    ranges = {width: _Ranges(found) for width, found in by_width.items()}
    out: dict[str, str] = {}
    for code in codes:
        lo, hi = spans.get(code) or (_key(code),) * 2
        for width in range(len(lo), 0, -1):
            a, b = lo[:width], hi[:width]
            if width < len(lo) and a == b and a in plain:
                out[code] = plain[a]
                break
            held = ranges.get(width)
            if held is not None:
                own = width == len(lo) and code in spans
                parent = held.enclosing(code) if own else held.spanning(a, b)
                if parent is not None:
                    out[code] = parent
                    break
    _sections(codes, out)
    return out


def is_section(code: str) -> bool:
    """Whether ``code`` is a lettered section (``A``), as ISIC and NACE write them."""
    return _SECTION.fullmatch(code) is not None


def _numbered(code: str) -> bool:
    return _key(code).isdigit()


def _sections(codes: list[str], out: dict[str, str]) -> None:
    """Numbered codes that nothing else holds go under the section listed last
    above them, where every section is directly followed by a numbered code
    (the file lists each section's divisions after it)."""
    at = [i for i, code in enumerate(codes) if is_section(code)]
    if not at or not all(i + 1 < len(codes) and _numbered(codes[i + 1]) for i in at):
        return
    section = None
    for code in codes:
        if is_section(code):
            section = code
        elif section is not None and code not in out and _numbered(code):
            out[code] = section


#: How far up nested ranges a lookup climbs: real classifications nest
#: ranges two or three deep (chapter, block, sub-block); a table of ranges
#: that overlap without nesting is not a tree, and gets no deeper search.
_MAX_NESTING = 64


class _Ranges:
    """The range codes of one width, swept once in order so that the
    narrowest range holding a code is a binary search away (for ranges that
    nest, as a classification's do)."""

    def __init__(self, ranges: list[tuple[str, str, str]]) -> None:
        self.bounds = {code: (lo, hi) for lo, hi, code in ranges}
        self.parent: dict[str, str | None] = {}
        events = sorted(
            [((lo, 0, _desc(hi)), code) for lo, hi, code in ranges]
            + [((hi, 1, _desc(lo)), code) for lo, hi, code in ranges]
        )
        self.keys: list[tuple[str, int]] = []
        self.inner: list[str | None] = []
        open_: list[str] = []  # the ranges open at this point, innermost last
        closed: set[str] = set()  # closed below the top (ranges that overlap)
        for (at, end, _), code in events:
            if end:
                closed.add(code)
                while open_ and open_[-1] in closed:
                    closed.discard(open_.pop())
            else:
                self.parent[code] = self._wider(open_, closed, code)
                open_.append(code)
            self.keys.append((at, end))
            self.inner.append(open_[-1] if open_ else None)

    def _wider(self, open_: list[str], closed: set[str], code: str) -> str | None:
        lo, hi = self.bounds[code]
        for other in reversed(open_[-_MAX_NESTING:]):
            o_lo, o_hi = self.bounds[other]
            if other not in closed and o_lo <= lo and hi <= o_hi and (o_lo, o_hi) != (lo, hi):
                return other
        return None

    def enclosing(self, code: str) -> str | None:
        """The narrowest other range of this width holding range ``code``."""
        return self.parent.get(code)

    def spanning(self, lo: str, hi: str) -> str | None:
        """The narrowest range holding every code from ``lo`` to ``hi``."""
        at = bisect_right(self.keys, (lo, 0)) - 1
        found = self.inner[at] if at >= 0 else None
        for _ in range(_MAX_NESTING):
            if found is None or self.bounds[found][1] >= hi:
                return found
            found = self.parent.get(found)
        return None


def _desc(text: str) -> tuple[int, ...]:
    """A sort key that orders texts backwards (wider ranges first at one start)."""
    return (*(-ord(c) for c in text), 1)


def _span(code: str) -> tuple[str, str] | None:
    """The first and last code a range code spans, or None for a plain code."""
    m = _RANGE.match(code)
    if m is None:
        return None
    lo, hi = _key(m.group(1)), _key(m.group(2))
    return (lo, hi) if len(lo) == len(hi) and lo < hi else None


def parents_from_padding(codes: Sequence[str], widths: Sequence[int]) -> dict[str, str]:
    """Each code's parent in a scheme padded with zeros whose levels take
    ``widths`` digits each (UNSPSC 2, 2, 2, 2; CPV 2, 1, 1, 1, 1, 1, 1): a
    code's level is the first whose digits hold all it writes before its
    trailing zeros, and its parent is the nearest code of a level above it
    with the same digits, padded (``10101500``'s is ``10100000``, else
    ``10000000``). A check digit after a dash (CPV's ``03111000-9``) is not
    part of the code's digits. Codes that are not digits of the full width
    are left out."""
    full = sum(widths)
    ends = list(itertools.accumulate(widths))
    by_digits: dict[str, str] = {}
    digits_of: dict[str, str] = {}
    for code in codes:
        digits = code.split("-", 1)[0]
        if len(digits) == full and digits.isascii() and digits.isdigit():
            by_digits.setdefault(digits, code)
            digits_of[code] = digits
    out: dict[str, str] = {}
    for code, digits in digits_of.items():
        written = len(digits.rstrip("0"))
        level = next((i for i, end in enumerate(ends) if end >= written), len(ends) - 1)
        for above in range(level - 1, -1, -1):
            parent = by_digits.get(digits[: ends[above]].ljust(full, "0"))
            if parent is not None and parent != code:
                out[code] = parent
                break
    return out


def parents_from_levels(levels: Sequence[int]) -> list[int | None]:
    """Each row's parent row (its index): the nearest row above it with a
    lower level; None for a row with none (top level)."""
    out: list[int | None] = []
    stack: list[tuple[int, int]] = []  # (level, row) of the rows still open
    for row, level in enumerate(levels):
        while stack and stack[-1][0] >= level:
            stack.pop()
        out.append(stack[-1][1] if stack else None)
        stack.append((level, row))
    return out


def padded_to_one_width(codes: Sequence[str]) -> bool:
    """Whether the codes are digits padded with zeros to one width (UNSPSC,
    CPV), where the levels are in the zeros and not in any prefix."""
    widths = {len(_key(c)) for c in codes}
    keys = [_key(c) for c in codes]
    return (
        len(widths) == 1 and all(k.isdigit() for k in keys) and any(k.endswith("0") for k in keys)
    )
