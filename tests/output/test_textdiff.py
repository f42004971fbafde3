"""The unified diff ``fix --diff`` and ``crosswalk import --diff`` show
(:mod:`taxops.textdiff`) must be a correct patch, in difflib's format, and
the same as difflib's wherever the shortest diff is unique."""

from __future__ import annotations

import difflib
import random
import re

import pytest
from taxops.textdiff import unified_diff

HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@$")


def patched(a: list[str], diff: list[str]) -> list[str]:
    """``a`` with the unified diff applied, checking every context and removed
    line against ``a`` and every hunk's lengths against its header."""
    out: list[str] = []
    at = 0
    lines = iter(diff[2:])
    assert diff[0].startswith("--- ") and diff[1].startswith("+++ ")
    pending = next(lines, None)
    while pending is not None:
        header = HUNK.match(pending)
        assert header, pending
        start, length = int(header[1]), int(header[2] if header[2] is not None else 1)
        new_length = int(header[4] if header[4] is not None else 1)
        begin = start - 1 if length else start
        assert begin >= at
        out += a[at:begin]
        at = begin
        old_seen = new_seen = 0
        pending = next(lines, None)
        while pending is not None and not pending.startswith("@@"):
            kind, line = pending[0], pending[1:]
            if kind in " -":
                assert a[at] == line
                at += 1
                old_seen += 1
            if kind in " +":
                out.append(line)
                new_seen += 1
            pending = next(lines, None)
        assert (old_seen, new_seen) == (length, new_length)
    return out + a[at:]


def edited(rng: random.Random, a: list[str], pool: list[str]) -> list[str]:
    b = list(a)
    for _ in range(rng.randint(0, 6)):
        at = rng.randint(0, len(b))
        what = rng.random()
        if what < 0.4:
            b[at:at] = rng.choices(pool, k=rng.randint(1, 4))
        elif what < 0.7 and b:
            del b[at : at + rng.randint(1, 3)]
        elif b:
            b[at : at + 1] = rng.choices(pool, k=rng.randint(1, 2))
    return b


@pytest.mark.parametrize("seed", range(300))
def test_the_diff_applied_to_the_old_lines_gives_the_new(seed: int) -> None:
    rng = random.Random(seed)
    # Unique lines (ids) among repeated ones (a field every label has), as a taxonomy holds.
    pool = [f"- id: x{k}" for k in range(40)] + ["  parent: a", "  name: N", "", "  - b"]
    a = rng.choices(pool, k=rng.randint(0, 80))
    b = edited(rng, a, pool)
    diff = list(unified_diff(a, b, "a/f", "b/f", lineterm=""))
    if a == b:
        assert diff == []
        return
    assert patched(a, diff) == b


def test_a_change_with_one_shortest_diff_is_written_as_difflib_writes_it() -> None:
    a = [f"- id: c{k}\n  name: Code {k}\n" for k in range(3000)]
    b = list(a)
    b[1200:1200] = ["- id: new\n  name: New\n"]
    b[2500] = "- id: c2500\n  name: Code 2500, renamed\n"
    del b[40]
    for context in (0, 3, 5):
        ours = list(unified_diff(a, b, "a/x", "b/x", n=context))
        assert ours == list(difflib.unified_diff(a, b, "a/x", "b/x", n=context))
    # Two changes 2n - 1 to 2n + 2 lines apart: one hunk, or two.
    short = [f"line {k}" for k in range(40)]
    for apart in range(5, 9):
        changed = list(short)
        changed[10] = "changed"
        changed[11 + apart] = "changed too"
        ours = list(unified_diff(short, changed, "a", "b", lineterm=""))
        assert ours == list(difflib.unified_diff(short, changed, "a", "b", lineterm=""))


def test_edits_at_either_end_and_files_with_no_unique_line() -> None:
    for a, b in (
        (["x"] * 5, ["x"] * 7),
        (["x", "y"] * 20, ["y", "x"] * 20),
        (["x", "y"] * 5_000, ["y", "x"] * 5_000),  # no anchor: one gap, as fast as difflib
        ([], ["a", "b"]),
        (["a", "b"], []),
        (["a", "b", "c"], ["z", "b", "c"]),
        (["a", "b", "c"], ["a", "b", "z"]),
    ):
        diff = list(unified_diff(a, b, "a", "b", lineterm=""))
        assert patched(a, diff) == b
