"""Numbers packed as text for a cache entry read back as they were, 4 bytes
each only where every one fits; text that is not a packed column is refused."""

from __future__ import annotations

import pytest
from taxops.packed import pack, unpack

#: (numbers, the width they are written in when packed narrow)
NUMBERS = [
    ([], 4),
    ([0, 1, 2**32 - 1], 4),
    ([2**32], 8),
    ([-1, 5], 8),
    ([-(2**63), 2**63 - 1], 8),
]


@pytest.mark.parametrize(("values", "width"), NUMBERS)
def test_numbers_read_back_as_they_were(values: list[int], width: int) -> None:
    for narrow in (False, True):
        text = pack(values, narrow=narrow)
        assert text.startswith(f"{width if narrow else 8}:")
        assert list(unpack(text)) == values


def test_positions_are_never_below_zero() -> None:
    """Read as positions, a negative number written wide is a huge one: a list
    indexed by it refuses it rather than counting from its end."""
    positions = unpack(pack([-1]), signed=False)
    with pytest.raises(IndexError):
        ["a", "b"][positions[0]]


@pytest.mark.parametrize(
    "text",
    [None, 5, "", "0a000000", "4:0a0000", "8:0a000000", "2:0a00", "4:zz000000", "x:00000000"],
)
def test_a_text_that_is_not_a_packed_column_is_refused(text: object) -> None:
    with pytest.raises((TypeError, ValueError, KeyError)):
        unpack(text)
