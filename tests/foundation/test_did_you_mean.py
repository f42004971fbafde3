"""The id a user probably meant, found the same way however many ids there are."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from taxops.checks.common import (
    FOLD_SEARCHES,
    FUZZY_ASKS,
    FUZZY_WORK,
    IdSuggestions,
    did_you_mean,
)

#: Ids with letters whose lower case is longer (``İ``) or the same in another
#: case (``ß``, ``K`` for the Kelvin sign), a capital sigma whose lower case
#: depends on the letters around it (final or not), an apostrophe (which case
#: ignores), and plain ASCII ones.
ALPHABET = st.sampled_from([*"aAbBzZ09._-'", "İ", "ß", "\u212a", "é", "É", "Σ", "σ", "ς"])
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


class _Counted(list[str]):
    """Ids that count the passes made over them."""

    passes = 0

    def __iter__(self) -> Any:
        _Counted.passes += 1
        return super().__iter__()


def test_many_questions_make_one_pass_over_the_ids() -> None:
    """A check asking about thousands of unknown ids in a large taxonomy (a
    guideline for labels a new version removed) folds the ids once, not once
    per finding, and searches spellings only for the first few."""
    ids = _Counted(f"A{n:06d}.x" for n in range(30_000))
    suggest = IdSuggestions(ids)
    _Counted.passes = 0
    hints = [suggest.hint(f"a{n:06d}.X") for n in range(0, 30_000, 10)]
    assert hints[5] == "did you mean 'A000050.x'? ids are compared exactly, case included"
    assert all(h is not None and "case included" in h for h in hints)
    assert [suggest.hint(f"zz{n}") for n in range(100)] == [None] * 100  # over FUZZY_MAX_IDS
    assert _Counted.passes == 1


def test_the_closest_spelling_is_searched_for_the_first_values_asked() -> None:
    ids = [f"label_{w}" for w in ("alpha", "bravo", "charlie", "delta")]
    suggest = IdSuggestions(ids)
    typos = ["label_alpah", "label_bravvo"] * FUZZY_ASKS
    hints = [suggest.hint(t) for t in typos]
    assert hints[:2] == ["did you mean 'label_alpha'?", "did you mean 'label_bravo'?"]
    assert hints[FUZZY_ASKS - 1] is not None and hints[FUZZY_ASKS:] == [None] * FUZZY_ASKS
    # The same id in another case is always found: a dictionary lookup.
    assert suggest.hint("LABEL_DELTA") == (
        "did you mean 'label_delta'? ids are compared exactly, case included"
    )
    assert did_you_mean("label_alpah", ids) == "did you mean 'label_alpha'?"


def test_among_many_ids_fewer_spellings_are_searched() -> None:
    """Each search is a pass over every id: among 20,000 ids, only as many as
    keep the work bounded (a guideline with hundreds of typos must not spend
    minutes suggesting)."""
    ids = [f"group_{n // 100}.label_{n:05d}" for n in range(20_000)]
    suggest = IdSuggestions(ids)
    hints = [suggest.hint(f"group_{n // 100}.labl_{n:05d}") for n in range(0, 20_000, 400)]
    searched = FUZZY_WORK // len(ids)
    assert hints[:searched] == [
        f"did you mean 'group_{n // 100}.label_{n:05d}'?" for n in range(0, searched * 400, 400)
    ]
    assert hints[searched:] == [None] * (len(hints) - searched)


@given(IDS, st.lists(st.text(ALPHABET, min_size=0, max_size=6), max_size=3 * FOLD_SEARCHES))
def test_the_first_values_searched_in_the_ids_text_find_what_the_index_finds(
    ids: list[str], values: list[str]
) -> None:
    """The first values are searched for in the ids' text lower-cased at
    once, the others in an index of each folded id: both answer as folding
    each id alone does (a final sigma, a longer lower case, an id two ids
    fold alike to), whichever phase a value is asked in."""
    suggest = IdSuggestions(ids)
    asked = values + [v.swapcase() for v in ids]
    assert [suggest.same_but_case(v) for v in asked] == [_reference(v, ids) for v in asked]


def test_ids_or_values_with_a_line_break_are_looked_up_in_the_index() -> None:
    """The text search cuts ids at line breaks: an id or a value holding one
    is never matched across two ids."""
    ids = ["a", "b\nc", "d"]
    assert IdSuggestions(ids).same_but_case("B\nC") == "b\nc"
    assert IdSuggestions(ids).same_but_case("A\nB") is None
    assert IdSuggestions(["a", "b", "c"]).same_but_case("A\nB") is None
