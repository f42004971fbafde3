"""Clusters of a migration map, against a plain union of every correspondence
(the definition): random maps over a few labels, so labels meet often."""

from __future__ import annotations

import random

import pytest
from taxops.migration import clusters
from taxops.migration.model import Action, Entry, MigrationMap, Mode


def _joined(migration: MigrationMap) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """Every old label joined with every label it goes to or narrowed into;
    the components with more than one label on a side, largest first, each
    side in order of appearance."""
    component: dict[tuple[str, str], set[tuple[str, str]]] = {}
    for entry in migration:
        for target in (*entry.targets, *entry.narrowed_to):
            a = component.setdefault(("old", entry.label), {("old", entry.label)})
            b = component.setdefault(("new", target), {("new", target)})
            if a is not b:
                a |= b
                for node in b:
                    component[node] = a
    seen: list[int] = []
    sides: dict[int, tuple[dict[str, None], dict[str, None]]] = {}
    for entry in migration:
        for target in (*entry.targets, *entry.narrowed_to):
            key = id(component[("old", entry.label)])
            if key not in sides:
                seen.append(key)
                sides[key] = ({}, {})
            sides[key][0][entry.label] = None
            sides[key][1][target] = None
    found = [(tuple(sides[k][0]), tuple(sides[k][1])) for k in seen]
    found = [(o, n) for o, n in found if len(o) > 1 or len(n) > 1]
    return sorted(found, key=lambda c: -(len(c[0]) + len(c[1])))


def _random_map(rng: random.Random) -> MigrationMap:
    names = [f"l{i}" for i in range(rng.randint(1, 30))]
    entries = []
    for label in names:
        targets = tuple(rng.choice(names) for _ in range(rng.choice([0, 1, 1, 1, 2, 3])))
        narrowed = tuple(rng.choice(names) for _ in range(rng.choice([0, 0, 0, 1, 2])))
        entries.append(Entry(label, Action.KEEP, Mode.KEEP, targets, narrowed_to=narrowed))
    return MigrationMap("t", "1.0.0", "2.0.0", "single-label", tuple(entries))


@pytest.mark.parametrize("seed", range(200))
def test_clusters_are_the_components_of_every_correspondence(seed: int) -> None:
    migration = _random_map(random.Random(seed))
    assert [(c.old, c.new) for c in clusters(migration)] == _joined(migration)


def test_a_large_map_of_pairs_has_its_few_clusters() -> None:
    """90,000 labels kept as they are, one merged into the next and one split
    into the next and a new one: two clusters, each with the label kept."""
    entries = [Entry(f"a{i}", Action.KEEP, Mode.KEEP, (f"a{i}",)) for i in range(90_000)]
    entries[10] = Entry("a10", Action.MERGE, Mode.DIRECT, ("a11",))
    entries[500] = Entry("a500", Action.SPLIT, Mode.REVIEW, ("a501", "x"))
    migration = MigrationMap("t", "1.0.0", "2.0.0", "single-label", tuple(entries))
    assert [(c.shape, c.old, c.new) for c in clusters(migration)] == [
        ("n:n", ("a500", "a501"), ("a501", "x")),
        ("n:1", ("a10", "a11"), ("a11",)),
    ]
