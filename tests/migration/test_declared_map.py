"""Crosswalk declarations in the migration map: narrowed labels, leaves that
became groups and reused ids, each acting once in the step it was declared in."""

from __future__ import annotations

from typing import Any

from taxops.changes import ChangeKind, diff
from taxops.migration import Action, Mode, backward_map, build_map, compose
from taxops.models.taxonomy import Taxonomy

from .conftest import make_taxonomy

V1 = make_taxonomy(
    "1.0.0",
    [
        {"id": "rd"},
        {"id": "retail"},
        {"id": "tablet"},
        {"id": "truck"},
        {"id": "misc"},
    ],
    kind="hierarchical",
)
V2 = make_taxonomy(
    "2.0.0",
    [
        {"id": "rd", "narrowed": [{"version": "2.0.0", "moved_to": ["rd_bio"]}]},
        {"id": "rd_bio"},
        {
            "id": "retail",
            "narrowed": [{"version": "2.0.0", "moved_to": ["online"], "items": "keep"}],
        },
        {"id": "online"},
        {
            "id": "tablet",
            "name": "E-reader",
            "reused": [{"version": "2.0.0", "replaced_by": ["slate"]}],
        },
        {"id": "slate"},
        {"id": "truck", "became_group": [{"version": "2.0.0"}]},
        {"id": "truck.light", "parent": "truck"},
        {"id": "truck.heavy", "parent": "truck"},
        {"id": "misc"},
    ],
    kind="hierarchical",
)


def _v3(changed: dict[str, dict[str, Any]], added: tuple[dict[str, Any], ...] = ()) -> Taxonomy:
    """Version 3.0.0: the labels of 2.0.0 without their 2.0.0 renames, the
    truck group kept, ``changed`` merged into the labels they name."""
    base = [
        {"id": "rd"},
        {"id": "rd_bio"},
        {"id": "retail"},
        {"id": "online"},
        {"id": "tablet"},
        {"id": "slate"},
        {"id": "truck", "became_group": [{"version": "2.0.0"}]},
        {"id": "truck.light", "parent": "truck"},
        {"id": "truck.heavy", "parent": "truck"},
        {"id": "misc"},
    ]
    labels = [{**label, **changed.get(label["id"], {})} for label in base]
    return make_taxonomy("3.0.0", [*labels, *added], kind="hierarchical")


def test_each_declaration_gives_its_entry() -> None:
    migration = build_map(diff(V1, V2))
    rd, retail, tablet, truck = (migration[x] for x in ("rd", "retail", "tablet", "truck"))
    # Narrowed, review: the label itself is a candidate.
    assert (rd.action, rd.mode, rd.targets) == (Action.NARROWED, Mode.REVIEW, ("rd", "rd_bio"))
    assert rd.narrowed_to == ("rd_bio",)
    # Narrowed, items stay: still named, and what took part of its meaning is listed.
    assert (retail.action, retail.mode, retail.targets) == (Action.NARROWED, Mode.KEEP, ("retail",))
    assert retail.narrowed_to == ("online",)
    # Reused: its old items never stay silently.
    assert (tablet.action, tablet.mode, tablet.targets) == (Action.REUSED, Mode.DIRECT, ("slate",))
    # A leaf that became a group: review among its children, by default.
    assert (truck.action, truck.mode, truck.targets) == (
        Action.BECAME_GROUP,
        Mode.REVIEW,
        ("truck.light", "truck.heavy"),
    )
    assert migration["misc"].mode is Mode.KEEP
    assert "truck" not in migration.valid_labels
    assert "truck.light" in migration.valid_labels


def test_declarations_persist_without_firing_again() -> None:
    """2.0.0 -> 2.1.0 keeps every declaration in the file: nothing moves."""
    v21 = V2.model_copy(update={"version": V2.version.bumped("minor")})
    changes = diff(V2, v21)
    assert not changes.of_kind(
        ChangeKind.LABEL_NARROWED, ChangeKind.LABEL_BECAME_GROUP, ChangeKind.LABEL_REUSED
    )
    migration = build_map(changes)
    assert {e.label: e.mode for e in migration if e.mode is not Mode.KEEP} == {
        # A group carries no items in 2.0.0; were one there, it goes to a child.
        "truck": Mode.REVIEW,
    }


def test_declarations_compose_across_releases() -> None:
    """Narrowed in 2.0.0, narrowed again in 3.0.0: from 1.0.0 the candidates
    are everything the label's items may now be; from 2.0.0 only the second."""
    narrowings = [
        {"version": "2.0.0", "moved_to": ["rd_bio"]},
        {"version": "3.0.0", "moved_to": ["rd_nano"]},
    ]
    v3 = _v3({"rd": {"narrowed": narrowings}}, ({"id": "rd_nano"},))
    step1, step2 = build_map(diff(V1, V2)), build_map(diff(V2, v3))
    assert step2["rd"].targets == ("rd", "rd_nano")
    assert step2["rd_bio"].mode is Mode.KEEP
    composed = compose([step1, step2])
    assert composed["rd"].action is Action.NARROWED
    assert composed["rd"].mode is Mode.REVIEW
    assert set(composed["rd"].targets) == {"rd", "rd_nano", "rd_bio"}
    # Comparing 1.0.0 with 3.0.0 directly applies both declarations the same way.
    direct = build_map(diff(V1, v3))
    assert set(direct["rd"].targets) == set(composed["rd"].targets)


def test_a_narrowing_undone_by_a_merge_is_direct_again() -> None:
    v3 = _v3(
        {
            "rd": {"narrowed": [{"version": "2.0.0", "moved_to": ["rd_bio"]}]},
            "rd_bio": {"status": "retired", "replaced_by": ["rd"]},
        }
    )
    composed = compose([build_map(diff(V1, V2)), build_map(diff(V2, v3))])
    assert composed["rd"].mode is Mode.KEEP


def test_a_replacement_into_a_group_follows_the_group_to_its_children() -> None:
    v3 = _v3(
        {
            "truck": {"became_group": [{"version": "2.0.0", "replaced_by": ["truck.heavy"]}]},
            "misc": {"status": "retired", "replaced_by": ["truck"]},
        }
    )
    entry = build_map(diff(V2, v3))["misc"]
    assert (entry.mode, entry.targets) == (Mode.DIRECT, ("truck.heavy",))


def test_unmapped_entries_list_suggestions_at_the_same_level_never_applied() -> None:
    """A removed sub-category is offered the added sub-category alike in name,
    definition and place, not the added group with the very same name."""
    old = make_taxonomy(
        "1.0.0",
        [
            {"id": "crops"},
            {
                "id": "crops.soy",
                "parent": "crops",
                "name": "Soybean Farming",
                "definition": "Growing soybeans and producing soybean seeds.",
            },
        ],
        kind="hierarchical",
    )
    new = make_taxonomy(
        "2.0.0",
        [
            {"id": "crops"},
            {"id": "soy", "name": "Soybean Farming", "definition": "Growing soybeans."},
            {
                "id": "crops.soybeans",
                "parent": "crops",
                "name": "Soybean farming",
                "definition": "Growing soybeans and producing soybean seed.",
            },
        ],
        kind="hierarchical",
    )
    entry = build_map(diff(old, new))["crops.soy"]
    assert (entry.action, entry.mode, entry.targets) == (Action.UNMAPPED, Mode.REVIEW, ())
    [suggested] = entry.suggestions
    assert suggested.label == "crops.soybeans"
    assert suggested.name == 1.0 and suggested.path == 1.0
    assert suggested.definition is not None and 0.9 < suggested.definition < 1.0
    assert suggested.score >= 0.9


def test_backward_derives_from_the_forward_declarations_and_obeys_backward_flags() -> None:
    old = make_taxonomy("1.0.0", [{"id": "a"}, {"id": "b"}, {"id": "c"}, {"id": "d"}])
    new = make_taxonomy(
        "2.0.0",
        [
            {"id": "a"},
            {"id": "b", "status": "retired", "replaced_by": ["a"]},
            {"id": "c", "status": "retired", "replaced_by": ["c1", "c2"]},
            {"id": "c1"},
            {
                "id": "c2",
                "backward": [{"version": "2.0.0", "replaced_by": ["c"], "replacement": "review"}],
            },
            {"id": "d", "status": "retired", "replaced_by": ["e"]},
            {"id": "e"},
            {"id": "f"},
        ],
    )
    back = backward_map(diff(old, new))
    assert (back.from_version, back.to_version) == ("2.0.0", "1.0.0")
    got = {e.label: (e.action, e.mode, e.targets) for e in back}
    assert got["a"] == (Action.SPLIT, Mode.REVIEW, ("a", "b"))  # a merge read backwards
    assert got["c1"] == (Action.MERGE, Mode.DIRECT, ("c",))  # a piece of a split
    assert got["c2"] == (Action.REVIEW, Mode.REVIEW, ("c",))  # the table says: not automatic
    assert got["e"] == (Action.RENAME, Mode.DIRECT, ("d",))
    assert got["f"] == (Action.UNMAPPED, Mode.REVIEW, ())  # new from nothing
    assert got["b"] == (Action.KEEP, Mode.KEEP, ("b",))  # a tombstone: itself in 1.0.0


def test_backward_steps_compose_newest_first() -> None:
    v1 = make_taxonomy("1.0.0", [{"id": "a"}, {"id": "b"}])
    v2 = make_taxonomy(
        "2.0.0",
        [{"id": "a"}, {"id": "b", "status": "retired", "replaced_by": ["ab"]}, {"id": "ab"}],
    )
    v3 = make_taxonomy(
        "3.0.0",
        [
            {"id": "a", "status": "retired", "replaced_by": ["ab"]},
            {"id": "b", "status": "retired", "replaced_by": ["ab"]},
            {"id": "ab"},
        ],
    )
    back = compose([backward_map(diff(v2, v3)), backward_map(diff(v1, v2))])
    assert (back.from_version, back.to_version) == ("3.0.0", "1.0.0")
    assert (back["ab"].mode, set(back["ab"].targets)) == (Mode.REVIEW, {"a", "b"})


def test_impact_counts_items_kept_on_a_narrowed_label_apart() -> None:
    from taxops.migration.impact import impact, impact_text

    result = impact(build_map(diff(V1, V2)), {"retail": 5, "rd": 3, "misc": 2})
    assert result["items_kept_on_narrowed_labels"] == 5
    assert result["items_needing_review"] == 3
    assert result["items_unchanged"] == 7
    retail = next(c for c in result["changes"] if c["label"] == "retail")
    assert (retail["mode"], retail["narrowed_to"]) == ("keep", ["online"])
    assert "retail stays (part moved to online)" in impact_text(result)


def test_backward_never_sends_a_reused_ids_new_meaning_to_its_old_one() -> None:
    """An id reused in 2.0.0 for a meaning new from nothing: its items, read
    back, are not the old meaning's (unmapped, to review); one the new meaning
    comes from is the way back."""
    back = {e.label: (e.action, e.mode, e.targets) for e in backward_map(diff(V1, V2))}
    assert back["tablet"] == (Action.UNMAPPED, Mode.REVIEW, ())
    assert back["slate"] == (Action.RENAME, Mode.DIRECT, ("tablet",))


def test_backward_never_offers_a_label_retired_in_the_older_version() -> None:
    """A tombstone kept in both versions leads forward to its replacement, but
    items never go back to it: the replacement goes back to itself."""
    old = make_taxonomy(
        "2023.0.0",
        [{"id": "grp-old", "status": "retired", "replaced_by": ["grp"]}, {"id": "grp"}],
    )
    new = make_taxonomy(
        "2024.0.0",
        [{"id": "grp-old", "status": "retired", "replaced_by": ["grp"]}, {"id": "grp"}],
    )
    back = {e.label: (e.action, e.mode, e.targets) for e in backward_map(diff(old, new))}
    assert back["grp"] == (Action.KEEP, Mode.KEEP, ("grp",))
    # The tombstone's own entry follows the older version's tombstone.
    assert back["grp-old"][1:] == (Mode.DIRECT, ("grp",))


def test_composing_keeps_what_a_step_says_beside_its_targets() -> None:
    """A narrowing whose items stay keeps its step and the labels that took part
    of it (carried on through a later rename), and an unmapped label keeps its
    suggestions: composing one step or several changes none of that."""
    single = compose([build_map(diff(V1, V2))])
    assert single["retail"].narrowed_to == ("online",)
    assert [s.action for s in single["retail"].via] == [Action.NARROWED]
    v3 = _v3({"online": {"status": "retired", "replaced_by": ["web"]}}, ({"id": "web"},))
    composed = compose([build_map(diff(V1, V2)), build_map(diff(V2, v3))])
    assert composed["retail"].narrowed_to == ("web",)
    from taxops.migration.clusters import clusters

    assert any({"retail"} <= set(c.old) and "web" in c.new for c in clusters(composed))
    old = make_taxonomy("1.0.0", [{"id": "a", "name": "Soybean farming"}, {"id": "b"}])
    new = make_taxonomy("2.0.0", [{"id": "a2", "name": "Soybean farming"}, {"id": "b"}])
    newer = make_taxonomy(
        "3.0.0",
        [
            {"id": "a2", "name": "Soybean farming", "status": "retired", "replaced_by": ["a3"]},
            {"id": "a3", "name": "Soybeans"},
            {"id": "b"},
        ],
    )
    [suggested] = compose([build_map(diff(old, new))])["a"].suggestions
    assert suggested.label == "a2"
    [carried] = compose([build_map(diff(old, new)), build_map(diff(new, newer))])["a"].suggestions
    assert (carried.label, carried.score) == ("a3", suggested.score)
