"""The id a user probably meant, found the same way however many ids there are."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from taxops.checks.common import did_you_mean

#: Ids with letters whose lower case is longer (``İ``) or the same in another
#: case (``ß``, ``K`` for the Kelvin sign), and plain ASCII ones.
ALPHABET = st.sampled_from([*"aAbBzZ09._-", "İ", "ß", "\u212a", "é", "É"])
IDS = st.lists(st.text(ALPHABET, min_size=1, max_size=6), min_size=1, max_size=40, unique=True)


def _reference(value: str, ids: list[str]) -> str | None:
    folded = value.lower()
    return next((i for i in ids if i.lower() == folded), None)


@given(
    IDS,
    st.integers(0, 39),
    st.sampled_from([str.upper, str.lower, str.swapcase, str.title]),
    st.text(ALPHABET, min_size=1, max_size=6),
    st.booleans(),
    st.integers(0, 2000),
)
def test_the_same_id_in_another_case_is_found_among_few_or_many(
    ids: list[str], k: int, recase: Any, other: str, typed: bool, padding: int
) -> None:
    """``value``: an id of the list in another case, or any text; ``padding``
    takes the list past the joined search's threshold."""
    value = other if typed else recase(ids[k % len(ids)])
    many = [f"pad.{n}" for n in range(padding // 2)] + ids + [f"Pad.{n}" for n in range(padding)]
    if value in many:
        return  # only an unknown id gets a suggestion
    expected = _reference(value, many)
    hint = did_you_mean(value, dict.fromkeys(many))
    if expected is None:
        assert hint is None or "case included" not in hint
    else:
        assert hint == f"did you mean '{expected}'? ids are compared exactly, case included"
