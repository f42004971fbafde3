"""The page model: what the site build hands to the templates and to MkDocs."""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, overload


@dataclass(frozen=True)
class TocEntry:
    """A heading of the page, for MkDocs' table of contents."""

    id: str
    title: str
    level: int = 2
    children: tuple[TocEntry, ...] = ()


@dataclass
class Page:
    """One generated page. ``view`` is the page-specific model the template reads;
    ``nav`` says whether the page is listed in the navigation (label pages and
    briefings are reached through links and search instead)."""

    src: str
    title: str
    template: str
    view: Any
    toc: Sequence[TocEntry] = field(default_factory=list)
    nav: bool = False
    #: Whether the page is in the search index (quiz answers are not).
    searchable: bool = True
    #: Weight of the page in search results (labels in use rank above retired ones).
    search_boost: float = 1.0
    #: Short title in the navigation, under the taxonomy's section ("Quiz").
    nav_title: str = ""
    #: The body (:attr:`html`), a large one compressed from when it is rendered
    #: until MkDocs takes it: a 100,000-label site's bodies are hundreds of MB.
    stored: str | bytes = field(default="", repr=False)

    @property
    def html(self) -> str:
        """Filled by the renderer: the page body as sanitised HTML."""
        body = self.stored
        return zlib.decompress(body).decode() if isinstance(body, bytes) else body

    @html.setter
    def html(self, value: str) -> None:
        large = len(value) >= COMPRESSED_FROM
        self.stored = zlib.compress(value.encode(), 1) if large else value


#: Bodies from this many characters are kept compressed (a group page of a
#: large taxonomy, the flashcards); a label's own page is left as it is.
COMPRESSED_FROM = 65_536
#: Contents of this many entries are kept packed (:class:`PackedToc`): a group
#: page's, which names every label of the page.
PACKED_FROM = 64


class PackedToc(Sequence[TocEntry]):
    """A rendered page's long table of contents (:data:`PACKED_FROM`), kept as
    one compressed string of bytes until MkDocs reads it. A group page's contents name its 200 labels:
    as entries, they were 55,000 small objects (and their names) that outlived
    everything built around them and kept the memory of the whole build from
    being given back before MkDocs needs it for the pages."""

    __slots__ = ("_packed",)

    def __init__(self, entries: Sequence[TocEntry]) -> None:
        self._packed = zlib.compress(json.dumps([_plain(e) for e in entries]).encode(), 1)

    def _entries(self) -> list[TocEntry]:
        return [_entry(item) for item in json.loads(zlib.decompress(self._packed))]

    def __len__(self) -> int:
        return len(self._entries())

    def __iter__(self) -> Iterator[TocEntry]:
        return iter(self._entries())

    @overload
    def __getitem__(self, index: int) -> TocEntry: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[TocEntry]: ...
    def __getitem__(self, index: int | slice) -> TocEntry | Sequence[TocEntry]:
        return self._entries()[index]


def _plain(entry: TocEntry) -> list[Any]:
    return [entry.id, entry.title, entry.level, [_plain(c) for c in entry.children]]


def _entry(item: list[Any]) -> TocEntry:
    return TocEntry(item[0], item[1], item[2], tuple(_entry(c) for c in item[3]))
