"""Locations: 1-based for people, converted from the parser's 0-based marks in one
place, and recovered for any node of a parsed file."""

from __future__ import annotations

import dataclasses

import pytest
from taxops.diagnostics import Location
from taxops.loading import YamlDocument, parse_yaml

TEXT = """\
taxops: taxonomy/1
id: pets
labels:
  - id: dog
    name: Dog
    aliases: [puppy, hound]
  - id: cat
    name:   Cat
"""


def test_from_zero_based_is_the_one_conversion() -> None:
    assert Location.from_zero_based("a.yaml", 0, 0) == Location("a.yaml", 1, 1)
    assert Location.from_zero_based("a.yaml", 9, 4) == Location("a.yaml", 10, 5)


def test_str_is_path_line_column() -> None:
    assert str(Location("taxonomies/x/taxonomy.yaml", 12, 7)) == "taxonomies/x/taxonomy.yaml:12:7"


def test_defaults_to_the_start_of_the_file() -> None:
    assert str(Location("a.yaml")) == "a.yaml:1:1"


def test_orders_by_path_then_line_then_column() -> None:
    locs = [
        Location("b.yaml", 1, 1),
        Location("a.yaml", 10, 1),
        Location("a.yaml", 2, 9),
        Location("a.yaml", 2, 3),
    ]
    assert sorted(locs) == [
        Location("a.yaml", 2, 3),
        Location("a.yaml", 2, 9),
        Location("a.yaml", 10, 1),  # numerically, not as text
        Location("b.yaml", 1, 1),
    ]


def test_is_immutable_and_hashable() -> None:
    loc = Location("a.yaml", 1, 2)
    with pytest.raises(dataclasses.FrozenInstanceError):
        loc.line = 3  # type: ignore[misc]
    assert {loc, Location("a.yaml", 1, 2)} == {loc}


def _doc() -> YamlDocument:
    doc, problems = parse_yaml(TEXT, "pets.yaml")
    assert doc is not None and not problems
    return doc


def test_locate_value_and_key_of_a_mapping_entry() -> None:
    doc = _doc()
    assert doc.locate(("labels", 1, "name")) == Location("pets.yaml", 8, 13)  # the value 'Cat'
    assert doc.locate(("labels", 1, "name"), at="key") == Location("pets.yaml", 8, 5)
    assert doc.locate(("id",)) == Location("pets.yaml", 2, 5)


def test_locate_list_items_in_block_and_flow_style() -> None:
    doc = _doc()
    assert doc.locate(("labels", 0)) == Location("pets.yaml", 4, 5)
    assert doc.locate(("labels", 0, "aliases", 1)) == Location("pets.yaml", 6, 22)


def test_locate_missing_node_points_at_nearest_existing_parent() -> None:
    """A missing key is reported where it belongs: at the entry that should hold it."""
    doc = _doc()
    assert doc.locate(("labels", 1, "definition")) == Location("pets.yaml", 7, 5)
    assert doc.locate(("labels", 1, "attributes", 0, "name")) == Location("pets.yaml", 7, 5)
    assert doc.locate(("title",)) == Location("pets.yaml", 1, 1)


def test_locate_through_an_alias_points_at_the_anchor() -> None:
    doc, _ = parse_yaml("a: &x {k: 1}\nb: *x\n", "a.yaml")
    assert doc is not None
    assert doc.locate(("b", "k"), at="key") == Location("a.yaml", 1, 8)
    assert doc.locate(("b", "k")) == Location("a.yaml", 1, 11)
