"""Where a label stands in its tree, for suggested replacements
(:class:`taxops.changes.similarity.Places`), read from the id and parent
columns: the same paths and depths as walking the labels themselves, on random
forests with repeated ids, unknown parents and loops; and a depth reads no
label of a cached release."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from taxops.changes.similarity import Places
from taxops.models.taxonomy import Label, Taxonomy
from taxops.names import normalise_name

IDS = [f"l{i}" for i in range(8)]


def _walked(labels: list[Label], label_id: str) -> tuple[str, ...]:
    """The path as the labels tell it, label by label (first occurrence of an id wins)."""
    by_id: dict[str, Label] = {}
    for label in labels:
        by_id.setdefault(label.id, label)
    names: list[str] = []
    seen = {label_id}
    parent = by_id[label_id].parent if label_id in by_id else None
    while parent is not None and parent in by_id and parent not in seen:
        seen.add(parent)
        names.append(normalise_name(by_id[parent].name))
        parent = by_id[parent].parent
    return tuple(reversed(names))


@given(
    st.lists(
        st.tuples(st.sampled_from(IDS), st.none() | st.sampled_from([*IDS, "unknown"])),
        min_size=1,
        max_size=12,
    )
)
def test_paths_and_depths_are_those_of_the_labels(rows: list[tuple[str, str | None]]) -> None:
    labels = [
        Label.model_construct(id=label_id, name=f"Name {i} {label_id}", parent=parent)
        for i, (label_id, parent) in enumerate(rows)
    ]
    taxonomy = Taxonomy.model_construct(labels=labels)
    for label_id in [*IDS, "unknown"]:
        expected = _walked(labels, label_id)
        fresh = Places(taxonomy)
        assert fresh.depth(label_id) == len(expected)  # before any path
        places = Places(taxonomy)
        assert places.path(label_id) == expected
        assert places.depth(label_id) == len(expected)
