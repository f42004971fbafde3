"""A cached release's skeleton keeps its ids as one text, joined by a
character none of them holds, each label's parent as a position in those ids,
and the labels' digests as one text: read back, the columns are exactly the
release's, whatever its ids hold (published codes, text that is not ASCII, the
separators themselves, a parent that is no id or the empty text); a column
that is not what was written (a value too many or too few, a position past the
ids, a digest cut short) is a malformed entry, never a wrong column; and
labels side by side are read in one slice, each still checked."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from taxops.file_check import check_file
from taxops.models.label_digests import digest
from taxops.models.lazy_labels import (
    Damaged,
    LazyLabels,
    lazy_taxonomy,
    separator,
    skeleton_of,
)
from taxops.models.taxonomy import Taxonomy
from taxops.packed import pack, unpack

#: Ids and parents a release may hold (a release with findings is cached too):
#: each case is (ids, parents), parents by position in ids, a text, or None.
COLUMNS: dict[str, tuple[list[str], list[int | str | None]]] = {
    "slugs": (["vehicle", "vehicle.truck", "vehicle.truck_heavy"], [None, 0, 1]),
    "published codes": (["A00", "A00.0", "31-33", "80DV8O", "150"], [None, 0, None, 2, None]),
    "not ASCII": (["weiß_schwarz", "東京", "Ärzte", "𝔘"], [None, 0, 1, 1]),
    "a space in ids": (["a b", "c d"], [None, 0]),
    "every first separator in ids": (["a b", "c,d", "e|f", "g;h"], [None, 0, 1, 2]),
    "the separators only in parents": (["a", "b"], ["no such parent", "x,y|z;w"]),
    "a parent that is the empty text": (["a", "b", "c"], [None, "", 0]),
    "a parent that is no id, twice": (["a", "b", "c"], ["gone", "gone", 0]),
    "an id twice: the first counts": (["a", "b", "a"], [None, 2, 0]),
    "an id that is the empty text": (["", "a"], [None, 0]),
    "one label": (["only"], [None]),
}


def _taxonomy(ids: list[str], parents: list[int | str | None]) -> Taxonomy:
    labels = [
        {"id": label_id, "name": f"Label {i}", **({} if p is None else {"parent": p})}
        for i, (label_id, p) in enumerate(
            zip(ids, [ids[p] if isinstance(p, int) else p for p in parents], strict=True)
        )
    ]
    data = {"taxops": "taxonomy/1", "id": "t", "title": "T", "version": "1.0.0", "ids": "code"}
    owners = ["ops@example.com"]
    return Taxonomy.model_validate(
        {**data, "kind": "hierarchical", "owners": owners, "labels": labels}
    )


def _read(taxonomy: Taxonomy, skeleton: dict[str, Any], digests: str | None = None) -> Taxonomy:
    """The taxonomy a cache entry gives back from ``skeleton`` (as written:
    through JSON), its labels' JSON and digests."""
    raws = [label.model_dump_json(exclude_defaults=True).encode() for label in taxonomy.labels]
    tail = b"[" + b",".join(raws) + b"]"
    bounds, at = [1], 1
    for raw in raws:
        at += len(raw) + 1
        bounds.append(at)
    if digests is None:
        digests = " ".join([digest(raw) for raw in raws])
    plain = json.loads(json.dumps(skeleton, ensure_ascii=False))
    return lazy_taxonomy(taxonomy, tail, bounds, digests, plain)


@pytest.mark.parametrize("case", COLUMNS)
def test_the_skeleton_gives_the_columns_back(case: str) -> None:
    taxonomy = _taxonomy(*COLUMNS[case])
    read = _read(taxonomy, skeleton_of(taxonomy))
    assert read.columns.ids == taxonomy.columns.ids
    assert read.columns.parents == taxonomy.columns.parents
    assert [type(p) for p in read.columns.parents] == [type(p) for p in taxonomy.columns.parents]
    assert read.columns.statuses == taxonomy.columns.statuses
    assert read.index == taxonomy.index
    assert list(read.labels) == list(taxonomy.labels)  # each label agrees with its row


def test_the_separator_is_in_no_value() -> None:
    """Whatever characters the values hold, the one chosen is not among them
    (here every printable ASCII character is taken)."""
    taken = [chr(c) for c in range(0x20, 0x7F)]
    chosen = separator(taken)
    assert chosen not in "".join(taken)
    assert chosen.isprintable()
    assert separator(["a", "b"]) == " "


def test_ids_holding_every_character_still_get_a_separator() -> None:
    """An attacker's release whose ids hold every character but one (the last
    first, so a search for each candidate over the ids would scan them almost
    whole, 200,000 times): the characters present are gathered once, and the
    one chosen is the one missing."""
    free = 0x2FA1D  # printable, after 200,000 characters that are
    taken = [c for c in range(0x10FFFF, 0x1F, -1) if not 0xD800 <= c < 0xE000 and c != free]
    text = "".join(map(chr, taken))
    ids = [text[k : k + 100] for k in range(0, len(text), 100)]
    assert separator(ids) == chr(free)


def _mutate(field: str, change: Callable[[Any, str], Any]) -> Callable[[dict[str, Any]], None]:
    def mutate(skeleton: dict[str, Any]) -> None:
        skeleton[field] = change(skeleton[field], skeleton["separator"])

    return mutate


#: Skeletons that are not what was written: each must be refused.
MALFORMED: dict[str, Callable[[dict[str, Any]], None]] = {
    "a separator inside an id (one id too many)": _mutate("ids", lambda v, s: v + s + "x"),
    "one id too few": _mutate("ids", lambda v, s: v.rpartition(s)[0]),
    "ids not a text": _mutate("ids", lambda v, s: v.split(s)),
    "one parent too few": _mutate("parents", lambda v, s: pack(unpack(v)[:-1])),
    "one parent too many": _mutate("parents", lambda v, s: pack([*unpack(v), 0])),
    "a parent past the others": _mutate("parents", lambda v, s: pack([*unpack(v)[:-1], 5])),
    "a parent before the first id": _mutate("parents", lambda v, s: pack([-1, *unpack(v)[1:]])),
    "parents cut inside a number": _mutate("parents", lambda v, s: v[:-2]),
    "parents as a list": _mutate("parents", lambda v, s: list(unpack(v))),
    "another parent not a text": _mutate("other_parents", lambda v, s: [*v, 1]),
    "a separator of two characters": _mutate("separator", lambda v, s: v + v),
    "no separator": _mutate("separator", lambda v, s: ""),
    "another count of labels": _mutate("labels", lambda v, s: v + 1),
}


@pytest.mark.parametrize("how", MALFORMED)
def test_a_malformed_skeleton_is_refused(how: str) -> None:
    taxonomy = _taxonomy(["a", "b", "c"], [None, "x", 0])  # one parent that is no id
    skeleton = skeleton_of(taxonomy)
    _read(taxonomy, skeleton)  # as written, it reads
    MALFORMED[how](skeleton)
    with pytest.raises((TypeError, ValueError, KeyError, IndexError)):  # each a miss
        _read(taxonomy, skeleton)


#: Digest columns that are not what was written (the column is the digests
#: joined by spaces), each with which labels then read: None when refused.
DIGESTS: dict[str, tuple[Callable[[list[str]], Any], list[int] | None]] = {
    "cut short by a character": (lambda d: " ".join(d)[:-1], None),
    "one digest too many": (lambda d: " ".join([*d, d[0]]), None),
    "one digest too few": (lambda d: " ".join(d[:-1]), None),
    "not a text": (lambda d: d, None),
    # The same length: each digest is read at its own place, never shifted.
    "one digest longer, the next shorter": (
        lambda d: " ".join([d[0] + "0", d[1][1:], d[2]]),
        [0, 2],
    ),
    "a separator replaced": (lambda d: " ".join(d).replace(" ", "0", 1), [0, 1, 2]),
}


@pytest.mark.parametrize("how", DIGESTS)
def test_a_malformed_digest_column_is_refused_or_never_matches(how: str) -> None:
    """A digest column of another length is refused; in one of the same
    length, each label is checked against the digest at its own place: a label
    whose digest was damaged is damaged, the others read."""
    taxonomy = _taxonomy(["a", "b", "c"], [None, 0, 1])
    raws = [label.model_dump_json(exclude_defaults=True).encode() for label in taxonomy.labels]
    change, reads = DIGESTS[how]
    column = change([digest(raw) for raw in raws])
    if reads is None:
        with pytest.raises(TypeError):
            _read(taxonomy, skeleton_of(taxonomy), column)
        return
    read = _read(taxonomy, skeleton_of(taxonomy), column)
    for i in range(3):
        if i in reads:
            assert read.labels[i] == taxonomy.labels[i]
        else:
            with pytest.raises(Damaged):
                read.labels[i]


def test_a_label_whose_bounds_are_out_of_order_is_damaged() -> None:
    """Bounds are checked label by label as they are read: the labels whose
    bounds were swapped are damaged, the others read."""
    taxonomy = _taxonomy(["a", "b", "c", "d", "e"], [None, 0, 1, 2, 3])
    read = _read(taxonomy, skeleton_of(taxonomy))
    assert isinstance(read.labels, LazyLabels)
    bounds = read.labels._bounds
    assert isinstance(bounds, list)
    bounds[2], bounds[3] = bounds[3], bounds[2]  # label 2 ends before it starts
    for i in (1, 2, 3):
        with pytest.raises(Damaged):
            read.labels[i]
    assert [read.labels[0], read.labels[4]] == [taxonomy.labels[0], taxonomy.labels[4]]


def test_a_release_with_any_ids_is_read_lazily_as_it_is(tmp_path: Path) -> None:
    """End to end, through the cache: a release whose ids hold the first
    separators, text that is not ASCII and codes (findings, but cached) reads
    back lazily with exactly its columns."""
    ids = ["A00.0", "31-33", "a b", "c,d", "weiß|schwarz", "東京;x"]
    labels = [
        {"id": x, "name": f"Label {i}", **({"parent": ids[i - 1]} if i else {})}
        for i, x in enumerate(ids)
    ]
    data = {
        "taxops": "taxonomy/1",
        "id": "t",
        "title": "T",
        "version": "1.0.0",
        "kind": "hierarchical",
        "owners": ["ops@example.com"],
        "ids": "code",
        "labels": labels,
    }
    path = tmp_path / "repo" / "taxonomies" / "t" / "releases" / "1.0.0.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    root = tmp_path / "repo"
    full = check_file(path, root)
    lazy = check_file(path, root, lazy_release=True)
    assert isinstance(full.model, Taxonomy) and isinstance(lazy.model, Taxonomy)
    assert isinstance(lazy.model.labels, LazyLabels)  # from the cache entry
    assert lazy.model.columns.ids == ids == full.model.columns.ids
    assert lazy.model.columns.parents == [None, *ids[:-1]] == full.model.columns.parents
    assert lazy.diagnostics == full.diagnostics


class _Counted:
    """Label JSON that counts the slices read from it (an entry's tail)."""

    def __init__(self, raw: bytes) -> None:
        self.raw = raw
        self.reads = 0

    def __len__(self) -> int:
        return len(self.raw)

    def __getitem__(self, part: slice) -> bytes:
        self.reads += 1
        return self.raw[part]


@pytest.mark.parametrize(
    ("positions", "reads"),
    [([0, 1, 2, 5, 6], 2), ([3], 1), ([0, 2, 4, 6], 4), (list(range(8)), 1)],
)
def test_labels_side_by_side_are_read_in_one_slice(positions: list[int], reads: int) -> None:
    ids = [f"A0{k}.0" for k in range(8)]
    taxonomy = _taxonomy(ids, [None, *range(7)])
    raws = [label.model_dump_json(exclude_defaults=True).encode() for label in taxonomy.labels]
    tail = _Counted(b"[" + b",".join(raws) + b"]")
    bounds = [1]
    for raw in raws:
        bounds.append(bounds[-1] + len(raw) + 1)
    digests = " ".join(digest(raw) for raw in raws)
    read = lazy_taxonomy(taxonomy, tail, bounds, digests, skeleton_of(taxonomy))
    assert isinstance(read.labels, LazyLabels)
    read.labels.build(positions)
    assert tail.reads == reads
    assert [read.labels[i] for i in positions] == [taxonomy.labels[i] for i in positions]
    assert tail.reads == reads  # built once


def test_a_damaged_label_among_labels_side_by_side_is_found() -> None:
    ids = [f"A0{k}.0" for k in range(5)]
    taxonomy = _taxonomy(ids, [None, *range(4)])
    raws = [label.model_dump_json(exclude_defaults=True).encode() for label in taxonomy.labels]
    digests = [digest(raw) for raw in raws]
    raws[2] = raws[2].replace(b'"name":', b'"nane":', 1)
    tail = b"[" + b",".join(raws) + b"]"
    bounds = [1]
    for raw in raws:
        bounds.append(bounds[-1] + len(raw) + 1)
    read = lazy_taxonomy(taxonomy, tail, bounds, " ".join(digests), skeleton_of(taxonomy))
    assert isinstance(read.labels, LazyLabels)
    with pytest.raises(Damaged):
        read.labels.build([1, 2, 3])
    read.labels.build([3, 4])
    assert read.labels[4] == taxonomy.labels[4]
