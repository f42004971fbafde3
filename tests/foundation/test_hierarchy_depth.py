"""The depth check's quick answer (``_may_be_deeper_than``) never says "not
deeper" for a hierarchy that is: chains of every length around the limits,
forests, and loops (which count as deeper, so the exact count sees them)."""

from __future__ import annotations

import pytest
from taxops.checks.taxonomy import _may_be_deeper_than


def _chain(n: int, prefix: str = "l") -> dict[str, str]:
    """Parents of a chain of ``n`` labels (the root has no entry, as in the check)."""
    return {f"{prefix}{i}": f"{prefix}{i - 1}" for i in range(1, n)}


@pytest.mark.parametrize("levels", [1, 2, 3, 5, 8, 30, 32, 33])
def test_chains_around_the_limit(levels: int) -> None:
    for n in range(1, 2 * levels + 3):
        answer = _may_be_deeper_than(_chain(n), levels)
        if n > levels:
            assert answer, f"a chain of {n} labels is deeper than {levels}"
        if levels in (1, 2, 8, 32) and n <= levels:  # powers of two: the answer is exact
            assert not answer, f"a chain of {n} labels is not deeper than {levels}"


def test_the_deepest_chain_of_a_forest_decides() -> None:
    forest = {**_chain(5, "a"), **_chain(33, "b"), **_chain(2, "c")}
    assert _may_be_deeper_than(forest, 32)
    assert not _may_be_deeper_than({**_chain(5, "a"), **_chain(32, "b")}, 32)


def test_a_loop_counts_as_deeper() -> None:
    assert _may_be_deeper_than({"a": "b", "b": "a"}, 32)
    assert _may_be_deeper_than({"x": "a", "a": "b", "b": "c", "c": "a"}, 32)
