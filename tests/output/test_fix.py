"""``taxops fix`` on the shapes files come in: accepted suggestions, flow-style
labels, odd spacing and anchors ruamel would normalise, values YAML would read
as numbers. Only the edited lines may change."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from taxops.changes import diff
from taxops.cli.main import main
from taxops.fixes.plan import FixPlan, plan_labels
from taxops.fixes.yaml_edit import _scalar, apply
from taxops.loading import parse_yaml
from taxops.models.taxonomy import Taxonomy

from .fleet import HEADER, released_and_edited

OLD = (
    HEADER
    + """\
  - id: vehicle
    name: Vehicle
  - id: vehicle.car
    name: Car
    parent: vehicle
    definition: A passenger car.
  - id: vehicle.other
    name: Other vehicle
    parent: vehicle
    definition: Any other vehicle.
"""
)
RENAMED = OLD.replace("id: vehicle.other", "id: vehicle.misc")


def repo(tmp_path: Path, old: str, new: str) -> Path:
    return released_and_edited(tmp_path, old, new)


def changed_lines(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def test_an_accepted_suggestion_becomes_the_replacement(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = repo(tmp_path, OLD, RENAMED)
    assert main(["fix", "--repo", str(root), "--accept-suggestions", "0.9"]) == 0
    out = capsys.readouterr().out
    assert "1 replaced by an accepted suggestion" in out
    text = (root / "taxonomies/fleet/taxonomy.yaml").read_text()
    assert "  - id: vehicle.other\n    name: Other vehicle\n    parent: vehicle\n" in text
    assert "    status: retired\n    replaced_by: [vehicle.misc]\n" in text
    assert main(["check", "--repo", str(root)]) == 0, capsys.readouterr().out


def test_below_the_confidence_a_removed_label_goes_to_review(tmp_path: Path) -> None:
    old = OLD
    new = RENAMED.replace("name: Other vehicle", "name: Misc vehicle").replace(
        "Any other vehicle.", "Something else entirely."
    )
    root = repo(tmp_path, old, new)
    assert main(["fix", "--repo", str(root), "--accept-suggestions", "0.95"]) == 0
    text = (root / "taxonomies/fleet/taxonomy.yaml").read_text()
    assert "  - id: vehicle.other\n" in text and "replacement: review" in text
    assert "replaced_by" not in text


def test_only_the_edited_lines_change(tmp_path: Path) -> None:
    """Odd spacing, an anchor nothing refers to, flow-style labels, quotes and
    comments: ruamel would normalise some of these; the fix keeps them all."""
    new = """\
# yaml-language-server: $schema=../../site/docs/schemas/taxonomy.schema.json
taxops:   taxonomy/1
id: fleet
title: 'Fleet'
version: "1.0.0"   # bumped by hand
kind: hierarchical
owners: ["@fleet"]
labels:
    - id: vehicle
      name: Vehicle
      attributes:
        - &occluded {name: occluded, type: bool}
    - {id: vehicle.car, name: Car, parent: vehicle, definition: A passenger car.}
    # Retired in 1.0.0 without saying where items go:
    - {id: vehicle.van, name: Van, parent: vehicle, status: retired}
"""
    old = new.replace(", status: retired", "").replace('"1.0.0"', '"0.9.0"')
    old_doc, _ = parse_yaml(old, "old.yaml")
    new_doc, _ = parse_yaml(new, "new.yaml")
    assert old_doc is not None and new_doc is not None
    changes = diff(Taxonomy.model_validate(old_doc.data), Taxonomy.model_validate(new_doc.data))
    plan = plan_labels(changes)
    assert plan.review == [2]
    plan.version = "1.0.1"
    fixed = apply(new, plan)
    assert changed_lines(new, fixed) == [
        '-version: "1.0.0"   # bumped by hand',
        '+version: "1.0.1"   # bumped by hand',
        "-    - {id: vehicle.van, name: Van, parent: vehicle, status: retired}",
        "+    - {id: vehicle.van, name: Van, parent: vehicle, status: retired, replacement: review}",
    ]
    assert apply(fixed, plan_labels(diff(changes.old, _model(fixed)))) == fixed  # idempotent


def _model(text: str) -> Taxonomy:
    doc, _ = parse_yaml(text, "x.yaml")
    assert doc is not None
    return Taxonomy.model_validate(doc.data)


def test_an_empty_plan_changes_nothing() -> None:
    assert apply(OLD, FixPlan()) == OLD


@pytest.mark.parametrize(
    ("value", "quoted"),
    [("vehicle.car", False), ("150", True), ("2024", True), ("1.10", True), ("no", False),
     ("true", True), ("3.0.0", False), ("A00.0", False), ("~", True), ("null", True)],
)  # fmt: skip
def test_values_yaml_would_read_as_something_else_are_quoted(value: str, quoted: bool) -> None:
    out = _scalar(value)
    assert out == value
    assert (type(out) is not str) is quoted


def test_a_deprecated_label_removed_keeps_the_replacement_it_declared(tmp_path: Path) -> None:
    old = OLD.replace(
        "    definition: Any other vehicle.\n",
        "    definition: Any other vehicle.\n    status: deprecated\n    replaced_by: [vehicle.car]\n",
    )
    new = OLD.replace(
        "  - id: vehicle.other\n    name: Other vehicle\n    parent: vehicle\n"
        "    definition: Any other vehicle.\n",
        "",
    )
    root = repo(tmp_path, old, new)
    assert main(["fix", "--repo", str(root)]) == 0
    text = (root / "taxonomies/fleet/taxonomy.yaml").read_text()
    assert text.endswith(
        "  - id: vehicle.other\n    name: Other vehicle\n    parent: vehicle\n"
        "    definition: Any other vehicle.\n    status: retired\n    replaced_by: [vehicle.car]\n"
    )


@pytest.mark.parametrize(
    ("new", "version"),
    [
        (OLD + "  - id: vehicle.van\n    name: Van\n    parent: vehicle\n", "1.1.0"),  # added
        (OLD.replace("name: Car", "name: Passenger car"), "1.0.1"),  # renamed for display
    ],
)
def test_with_no_label_to_fix_only_the_version_is_bumped(
    tmp_path: Path, new: str, version: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """No tombstone to write: the check's own comparison says which version
    the file must declare, and only that line changes."""
    root = repo(tmp_path, OLD, new)
    path = root / "taxonomies/fleet/taxonomy.yaml"
    assert main(["fix", "--repo", str(root)]) == 0
    assert changed_lines(new, path.read_text()) == ["-version: 1.0.0", f"+version: {version}"]
    capsys.readouterr()
    assert main(["check", "--repo", str(root)]) == 0, capsys.readouterr().out
