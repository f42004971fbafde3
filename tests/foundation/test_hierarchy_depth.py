"""The depth check's quick answer (``_may_be_deeper_than``) never says "not
deeper" for a hierarchy that is: chains of every length around the limits,
forests, and loops (which count as deeper, so the exact count sees them); and
the one pass over a file whose parents come first finds what the walk finds."""

from __future__ import annotations

import random

import pytest
from taxops.checks import taxonomy as taxonomy_checks
from taxops.checks.taxonomy import _may_be_deeper_than, hierarchy_depth
from taxops.loading import YamlDocument, parse_yaml
from taxops.models.taxonomy import Taxonomy


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


def _taxonomy(parents: list[str | None], ids: list[str]) -> tuple[Taxonomy, YamlDocument]:
    lines = ["taxops: taxonomy/1", "id: t", "title: T", "version: 1.0.0", "kind: hierarchical"]
    lines += ["owners: [a@example.org]", "labels:"]
    for label_id, parent in zip(ids, parents, strict=True):
        lines.append(f"  - id: {label_id}")
        lines.append(f"    name: Name of {label_id}")
        if parent is not None:
            lines.append(f"    parent: {parent}")
    doc, problems = parse_yaml("\n".join(lines) + "\n", "t.yaml")
    assert doc is not None, problems
    return Taxonomy.model_validate(doc.data), doc


def _forest(rng: random.Random) -> tuple[list[str | None], list[str]]:
    """Chains of 1 to 36 labels, some labels with unknown parents, in file order
    or shuffled, sometimes an id written twice."""
    ids: list[str] = []
    parents: list[str | None] = []
    for c in range(rng.randint(1, 4)):
        for i in range(rng.choice([1, 5, 31, 32, 33, 34, 36])):
            ids.append(f"c{c}-{i}")
            parents.append(f"c{c}-{i - 1}" if i else rng.choice([None, "nowhere"]))
    order = list(range(len(ids)))
    if rng.random() < 0.4:
        rng.shuffle(order)
    ids, parents = [ids[k] for k in order], [parents[k] for k in order]
    if rng.random() < 0.2:
        k = rng.randrange(len(ids))
        ids.append(ids[k])
        parents.append(rng.choice(ids))
    return parents, ids


def test_the_one_pass_in_file_order_finds_what_the_walk_finds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """When every parent comes before its children, depths are counted in one
    pass; the finding (label, depth, line) is the one the general walk makes."""
    rng = random.Random(7)
    found = 0
    for _ in range(60):
        tax, doc = _taxonomy(*_forest(rng))
        fast = list(hierarchy_depth(tax, doc))
        with monkeypatch.context() as m:
            m.setattr(taxonomy_checks, "_depths_in_file_order", lambda *_: None)
            walked = list(hierarchy_depth(tax, doc))
        assert fast == walked
        found += len(fast)
    assert found > 10
