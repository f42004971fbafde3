"""The migration report decides most values without building their fates: a
value that is an old label's id exactly, kept as it is, is counted straight
from the map (:func:`taxops.migration.values.kept_as_is`). These tests hold
that shortcut to the long way: whatever fates the engine hands over (none,
some, all), the report is the same, and ``per_label`` lists exactly the labels
whose items change or whose values were repaired."""

from __future__ import annotations

import random
from typing import Any

import pytest
from taxops.migration.model import Action, Entry, MigrationMap, Mode
from taxops.migration.values import (
    Disposition,
    Tally,
    build_report,
    classify,
    kept_as_is,
    sort_out,
)

#: (action, mode) of an entry, and whether its one target is the label itself.
SHAPES = [
    (Action.KEEP, Mode.KEEP, True),
    (Action.NARROWED, Mode.KEEP, True),
    (Action.NARROWED, Mode.KEEP, False),  # no map writes this; the report must not care
    (Action.NARROWED, Mode.REVIEW, True),
    (Action.RENAME, Mode.DIRECT, False),
    (Action.MERGE, Mode.DIRECT, False),
    (Action.SPLIT, Mode.REVIEW, False),
    (Action.REVIEW, Mode.REVIEW, False),
    (Action.BECAME_GROUP, Mode.DIRECT, False),
]


def random_map(rng: random.Random) -> MigrationMap:
    labels = rng.sample(
        ["a", "b", "c", "A", "B", "ab", "Ab", "x.y", "x y", "é", "É", "1", "\u00a0"], 8
    )
    entries = []
    for label in labels:
        action, mode, itself = rng.choice(SHAPES)
        if itself:
            targets: tuple[str, ...] = (label,)
        else:
            targets = tuple(rng.sample(["n1", "n2", "b", label], rng.randint(0, 2)))
        entries.append(Entry(label, action, mode, targets))
    return MigrationMap(
        "t", "1", "2", "single-label", tuple(entries),
        id_case=rng.choice(["sensitive", "insensitive"]),
    )  # fmt: skip


def random_values(rng: random.Random, migration: MigrationMap) -> dict[str | None, int]:
    ids = [e.label for e in migration]
    pool: list[str | None] = [
        *ids, *(f" {i}" for i in ids), *(i.upper() for i in ids), *(i.lower() for i in ids),
        None, "", "  ", "\u00a0", "zz", "n1",
    ]  # fmt: skip
    return {v: rng.randint(1, 9) for v in rng.sample(pool, rng.randint(0, len(pool)))}


def report(
    migration: MigrationMap,
    values: dict[str | None, int],
    given: Any,
    kept: list[str] | None = None,
) -> dict[str, Any]:
    tally = Tally(rows_in=sum(values.values()), rows_migrated=sum(values.values()))
    tally.values = dict(values)
    tally.fates = {v: classify(v, migration) for v in given}
    tally.kept = list(kept or [])
    return build_report(migration, tally, dataset="d", multi_label=False)


@pytest.mark.parametrize("seed", range(300))
def test_the_report_is_the_same_whichever_fates_the_engine_decided(seed: int) -> None:
    rng = random.Random(seed)
    migration = random_map(rng)
    values = random_values(rng, migration)
    every = report(migration, values, values)
    assert report(migration, values, []) == every
    some = [v for v in values if rng.random() < 0.5]
    assert report(migration, values, some) == every
    # What the DuckDB engine hands over: the fates of all but the kept values,
    # and those values, which the report counts without looking at them again.
    kept, fates = sort_out([v for v in values if v is not None], migration)
    assert report(migration, values, [f.raw for f in fates]) == every
    assert report(migration, values, [f.raw for f in fates], kept) == every
    assert set(kept) | {f.raw for f in fates} == {v for v in values if v is not None}
    assert not set(kept) & {f.raw for f in fates}
    for value in kept:  # nothing more to say than the count: not even narrowed
        assert migration[value].action is Action.KEEP


@pytest.mark.parametrize("seed", range(300))
def test_per_label_lists_the_labels_whose_items_change_or_were_repaired(seed: int) -> None:
    rng = random.Random(seed)
    migration = random_map(rng)
    values = random_values(rng, migration)
    got = report(migration, values, [])
    found: dict[str, int] = {}
    repaired: dict[str, int] = {}
    for value, n in values.items():
        fate = classify(value, migration)
        if fate.label is not None:
            found[fate.label] = found.get(fate.label, 0) + n
            if fate.repaired:
                repaired[fate.label] = repaired.get(fate.label, 0) + n
    want = {
        e.label: {
            "count": found[e.label],
            "action": e.action.value,
            "mode": e.mode.value,
            "targets": list(e.targets),
            "normalised": repaired.get(e.label, 0),
        }
        for e in migration
        if e.label in found
        and (e.action is not Action.KEEP or e.mode is not Mode.KEEP or e.label in repaired)
    }
    assert got["per_label"] == want
    assert list(got["per_label"]) == list(want)  # in the map's order
    assert got["before"] == dict(sorted(found.items(), key=lambda kv: (-kv[1], kv[0])))
    labeled = sum(n for v, n in values.items() if classify(v, migration).label is not None)
    assert sum(got["by_action"].values()) == labeled


def test_kept_as_is_is_exactly_the_values_classify_keeps_unchanged() -> None:
    rng = random.Random(7)
    for _ in range(300):
        migration = random_map(rng)
        for value in random_values(rng, migration):
            fate = classify(value, migration)
            unchanged = fate.disposition is Disposition.KEEP and fate.targets == (value,)
            assert (kept_as_is(value, migration) is not None) == unchanged, value
