"""The site's navigation, in the order a labeler reads it.

Home first, then the hand-written pages, then one section per taxonomy with
short titles (Overview, What changed, Decision guide, ... Changelog: not
"Changelog: Comment toxicity"), then, only where the site has one, the product
reference, listed from its folder (every page there, ordered by title, with no
registration). When ``mkdocs.yml`` has an explicit ``nav``, it is kept and the
generated sections are added: inside its top-level section named like the
``guidelines_section`` option when there is one, else at the top level.
"""

from __future__ import annotations

import re
from typing import Any

from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page as MkPage

from taxops import escaping
from taxops.site.build import NavSection

_H1 = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.MULTILINE)


def arrange(
    nav: Navigation,
    sections: list[NavSection],
    files: Files,
    *,
    explicit: bool,
    home_src: str | None,
    guidelines_section: str,
    reference_folder: str,
    reference_title: str,
) -> Navigation:
    listed = {p.file.src_uri for p in nav.pages} if explicit else set()
    reference = _reference_pages(files, reference_folder, listed) if reference_folder else []
    skipped = {p.file.src_uri for p in reference}
    generated = {p.src for s in sections for p in s.pages}
    if home_src:
        generated.add(home_src)
    if explicit:
        items: list[Any] = list(nav.items)
    else:
        items = [i for i in _without(nav.items, generated | skipped) if i is not None]
        home = _page(files, home_src or "index.md")
        if home is not None and home_src:
            home.title = "Home"  # generated: its heading is the site's name
        items = [home, *[i for i in items if i is not home]] if home else items
    host: list[Any] = items
    if explicit:
        group = next(
            (i for i in items if isinstance(i, Section) and i.title == guidelines_section), None
        )
        if group is not None:
            host = group.children
            for child in host:
                child.parent = group
    for section in sections:
        children: list[Any] = [
            page
            for p in section.pages
            if p.src not in listed and (page := _page(files, p.src)) is not None
        ]
        if not children:
            continue
        # Navigation titles are HTML to the theme, as page titles are.
        short = {p.src: escaping.html_text(p.nav_title) for p in section.pages if p.nav_title}
        group = Section(escaping.html_text(section.title), children)
        if host is not items:
            group.parent = next(i for i in items if isinstance(i, Section) and i.children is host)
        for child in children:
            child.parent = group
            if child.file.src_uri in short:
                child.title = short[child.file.src_uri]
        host.append(group)
    if reference:
        existing = next(
            (i for i in items if isinstance(i, Section) and i.title == reference_title), None
        )
        target = existing or Section(reference_title, [])
        for page in reference:
            page.parent = target
        target.children.extend(reference)
        if existing is None:
            items.append(target)
    nav.items = items
    nav.pages = list(_pages(items))
    for i, page in enumerate(nav.pages):
        page.previous_page = nav.pages[i - 1] if i else None
        page.next_page = nav.pages[i + 1] if i + 1 < len(nav.pages) else None
    return nav


def _page(files: Files, src: str) -> MkPage | None:
    found = files.get_file_from_path(src)
    return found.page if found is not None else None


def _without(items: list[Any], drop: set[str]) -> list[Any]:
    """MkDocs' automatic items without the pages placed elsewhere (sections left
    empty are dropped)."""
    kept: list[Any] = []
    for item in items:
        if isinstance(item, Section):
            item.children = _without(item.children, drop)
            if item.children:
                kept.append(item)
        elif isinstance(item, MkPage):
            if item.file.src_uri not in drop:
                kept.append(item)
        else:
            kept.append(item)
    return kept


def _pages(items: list[Any]) -> list[MkPage]:
    out: list[MkPage] = []
    for item in items:
        if isinstance(item, Section):
            out += _pages(item.children)
        elif isinstance(item, MkPage):
            out.append(item)
    return out


def _reference_pages(files: Files, folder: str, listed: set[str]) -> list[MkPage]:
    """Every page under ``folder``, ordered by its first heading."""
    prefix = folder.strip("/") + "/"
    found = []
    for f in files.documentation_pages():
        if f.src_uri.startswith(prefix) and f.src_uri not in listed and f.page is not None:
            match = _H1.search(f.content_string)
            found.append(((match.group(1) if match else f.name).lower(), f.page))
    return [page for _, page in sorted(found, key=lambda x: (x[0], x[1].file.src_uri))]
