"""Whether two versions keep their shared labels' order is read in runs of
ids (``detect._keeps_order``): the answer must be exactly that of looking up
every id, whatever was inserted, removed, moved or swapped, with ids that
repeat in either version (the first one counts)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from taxops.changes.detect import _keeps_order

EDITS = ("insert", "remove", "move", "swap", "repeat")


def _index(ids: list[str]) -> dict[str, int]:
    index: dict[str, int] = {}
    for i, label_id in enumerate(ids):
        index.setdefault(label_id, i)
    return index


def _looked_up(old: dict[str, int], new: dict[str, int]) -> bool:
    shared = [old[x] for x in new if x in old]
    return shared == sorted(shared)


@settings(max_examples=400, derandomize=True, deadline=None)
@given(
    n=st.integers(min_value=0, max_value=200),
    old_edits=st.lists(
        st.tuples(st.sampled_from(EDITS), st.floats(0, 1), st.floats(0, 1)), max_size=2
    ),
    edits=st.lists(st.tuples(st.sampled_from(EDITS), st.floats(0, 1), st.floats(0, 1)), max_size=6),
)
def test_runs_answer_as_every_lookup(
    n: int, old_edits: list[tuple[str, float, float]], edits: list[tuple[str, float, float]]
) -> None:
    old = _edited([f"A{k}.0" for k in range(n)], old_edits)
    new = _edited(old, edits)
    old_at, new_at = _index(old), _index(new)
    assert _keeps_order(old_at, new_at) == _looked_up(old_at, new_at)


def _edited(ids: list[str], edits: list[tuple[str, float, float]]) -> list[str]:
    out = list(ids)
    for k, (kind, a, b) in enumerate(edits):
        at, to = int(a * len(out)), int(b * len(out))
        if kind == "insert" or not out:
            out.insert(at, f"new {k} {len(out)}")
            continue
        i, j = min(at, len(out) - 1), min(to, len(out) - 1)
        if kind == "remove":
            del out[i]
        elif kind == "move":
            out.insert(j, out.pop(i))
        elif kind == "swap":
            out[i], out[j] = out[j], out[i]
        else:  # an id written twice
            out.insert(j, out[i])
    return out


def test_a_swap_at_each_place_is_found() -> None:
    ids = [f"g{k}" for k in range(100)]
    at = _index(ids)
    assert _keeps_order(at, at)
    assert _keeps_order(at, _index([*ids[1:], "new"]))
    for k in range(99):
        swapped = [*ids[:k], ids[k + 1], ids[k], *ids[k + 2 :]]
        assert not _keeps_order(at, _index(swapped))
