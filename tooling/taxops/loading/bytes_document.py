"""A large file kept as its bytes: what a release read from the cache is, so
that a command comparing two cached releases places its findings without
decoding 60 MB of text it never reads.

A cached release's entry keeps where each item of its big lists starts, in
bytes (:mod:`taxops.release_cache`). :class:`BytesDocument` answers every
question a :class:`~taxops.loading.YamlDocument` answers: a finding on a list
item is placed by reading that item's bytes alone (decoded, then read as the
text would be), and anything else (a top-level key, the whole file composed)
decodes the text the first time it is asked for.

An offset from the entry is checked against the file before it is used: it
must start a line with a list item, the item must end where the next one
starts (or the list ends) with no item starting in between, and the id
written in it must be the id of the label the entry says is there. One that
fails is never used: the document forgets every offset the entry gave and
finds the items in its own text, as for a file read without the cache.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import Any, Protocol

from taxops.diagnostics import Location
from taxops.loading.yaml_source import (
    NodeMarks,
    YamlDocument,
    _end_of_top_entry,
    _lines_of,
    _snippet_id,
    _top_key,
    line_feeds,
)
from taxops.positions import NodePath

_BOM = b"\xef\xbb\xbf"
#: A top-level key's colon, after its name.
_KEY_END = re.compile(rb"[ \t]*:")
#: The next line with content, as ``_top_key`` finds it in the text (a line
#: this finds first that the text's search skips, such as one starting with
#: a non-breaking space, only makes the lines decoded too few: then the text
#: is decoded, never a wrong place).
_CONTENT_BYTES = re.compile(rb"\n( *)([^\s#])")
#: Bytes read past an item's end with it (its check reads the next dash).
_AROUND = 64
#: What may follow an item's dash.
_BLANK = (b" ", b"\t", b"\r", b"\n", b"")
#: The first line of a list item: its indentation and the dash.
_ITEM_HEAD = re.compile(r"([ \t]*)-(?=[ \t\r\n]|\Z)")


class Parts(Protocol):
    """A file's bytes read where they are sliced (a release known by its
    digest, :class:`taxops.source_digests.SourceBytes`): placing a finding on
    an item reads that item; any other question reads them :meth:`whole`."""

    def __len__(self) -> int: ...

    def __getitem__(self, part: slice, /) -> bytes: ...

    def startswith(self, prefix: bytes, start: int = 0, /) -> bool: ...

    def whole(self) -> bytes: ...


class _Untrusted(Exception):
    """An offset from the cache entry does not point where it says."""


class BytesDocument(YamlDocument):
    """A file's bytes, its top-level data, and where the items of its big
    lists start in the bytes (see the module).

    ``starts`` and ``lines`` are, per list, each item's byte offset in the
    UTF-8 text (after a byte-order mark, if any) and its 0-based line;
    ``ids`` the id each item of a list must carry; ``text_bytes`` the
    length of the text's UTF-8. Offsets and lines are those of the text read
    with line feeds (:func:`~taxops.loading.yaml_source.line_feeds`): when
    the bytes are longer, the file's lines end in CR LF, its offsets point
    elsewhere in the bytes, and the document finds its items in its text (as
    a file read without the cache does; a rare file, one pass over it)."""

    def __init__(
        self,
        path: str,
        raw: bytes | Parts,
        data: Any,
        starts: Mapping[str, Sequence[int]],
        lines: Mapping[str, Sequence[int]],
        ids: Mapping[str, Sequence[str]],
        *,
        text_bytes: int,
    ) -> None:
        super().__init__(path, "", data)
        self._raw = raw
        self._decoded: str | None = None
        shift = len(_BOM) if raw.startswith(_BOM) else 0
        self._from_bytes = bool(starts) and len(raw) - shift == text_bytes
        self._ids = ids
        self._last: tuple[int, int, str] = (0, 0, "")
        self._span: tuple[int, bytes] = (0, b"")
        if not self._from_bytes:
            return
        for key, offsets in starts.items():
            at = [shift + o for o in offsets] if shift else offsets
            self.adopt_item_index(key, at, lines[key])

    @property
    def text(self) -> str:
        """The file's text, decoded the first time it is asked for."""
        if self._decoded is None:
            body = self._body()
            text = body.decode("utf-8")
            self._decoded = line_feeds(text) if b"\r" in body else text
        return self._decoded

    @text.setter
    def text(self, value: str) -> None:
        self._decoded = value or None

    def _bytes(self) -> bytes:
        """All the file's bytes (read whole when they were read in parts)."""
        raw = self._raw
        return raw if isinstance(raw, bytes) else raw.whole()

    def _body(self) -> bytes:
        raw = self._bytes()
        return raw[len(_BOM) :] if raw.startswith(_BOM) else raw

    def utf8(self) -> bytes:
        body = self._body()  # never decoded for this, unless its lines end in CR LF
        return self.text.encode() if b"\r" in body else body

    def locate_all(self, requests: Iterable[tuple[NodePath, str]]) -> list[Location]:
        asked = list(requests)
        try:
            return super().locate_all(asked)
        except _Untrusted:
            self._forget_offsets()
            return super().locate_all(asked)

    def _forget_offsets(self) -> None:
        """Stop using the entry's offsets: find the items in the text, as a
        file read without the cache does."""
        self._from_bytes = False
        for cached in (self._index, self._starts, self._keys, self._heads, self._partial):
            cached.clear()
        self._counted.clear()
        self._adopted.clear()

    # --- the offsets of the line index point into the bytes ----------------------

    def _small(self) -> bool:
        return False if self._from_bytes else super()._small()

    def _piece(self, start: int, end: int) -> str:
        if not self._from_bytes:
            return super()._piece(start, end)
        if self._last[:2] != (start, end):  # an item is checked, then read
            # One read for the item and the bytes around it that its check
            # looks at (the newline before it, the dash after it).
            at = max(start - 1, 0)
            span = self._raw[at : end + _AROUND]
            try:
                self._last = (start, end, span[start - at : end - at].decode("utf-8"))
            except UnicodeDecodeError as exc:  # an offset inside a character
                raise _Untrusted from exc
            self._span = (at, span)
        return self._last[2]

    def _around(self, start: int, end: int) -> bytes:
        """The bytes from ``start`` to ``end``, from the last item's read when
        it holds them."""
        at, span = self._span
        if at <= start and end <= at + len(span):
            return span[start - at : end - at]
        return self._raw[start:end]

    def _lines(self, offsets: Sequence[int]) -> list[int]:
        return _lines_of(self._bytes(), offsets) if self._from_bytes else super()._lines(offsets)

    def _find_items(self, key: str) -> list[int] | None:
        # Only the lists the entry indexed are read from the bytes.
        return None if self._from_bytes else super()._find_items(key)

    def _list_end(self, start: int) -> int:
        if not self._from_bytes:
            return super()._list_end(start)
        rest = self._piece(start, len(self._raw))
        return start + len(rest[: _end_of_top_entry(rest, 0)].encode())

    def _top_key_marks(self, key: str) -> dict[NodePath, NodeMarks] | None:
        if key not in self._top and self._decoded is None and key.isascii():
            known, found = self._top_key_in_bytes(key)
            if known:
                self._top[key] = found
        return super()._top_key_marks(key)

    def _top_key_in_bytes(self, key: str) -> tuple[bool, dict[NodePath, NodeMarks] | None]:
        """A top-level key's marks read from its own lines: its line and the
        next line with content, decoded alone (the text before them is only
        counted); not known when only the whole text can tell."""
        raw, name = self._bytes(), key.encode()
        shift = len(_BOM) if raw.startswith(_BOM) else 0
        if raw.startswith(name, shift) and _KEY_END.match(raw, shift + len(name)):
            start = shift
        else:
            found = re.compile(rb"\n" + re.escape(name) + rb"[ \t]*:").search(raw, shift)
            if found is None:
                return True, None  # the text has no such key either
            start = found.start() + 1
        eol = raw.find(b"\n", start)
        content = _CONTENT_BYTES.search(raw, eol) if eol >= 0 else None
        end = len(raw) if content is None else raw.find(b"\n", content.end())
        marks = _top_key(raw[start : end if end >= 0 else len(raw)].decode("utf-8"), key)
        if marks is None:
            return False, None  # no value on those lines: the text says where it is
        line0 = raw.count(b"\n", 0, start)
        return True, {
            p: NodeMarks(
                (m.key[0] + line0, m.key[1]) if m.key else None, (m.value[0] + line0, m.value[1])
            )
            if p
            else m
            for p, m in marks.items()
        }

    def _item_bounds(self, key: str, index: int) -> tuple[int, int] | None:
        found = super()._item_bounds(key, index)
        if found is not None and self._from_bytes:
            self._check(key, index, *found)
        return found

    def _check(self, key: str, index: int, start: int, end: int) -> None:
        """Raise :class:`_Untrusted` unless item ``index`` of ``key`` is
        exactly the bytes from ``start`` to ``end`` (see the module)."""
        piece = self._piece(start, end)
        if start > 0 and self._around(start - 1, start) != b"\n":
            raise _Untrusted
        head = _ITEM_HEAD.match(piece)
        ids = self._ids.get(key)
        if head is None or ids is None or not 0 <= index < len(ids):
            raise _Untrusted
        if _inner(head.group(1)).search(piece) is not None or not _carries(piece, ids[index]):
            raise _Untrusted
        if index + 1 < len(ids):  # the next item starts where this one ends
            dash = head.group().encode()
            n = len(dash)
            around = self._around(end - 1, end + n + 1)  # the newline, the dash, what follows
            if around[:1] != b"\n" or around[1 : n + 1] != dash or around[n + 1 :] not in _BLANK:
                raise _Untrusted


def _carries(piece: str, label_id: str) -> bool:
    """Whether the item ``piece`` is the label ``label_id``: its first line
    is ``- id: <label_id>`` (what nearly every file writes; a string
    comparison), or the id its lines or its flow mapping (``- {id: ...}``)
    write is ``label_id``. An id written otherwise (escapes in quotes, a
    nested ``id:`` first) does not match: the document reads its text."""
    first = piece.partition("\n")[0].rstrip("\r")
    if first.endswith(label_id) and first[: -len(label_id)].lstrip(" \t") == "- id: ":
        return True
    flow = _FLOW_ID.match(first)
    if flow is not None:
        return label_id == next(g for g in flow.groups() if g is not None)
    return _snippet_id(piece) == label_id


#: The id first in a flow mapping item: plain, or quoted without escapes.
_FLOW_ID = re.compile(
    r"[ \t]*-[ \t]+\{[ \t]*id[ \t]*:[ \t]*"
    r"(?:'([^'\n]*)'(?!')|\"([^\"\\\n]*)\"|([^\s,{}\[\]'\"#&*!|>%@`][^,}\n#]*?))[ \t]*[,}]"
)


@cache
def _inner(indent: str) -> re.Pattern[str]:
    """An item of a list indented ``indent`` starting on a later line."""
    return re.compile(rf"\n{re.escape(indent)}-(?=[ \t\r\n]|\Z)")
