"""A unified diff of two versions of a large file, fast when the edits are few.

``taxops fix --diff`` and ``taxops crosswalk import --diff`` show the edits
they would make to a taxonomy file; a classification's file is 270,000 lines,
and :func:`difflib.unified_diff` spent 3 s finding 300 tombstones in it (it
indexes every line of the new file and searches the whole of both for the
longest match, again and again). Here the lines both files share at their
start and end are set aside, and lines that occur once in each of the
remaining parts (a taxonomy's ``- id: ...`` lines) anchor the rest, as the
*patience* diff does: difflib compares only what lies between two anchors.
The hunks are grouped and written as difflib groups and writes them.
"""

from __future__ import annotations

import bisect
import difflib
from collections import Counter
from collections.abc import Iterator, Sequence

Opcode = tuple[str, int, int, int, int]


def unified_diff(
    a: Sequence[str],
    b: Sequence[str],
    fromfile: str = "",
    tofile: str = "",
    n: int = 3,
    lineterm: str = "\n",
) -> Iterator[str]:
    """:func:`difflib.unified_diff` of ``a`` and ``b`` (no dates), in the same
    format; the hunks can differ only where several diffs are equally short."""
    started = False
    for group in _grouped(_opcodes(_matching_blocks(a, b)), n):
        if not started:
            started = True
            yield f"--- {fromfile}{lineterm}"
            yield f"+++ {tofile}{lineterm}"
        first, last = group[0], group[-1]
        yield f"@@ -{_range(first[1], last[2])} +{_range(first[3], last[4])} @@{lineterm}"
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                yield from (" " + line for line in a[i1:i2])
                continue
            if tag in ("replace", "delete"):
                yield from ("-" + line for line in a[i1:i2])
            if tag in ("replace", "insert"):
                yield from ("+" + line for line in b[j1:j2])


def _range(start: int, stop: int) -> str:
    """A hunk's range as the unified format writes it (one line: its number
    alone; no line: the line before it, and length 0)."""
    first, length = start + 1, stop - start
    if length == 1:
        return str(first)
    if not length:
        first -= 1
    return f"{first},{length}"


def _matching_blocks(a: Sequence[str], b: Sequence[str]) -> list[tuple[int, int, int]]:
    """``(i, j, k)``: ``a[i:i+k] == b[j:j+k]``, in order, not touching one
    another, ending with ``(len(a), len(b), 0)`` (as difflib gives them)."""
    start, end_a, end_b = 0, len(a), len(b)
    while start < end_a and start < end_b and a[start] == b[start]:
        start += 1
    while end_a > start and end_b > start and a[end_a - 1] == b[end_b - 1]:
        end_a, end_b = end_a - 1, end_b - 1
    blocks: list[tuple[int, int, int]] = [(0, 0, start)] if start else []
    i0, j0 = start, start
    for i, j in [*_anchors(a, b, start, end_a, end_b), (end_a, end_b)]:
        if i > i0 and j > j0:  # lines on both sides between two anchors: compare them
            if i - i0 == j - j0 and a[i0:i] == b[j0:j]:  # most gaps: unchanged
                blocks.append((i0, j0, i - i0))
            else:
                # difflib's own settings: where lines repeat a lot (no anchors,
                # one gap as long as the file) it treats the popular ones as
                # junk, and stays fast, as difflib.unified_diff does.
                gap = difflib.SequenceMatcher(None, a[i0:i], b[j0:j])
                blocks += [(i0 + x, j0 + y, k) for x, y, k in gap.get_matching_blocks() if k]
        if (i, j) != (end_a, end_b):
            blocks.append((i, j, 1))
        i0, j0 = i + 1, j + 1
    if end_a < len(a):
        blocks.append((end_a, end_b, len(a) - end_a))
    merged: list[tuple[int, int, int]] = []
    for i, j, k in blocks:  # adjacent blocks as one
        if merged and merged[-1][0] + merged[-1][2] == i and merged[-1][1] + merged[-1][2] == j:
            merged[-1] = (merged[-1][0], merged[-1][1], merged[-1][2] + k)
        else:
            merged.append((i, j, k))
    return [*merged, (len(a), len(b), 0)]


def _opcodes(blocks: list[tuple[int, int, int]]) -> list[Opcode]:
    """What turns ``a`` into ``b`` between and along the matching blocks."""
    codes: list[Opcode] = []
    i = j = 0
    for ai, bj, k in blocks:
        if i < ai and j < bj:
            codes.append(("replace", i, ai, j, bj))
        elif i < ai:
            codes.append(("delete", i, ai, j, bj))
        elif j < bj:
            codes.append(("insert", i, ai, j, bj))
        i, j = ai + k, bj + k
        if k:
            codes.append(("equal", ai, i, bj, j))
    return codes


def _grouped(codes: list[Opcode], n: int) -> Iterator[list[Opcode]]:
    """The changes in hunks with up to ``n`` lines of context around them; a
    run of more than ``2n`` unchanged lines ends a hunk."""
    if not codes:
        codes = [("equal", 0, 1, 0, 1)]
    codes = list(codes)
    tag, i1, i2, j1, j2 = codes[0]
    if tag == "equal":
        codes[0] = (tag, max(i1, i2 - n), i2, max(j1, j2 - n), j2)
    tag, i1, i2, j1, j2 = codes[-1]
    if tag == "equal":
        codes[-1] = (tag, i1, min(i2, i1 + n), j1, min(j2, j1 + n))
    group: list[Opcode] = []
    for tag, i1, i2, j1, j2 in codes:
        if tag == "equal" and i2 - i1 > 2 * n:
            group.append((tag, i1, min(i2, i1 + n), j1, min(j2, j1 + n)))
            yield group
            group = []
            i1, j1 = max(i1, i2 - n), max(j1, j2 - n)
        group.append((tag, i1, i2, j1, j2))
    if group and not (len(group) == 1 and group[0][0] == "equal"):
        yield group


def _anchors(
    a: Sequence[str], b: Sequence[str], start: int, end_a: int, end_b: int
) -> list[tuple[int, int]]:
    """Pairs ``(i, j)`` of lines equal in ``a[start:end_a]`` and
    ``b[start:end_b]``, each occurring once in both, the longest run of them
    in the same order in both files (patience sorting)."""
    count_a = Counter(a[start:end_a])
    count_b = Counter(b[start:end_b])
    at_b = {b[j]: j for j in range(start, end_b) if count_b[b[j]] == 1}
    pairs = [(i, at_b[a[i]]) for i in range(start, end_a) if count_a[a[i]] == 1 and a[i] in at_b]
    # Longest increasing subsequence of the j's: tops[k] is the smallest j that
    # ends a run of k + 1 pairs; back links rebuild the run.
    tops: list[int] = []
    ends: list[int] = []
    back: list[int] = []
    for n, (_, j) in enumerate(pairs):
        k = bisect.bisect_left(tops, j)
        back.append(ends[k - 1] if k else -1)
        if k == len(tops):
            tops.append(j)
            ends.append(n)
        else:
            tops[k], ends[k] = j, n
    run: list[tuple[int, int]] = []
    n = ends[-1] if ends else -1
    while n >= 0:
        run.append(pairs[n])
        n = back[n]
    return run[::-1]
