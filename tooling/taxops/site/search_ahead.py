"""The search sections of the generated pages, read by a second process while
MkDocs builds the pages.

Reading a generated page's sections (:mod:`taxops.site.search_sections`) is a
tenth of a 5,000-label build, and nothing waits for it until Material writes
its index, after the last page. Every generated body is known once MkDocs has
read the pages (``on_env``): a worker forked then (:class:`taxops.forked.Ahead`)
reads them all on another core while this process builds the pages. As each
page's turn comes, its place among Material's entries is noted
(:meth:`SearchAhead.defer`); before Material writes the index, each page's
entries are put in its place (:meth:`SearchAhead.place`), so the index is the
one made page by page. Where no worker may be forked (one core, another thread
running, ``--jobs 1``) or it fails, the sections are read here, with the same
result."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from taxops.forked import Ahead
from taxops.site.search_sections import Section, sections

#: From how many characters of generated pages to index a worker reads them:
#: below, forking and handing the sections back cost more than the reading.
READ_APART_FROM = 1 << 20

#: A page's sections as the index takes them: anchor, title and text, each
#: joined (Material joins them); excluded sections left out.
Found = list[tuple[str | None, str, str]]


def read_sections(body: str) -> Found:
    """The sections of one generated body that go into the index."""
    return [(s.id, "".join(s.title), "".join(s.text)) for s in sections(body) if not s.excluded]


def as_sections(found: Found) -> list[Section]:
    """Sections Material's ``create_entry_for_section`` reads as it reads
    :func:`sections`' own: a title with no piece stays without one (Material
    then takes the page's title), and every piece is never empty, so a joined
    title is empty only when it had none."""
    out = []
    for anchor, title, text in found:
        section = Section("", 0)
        section.id = anchor
        section.title = [title] if title else []
        section.text = [text]
        out.append(section)
    return out


@dataclass
class _Turn:
    """A page whose entries wait for the worker: where they go among the
    entries Material made itself, and the page's contents and address then."""

    at: int
    src: str
    page: Any
    toc: Any
    url: str


class SearchAhead:
    """The worker reading the sections, and the pages waiting for them."""

    def __init__(self, ahead: Ahead[dict[str, Found]], srcs: set[str]) -> None:
        self._ahead = ahead
        self._srcs = srcs
        self._turns: list[_Turn] = []

    @classmethod
    def start(cls, pages: dict[str, tuple[int, Callable[[], str]]]) -> SearchAhead | None:
        """A worker reading the sections of each page of ``pages`` (its size,
        and what gives its HTML), or None when they are read page by page as
        each is built: too little to read, or no worker. What gives each page
        is kept until the index is made: a worker that fails is replaced by
        reading them here."""
        if sum(size for size, _ in pages.values()) < READ_APART_FROM:
            return None
        ahead = Ahead(lambda: {src: read_sections(body()) for src, (_, body) in pages.items()})
        if ahead.worker is None:
            ahead.stop()
            return None
        return cls(ahead, set(pages))

    def defer(self, index: Any, src: str, page: Any) -> bool:
        """Whether the worker reads the page: then its turn in Material's
        ``index`` is noted, its entries are placed there later, and Material
        skips the page meanwhile."""
        if src not in self._srcs:
            return False
        self._turns.append(_Turn(len(index.entries), src, page, page.toc, page.url))
        page.meta["search"] = {**(page.meta.get("search") or {}), "exclude": True}
        return True

    def place(self, index: Any) -> None:
        """Every deferred page's entries, each in its place among Material's
        own, made by Material as at the page's turn: its contents and address
        then; its search settings (a boost) are kept as they were, beside the
        ``exclude`` that kept Material away."""
        if not self._turns:  # every page was left to Material: nothing to wait for
            self.stop()
            return
        found = self._ahead.result()
        self.stop()
        own, index.entries = index.entries, []
        done = 0
        for turn in self._turns:
            index.entries += own[done : turn.at]
            done = turn.at
            for section in as_sections(found[turn.src]):
                index.create_entry_for_section(section, turn.toc, turn.url, turn.page)
        index.entries += own[done:]
        self._turns = []

    def stop(self) -> None:
        """Stop the worker (a build that failed), if it still works."""
        self._ahead.stop()
