"""The items of a big list as they are written, and which of them two files
write the same.

A label whose item is the same text in two versions of a file is the same
label: YAML reads the same characters the same way, and the model validates
the same data the same way. Comparing two versions item by item as text finds
the labels that did not change without building, serialising or hashing any
of them (a 200,000-label file: about 0.1 s, where serialising every label to
digest it took 0.7 s), and a label that did not change need never be built
from a cache entry either.

That holds only for an item whose meaning is all in its own text. So a list
is read this way only when no item of it holds an alias (``*a``, which reads
an anchor from elsewhere) or a tag (``!x``, which ``%TAG`` directives can
redefine), nor a line that ends or starts a document (``---``, ``...``).
Finding one makes the whole list unfit (the caller compares labels as it
otherwise does); the characters ``*`` and ``!`` where they cannot start one
(``5 * 3``, ``Wow!``) do not. An anchor (``&a``) alone changes nothing.

The items are found in the text itself (the line scan of
:func:`~taxops.loading.yaml_source.YamlDocument.item_index`), never taken
from a cache entry: what is compared is what the file says.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Sequence
from dataclasses import dataclass

from taxops.loading.yaml_source import YamlDocument, _end_of_top_entry, _item_offsets

#: What may come before an alias or a tag: the start of a line, a space, or a
#: flow indicator.
_BEFORE_PROPERTY = frozenset(" \t\r\n[{,")
_BLANK = frozenset(" \t\r\n")
#: Each search starts with a literal character (a search in C, however large
#: the list): an alias has a name (not blank, no flow indicator), a tag is a
#: '!', a document marker three dashes or dots.
_ALIAS = re.compile(r"\*[^\s,\[\]{}]")
_TAG = re.compile("!")
_MARKERS = (re.compile("---"), re.compile(r"\.\.\."))


@dataclass(frozen=True)
class ListItems:
    """The items of one top-level list of a text: item ``i`` is
    ``text[bounds[i]:bounds[i + 1]]`` (its lines, from the dash to where the
    next item starts or the list ends)."""

    text: str
    bounds: array[int]

    def __len__(self) -> int:
        return len(self.bounds) - 1

    def item(self, i: int) -> str:
        return self.text[self.bounds[i] : self.bounds[i + 1]]

    def items(self, positions: Sequence[int]) -> str:
        """The items at ``positions`` (ascending), one after the other: a
        block sequence of those items alone, which reads as they do in place."""
        return "".join(map(self.item, positions))


def items_of(doc: YamlDocument, key: str) -> ListItems | None:
    """:func:`list_items` of the document's text, found once per document: the
    items are found in the text itself (its line index when it was read from
    its text, never offsets a cache entry gave)."""
    if key not in doc.items_found:
        text = doc.text
        starts = None if doc.adopted(key) else doc.item_starts(key)
        doc.items_found[key] = list_items(text, key, starts)
    found: ListItems | None = doc.items_found[key]
    return found


def list_items(text: str, key: str, starts: Sequence[int] | None = None) -> ListItems | None:
    """The items of the top-level block list ``key`` of ``text``, when each of
    them reads alone as it does in place (see the module); else None.
    ``starts``: where the items start, already found in this text."""
    found = _item_offsets(text, key) if starts is None else starts
    if not found:
        return None
    end = _end_of_top_entry(text, found[-1])
    if not _self_contained(text, found[0], end):
        return None
    return ListItems(text, array("q", [*found, end]))


def _self_contained(text: str, start: int, end: int) -> bool:
    """Whether no item between ``start`` and ``end`` holds an alias or a tag,
    and no document marker stands between two of them. Each is searched for
    from a literal character (most lists have none); where one is found, the
    character before it says whether it starts a node (``R*2`` and ``Wow!``
    do not). Read generously: one inside a quoted scalar counts too, which
    only costs the comparison by text. An anchor alone changes nothing: an
    item written the same reads the same with it, and no item can read it
    without an alias."""
    for marker in _MARKERS:
        for m in marker.finditer(text, start, end):
            at = m.start()
            if text[at - 1] == "\n" and (m.end() == len(text) or text[m.end()] in _BLANK):
                return False
    for found in (_ALIAS, _TAG):
        for m in found.finditer(text, start, end):
            at = m.start()
            if at == start or text[at - 1] in _BEFORE_PROPERTY:
                return False
    return True


def same_items(old: ListItems, new: ListItems, old_positions: Sequence[int | None]) -> list[int]:
    """The positions ``j`` of ``new``'s items written exactly as ``old``'s item
    ``old_positions[j]`` (None: no such item). Two items of different lengths
    are never sliced (about 0.3 microseconds a pair; the caller pauses the
    collector: chains of ``map`` were slower, and a collection pass over two
    loaded versions costs more than the loop)."""
    ob, nb = old.bounds, new.bounds
    ot, nt = old.text, new.text
    same = []
    for j, i in enumerate(old_positions):
        if i is None:
            continue
        a, b, c, d = ob[i], ob[i + 1], nb[j], nb[j + 1]
        if b - a == d - c and ot[a:b] == nt[c:d]:
            same.append(j)
    return same
