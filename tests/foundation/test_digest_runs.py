"""Two versions' labels are compared by their digest columns in runs
(:func:`~taxops.models.lazy_labels.differing`): the labels it finds changed
must be exactly those whose digest the old version does not have, whatever
was inserted, removed, moved, reordered or edited, wherever in a run."""

from __future__ import annotations

from hashlib import blake2b

from hypothesis import given, settings
from hypothesis import strategies as st
from taxops.models.label_digests import Digests, differing

#: One edit of a list of (id, content) labels, at a place given as a fraction.
EDITS = ("edit", "insert", "remove", "move", "swap")


def _digest(label: tuple[str, int]) -> str:
    return blake2b(repr(label).encode(), digest_size=16).hexdigest()


def _changed(old: list[tuple[str, int]], new: list[tuple[str, int]]) -> list[int]:
    """What a digest set says: the new labels whose digest no old label has."""
    known = {_digest(label) for label in old}
    return [j for j, label in enumerate(new) if _digest(label) not in known]


def _differing(old: list[tuple[str, int]], new: list[tuple[str, int]]) -> list[int]:
    return differing(
        Digests.of([_digest(x) for x in old]),
        {label_id: i for i, (label_id, _) in enumerate(old)},
        Digests.of([_digest(x) for x in new]),
        [label_id for label_id, _ in new],
    )


@settings(max_examples=300, derandomize=True, deadline=None)
@given(
    n=st.integers(min_value=0, max_value=300),
    edits=st.lists(
        st.tuples(st.sampled_from(EDITS), st.floats(0, 1), st.floats(0, 1)), max_size=12
    ),
)
def test_runs_find_exactly_the_changed_labels(
    n: int, edits: list[tuple[str, float, float]]
) -> None:
    old = [(f"A{k}.0", 0) for k in range(n)]
    new = list(old)
    added = 0
    for kind, a, b in edits:
        at, to = int(a * len(new)), int(b * len(new))
        if kind == "insert" or not new:
            new.insert(at, (f"new {added}", 0))
            added += 1
        elif kind == "edit":
            new[min(at, len(new) - 1)] = (new[min(at, len(new) - 1)][0], 1)
        elif kind == "remove":
            del new[min(at, len(new) - 1)]
        elif kind == "move":
            new.insert(to, new.pop(min(at, len(new) - 1)))
        else:
            i, j = min(at, len(new) - 1), min(to, len(new) - 1)
            new[i], new[j] = new[j], new[i]
    assert _differing(old, new) == _changed(old, new)


def test_a_changed_label_at_each_place_of_a_run() -> None:
    """Each position of the first runs changed alone, then every label."""
    old = [(f"g{k}", 0) for k in range(100)]
    for j in range(100):
        new = [*old[:j], (f"g{j}", 1), *old[j + 1 :]]
        assert _differing(old, new) == [j]
    assert _differing(old, [(x, 1) for x, _ in old]) == list(range(100))
    assert _differing(old, old) == []
    assert _differing(old, old[::-1]) == []  # reordered, each label the same


def test_digests_that_differ_in_their_first_or_last_character_differ() -> None:
    ids = [f"l{k}" for k in range(40)]
    old = [f"{k:032x}" for k in range(40)]
    at = {x: i for i, x in enumerate(ids)}
    for j in (0, 5, 31, 32, 39):
        for place in (0, 31):
            new = list(old)
            new[j] = new[j][:place] + ("f" if new[j][place] != "f" else "e") + new[j][place + 1 :]
            assert differing(Digests.of(old), at, Digests.of(new), ids) == [j]
