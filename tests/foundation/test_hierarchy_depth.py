"""The depth check's quick answer (``_may_be_deeper_than``) is the exact one:
chains of every length around the limits, forests, unknown parents, and loops
(which count as deeper, so the exact count sees them)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from taxops.checks import taxonomy


def _may_be_deeper_than(parent_of: dict[str, str], levels: int) -> bool:
    """The quick answer for the labels ``parent_of`` names (each label's parent;
    a root has no entry), in the columns the check reads."""
    ids = sorted({*parent_of, *parent_of.values()})
    index = {label: i for i, label in enumerate(ids)}
    return taxonomy._may_be_deeper_than([parent_of.get(label) for label in ids], index, levels)


def _chain(n: int, prefix: str = "l") -> dict[str, str]:
    """Parents of a chain of ``n`` labels (the root has no entry, as in the check)."""
    return {f"{prefix}{i}": f"{prefix}{i - 1}" for i in range(1, n)}


@pytest.mark.parametrize("levels", [1, 2, 3, 5, 8, 30, 32, 33])
def test_chains_around_the_limit(levels: int) -> None:
    for n in range(1, 2 * levels + 3):
        answer = _may_be_deeper_than(_chain(n), levels)
        if n > levels:
            assert answer, f"a chain of {n} labels is deeper than {levels}"
        else:
            assert not answer, f"a chain of {n} labels is not deeper than {levels}"


def test_the_deepest_chain_of_a_forest_decides() -> None:
    forest = {**_chain(5, "a"), **_chain(33, "b"), **_chain(2, "c")}
    assert _may_be_deeper_than(forest, 32)
    assert not _may_be_deeper_than({**_chain(5, "a"), **_chain(32, "b")}, 32)


def test_a_loop_counts_as_deeper() -> None:
    assert _may_be_deeper_than({"a": "b", "b": "a"}, 32)
    assert _may_be_deeper_than({"x": "a", "a": "b", "b": "c", "c": "a"}, 32)


def _deepest_or_loop(parents: list[str | None], index: dict[str, int]) -> float:
    """The most labels in one chain, counted label by label (inf on a loop)."""
    deepest = 0.0
    for label in index:
        seen: set[str] = set()
        node: str | None = label
        while node is not None and node in index:
            if node in seen:
                return float("inf")
            seen.add(node)
            node = parents[index[node]]
        deepest = max(deepest, len(seen))
    return deepest


@given(
    st.lists(st.one_of(st.none(), st.integers(0, 40)), min_size=1, max_size=40),
    st.integers(1, 12),
)
def test_the_quick_answer_is_the_exact_one(picks: list[int | None], levels: int) -> None:
    """Random forests with loops and unknown parents (numbers past the last label)."""
    ids = [f"l{i}" for i in range(len(picks))]
    parents = [None if p is None else f"l{p}" for p in picks]
    index = {label: i for i, label in enumerate(ids)}
    expected = _deepest_or_loop(parents, index) > levels
    assert taxonomy._may_be_deeper_than(parents, index, levels) is expected
