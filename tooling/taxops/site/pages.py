"""The page model: what the site build hands to the templates and to MkDocs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


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
    toc: list[TocEntry] = field(default_factory=list)
    nav: bool = False
    #: Whether the page is in the search index (quiz answers are not).
    searchable: bool = True
    #: Weight of the page in search results (labels in use rank above retired ones).
    search_boost: float = 1.0
    #: Short title in the navigation, under the taxonomy's section ("Quiz").
    nav_title: str = ""
    #: Filled by the renderer: the page body as sanitised HTML.
    html: str = ""
