"""A release read from the cache is kept as its file's bytes: findings on its
labels are placed from the bytes of those labels alone, at the offsets the
cache entry keeps. Every place must equal the one the decoded text gives, for
every governed file of the repository and the odd styles (CRLF line ends, a
byte-order mark, text that is not ASCII); and an offset that does not point
where the entry says is never used (the document finds the items in its text
instead), whatever the damage."""

from __future__ import annotations

import random
import sys
from pathlib import Path
from typing import Any

import pytest
from taxops.loading import YamlDocument, parse_yaml, yaml_source
from taxops.loading.bytes_document import BytesDocument

from foundation.test_line_index import STYLES, _documents, _requests

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "benchmarks"))
from generate import taxonomy_yaml

#: Labels whose names and definitions are not ASCII (multi-byte characters
#: before, inside and after the keys a finding points at).
WORDS = """\
taxops: taxonomy/1
id: wörter
title: Wörter — Übersicht
labels:
  - id: weiß_schwarz
    name: Weiß und Schwarz
    definition: >-
      Zwei Farben, ein Zeichen: ß, é, 漢字 und 🙂
      auf einer zweiten Zeile.
  - id: "150"
    name: 'Grüße ''quoted'''
    parent: weiß_schwarz
  - id: café
    name: Café 🙂
    aliases: [crème, brûlée]
  - id: 東京
    name: 東京都
    parent: café
"""


def _variants() -> list[tuple[str, bytes]]:
    """Each document as UTF-8 bytes, also with CRLF line ends; the odd ones
    also behind a byte-order mark."""
    docs = [*_documents(), ("words", WORDS)]
    out = []
    for name, text in docs:
        out += [(name, text.encode()), (f"{name} (CRLF)", text.replace("\n", "\r\n").encode())]
    for name, text in (("styles", STYLES), ("words", WORDS)):
        out.append((f"{name} (BOM)", b"\xef\xbb\xbf" + text.encode()))
    return out


def _stand_in(data: dict[str, Any]) -> dict[str, Any]:
    """The top level a cache entry keeps: a list is one ``None`` per item."""
    return {k: [None] * len(v) if isinstance(v, list) else v for k, v in data.items()}


def _bytes_document(
    name: str, raw: bytes, doc: YamlDocument, **forged: Any
) -> BytesDocument | None:
    """``doc`` (parsed from ``raw``) as a cache entry gives it back: its big
    lists' line index in UTF-8 offsets, the id of each item."""
    text = doc.text
    starts, lines, ids = {}, {}, {}
    for key, value in doc.data.items():
        found = doc.item_index(key) if isinstance(value, list) else None
        if found is None:
            continue
        starts[key] = [len(text[:o].encode()) for o in found[0]]
        lines[key] = list(found[1])
        ids[key] = [str(v.get("id")) if isinstance(v, dict) else "" for v in value]
    if not starts:
        return None
    for key, change in forged.items():
        change(starts[key])
    size = len(text.encode())
    return BytesDocument(name, raw, _stand_in(doc.data), starts, lines, ids, text_bytes=size)


def test_places_from_the_bytes_equal_places_in_the_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yaml_source, "PARTIAL_LOCATE_BYTES", 1)  # located as large files are
    rng = random.Random(7)
    compared = kept = labelled = 0
    for name, raw in _variants():
        doc, _ = parse_yaml(raw, name)
        if doc is None:
            continue
        cached = _bytes_document(name, raw, doc)
        if cached is None:
            continue
        only_labels = set(cached._index) == {"labels"}
        asked = _requests(doc.data, rng)
        expected, _ = parse_yaml(raw, name)
        assert expected is not None
        assert cached.locate_all(asked) == expected.locate_all(asked), name
        compared += len(asked)
        if b"\r" in raw:  # its offsets point into its text with line feeds
            assert not cached._from_bytes, name
        elif only_labels:
            labelled += 1
            kept += cached._from_bytes
    assert compared > 10_000
    # The labels of nearly every taxonomy were read from the bytes (one whose
    # items do not say their id plainly is read from its text, exactly).
    assert kept > labelled * 0.9


def test_a_label_is_placed_without_decoding_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yaml_source, "PARTIAL_LOCATE_BYTES", 1)
    for name, raw in (("generated", taxonomy_yaml(300).encode()), ("words", WORDS.encode())):
        doc, _ = parse_yaml(raw, name)
        assert doc is not None
        cached = _bytes_document(name, raw, doc)
        assert cached is not None
        n = len(doc.data["labels"])
        asked = [(("labels", i, k), "key") for i in range(n) for k in ("id", "name", "none")]
        assert cached.locate_all(asked) == doc.locate_all(asked)
        assert cached.locate(("title",)) == doc.locate(("title",))  # read from its own lines
        assert cached.locate(("labels",), at="key") == doc.locate(("labels",), at="key")
        assert cached._decoded is None and cached._from_bytes
        assert cached.text == doc.text  # decoded when asked for


def _shift(at: int, by: int):  # type: ignore[no-untyped-def]
    def change(starts: list[int]) -> None:
        starts[at] += by

    return change


def _swap(a: int, b: int):  # type: ignore[no-untyped-def]
    def change(starts: list[int]) -> None:
        starts[a], starts[b] = starts[b], starts[a]

    return change


DAMAGE = {
    "one byte on": _shift(5, 1),
    "one byte back": _shift(5, -1),
    "the next item cut short": _shift(6, -12),
    "two items swapped": _swap(3, 4),
    "into the item's line": _shift(2, 9),
    "past the end": _shift(-1, 10**9),
}


@pytest.mark.parametrize("how", DAMAGE)
@pytest.mark.parametrize("name", ["generated", "words"])
def test_offsets_that_do_not_point_at_their_label_are_never_used(
    how: str, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(yaml_source, "PARTIAL_LOCATE_BYTES", 1)
    raw = taxonomy_yaml(40).encode()
    if name == "words":  # more labels, so that every damage has a label to hit
        head, _, items = WORDS.partition("labels:\n")
        more = "".join(items.replace("id: ", f"id: x{k}") for k in range(3))
        raw = (head + "labels:\n" + items + more).encode()
    doc, _ = parse_yaml(raw, name)
    assert doc is not None
    cached = _bytes_document(name, raw, doc, labels=DAMAGE[how])
    assert cached is not None
    n = len(doc.data["labels"])
    asked = [
        (("labels", i, k), at) for i in range(n) for k in ("name", "id") for at in ("key", "value")
    ]
    assert len(asked) > 50
    assert cached.locate_all(asked) == doc.locate_all(asked)
    assert not cached._from_bytes  # found out, and the entry's offsets dropped


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_the_utf8_of_a_document_is_its_text_encoded(bom: bytes) -> None:
    """What the site hashes to recognise a release's snapshot: the same for a
    document kept as bytes (never decoded for it) and one kept as text."""
    raw = bom + WORDS.encode()
    doc, _ = parse_yaml(raw, "words")
    assert doc is not None
    cached = _bytes_document("words", raw, doc)
    assert cached is not None
    assert cached.utf8() == doc.utf8() == doc.text.encode()
    assert cached._decoded is None


def test_top_level_keys_read_from_their_own_lines_are_placed_as_in_the_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A large release's top-level key (a finding on ``version:``, a removed
    label placed at ``labels:``) is placed from the key's own lines, before
    anything decodes the text: the same place as the text gives, in every
    file and style (a key that is not there, or whose value only the text can
    place, decodes it)."""
    monkeypatch.setattr(yaml_source, "PARTIAL_LOCATE_BYTES", 1)
    compared = from_bytes = 0
    for name, raw in _variants():
        doc, _ = parse_yaml(raw, name)
        cached = _bytes_document(name, raw, doc) if doc is not None else None
        if doc is None or cached is None:
            continue
        asked = [((k,), at) for k in doc.data for at in ("key", "value")]
        assert cached.locate_all(asked) == doc.locate_all(asked), name
        from_bytes += cached._decoded is None
        absent = [(("no-such-key",), "key"), (("no-such-key",), "value")]
        assert cached.locate_all(absent) == doc.locate_all(absent), name
        compared += len(asked)
    assert compared > 1000
    assert from_bytes > len(_variants()) // 3  # most taxonomies: nothing decoded
