"""A list's items read alone as they read in place, and two files' items
written the same are the same labels (:mod:`taxops.loading.item_source`).

What ``diff`` relies on: a label of a new version written exactly as in the
old one is that label, unchanged (it is never built or serialised); a version
handed over by a worker has its changed labels built from their own items.
Both hold only for a list whose items mean nothing outside their own text, so
the tests check the claim itself, item by item, on every taxonomy of the
repository and every invalid case, and check that whatever could make an
item mean something else (an alias, a tag, a document marker)
keeps the list out (an anchor alone does not: nothing can read it without
an alias)."""

from __future__ import annotations

from pathlib import Path

import pytest
from taxops.loading import parse_yaml
from taxops.loading.item_source import ListItems, list_items, same_items

REPO = Path(__file__).resolve().parents[2]
TAXONOMIES = sorted(
    p
    for p in [*(REPO / "taxonomies").rglob("*.yaml"), *(REPO / "tests").rglob("*.yaml")]
    if p.read_text(encoding="utf-8", errors="replace").startswith("taxops: taxonomy/")
)


def _labels(*items: str, head: str = "taxops: taxonomy/1\nid: t\nlabels:\n") -> str:
    return head + "".join(items)


def _alone(items: ListItems, i: int) -> object:
    doc, problems = parse_yaml("labels:\n" + items.item(i), "item")
    assert doc is not None and not problems
    return doc.data["labels"]


def test_the_repository_has_taxonomies_to_read() -> None:
    assert len(TAXONOMIES) > 50


@pytest.mark.parametrize("crlf", [False, True], ids=["lf", "crlf"])
@pytest.mark.parametrize("path", TAXONOMIES, ids=lambda p: str(p.relative_to(REPO)))
def test_every_item_reads_alone_as_in_place(path: Path, crlf: bool) -> None:
    raw = path.read_bytes()
    if crlf:
        raw = raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    doc, _ = parse_yaml(raw, str(path))
    if doc is None:
        return  # not read at all (not UTF-8, not YAML): nothing to compare
    text = doc.text
    items = list_items(text, "labels")
    if doc is None or items is None or not isinstance(doc.data.get("labels"), list):
        return  # nothing to read item by item: diff compares labels as it always did
    in_place = doc.data["labels"]
    assert len(items) == len(in_place)
    for i, data in enumerate(in_place):
        assert _alone(items, i) == [data], (path, i)
    assert items.items(list(range(len(items)))) == text[items.bounds[0] : items.bounds[-1]]


READS_ALONE = {
    "plain": "  - id: a\n    name: Car\n",
    "an ampersand between words": "  - id: a\n    name: Arts & Entertainment\n",
    "an ampersand inside a word": "  - id: a\n    name: R&D\n",
    "a star between words": "  - id: a\n    name: 5 * 3 packs\n",
    "an exclamation mark after a word": "  - id: a\n    name: Wow!\n",
    "a block scalar": "  - id: a\n    name: A\n    definition: |\n      first\n\n      second\n",
    "a comment": "  - id: a  # the first\n    name: A\n\n  # between\n",
    "quoted": "  - id: '010'\n    name: \"Tab\\there\"\n",
    "a flow mapping": "  - {id: a, name: A}\n",
    "an anchor (nothing reads it)": "  - id: a\n    name: &n Car\n",
    "a star inside a word": "  - id: a\n    name: R*2\n",
    "dashes inside a line": "  - id: a\n    name: A --- B\n",
    "dots inside a name": "  - id: a\n    name: Etc...\n",
    "a document end after the list": "  - id: a\n    name: A\n...\n",
}
READ_ELSEWHERE = {
    "an alias": "  - id: a\n    name: *n\n",
    "a merge key": "  - id: a\n    <<: *base\n",
    "an alias in a flow sequence": "  - id: a\n    aliases: [x,*n]\n",
    "a tag": "  - id: a\n    name: !!str 010\n",
    "a non-specific tag": "  - id: a\n    name: ! 010\n",
    "a local tag": "  - id: a\n    name: !x Car\n",
    "an alias in quotes (read generously)": "  - id: a\n    name: 'Fish *Chips'\n",
    "an alias at the start of a line": "  - id: a\n    aliases:\n      - *n\n",
    "a document start": "  - id: a\n    name: A\n---\n",
}


@pytest.mark.parametrize("item", READS_ALONE.values(), ids=READS_ALONE.keys())
def test_an_item_that_means_only_its_text_is_read_item_by_item(item: str) -> None:
    text = _labels("  - id: first\n    name: First\n", item)
    items = list_items(text, "labels")
    assert items is not None and len(items) == 2
    doc, _ = parse_yaml(text, "t")
    assert doc is not None
    assert _alone(items, 1) == [doc.data["labels"][1]]


@pytest.mark.parametrize("item", READ_ELSEWHERE.values(), ids=READ_ELSEWHERE.keys())
def test_a_list_with_an_item_that_may_mean_more_is_not(item: str) -> None:
    assert list_items(_labels("  - id: first\n    name: First\n", item), "labels") is None


def test_items_written_the_same_are_found_and_no_other() -> None:
    old = _labels(
        "  - id: a\n    name: A\n",
        "  - id: b\n    name: B\n",
        "  - id: c\n    name: C\n",
        "  - id: d\n    name: D  # note\n",
    )
    new = _labels(
        "  - id: c\n    name: C\n",  # moved: still the same text
        "  - id: a\n    name: A\n",
        "  - id: b\n    name: B2\n",  # renamed
        "  - id: d\n    name: D\n",  # the same label, written otherwise: not found, compared
        "  - id: e\n    name: E\n",  # added
        head="taxops: taxonomy/1\nid: t\nversion: 2.0.0\nlabels:\n",
    )
    a, b = list_items(old, "labels"), list_items(new, "labels")
    assert a is not None and b is not None
    old_at = {"a": 0, "b": 1, "c": 2, "d": 3}
    positions = [old_at.get(i) for i in ("c", "a", "b", "d", "e")]
    assert same_items(a, b, positions) == [0, 1]


def test_the_last_item_ends_where_the_list_does() -> None:
    text = _labels("  - id: a\n    name: A\n", "  - id: b\n    name: B\n") + "attributes: []\n"
    items = list_items(text, "labels")
    assert items is not None
    assert items.item(1) == "  - id: b\n    name: B\n"


def test_no_list_no_items() -> None:
    assert list_items("taxops: taxonomy/1\nid: t\n", "labels") is None
    assert list_items(_labels(), "labels") is None
    assert list_items("labels: [{id: a, name: A}]\n", "labels") is None  # a flow list
