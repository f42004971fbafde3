"""Composition: one map across several releases equals migrating release by release."""

from __future__ import annotations

import importlib
import itertools
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from taxops.changes import diff
from taxops.migration import Action, Entry, MigrationMap, Mode, build_map, compose
from taxops.models.taxonomy import Taxonomy

from .conftest import make_taxonomy


def _maps(*versions: Taxonomy) -> list[MigrationMap]:
    return [build_map(diff(a, b)) for a, b in itertools.pairwise(versions)]


V1 = make_taxonomy("1.0.0", [{"id": "a"}, {"id": "b"}, {"id": "t"}])


def test_direct_then_review_is_review() -> None:
    v2 = make_taxonomy(
        "2.0.0", [{"id": "a", "status": "retired", "replaced_by": ["b"]}, {"id": "b"}, {"id": "t"}]
    )
    v3 = make_taxonomy(
        "3.0.0",
        [
            {"id": "a", "status": "retired", "replaced_by": ["b"]},
            {"id": "b", "status": "retired", "replaced_by": ["b1", "b2"]},
            {"id": "b1"},
            {"id": "b2"},
            {"id": "t"},
        ],
    )
    entry = compose(_maps(V1, v2, v3))["a"]
    assert (entry.mode, entry.targets, entry.action) == (Mode.REVIEW, ("b1", "b2"), Action.SPLIT)
    assert [(s.to_version, s.action) for s in entry.via] == [
        ("2.0.0", Action.MERGE),
        ("3.0.0", Action.SPLIT),
    ]


#: 2.0.0 splits t into t1 and t2; the next two tests say what 3.0.0 does with them.
V2_SPLIT = make_taxonomy(
    "2.0.0",
    [
        {"id": "a"},
        {"id": "b"},
        {"id": "t", "status": "retired", "replaced_by": ["t1", "t2"]},
        {"id": "t1"},
        {"id": "t2"},
    ],
)


def test_split_then_merge_of_all_parts_is_direct_again() -> None:
    v3 = make_taxonomy(
        "3.0.0",
        [
            {"id": "a"},
            {"id": "b"},
            {"id": "t", "status": "retired", "replaced_by": ["t1", "t2"]},
            {"id": "t1", "status": "retired", "replaced_by": ["truck"]},
            {"id": "t2", "status": "retired", "replaced_by": ["truck"]},
            {"id": "truck"},
        ],
    )
    entry = compose(_maps(V1, V2_SPLIT, v3))["t"]
    assert (entry.mode, entry.targets, entry.action) == (Mode.DIRECT, ("truck",), Action.REPLACE)


def test_candidates_are_carried_through_later_renames() -> None:
    v3 = make_taxonomy(
        "3.0.0",
        [
            {"id": "a"},
            {"id": "b"},
            {"id": "t", "status": "retired", "replaced_by": ["t1", "t2"]},
            {"id": "t1", "status": "retired", "replaced_by": ["light"]},
            {"id": "light"},
            {"id": "t2"},
        ],
    )
    entry = compose(_maps(V1, V2_SPLIT, v3))["t"]
    assert (entry.mode, entry.targets) == (Mode.REVIEW, ("light", "t2"))


def test_keep_through_every_step_records_end_to_end_rename() -> None:
    v2 = make_taxonomy("2.0.0", [{"id": "a", "name": "Alpha"}, {"id": "b"}, {"id": "t"}])
    v3 = make_taxonomy("3.0.0", [{"id": "a", "name": "Alpha one"}, {"id": "b"}, {"id": "t"}])
    entry = compose(_maps(V1, v2, v3))["a"]
    assert entry.action is Action.KEEP and entry.renamed == ("A", "Alpha one") and entry.via == ()


# --- property: composing step maps == migrating step by step --------------------

ANY = "<any label>"


def _history(draw: Any, steps: int) -> list[Taxonomy]:
    """A random release history of a small hierarchical single-label taxonomy:
    merges, id changes, splits, reviews, parent fallbacks, deprecations,
    removals and additions, tombstones kept once retired."""
    roots = ["r0", "r1"]
    labels: dict[str, dict[str, Any]] = {r: {"id": r} for r in roots}
    for i in range(draw(st.integers(2, 6))):
        labels[f"x{i}"] = {"id": f"x{i}", "parent": draw(st.sampled_from(roots))}
    versions = [make_taxonomy("1.0.0", list(labels.values()), "hierarchical")]
    fresh = iter(f"n{i}" for i in range(1000))
    for step in range(steps):
        labels = {k: dict(v) for k, v in labels.items()}
        active = [k for k, v in labels.items() if v.get("status") is None and k not in roots]
        for label_id in active:
            op = draw(
                st.sampled_from(
                    [
                        "keep",
                        "keep",
                        "merge",
                        "rename",
                        "split",
                        "review",
                        "review1",
                        "parent",
                        "deprecate",
                        "remove",
                    ]
                )
            )
            others = [k for k, v in labels.items() if v.get("status") is None and k != label_id]
            lbl = labels[label_id]
            if op == "merge" and others:
                lbl.update(status="retired", replaced_by=[draw(st.sampled_from(others))])
            elif op == "rename":
                new = next(fresh)
                labels[new] = {"id": new, "parent": lbl["parent"]}
                lbl.update(status="retired", replaced_by=[new])
            elif op == "split":
                parts = [next(fresh), next(fresh)]
                for p in parts:
                    labels[p] = {"id": p, "parent": lbl["parent"]}
                lbl.update(status="retired", replaced_by=parts)
            elif op == "review":
                lbl.update(status="retired", replacement="review")
            elif op == "review1" and others:
                lbl.update(
                    status="retired",
                    replacement="review",
                    replaced_by=[draw(st.sampled_from(others))],
                )
            elif op == "parent":
                lbl.update(status="retired", replacement="parent")
            elif op == "deprecate" and others:
                lbl.update(status="deprecated", replaced_by=[draw(st.sampled_from(others))])
            elif op == "remove":
                del labels[label_id]
        versions.append(make_taxonomy(f"{step + 2}.0.0", list(labels.values()), "hierarchical"))
    return versions


def _meaning(mode: Mode, label: str, targets: tuple[str, ...]) -> frozenset[Any]:
    """The final labelings an entry allows: one world, or one per candidate."""
    if mode is Mode.KEEP:
        return frozenset({frozenset({label})})
    if mode is Mode.DIRECT:
        return frozenset({frozenset(targets)})
    return frozenset({ANY}) if not targets else frozenset(frozenset({c}) for c in targets)


def _step_by_step(label: str, maps: list[MigrationMap]) -> frozenset[Any]:
    worlds: frozenset[Any] = frozenset({frozenset({label})})
    for m in maps:
        if ANY in worlds:
            return frozenset({ANY})
        nxt: set[Any] = set()
        for world in worlds:
            (current,) = world
            entry = m[current]
            nxt |= _meaning(entry.mode, current, entry.targets)
        worlds = frozenset({ANY}) if ANY in nxt else frozenset(nxt)
    return worlds


@settings(max_examples=150, deadline=None)
@given(st.data(), st.integers(1, 4))
def test_composing_step_maps_equals_migrating_step_by_step(data: Any, steps: int) -> None:
    versions = _history(data.draw, steps)
    maps = _maps(*versions)
    composed = compose(maps)
    assert composed.labels == maps[0].labels  # total: one entry per label of the first version
    for entry in composed:
        assert _meaning(entry.mode, entry.label, entry.targets) == _step_by_step(entry.label, maps)
        if entry.mode is not Mode.REVIEW:
            assert set(entry.targets) <= set(composed.valid_labels)


COMPOSE = importlib.import_module("taxops.migration.compose")  # the module, not the function


def _walked(first: Entry, maps: list[MigrationMap], deprecated: set[str]) -> Entry:
    """The entry the long way gives (the short way turned off)."""
    saved = COMPOSE._kept_throughout
    COMPOSE._kept_throughout = lambda *_: None
    try:
        return COMPOSE._follow(first, maps, deprecated)  # type: ignore[no-any-return]
    finally:
        COMPOSE._kept_throughout = saved


@settings(max_examples=100, deadline=None)
@given(st.data(), st.integers(1, 4))
def test_labels_kept_throughout_take_the_short_way_to_the_same_entry(data: Any, steps: int) -> None:
    """Most labels are kept by every step, and compose builds their entries
    without walking them: each such entry is exactly the one the walk gives
    (renames, moves, notes and deprecation included)."""
    maps = _maps(*_history(data.draw, steps))
    deprecated = set(maps[-1].deprecated_labels)
    for first in maps[0]:
        quick = COMPOSE._kept_throughout(first, maps, deprecated)
        if quick is not None:
            assert quick == _walked(first, maps, deprecated)


def test_the_short_way_is_taken_for_a_kept_label_with_a_history() -> None:
    v2 = make_taxonomy("2.0.0", [{"id": "a", "name": "Ay"}, {"id": "b"}, {"id": "t"}])
    v3 = make_taxonomy(
        "3.0.0",
        [{"id": "a", "name": "Ay", "status": "deprecated", "replaced_by": ["b"]}, {"id": "b"},
         {"id": "t"}],
    )  # fmt: skip
    maps = _maps(V1, v2, v3)
    deprecated = set(maps[-1].deprecated_labels)
    quick = COMPOSE._kept_throughout(maps[0]["a"], maps, deprecated)
    assert quick is not None and quick == _walked(maps[0]["a"], maps, deprecated)
    assert (quick.renamed, quick.deprecated) == (("A", "Ay"), True)
    assert compose(maps)["a"] == quick


def test_a_single_step_composes_as_if_a_step_that_keeps_everything_followed() -> None:
    """One map alone takes a short way (its kept entries are used as they are):
    it must give what composing it with a step that changes nothing gives,
    also for entries no built map has (a map read from a file) - a deprecated
    flag the version does not back, a name that came back, hints on a kept
    label."""
    entries = (
        Entry("plain", Action.KEEP, Mode.KEEP, ("plain",)),
        Entry("flagged", Action.KEEP, Mode.KEEP, ("flagged",), deprecated=True),
        Entry("unflagged", Action.KEEP, Mode.KEEP, ("unflagged",)),
        Entry("back", Action.KEEP, Mode.KEEP, ("back",), renamed=("Back", "Back")),
        Entry("moved", Action.KEEP, Mode.KEEP, ("moved",), moved=("p", "p")),
        Entry("renamed", Action.KEEP, Mode.KEEP, ("renamed",), renamed=("Old", "New")),
        Entry("hinted", Action.KEEP, Mode.KEEP, ("hinted",), hints=("read rule 3",)),
        Entry("gone", Action.RENAME, Mode.DIRECT, ("plain",)),
    )
    labels = ("plain", "flagged", "unflagged", "back", "moved", "renamed", "hinted")
    one = MigrationMap(
        "t", "1.0.0", "2.0.0", "single-label", entries, labels, deprecated_labels=("unflagged",)
    )
    nothing = MigrationMap(
        "t",
        "2.0.0",
        "2.0.0",
        "single-label",
        tuple(Entry(x, Action.KEEP, Mode.KEEP, (x,)) for x in labels),
        labels,
        deprecated_labels=("unflagged",),
    )
    assert compose([one]).entries == compose([one, nothing]).entries
