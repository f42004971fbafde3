"""The migration map: one entry per old label, each action from its change."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from taxops.changes import diff
from taxops.history import migration_map
from taxops.loading import parse_yaml
from taxops.migration import Action, DecisionHint, Mode, build_map, map_findings
from taxops.migration.formats import (
    map_from_dict,
    map_to_csv,
    map_to_dict,
    map_to_json,
    map_to_yaml,
)

from .conftest import make_taxonomy

ROOT = Path(__file__).resolve().parents[2]

OLD = make_taxonomy(
    "1.0.0",
    [
        {"id": "animal"},
        {"id": "animal.cat", "parent": "animal"},
        {"id": "animal.dog", "parent": "animal"},
        {"id": "car"},
        {"id": "van"},
        {"id": "truck"},
        {"id": "bike"},
        {"id": "other"},
        {"id": "sign"},
        {"id": "cone"},
        {"id": "old_tomb", "status": "retired", "replaced_by": ["car"]},
        {"id": "scooter"},
    ],
    kind="hierarchical",
)
NEW = make_taxonomy(
    "2.0.0",
    [
        {"id": "animal"},
        {"id": "animal.cat", "parent": "animal", "status": "retired", "replacement": "parent"},
        {"id": "animal.dog", "parent": "animal", "name": "Dog (any breed)"},
        {"id": "car"},
        {"id": "van", "status": "retired", "replaced_by": ["car"]},
        {"id": "truck", "status": "retired", "replaced_by": ["truck.light", "truck.heavy"]},
        {"id": "truck.light"},
        {"id": "truck.heavy"},
        {"id": "bike", "status": "retired", "replaced_by": ["bicycle"]},
        {"id": "bicycle"},
        {"id": "other", "status": "retired", "replacement": "review"},
        {"id": "street"},
        {"id": "sign", "parent": "street"},
        {"id": "cone", "status": "deprecated", "replaced_by": ["sign"]},
        {"id": "old_tomb", "status": "retired", "replaced_by": ["car"]},
    ],
    kind="hierarchical",
)


@pytest.fixture(scope="module")
def entries():  # type: ignore[no-untyped-def]
    return {e.label: e for e in build_map(diff(OLD, NEW))}


def test_every_old_label_has_exactly_one_entry(entries) -> None:  # type: ignore[no-untyped-def]
    migration = build_map(diff(OLD, NEW))
    assert [e.label for e in migration] == [label.id for label in OLD.labels]


@pytest.mark.parametrize(
    ("label", "action", "mode", "targets"),
    [
        ("animal", Action.KEEP, Mode.KEEP, ("animal",)),
        ("animal.cat", Action.PARENT, Mode.DIRECT, ("animal",)),
        ("car", Action.KEEP, Mode.KEEP, ("car",)),
        ("van", Action.MERGE, Mode.DIRECT, ("car",)),
        ("truck", Action.SPLIT, Mode.REVIEW, ("truck.light", "truck.heavy")),
        ("bike", Action.RENAME, Mode.DIRECT, ("bicycle",)),
        ("other", Action.REVIEW, Mode.REVIEW, ()),
        ("cone", Action.KEEP, Mode.KEEP, ("cone",)),
        ("old_tomb", Action.REPLACE, Mode.DIRECT, ("car",)),
        ("scooter", Action.UNMAPPED, Mode.REVIEW, ()),
    ],
)
def test_each_action(entries, label, action, mode, targets) -> None:  # type: ignore[no-untyped-def]
    entry = entries[label]
    assert (entry.action, entry.mode, entry.targets) == (action, mode, targets)


def test_cosmetic_changes_are_recorded_without_relabel(entries) -> None:  # type: ignore[no-untyped-def]
    assert entries["animal.dog"].renamed == ("ANIMAL.DOG", "Dog (any breed)")
    assert entries["animal.dog"].mode is Mode.KEEP and not entries["animal.dog"].relabels
    assert entries["sign"].moved == (None, "street")
    assert entries["cone"].deprecated and not entries["car"].deprecated


def test_tombstone_chains_resolve_to_valid_labels() -> None:
    old = make_taxonomy("1.0.0", [{"id": "a"}, {"id": "b"}, {"id": "c"}])
    new = make_taxonomy(
        "2.0.0",
        [
            {"id": "a", "status": "retired", "replaced_by": ["b"]},
            {"id": "b", "status": "retired", "replaced_by": ["c", "d"]},
            {"id": "c"},
            {"id": "d"},
        ],
    )
    entries = {e.label: e for e in build_map(diff(old, new))}
    # a -> b is direct, b is split: the item needs a human, choosing c or d.
    assert (entries["a"].mode, entries["a"].targets) == (Mode.REVIEW, ("c", "d"))
    assert entries["a"].action is Action.SPLIT


def test_hints_attach_to_review_entries_whose_candidates_they_decide() -> None:
    hints = [
        DecisionHint(("truck.light", "truck.heavy"), "over 3.5 t is heavy"),
        DecisionHint(("car", "van"), "unrelated"),
    ]
    entries = {e.label: e for e in build_map(diff(OLD, NEW), hints)}
    assert entries["truck"].hints == ("over 3.5 t is heavy",)
    assert entries["van"].hints == ()  # direct: nobody to read it


def test_unmapped_label_is_an_error_located_in_both_files() -> None:
    old_doc, _ = parse_yaml(
        "labels:\n  - id: animal\n  - id: scooter\n    parent: animal\n", "old.yaml"
    )
    new_doc, _ = parse_yaml("labels:\n  - id: animal\n", "new.yaml")
    old = make_taxonomy(
        "1.0.0", [{"id": "animal"}, {"id": "scooter", "parent": "animal"}], "hierarchical"
    )
    new = make_taxonomy("2.0.0", [{"id": "animal"}], "hierarchical")
    [finding] = map_findings(diff(old, new), old_doc, new_doc)
    assert finding.rule == "migration-unmapped-label"
    assert "scooter" in finding.message and finding.severity.value == "error"
    assert (finding.previous.line, finding.location.line) == (3, 2)  # type: ignore[union-attr]


def test_complete_map_has_no_findings() -> None:
    old = make_taxonomy("1.0.0", [{"id": "a"}, {"id": "b"}])
    new = make_taxonomy(
        "2.0.0", [{"id": "a"}, {"id": "b", "status": "retired", "replaced_by": ["a"]}]
    )
    assert map_findings(diff(old, new)) == []


def test_formats_agree_and_round_trip() -> None:
    migration = build_map(diff(OLD, NEW))
    data = map_to_dict(migration)
    assert json.loads(map_to_json(migration)) == data
    assert json.loads(json.dumps(YAML(typ="safe").load(map_to_yaml(migration)))) == data
    assert map_from_dict(data) == migration
    rows = map_to_csv(migration).splitlines()
    assert rows[0].startswith("label,action,mode,targets")
    assert len(rows) == 1 + len(OLD.labels)
    assert "truck,split,review,truck.light|truck.heavy" in map_to_csv(migration)


@pytest.mark.parametrize("taxonomy_id", ["support-intents", "driving-objects"])
def test_example_taxonomies_migrate_completely(taxonomy_id: str) -> None:
    migration = migration_map(ROOT, taxonomy_id, "1.0.0")
    assert migration.summary()["unmapped"] == 0
    for entry in migration:
        assert set(entry.targets) <= set(migration.valid_labels)


def test_hints_come_from_the_guidelines_decision_rules() -> None:
    from taxops.history import guideline_hints

    hints = guideline_hints(ROOT, "support-intents")
    where = next(h for h in hints if "orders.delivery_delay" in h.labels)
    assert where.text.startswith(
        "Where is my order, late, or marked delivered? if the tracking says"
    )
    old = make_taxonomy(
        "1.0.0",
        [{"id": "orders.late"}, {"id": "orders.delivery_delay"}, {"id": "orders.order_status"}],
    )
    new = make_taxonomy(
        "2.0.0",
        [
            {
                "id": "orders.late",
                "status": "retired",
                "replaced_by": ["orders.delivery_delay", "orders.order_status"],
            },
            {"id": "orders.delivery_delay"},
            {"id": "orders.order_status"},
        ],
    )
    assert build_map(diff(old, new), hints)["orders.late"].hints == (where.text,)


def test_default_target_is_the_newest_release_not_a_draft(tmp_path: Path) -> None:
    import shutil

    from taxops.history import chain

    repo = tmp_path / "repo"
    shutil.copytree(
        ROOT / "taxonomies" / "support-intents", repo / "taxonomies" / "support-intents"
    )
    working = repo / "taxonomies" / "support-intents" / "taxonomy.yaml"
    working.write_text(working.read_text().replace("version: 2.0.0", "version: 2.1.0"))
    assert str(chain(repo, "support-intents", "1.0.0")[-1].version) == "2.0.0"
    assert str(chain(repo, "support-intents", "1.0.0", "2.1.0")[-1].version) == "2.1.0"


def test_a_broken_release_is_named(tmp_path: Path) -> None:
    import shutil

    from taxops.diagnostics import TaxopsError

    repo = tmp_path / "repo"
    shutil.copytree(
        ROOT / "taxonomies" / "support-intents", repo / "taxonomies" / "support-intents"
    )
    release = repo / "taxonomies" / "support-intents" / "releases" / "1.1.0.yaml"
    release.write_text(release.read_text().replace("kind: hierarchical", "kind: tree"))
    with pytest.raises(TaxopsError, match=r"releases/1.1.0.yaml is not a valid taxonomy"):
        migration_map(repo, "support-intents", "1.0.0")


def test_a_deleted_tombstone_still_follows_the_old_declaration() -> None:
    """Deleting a retired label's tombstone is reported (tombstone-removed), but
    the old version's own declaration still says where its items go."""
    old = make_taxonomy(
        "1.0.0", [{"id": "car"}, {"id": "auto", "status": "retired", "replaced_by": ["car"]}]
    )
    new = make_taxonomy("1.0.1", [{"id": "car"}])
    entries = {e.label: e for e in build_map(diff(old, new))}
    assert (entries["auto"].action, entries["auto"].mode, entries["auto"].targets) == (
        Action.REPLACE,
        Mode.DIRECT,
        ("car",),
    )
    assert map_findings(diff(old, new)) == []


def test_check_reports_an_unmapped_label_once() -> None:
    """The compatibility check adds the map's finding only where no rule has
    already reported the label as breaking data."""
    from taxops.rules import migration_unmapped_label

    old = make_taxonomy("1.0.0", [{"id": "a"}, {"id": "b"}])
    new = make_taxonomy("2.0.0", [{"id": "a"}])
    changes = diff(old, new)
    [alone] = migration_unmapped_label.diagnose(changes, None, None, [])
    assert alone.rule == "migration-unmapped-label" and alone.data["bump"] == "major"
    covered = alone.__class__(
        "label-removed", alone.severity, "removed", data={"label": "b", "breaks": ["data"]}
    )
    assert migration_unmapped_label.diagnose(changes, None, None, [covered]) == []


def test_a_chain_of_thousands_of_tombstones_resolves_without_recursion() -> None:
    """Resolving walks the chain iteratively: 3,000 retired labels, each replaced
    by the next, lead to the one active label at the end."""
    n = 3000
    old = make_taxonomy("1.0.0", [{"id": "t0"}])
    chain = [{"id": f"t{i}", "status": "retired", "replaced_by": [f"t{i + 1}"]} for i in range(n)]
    new = make_taxonomy("2.0.0", [*chain, {"id": f"t{n}"}])
    entries = {e.label: e for e in build_map(diff(old, new))}
    assert (entries["t0"].mode, entries["t0"].targets) == (Mode.DIRECT, (f"t{n}",))


def test_replacements_that_fan_out_and_meet_again_are_resolved_once_each() -> None:
    """40 levels of a -> [b, c], b -> [d, e], c -> [d, e] ...: 2**40 paths, 80
    labels. Following every path would never finish."""
    levels = 40
    labels = [
        {"id": f"x{i}{side}", "status": "retired", "replaced_by": [f"x{i + 1}a", f"x{i + 1}b"], "replacement": "review"}
        for i in range(levels)
        for side in "ab"
    ]  # fmt: skip
    new = make_taxonomy("2.0.0", [*labels, {"id": f"x{levels}a"}, {"id": f"x{levels}b"}])
    old = make_taxonomy("1.0.0", [{"id": "x0a"}])
    entries = {e.label: e for e in build_map(diff(old, new))}
    assert entries["x0a"].mode is Mode.REVIEW
    assert set(entries["x0a"].targets) == {f"x{levels}a", f"x{levels}b"}


CASES = sorted(p.parent for p in (ROOT / "tests" / "cases").rglob("old.yaml"))


@pytest.mark.parametrize("case", CASES, ids=lambda p: str(p.relative_to(ROOT / "tests" / "cases")))
def test_unmapped_findings_are_the_full_maps_unmapped_entries(case: Path) -> None:
    """The findings build the entries of the labels whose fate can be open
    only (a comparison of 200,000 labels builds a few thousand): on every rule
    case they name exactly the labels the whole map leaves unmapped."""
    from taxops.file_check import check_file
    from taxops.models.taxonomy import Taxonomy

    old, new = (check_file(case / name, None).model for name in ("old.yaml", "new.yaml"))
    if not (isinstance(old, Taxonomy) and isinstance(new, Taxonomy)):
        pytest.skip("a case of a file that does not validate")
    changes = diff(old, new)
    whole = [e.label for e in build_map(changes) if e.action is Action.UNMAPPED]
    assert [f.data["label"] for f in map_findings(changes)] == whole


def test_labels_another_finding_reports_get_no_unmapped_finding() -> None:
    """``taxops check`` reports a label removed outright once (``label-removed``):
    the map's finding for it is not built at all, the others are."""
    old = make_taxonomy("1.0.0", [{"id": "a"}, {"id": "b"}, {"id": "c"}, {"id": "d"}])
    new = make_taxonomy("2.0.0", [{"id": "a"}, {"id": "d", "status": "retired"}])
    changes = diff(old, new)
    assert [f.data["label"] for f in map_findings(changes)] == ["b", "c", "d"]
    assert [f.data["label"] for f in map_findings(changes, reported={"b", "d"})] == ["c"]
