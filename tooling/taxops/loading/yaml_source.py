"""Safe YAML loading that never loses a position.

Two parsers, one job each:

* **yaml-rs** (Rust, YAML 1.2) builds the data on every load. It rejects duplicate
  keys, bounds alias expansion and makes only plain values (no Python objects), and
  it is fast enough for a 200,000-label taxonomy (a few seconds, where ruamel's
  round-trip loader takes minutes).
* **PyYAML's C composer** builds a node graph with a mark on every node. It runs
  only when a diagnostic needs a position, i.e. for files that have findings, and
  it also explains errors that yaml-rs reports without a line (duplicate keys,
  alias limits, unknown tags).

YAML 1.2 semantics everywhere: ``yes``/``no``/``on`` stay strings and dates stay
strings until a model asks for a date, so a country code ``NO`` is never ``False``.
"""

from __future__ import annotations

import os
import re
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
import yaml_rs

from taxops.collector import paused
from taxops.diagnostics import Diagnostic, Location, Severity

#: Default file-size bound: admits a 200,000-label taxonomy (about 50-65 MB) with room.
DEFAULT_MAX_BYTES = 128 * 1024 * 1024
#: Alias expansion bound. Legitimate governance files use a handful of aliases; a
#: "billion laughs" file needs millions of replayed events and fails fast here.
MAX_ALIAS_EVENTS = 100_000
#: Nesting bound. Governed files nest a few levels; a file nested hundreds of
#: levels deep is hostile or broken, and PyYAML (which locates findings) stops at
#: 1,000 levels. Checked only when a line is indented this deep (see below).
MAX_NESTING = 100
# Block nesting needs indentation (or '- ' indicators) on the deepest line: at
# least one character per two levels. Lines indented less cannot be too deep, so
# this cheap search decides whether the event walk runs at all. A line is found
# by its '\n' (a literal the regex engine skips to), not by a multiline '^'
# tried at every character: 0.1 s instead of 0.6 s on a 61 MB file.
_INDENT = rf"[ \t?:-]{{{MAX_NESTING // 2}}}"
_DEEP_FIRST_LINE = re.compile(_INDENT)
_DEEP_LINE = re.compile(rf"\n{_INDENT}")

_CORE_TAG_PREFIX = "tag:yaml.org,2002:"
# No '!!timestamp': yaml-rs refuses it without a position, and dates stay text anyway.
_CORE_TAGS = {
    _CORE_TAG_PREFIX + t for t in ("str", "int", "float", "bool", "null", "map", "seq", "binary")
}
# A '!' that could start a tag: at line start or after whitespace/flow punctuation.
_MAYBE_TAG = re.compile(r"(?:^|[\s\[\{,])!", re.MULTILINE)
_RS_POSITION = re.compile(r"line (\d+), column (\d+)")
# C0 control characters and DEL: not allowed in YAML, and yaml-rs stops reading at
# a NUL without an error, so a stray NUL would silently hide the rest of the file.
_CONTROL_BYTES = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
_NOT_CONTROL_BYTES = bytes(b for b in range(256) if b not in _CONTROL_BYTES)
_CONTROL_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

Path_ = tuple[str | int, ...]


@dataclass(slots=True)
class NodeMarks:
    """0-based marks of one node: where its key starts (for mapping entries) and
    where its value starts."""

    key: tuple[int, int] | None
    value: tuple[int, int]


#: Files larger than this locate findings from a line index of their large
#: lists instead of composing the whole file with marks.
PARTIAL_LOCATE_BYTES = 1_000_000


@dataclass
class YamlDocument:
    """A parsed governed file: its plain data and, on demand, the position of
    every mapping key and list item.

    A small file is composed once, with a mark on every node, the first time a
    position is asked for. A large one (a 200,000-label taxonomy) never is: one
    pass over the text finds where each item of its big lists starts (the line
    index), and a finding's key is then found by reading that item's few lines.
    Only a path deeper than an item's own keys (an alias, an attribute's
    option), or an item not written in plain block style, composes that one
    item."""

    path: str
    text: str
    data: Any
    _marks: dict[Path_, NodeMarks] | None = field(default=None, repr=False)
    _partial: dict[Path_, dict[Path_, NodeMarks]] = field(default_factory=dict, repr=False)
    _index: dict[str, tuple[array[int], array[int]] | None] = field(
        default_factory=dict, repr=False
    )
    _keys: dict[Path_, dict[str, NodeMarks] | None] = field(default_factory=dict, repr=False)
    #: Items asked for only as a whole: their own mark, read from their first line.
    _heads: dict[Path_, dict[str, NodeMarks]] = field(default_factory=dict, repr=False)
    _top: dict[str, dict[Path_, NodeMarks] | None] = field(default_factory=dict, repr=False)
    _starts: dict[str, array[int] | None] = field(default_factory=dict, repr=False)
    _counted: set[str] = field(default_factory=set, repr=False)
    #: What :func:`taxops.loading.item_source.items_of` found, per list.
    items_found: dict[str, Any] = field(default_factory=dict, repr=False)
    _adopted: set[str] = field(default_factory=set, repr=False)

    @property
    def marks(self) -> dict[Path_, NodeMarks]:
        """Marks of every node of the file (composed once, on first use)."""
        if self._marks is None:
            self._marks = _index_marks(self.text)
        return self._marks

    def utf8(self) -> bytes:
        """The text as UTF-8 (the file's bytes, without a byte-order mark)."""
        return self.text.encode()

    def locate(self, path: Path_, *, at: str = "value") -> Location:
        """Location of the node at ``path`` (``("labels", 3, "parent")``), or of
        the nearest existing ancestor when the node does not exist (a missing
        key is reported where its mapping starts).

        ``at="key"`` points at the key of a mapping entry rather than its value.
        Many findings are located together with :meth:`locate_all`.
        """
        return self.locate_all(((path, at),))[0]

    def locate_all(self, requests: Iterable[tuple[Path_, str]]) -> list[Location]:
        """The location of each ``(path, at)`` request, as :meth:`locate` gives
        it, resolved together: a small file is composed once; in a large one,
        the items the requests name are read in file order, each once, from
        the line index built once, whatever the number of findings.

        Callers with many findings (a comparison's rules) collect their
        requests and ask once, so the cost of locating follows the findings,
        never findings times the file."""
        asked = [(tuple(path), at) for path, at in requests]
        if self._marks is not None or self._small():
            marks = self.marks
            return [self._resolve(marks, path, at) for path, at in asked]
        items = self._scan_items(path for path, _ in asked)
        out = []
        for path, at in asked:
            pos = _from_item(items.get(path[:2]), path, at) if _item_shaped(path) else None
            out.append(
                Location.from_zero_based(self.path, *pos)
                if pos is not None
                else self._resolve(self._marks_for(path), path, at)
            )
        return out

    def _resolve(self, marks: dict[Path_, NodeMarks], path: Path_, at: str) -> Location:
        """``path`` in ``marks``, or its nearest existing ancestor."""
        for end in range(len(path), -1, -1):
            m = marks.get(path[:end] if end < len(path) else path)
            if m is None:
                continue
            if end < len(path):
                # The node is missing: point at its nearest existing ancestor,
                # at the key line for an entry, so "missing x" sits where x belongs.
                pos = m.key or m.value
            else:
                pos = m.key if (at == "key" and m.key) else m.value
            return Location.from_zero_based(self.path, *pos)
        return Location(self.path, 1, 1)

    def _scan_items(self, paths: Iterable[Path_]) -> dict[Path_, dict[str, NodeMarks] | None]:
        """The own keys of every list item a path names (``("labels", 7, ...)``,
        at most one key below the item), each item read once, in file order.
        None for an item whose lines are not plain block style (its paths are
        then located by composing it, exactly). An item asked for only as a
        whole (a removed label's place) is read from its first line alone
        (:func:`_item_head`), where it can be."""
        asked = [path for path in paths if _item_shaped(path)]
        keyed = {path[:2] for path in asked if len(path) > 2}
        wanted = sorted({path[:2] for path in asked}, key=_by_list_then_index)
        new = [
            item
            for item in wanted
            if item not in self._keys and (item in keyed or item not in self._heads)
        ]
        bounds = [self._item_bounds(str(key), int(index)) for key, index in new]
        found = [(item, b) for item, b in zip(new, bounds, strict=True) if b is not None]
        lines = self._first_lines([(str(item[0]), int(item[1]), b[0]) for item, b in found])
        self._keys.update((item, None) for item, b in zip(new, bounds, strict=True) if b is None)
        for (item, b), line in zip(found, lines, strict=True):
            piece = self._piece(*b)
            head = None if item in keyed else _item_head(piece, line)
            if head is None:
                self._keys[item] = _scan_item(piece, line)
            else:
                self._heads[item] = head
        return {
            item: self._keys[item] if item in self._keys else self._heads[item] for item in wanted
        }

    def _first_lines(self, items: list[tuple[str, int, int]]) -> list[int]:
        """The 0-based first line of each item (list key, index, offset). A
        list's first batch counts the lines up to its last item, in one pass;
        a later one reads them from the list's full line index, built once:
        never a pass over the file per batch, however findings are asked."""
        counted: dict[int, int] = {}
        for key in {k for k, _, _ in items} - self._counted - self._index.keys():
            self._counted.add(key)
            offsets = sorted(o for k, _, o in items if k == key)
            counted.update(zip(offsets, self._lines(offsets), strict=True))
        out = []
        for key, index, offset in items:
            if offset in counted:
                out.append(counted[offset])
            else:
                full = self.item_index(key)
                assert full is not None  # the offset came from it
                out.append(full[1][index])
        return out

    # --- where the offsets of the line index point -----------------------------------
    # Offsets index the text; a document kept as its file's bytes
    # (:class:`~taxops.loading.bytes_document.BytesDocument`) reads its items
    # from the bytes instead, through these.

    def _small(self) -> bool:
        """Whether the file is located by composing it whole (see the class)."""
        return len(self.text) < PARTIAL_LOCATE_BYTES

    def locates_by_items(self) -> bool:
        """Whether findings are placed from a line index of the big lists (a
        large file), which is then worth keeping with a cached release."""
        return not self._small()

    def _piece(self, start: int, end: int) -> str:
        """The text between two offsets of the line index."""
        return self.text[start:end]

    def _lines(self, offsets: Sequence[int]) -> list[int]:
        """The 0-based line of each offset of the line index (ascending)."""
        return _lines_of(self.text, offsets)

    def _find_items(self, key: str) -> list[int] | None:
        """Where the items of the list ``key`` start (the line index's offsets)."""
        return _item_offsets(self.text, key)

    def _list_end(self, start: int) -> int:
        """Where the list whose last item starts at ``start`` ends."""
        return _end_of_top_entry(self.text, start)

    # --- the line index of a large file ---------------------------------------------

    def item_index(self, key: str) -> tuple[array[int], array[int]] | None:
        """Where the items of the top-level block list ``key`` start: character
        offsets and 0-based lines, found in one pass over the text, once (None
        when the list is not written in plain block style). Kept as arrays of
        machine integers: 3 MB for 200,000 items, where lists of int objects
        held 14 MB at the peak of a large file's validation."""
        if key not in self._index:
            offsets = self._item_starts(key)
            self._index[key] = (
                None if offsets is None else (offsets, array("q", self._lines(offsets)))
            )
        return self._index[key]

    def item_starts(self, key: str) -> array[int] | None:
        """Where the items of the top-level block list ``key`` start: the
        offsets of :meth:`item_index`, without counting their lines."""
        return self._item_starts(key)

    def _item_starts(self, key: str) -> array[int] | None:
        """The offsets of :meth:`item_index` alone: locating a batch counts the
        lines of the items it reads, not of every item."""
        if key in self._index:
            full = self._index[key]
            return None if full is None else full[0]
        if key not in self._starts:
            found = self._find_items(key)
            self._starts[key] = None if found is None else array("q", found)
        return self._starts[key]

    def item_indexes(self) -> dict[str, tuple[array[int], array[int]]]:
        """The line indexes built so far (a release cache keeps them)."""
        return {k: v for k, v in self._index.items() if v is not None}

    def adopt_item_starts(self, key: str, offsets: Sequence[int]) -> None:
        """Take the item starts of the list ``key`` found in this same text
        (:meth:`item_starts`), by whoever cut it into items first."""
        if key not in self._index:
            self._starts[key] = array("q", offsets)

    def adopt_item_index(self, key: str, offsets: Sequence[int], lines: Sequence[int]) -> None:
        """Take a line index built earlier for this same text."""
        if len(offsets) != len(lines):
            raise ValueError("a line index has one line per offset")
        self._index[key] = (array("q", offsets), array("q", lines))
        self._adopted.add(key)

    def adopted(self, key: str) -> bool:
        """Whether the line index of ``key`` was given (by a cache entry), not
        found in this text."""
        return key in self._adopted

    def _marks_for(self, path: Path_) -> dict[Path_, NodeMarks]:
        """For a large file, only the part holding ``path``: one item of a
        top-level list (a label among 200,000) or one top-level entry. Falls back
        to the whole file when the layout is not plain block style."""
        if self._marks is not None or self._small() or not path:
            return self.marks
        head = path[0]
        part: dict[Path_, NodeMarks] | None
        if len(path) >= 2 and isinstance(path[1], int) and isinstance(head, str):
            part = self._item_part(head, path[1], path[2:])
        elif len(path) == 1:
            part = self._top_key_marks(str(head))
        else:
            part = None
        if part is None:
            part = self._top_entry_marks(str(head))
        return part if part is not None else self.marks

    def _item_part(self, key: str, index: int, rest: Path_) -> dict[Path_, NodeMarks] | None:
        """Every node of item ``index`` of the list ``key`` (composed), for a
        path that :meth:`locate_all` could not read from the item's lines."""
        located = self._located_item(key, index)
        if located is None:
            return None
        start, end, line0 = located
        marks = self._item_marks(key, index, start, end, line0, self._top_key_marks(key) or {})
        # An item that does not compose alone (an alias to an anchor written in
        # another item) is read with what holds the anchor: its list, or the file.
        return marks if (key, index) in marks else None

    def _located_item(self, key: str, index: int) -> tuple[int, int, int] | None:
        """Start and end offsets and first line of item ``index``, when the line
        index agrees with the parsed list (same number of items)."""
        bounds = self._item_bounds(key, index)
        found = self.item_index(key) if bounds is not None else None
        return None if bounds is None or found is None else (*bounds, found[1][index])

    def _item_bounds(self, key: str, index: int) -> tuple[int, int] | None:
        """Start and end offsets of item ``index``, when the line scan agrees
        with the parsed list (as many items, the same id)."""
        offsets = self._item_starts(key)
        value = self.data.get(key) if isinstance(self.data, dict) else None
        if offsets is None or not isinstance(value, list):
            return None
        if len(offsets) != len(value) or not 0 <= index < len(offsets):
            return None
        item = value[index]
        expected = item.get("id") if isinstance(item, dict) else None
        start = offsets[index]
        end = offsets[index + 1] if index + 1 < len(offsets) else self._list_end(start)
        if expected is not None and _snippet_id(self._piece(start, end)) != str(expected):
            return None  # the line scan disagrees with the parser: be exact instead
        return start, end

    def _item_marks(
        self,
        key: str,
        index: int,
        start: int,
        end: int,
        line0: int,
        top: dict[Path_, NodeMarks],
    ) -> dict[Path_, NodeMarks]:
        """Every node of one item, composed (cached per item)."""
        cache_key: Path_ = (key, index)
        if cache_key in self._partial:
            return self._partial[cache_key]
        marks = _index_marks(self._piece(start, end), prefix=(key,), first_index=index)
        shifted = {
            p: NodeMarks(
                (m.key[0] + line0, m.key[1]) if m.key else None,
                (m.value[0] + line0, m.value[1]),
            )
            for p, m in marks.items()
        }
        shifted.update(top)
        self._partial[cache_key] = shifted
        return shifted

    def _top_entry_marks(self, key: str) -> dict[Path_, NodeMarks] | None:
        """Every node of one top-level entry (``owners: [a, b]``), composed from
        its own lines: a list in flow style is small, the file may not be."""
        cache_key: Path_ = (key,)
        if cache_key in self._partial:
            return self._partial[cache_key]
        match = re.search(rf"^{re.escape(key)}[ \t]*:", self.text, re.MULTILINE)
        if match is None:
            return None
        end = _end_of_top_entry(self.text, match.start())
        marks = _index_marks(self.text[match.start() : end])
        if (key,) not in marks:
            return None
        line0 = self.text.count("\n", 0, match.start())
        shifted = {
            p: NodeMarks(
                (m.key[0] + line0, m.key[1]) if m.key else None,
                (m.value[0] + line0, m.value[1]),
            )
            for p, m in marks.items()
            if p
        }
        shifted[()] = NodeMarks(None, (0, 0))
        self._partial[cache_key] = shifted
        return shifted

    def _top_key_marks(self, key: str) -> dict[Path_, NodeMarks] | None:
        """Marks of a top-level key and where its value starts, read from the
        text (found once per key), or None where only composing tells (no
        value, an alias, an anchor or a tag on the key's line)."""
        if key not in self._top:
            self._top[key] = _top_key(self.text, key)
        return self._top[key]


def _top_key(text: str, key: str) -> dict[Path_, NodeMarks] | None:
    match = re.search(rf"^{re.escape(key)}[ \t]*:", text, re.MULTILINE)
    if match is None:
        return None
    line = text.count("\n", 0, match.start())
    eol = text.find("\n", match.end())
    rest = text[match.end() : eol if eol >= 0 else len(text)]
    written = rest.lstrip(" \t").rstrip("\r")
    if written and not written.startswith("#"):
        if written[0] in "*&!":
            return None
        value = (line, match.end() - match.start() + len(rest) - len(rest.lstrip(" \t")))
    else:
        # The value starts on the first later line with content: indented
        # further, or a list written at the key's column.
        nxt = _CONTENT_LINE.search(text, eol) if eol >= 0 else None
        if nxt is None or not (nxt.group(1) or nxt.group(2) == "-"):
            return None  # no value (null): composing says where it is
        value = (line + text.count("\n", eol, nxt.start() + 1), len(nxt.group(1)))
    return {(): NodeMarks(None, (0, 0)), (key,): NodeMarks((line, 0), value)}


#: The next line with content (not blank, not a comment): its indentation and
#: first character.
_CONTENT_LINE = re.compile(r"\n([ ]*)([^\s#])")


def _from_item(
    scanned: dict[str, NodeMarks] | None, path: Path_, at: str
) -> tuple[int, int] | None:
    """The 0-based mark of ``path`` (an item, or one of its own keys) read from
    the item's scanned keys, as the composed marks would give it: a missing
    key is reported at the item; None when the item was not scanned."""
    if scanned is None:
        return None
    item = scanned[""]
    if len(path) == 2:
        return item.value
    m = scanned.get(str(path[2])) if path[2] != "" else None
    if m is None:
        return item.value
    return m.key if (at == "key" and m.key) else m.value


def _item_shaped(path: Path_) -> bool:
    """Whether ``path`` is a list item of a top-level key or one of its own keys
    (``("labels", 7)``, ``("labels", 7, "name")``): what an item's lines tell."""
    n = len(path)
    return (
        (n == 2 or (n == 3 and isinstance(path[2], str)))
        and isinstance(path[0], str)
        and isinstance(path[1], int)
    )


def _by_list_then_index(item: Path_) -> tuple[str, int]:
    return str(item[0]), int(item[1])


def _item_offsets(text: str, key: str) -> list[int] | None:
    """Offsets where the items of the top-level block sequence ``key:`` start,
    found by a line scan (fast on a 50 MB file), or None when the list is not in
    plain block style."""
    head = re.search(rf"^{re.escape(key)}[ \t]*:[ \t]*(#.*)?$", text, re.MULTILINE)
    if head is None:
        return None
    first = re.compile(r"^([ \t]*)-([ \t]|$)", re.MULTILINE).search(text, head.end())
    if first is None:
        return None
    between = text[head.end() : first.start()]
    if any(ln.strip() and not ln.lstrip().startswith("#") for ln in between.splitlines()):
        return None
    indent = first.group(1)
    end = _end_of_top_entry(text, first.start())
    # A newline then exactly the items' indentation and a dash: a literal the
    # regex engine searches for at C speed (a '^' anchor tests every line).
    item = re.compile(rf"\n{re.escape(indent)}-(?=[ \t\n]|\Z)")
    return [first.start(), *(m.start() + 1 for m in item.finditer(text, first.start(), end))]


def _lines_of(text: str | bytes, offsets: Sequence[int]) -> list[int]:
    """The 0-based line of each offset (ascending) of a text or of its UTF-8
    bytes, counted in one pass: counting from the top for each finding made
    thousands of findings in a 60 MB file take minutes."""
    newline = b"\n" if isinstance(text, bytes) else "\n"
    lines, count, previous = [], 0, 0
    for offset in offsets:
        count += text.count(newline, previous, offset)  # type: ignore[arg-type]
        lines.append(count)
        previous = offset
    return lines


def _end_of_top_entry(text: str, start: int) -> int:
    """Offset of the next top-level key (a line starting in column 0 that is not a
    comment or a list item) after ``start``, or the end of the text."""
    nxt = _NEXT_TOP_KEY.search(text, start)
    return nxt.start() + 1 if nxt else len(text)


_NEXT_TOP_KEY = re.compile(r"\n[^\s#-]")


def _snippet_id(snippet: str) -> str | None:
    m = _SNIPPET_ID.search(snippet)
    return m.group(1) if m else None


_SNIPPET_ID = re.compile(
    r"^[ \t]*-?[ \t]*id[ \t]*:[ \t]*['\"]?([^'\"\n#]*?)['\"]?[ \t]*(#.*)?$", re.MULTILINE
)


#: The first line of a block sequence item: its indentation, the dash and the
#: spaces before its content.
_ITEM_HEAD = re.compile(r"( *)-( +|$)")
#: A mapping key at the start of a line's content: plain, or quoted on one line.
_KEY = re.compile(
    r"(?:([^\s'\"#:\[\]{},&*!|>%@`-][^:#\n]*?)|'([^'\n]*)'|\"([^\"\\\n]*)\") *:(?= |$)"
)


def _item_head(snippet: str, line0: int) -> dict[str, NodeMarks] | None:
    """The mark of a sequence item whose first line holds its first key
    (``- id: x``): where that key starts, which is where the item's mapping
    starts whatever its other lines hold (what :func:`_scan_item` and the
    composed item both give it). None when the first line holds anything else
    (the item is then scanned, or composed)."""
    eol = snippet.find("\n")
    first = snippet if eol < 0 else snippet[:eol]
    head = _ITEM_HEAD.match(first)
    if head is None or not head.group(2) or "\t" in first:
        return None
    if _KEY.match(first, head.end()) is None:
        return None
    return {"": NodeMarks(None, (line0, head.end()))}


def _scan_item(snippet: str, line0: int) -> dict[str, NodeMarks] | None:
    """The keys of a sequence item written in plain block style (``- key:
    value`` lines), with their marks and their values' (key ``""`` is the
    item's own mark), read from its lines without parsing. None when the item
    is anything else (a flow mapping, a multi-line quoted value, a key without
    a value, a tab), so the caller composes it and stays exact.

    In block style every key of the item starts in one column, and whatever
    belongs to a value (block scalars, continued lines, nested lists) is
    indented further: so a line's indentation says what it is."""
    if "\t" in snippet:
        return None
    lines = snippet.split("\n")
    head = _ITEM_HEAD.match(lines[0])
    if head is None:
        return None
    column = head.end() if head.group(2) else -1
    found: dict[str, NodeMarks] = {}
    pending: str | None = None  # a key whose value starts on a later line
    for k, line in enumerate(lines):
        if k == 0:
            if column < 0:
                continue  # '-' alone: the item's keys start on the next line
            start, content = column, line[column:]
        else:
            content = line.lstrip(" ")
            start = len(line) - len(content)
        if not content or content[0] == "#":
            continue
        if column < 0:
            column = start
        if start > column:
            if pending is not None:
                found[pending] = NodeMarks(found[pending].key, (line0 + k, start))
                pending = None
            continue
        if start < column or pending is not None:
            return None  # less indented than the keys, or a key with no value
        m = _KEY.match(content)
        if m is None:
            return None
        # One alternative matched: a plain, a single- or a double-quoted key.
        name = m.group(m.lastindex or 1).rstrip()
        if not name or name in found:
            return None
        value = content[m.end() :].lstrip(" ")
        if not value or value[0] == "#":
            pending = name
            found[name] = NodeMarks((line0 + k, start), (line0 + k, start))
        else:
            if value[0] == "*" or (value[0] in "'\"" and not _closed_quote(value)):
                return None  # an alias (marked at its anchor), or quotes over lines
            found[name] = NodeMarks(
                (line0 + k, start), (line0 + k, start + len(content) - len(value))
            )
    if pending is not None or not found:
        return None
    first = next(iter(found.values()))
    found[""] = NodeMarks(None, first.key or first.value)
    return found


def _closed_quote(value: str) -> bool:
    """Whether a quoted scalar that starts ``value`` (one line) ends on it."""
    return (_DOUBLE_QUOTED if value[0] == '"' else _SINGLE_QUOTED).match(value) is not None


#: A quoted scalar closed on its line. Possessive, so an escape is never read
#: back as a closing quote: ``\\"`` and ``''`` are escapes, scanned left to right.
_DOUBLE_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*+"')
_SINGLE_QUOTED = re.compile(r"'(?:[^']|'')*+'")


def load_yaml(
    path: Path, display: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[YamlDocument | None, list[Diagnostic]]:
    """Read and parse one file. Returns the document, or None with diagnostics
    saying why it could not be read."""
    shown = display or str(path)
    raw, problems = read_bounded(path, shown, max_bytes)
    if raw is None:
        return None, problems
    # Decoded here so the raw bytes are freed before parsing (a 50 MB file
    # would otherwise be held twice through the whole load).
    text, problem = decode(raw, shown)
    del raw
    if problem:
        return None, [problem]
    assert text is not None
    return parse_yaml(text, shown)


def read_bounded(
    path: Path, display: str, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[bytes | None, list[Diagnostic]]:
    """The bytes of a file no larger than ``max_bytes``, or None with the
    diagnostic saying why it could not be read."""
    try:
        size = os.stat(path).st_size
        raw = b""
        if size <= max_bytes:
            # At most one byte past the limit, whatever the size said: /dev/zero,
            # a FIFO or a file in /proc reports 0 and never ends (validate of
            # /dev/zero died of MemoryError, exit 70).
            with open(path, "rb") as f:
                raw = f.read(max_bytes + 1)
        if size > max_bytes or len(raw) > max_bytes:
            return None, [
                _diag(
                    "file-too-large",
                    f"file is {human_size(size)}, over the limit of {human_size(max_bytes)}"
                    if size > max_bytes
                    else f"file goes on past the limit of {human_size(max_bytes)}",
                    Location(display),
                    "split the taxonomy, or raise the limit with --max-file-size if this "
                    "size is intended",
                )
            ]
        return raw, []
    except OSError as exc:
        return None, [
            _diag("file-unreadable", f"cannot read file: {exc.strerror}", Location(display))
        ]


def human_size(n: int) -> str:
    """Sizes as people read them: '812 bytes', '3.4 kB', '52.1 MB' (decimal units)."""
    if n < 1000:
        return f"{n} bytes"
    if n < 1_000_000:
        return f"{n / 1000:.1f} kB"
    return f"{n / 1_000_000:.1f} MB"


def parse_yaml(raw: bytes | str, path: str) -> tuple[YamlDocument | None, list[Diagnostic]]:
    """Parse YAML text (bytes are decoded as UTF-8) into a :class:`YamlDocument`,
    its line breaks as line feeds (:func:`line_feeds`; a text read from git
    history does not pass through :func:`decode`)."""
    if isinstance(raw, bytes):
        text, problem = decode(raw, path)
        if problem:
            return None, [problem]
    else:
        text = line_feeds(raw) if "\r" in raw else raw
    assert text is not None
    if "\x00" in text:  # files read from disk were fully checked in _decode
        problem = _control_character(text, path)
        if problem:
            return None, [problem]
    # '!' in text is a fast scan; the regex and the event walk run only if it is there.
    if "!" in text and _MAYBE_TAG.search(text):
        problem = _check_tags(text, path)
        if problem:
            return None, [problem]
    try:
        with paused():
            data = load_text(text)
    except yaml_rs.YAMLDecodeError as exc:
        return None, [_explain_parse_error(text, path, str(exc))]
    if data is None:  # nothing but blank lines and comments
        return None, [
            _diag(
                "empty-file",
                "file is empty: a governed file holds one YAML mapping",
                Location(path),
                "add the file's content, or delete the file",
            )
        ]
    if not isinstance(data, dict):
        return None, [_not_a_mapping(text, path, data)]
    if _DEEP_FIRST_LINE.match(text) or _DEEP_LINE.search(text):
        problem = _too_deep(text, path)
        if problem:
            return None, [problem]
    return YamlDocument(path, text, data), []


def load_text(text: str) -> Any:
    """The data of a YAML text, read with taxops' parser settings (what
    :func:`parse_yaml` reads, without its checks)."""
    return yaml_rs.loads(
        text,
        parse_datetime=False,
        alias_limits=yaml_rs.AliasLimits(max_total_replayed_events=MAX_ALIAS_EVENTS),
    )


def plainly_readable(text: str, path: str) -> bool:
    """Whether none of :func:`parse_yaml`'s checks of the text itself (a
    control character, a tag, nesting too deep) has anything to say."""
    if "\x00" in text and _control_character(text, path):
        return False
    if "!" in text and _MAYBE_TAG.search(text) and _check_tags(text, path):
        return False
    return not ((_DEEP_FIRST_LINE.match(text) or _DEEP_LINE.search(text)) and _too_deep(text, path))


def _too_deep(text: str, path: str) -> Diagnostic | None:
    """Where the file nests deeper than :data:`MAX_NESTING` levels, if it does.
    Walks PyYAML's event stream, which stops at the first level too many."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_NESTING:
                    return _nesting_diag(path, _pos(event.start_mark))
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        if "nesting depth" in str(exc.problem):
            return _nesting_diag(path, _pos(exc.problem_mark))
    except yaml.YAMLError:
        pass
    return None


def _nesting_diag(path: str, mark: tuple[int, int]) -> Diagnostic:
    return _diag(
        "nesting-too-deep",
        f"the YAML nests more than {MAX_NESTING} levels deep here; governed files nest "
        "a few levels",
        Location.from_zero_based(path, *mark),
        "a label's place in the hierarchy is its 'parent:', not indentation: flatten the structure",
    )


# --- decoding -------------------------------------------------------------------


def decode(raw: bytes, path: str) -> tuple[str | None, Diagnostic | None]:
    """The text of a file's bytes (UTF-8, a byte-order mark dropped, line
    breaks as line feeds: :func:`line_feeds`), or the diagnostic saying where
    it is not UTF-8 or holds a control character."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n")
        col = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace"))
        return None, _diag(
            "not-utf8",
            f"file is not UTF-8: byte 0x{raw[exc.start]:02x} cannot be decoded",
            Location.from_zero_based(path, line, col),
            "save the file as UTF-8 (most editors: 'Save with encoding')",
        )
    # A byte-level scan in C (about 20 ms for 50 MB) decides whether the located
    # search runs at all.
    if raw.translate(None, _NOT_CONTROL_BYTES):
        return None, _control_character(text, path)
    return (line_feeds(text) if b"\r" in raw else text), None


def line_feeds(text: str) -> str:
    """``text`` with every line break written as a line feed: a file saved on
    Windows (or checked out there by git) ends its lines with CR LF, and an old
    Mac one with a lone CR. YAML reads each of the three as one line break and
    folds them to a line feed inside scalars, so the data, and the line and
    column of every node, are the same; but every line scan that places a
    finding without composing the file (the line index of a 200,000-label
    list, an item's own keys) reads lines by their line feed, and saw a CR LF
    file as one it could not read, composing it whole instead (4 times slower
    and 3 times the memory on a 97,000-code classification)."""
    text = text.replace("\r\n", "\n")
    return text.replace("\r", "\n") if "\r" in text else text


def _control_character(text: str, path: str) -> Diagnostic | None:
    m = _CONTROL_CHAR.search(text)
    if m is None:
        return None
    line = text.count("\n", 0, m.start())
    column = m.start() - (text.rfind("\n", 0, m.start()) + 1)
    return _diag(
        "control-character",
        f"file contains the control character U+{ord(m.group()):04X}, which YAML does not allow",
        Location.from_zero_based(path, line, column),
        "delete it (editors show it as a box, ^@ or <0x00>); a file full of them was "
        "probably saved as UTF-16: save it as UTF-8",
    )


# --- error explanation (slow path, runs only on bad input) ----------------------


def _explain_parse_error(text: str, path: str, message: str) -> Diagnostic:
    """Turn a yaml-rs error into a located diagnostic. PyYAML's composer gives the
    best mark for syntax errors; duplicate keys and alias bombs are found by
    walking the composed graph or the event stream."""
    if "duplicate mapping key" in message:
        dup = _find_duplicate_key(text, path)
        if dup:
            return dup
    if "alias" in message and ("limit" in message or "exceeded" in message):
        loc = _first_alias(text, path)
        return _diag(
            "alias-bomb",
            f"YAML aliases expand to more than {MAX_ALIAS_EVENTS:,} nodes; "
            "the file looks like an alias bomb",
            loc,
            "write the repeated content out, or use fewer nested aliases (*name)",
        )
    try:
        with paused():
            list(yaml.compose_all(text, Loader=yaml.CSafeLoader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        opened = _OPEN_CONSTRUCTS.get(exc.context or "")
        if opened and exc.context_mark is not None and exc.problem_mark is not None:
            # A bracket or quote left open is found lines later; a human points at
            # where it was opened.
            what, fix = opened
            pm, cm = exc.problem_mark, exc.context_mark
            return _diag(
                "yaml-syntax",
                f"invalid YAML in {what}: {problem} "
                f"(noticed at line {pm.line + 1}, column {pm.column + 1})",
                Location.from_zero_based(path, cm.line, cm.column),
                fix,
            )
        hint = (
            "YAML indents with spaces, never tabs" if "\\t" in problem or "tab" in problem else None
        )
        if mark is not None:
            return _diag(
                "yaml-syntax",
                f"invalid YAML: {problem}",
                Location.from_zero_based(path, mark.line, mark.column),
                hint or "check the indentation and quoting on this line and the one above",
            )
    first = message.splitlines()[0]
    m = _RS_POSITION.search(message)
    loc = Location(path, int(m.group(1)), int(m.group(2))) if m else Location(path)
    return _diag("yaml-syntax", f"invalid YAML: {first}", loc)


#: PyYAML contexts where the error belongs at the start of the construct.
_OPEN_CONSTRUCTS = {
    "while parsing a flow sequence": (
        "the [...] list that starts here",
        "close the list with ']' and separate its items with ','",
    ),
    "while parsing a flow mapping": (
        "the {...} mapping that starts here",
        "close the mapping with '}' and separate its entries with ','",
    ),
    "while scanning a quoted scalar": (
        "the quoted text that starts here",
        "close the quotes; inside double quotes, write a backslash as \\\\",
    ),
    "while scanning a simple key": (
        "the key that starts here",
        "write 'key: value', with a space after the ':'",
    ),
}


def _find_duplicate_key(text: str, path: str) -> Diagnostic | None:
    root = _compose(text)
    seen_nodes: set[int] = set()
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if id(node) in seen_nodes:
            continue
        seen_nodes.add(id(node))
        if isinstance(node, yaml.MappingNode):
            first: dict[str, yaml.Node] = {}
            for key, value in node.value:
                k = str(key.value)
                if k in first:
                    m = key.start_mark
                    prev = first[k].start_mark
                    return _diag(
                        "duplicate-key",
                        f"key '{k}' appears twice in the same mapping "
                        f"(first on line {prev.line + 1})",
                        Location.from_zero_based(path, m.line, m.column),
                        "keep one of the two entries; YAML keeps only the last silently",
                    )
                first[k] = key
                stack.append(value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return None


def _first_alias(text: str, path: str) -> Location:
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            if isinstance(event, yaml.AliasEvent):
                return Location.from_zero_based(path, *_pos(event.start_mark))
    except yaml.YAMLError:
        pass
    return Location(path)


def _check_tags(text: str, path: str) -> Diagnostic | None:
    """Reject explicit tags other than YAML's core ones (``!!python/object``,
    ``!custom``): governed files hold plain data only."""
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            tag = getattr(event, "tag", None)
            if tag and getattr(event, "implicit", (True,)) in (False, (False, False)):
                expanded = tag if not tag.startswith("!!") else _CORE_TAG_PREFIX + tag[2:]
                if expanded not in _CORE_TAGS:
                    m = event.start_mark
                    # PyYAML expands '!!x' to 'tag:yaml.org,2002:x'; show it as written.
                    core = tag.startswith(_CORE_TAG_PREFIX)
                    shown = "!!" + tag.removeprefix(_CORE_TAG_PREFIX) if core else tag
                    return _diag(
                        "yaml-tag",
                        f"YAML tag '{shown}' is not allowed: governed files hold plain data only",
                        Location.from_zero_based(path, *_pos(m)),
                        "remove the tag; write the value as plain text",
                    )
    except yaml.YAMLError:
        return None  # the parse below reports the syntax error with its position
    return None


def _not_a_mapping(text: str, path: str, data: Any) -> Diagnostic:
    starts = _document_starts(text)
    if len(starts) > 1:
        line, column = starts[1]
        return _diag(
            "multiple-documents",
            f"file holds {len(starts)} YAML documents; a governed file holds exactly one "
            "(the second starts here)",
            Location.from_zero_based(path, line, column),
            "split the documents into separate files (remove the '---' separators)",
        )
    what = "a list" if isinstance(data, list) else f"a single value ({type(data).__name__})"
    return _diag(
        "not-a-mapping",
        f"file holds {what}; a governed file is a YAML mapping of fields",
        Location(path),
        "start the file with its fields, e.g. 'id: ...' on the first line",
    )


def _document_starts(text: str) -> list[tuple[int, int]]:
    """0-based marks of each document's start ('---', or its first line)."""
    starts = []
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            if isinstance(event, yaml.DocumentStartEvent):
                starts.append(_pos(event.start_mark))
    except yaml.YAMLError:
        pass
    return starts


# --- the position index ---------------------------------------------------------


def _pos(mark: Any) -> tuple[int, int]:
    """(line, column), 0-based, of a PyYAML mark (the C parser always sets one)."""
    return (mark.line, mark.column) if mark is not None else (0, 0)


def _compose(text: str) -> yaml.Node | None:
    """The node graph with marks, or None when PyYAML cannot compose what yaml-rs
    read (YAML 1.1 differences such as U+2028 in plain text, or nesting past
    libyaml's limit): findings are then located at the file, not a crash."""
    try:
        with paused():
            return yaml.compose(text, Loader=yaml.CSafeLoader)
    except (yaml.YAMLError, RecursionError):
        return None


def _index_marks(text: str, prefix: Path_ = (), first_index: int = 0) -> dict[Path_, NodeMarks]:
    """Map the path of every node (keys and list indexes) to its 0-based marks.

    With ``prefix``, ``text`` is a slice of a larger file holding items of the
    list at ``prefix``, the first of which has index ``first_index``.
    """
    root = _compose(text)
    marks: dict[Path_, NodeMarks] = {}
    if root is None:
        return marks
    visited: set[int] = set()
    with paused():
        stack: list[tuple[Path_, tuple[int, int] | None, yaml.Node]] = [(prefix, None, root)]
        while stack:
            path, key_mark, node = stack.pop()
            m = node.start_mark
            if path != prefix or not prefix:
                marks[path] = NodeMarks(key_mark, (m.line, m.column))
            if id(node) in visited:  # an alias: its content is indexed at the anchor
                continue
            visited.add(id(node))
            if isinstance(node, yaml.MappingNode):
                for k, v in node.value:
                    km = k.start_mark
                    stack.append(((*path, _key(k)), (km.line, km.column), v))
            elif isinstance(node, yaml.SequenceNode):
                offset = first_index if (prefix and path == prefix) else 0
                for i, item in enumerate(node.value):
                    stack.append(((*path, i + offset), None, item))
    return marks


def _key(node: yaml.Node) -> str | int:
    """Keys as yaml-rs gives them: digits become ints, everything else a string."""
    value = node.value
    if isinstance(value, str) and value.isdigit() and node.tag.endswith(":int"):
        return int(value)
    return str(value)


def _diag(rule: str, message: str, loc: Location, hint: str | None = None) -> Diagnostic:
    return Diagnostic(rule, Severity.ERROR, message, loc, hint)
