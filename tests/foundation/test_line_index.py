"""A large file locates findings from its line index and a scan of one item's
lines: every position must equal the one composing the whole file gives, for
every item and every key of every governed file in the repository, and for
items written in the styles a scan must recognise and hand back (flow
mappings, keys alone on a line, quoted values over several lines, sequences at
the keys' column)."""

from __future__ import annotations

import random
import sys
from pathlib import Path
from typing import Any

import pytest
from taxops.loading import YamlDocument, parse_yaml, yaml_source

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "benchmarks"))
from generate import taxonomy_yaml

STYLES = """\
taxops: taxonomy/1
id: styles
labels:
  - id: plain
    name: Plain
    definition: >-
      A folded block scalar, its lines indented
      further than the keys.
    aliases: [a, "b, c"]
  -   id: wide
      name: 'Quoted ''name'''
      "parent": plain
  -
    id: dash-alone
    name: "A name" # a comment
    # a comment line at the keys' column
    aliases:
      - x
      - y
  - {id: flow, name: Flow}
  - id: quoted-multi
    name: "A quoted name
      on two lines"
  - id: compact
    aliases:
    - at the keys' column
  - id: nested
    attributes:
      - name: occluded
        type: enum
        options: [yes, no]
    note: |
      literal
      text
  - id: anchored
    name: &n Anchored
    definition: *n
  - id: empty-value
    parent:
    name: Empty
other: [1, 2]
"""


def _paths(data: dict[str, Any]) -> list[tuple[str | int, ...]]:
    out: list[tuple[str | int, ...]] = []
    for key, value in data.items():
        if isinstance(value, list):
            for i, item in enumerate(value):
                out.append((key, i))
                if isinstance(item, dict):
                    out += [(key, i, k) for k in item]
                    out.append((key, i, "no-such-key"))
    return out


def _documents() -> list[tuple[str, str]]:
    files = [
        p
        for folder in ("taxonomies", "guidelines", "policies", "tests", "examples")
        for p in (REPO / folder).rglob("*.yaml")
    ]
    docs = [
        (str(p.relative_to(REPO)), p.read_text(encoding="utf-8", errors="replace")) for p in files
    ]
    return [*docs, ("styles", STYLES), ("generated", taxonomy_yaml(60, error_at=40))]


@pytest.mark.parametrize("at", ["value", "key"])
def test_scanned_positions_equal_composed_ones(monkeypatch: pytest.MonkeyPatch, at: str) -> None:
    compared = composed_whole = 0
    for name, text in _documents():
        doc, _ = parse_yaml(text, name)
        if doc is None:
            continue
        paths = _paths(doc.data)
        monkeypatch.setattr(yaml_source, "PARTIAL_LOCATE_BYTES", 10**12)
        whole = [doc.locate(p, at=at) for p in paths]
        monkeypatch.setattr(yaml_source, "PARTIAL_LOCATE_BYTES", 1)
        fresh, _ = parse_yaml(text, name)
        assert fresh is not None
        partial = [fresh.locate(p, at=at) for p in paths]
        assert partial == whole, name
        compared += len(paths)
        composed_whole += fresh._marks is not None
    assert compared > 2000
    # Most files never need the whole-file composition (lists written otherwise
    # than in block style fall back to it, exactly).
    assert composed_whole < len(_documents()) // 10


@pytest.fixture
def composed(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Files located as large ones are; the lengths of the texts composed."""
    calls: list[int] = []
    original = yaml_source._compose

    def spy(text: str) -> Any:
        calls.append(len(text))
        return original(text)

    monkeypatch.setattr(yaml_source, "_compose", spy)
    monkeypatch.setattr(yaml_source, "PARTIAL_LOCATE_BYTES", 1)
    return calls


def test_plain_items_are_located_without_composing(composed: list[int]) -> None:
    """Keys of items in plain block style are read from their lines: no YAML
    composition at all, however many findings there are."""
    doc, _ = parse_yaml(taxonomy_yaml(500), "t.yaml")
    assert doc is not None
    for i in range(500):
        doc.locate(("labels", i, "name"), at="key")
        doc.locate(("labels", i, "definition"))
        doc.locate(("labels", i))
    assert composed == []


@pytest.mark.parametrize("brk", ["\r\n", "\r"], ids=["CRLF", "CR"])
def test_other_line_breaks_are_placed_as_pyyaml_places_the_file_as_written(
    monkeypatch: pytest.MonkeyPatch, brk: str
) -> None:
    """A file saved on Windows (CR LF) or an old Mac (CR) is read with line
    feeds: every position equals the one PyYAML gives composing the file as
    written, for every repository file and style, whether small or large."""
    compared = 0
    for name, text in _documents():
        written = text.replace("\n", brk)
        monkeypatch.setattr(yaml_source, "PARTIAL_LOCATE_BYTES", 10**12)
        parsed, _ = parse_yaml(written.encode(), name)
        if parsed is None:
            continue
        assert "\r" not in parsed.text
        as_written = YamlDocument(name, written, parsed.data)  # composed whole, as written
        paths = [(p, at) for p in _paths(parsed.data) for at in ("key", "value")]
        truth = as_written.locate_all(paths)
        for partial in (10**12, 1):
            monkeypatch.setattr(yaml_source, "PARTIAL_LOCATE_BYTES", partial)
            fresh, _ = parse_yaml(written.encode(), name)
            assert fresh is not None and fresh.data == parsed.data
            assert fresh.locate_all(paths) == truth, name
        compared += len(paths)
    assert compared > 4000


def test_a_large_file_saved_with_crlf_is_placed_without_composing(composed: list[int]) -> None:
    """Its items are found by its line index, as in a file with line feeds
    (composed whole, a 97,000-code classification took 4 times as long)."""
    text = taxonomy_yaml(300)
    asked = [(("labels", i, k), "key") for i in range(300) for k in ("name", "parent")]
    places = []
    for written in (text.replace("\n", "\r\n"), text):
        doc, _ = parse_yaml(written.encode(), "t.yaml")
        assert doc is not None
        places.append(doc.locate_all(asked))
    assert composed == []
    assert places[0] == places[1]


def _requests(data: dict[str, Any], rng: random.Random) -> list[tuple[tuple[str | int, ...], str]]:
    """Every path a finding may ask for (items, their keys, keys that are not
    there, nodes below an item's keys, indexes past the end, top-level keys,
    the root), at the key and at the value, shuffled, some asked twice."""
    paths: list[tuple[str | int, ...]] = [(), ("no-such-key",)]
    for key, value in data.items():
        paths.append((key,))
        if isinstance(value, list):
            paths += [(key, len(value)), (key, len(value), "id")]
            for i, item in enumerate(value):
                paths.append((key, i))
                if isinstance(item, dict):
                    paths.append((key, i, "no-such-key"))
                    for k, v in item.items():
                        paths.append((key, i, k))
                        if isinstance(v, list) and v:
                            paths += [(key, i, k, 0), (key, i, k, len(v) - 1, "name")]
        elif isinstance(value, dict):
            paths += [(key, k) for k in value]
    asked = [(p, at) for p in paths for at in ("key", "value")]
    asked += rng.sample(asked, min(len(asked), 50))
    rng.shuffle(asked)
    return asked


def _variants() -> list[tuple[str, str | bytes]]:
    """Each document as written, and with CRLF line ends; the styles document
    also with a byte-order mark, as bytes read from disk."""
    out: list[tuple[str, str | bytes]] = []
    for name, text in _documents():
        out += [(name, text), (name + " (CRLF)", text.replace("\n", "\r\n"))]
    out.append(("styles (BOM)", b"\xef\xbb\xbf" + STYLES.encode()))
    return out


def test_batched_positions_equal_single_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    """``locate_all`` answers a batch of requests, in any order and split in
    any way, exactly as locating each request alone does: for every governed
    file of the repository (valid and invalid), the odd styles above, CRLF line
    ends and a byte-order mark; for a small file (composed) and for a large one
    (read from its line index). A top-level key is placed as composing the
    whole file places it."""
    rng = random.Random(12)
    compared = 0
    for name, text in _variants():
        monkeypatch.setattr(yaml_source, "PARTIAL_LOCATE_BYTES", 10**12)
        parsed, _ = parse_yaml(text, name)
        if parsed is None:
            continue
        asked = _requests(parsed.data, rng)
        top = [(path, at) for path, at in asked if len(path) == 1]
        whole = [parsed.locate(path, at=at) for path, at in top]  # a small file: composed
        for partial in (10**12, 1):
            monkeypatch.setattr(yaml_source, "PARTIAL_LOCATE_BYTES", partial)
            alone, _ = parse_yaml(text, name)
            assert alone is not None
            single = [alone.locate(path, at=at) for path, at in asked]
            batched, _ = parse_yaml(text, name)
            assert batched is not None
            half = rng.randrange(len(asked))  # two batches, the second partly asked before
            assert batched.locate_all(asked[:half]) + batched.locate_all(asked[half:]) == single
            fresh, _ = parse_yaml(text, name)
            assert fresh is not None
            assert fresh.locate_all(top) == whole, name
            compared += len(asked)
    assert compared > 10_000


def test_findings_located_one_by_one_count_lines_at_most_twice(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Checks that locate their findings one at a time, in any order, never
    make a pass over the file per finding: the first request counts lines up
    to its item, every later one reads the line index built once."""
    passes: list[int] = []
    original = yaml_source._lines_of

    def spy(text: str, offsets: Any) -> list[int]:
        passes.append(len(offsets))
        return original(text, offsets)

    monkeypatch.setattr(yaml_source, "_lines_of", spy)
    monkeypatch.setattr(yaml_source, "PARTIAL_LOCATE_BYTES", 1)
    doc, _ = parse_yaml(taxonomy_yaml(500), "t.yaml")
    alone, _ = parse_yaml(taxonomy_yaml(500), "t.yaml")
    assert doc is not None and alone is not None
    asked = [(("labels", i, "name"), "key") for i in reversed(range(500))]
    one_by_one = [doc.locate(path, at=at) for path, at in asked]
    assert one_by_one == alone.locate_all(asked)
    assert len(passes) <= 3  # first request, the line index, the second document's batch
