"""The id a user probably meant, found the same way however many ids there are."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from taxops.checks.common import FUZZY_ASKS, FUZZY_WORK, IdSuggestions, did_you_mean

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
