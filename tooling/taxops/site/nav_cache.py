"""The site navigation of generated pages outside the nav (label pages,
briefings), rendered once per folder instead of once per page.

Material renders the whole navigation into every page, and at 5,000 label pages
that was an eighth of a build. For a page that is not in the navigation,
Material's navigation partial depends on the page only through the relative
URLs it writes (no item is active, no table of contents is folded in), and
MkDocs makes a URL relative to a page from the page's folder: two pages in the
same parent folder (``<taxonomy>/labels/a/`` and ``<taxonomy>/labels/b/``) get
the same links, unless a link points into one of them. So the partial is
rendered for the first such page of a folder and reused for its siblings.

Only Material's own partials are cached: if a site overrides the navigation
(``custom_dir``), or any partial it includes, every page renders it itself.

Material's search box (``partials/search.html``) reads no page at all (only the
theme's language, icons and features): it is rendered once per build, for
every page, generated or not, when it and the templates that include it
(``main.html``, ``base.html``, ``partials/header.html``) are Material's own.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import jinja2

#: Material's partials the navigation is made of (nav-item renders each entry).
_PARTIALS = (
    "partials/nav.html",
    "partials/nav-item.html",
    "partials/logo.html",
    "partials/source.html",
)
_NAV = "partials/nav.html"
#: Material's search box and the templates on its way from the page: the
#: context it is rendered in is theirs.
_SEARCH = "partials/search.html"
_SEARCH_CHAIN = ("main.html", "base.html", "partials/header.html", _SEARCH)
_ORIGINAL = "taxops-theme"
_WRAPPER = (
    "{%- set taxops_key = taxops_nav_key(page) -%}"
    "{%- if taxops_key and taxops_nav_cached(taxops_key) is not none -%}"
    "{{- taxops_nav_cached(taxops_key) -}}"
    "{%- else -%}"
    "{%- set taxops_html -%}{% include '" + _ORIGINAL + "/" + _NAV + "' %}{%- endset -%}"
    "{{- taxops_nav_keep(taxops_key, taxops_html) -}}"
    "{%- endif -%}"
)
_ONCE = (
    "{%- set taxops_key = taxops_search_key(config.theme.language, features, config.theme.icon) -%}"
    "{%- if taxops_search_cached(taxops_key) is not none -%}"
    "{{- taxops_search_cached(taxops_key) -}}"
    "{%- else -%}"
    "{%- set taxops_html -%}{% include '" + _ORIGINAL + "/" + _SEARCH + "' %}{%- endset -%}"
    "{{- taxops_search_keep(taxops_key, taxops_html) -}}"
    "{%- endif -%}"
)


class NavCache:
    """Rendered navigations by folder, for the ``generated`` pages (by source
    path) that are not in the navigation."""

    def __init__(self, generated: set[str]) -> None:
        self.generated = generated
        self.nav: Any = None
        self.in_nav: set[str] = set()
        #: Where the navigation's links point, as path parts.
        self.targets: list[tuple[str, ...]] = []
        self.rendered: dict[tuple[str, ...], Any] = {}
        #: Material's search box, by what it reads (the same on every page,
        #: unless a plugin switches the language or features page by page).
        self.search: dict[str, Any] = {}

    def use(self, nav: Any, homepage: str | None = None) -> None:
        """The navigation the pages are rendered with (MkDocs hands it to
        every page; a new build, or a plugin, may replace it)."""
        if nav is self.nav:
            return
        self.nav, self.rendered = nav, {}
        self.in_nav = {p.file.src_uri for p in nav.pages}
        urls = [*(u for u in _urls(nav.items)), *([homepage] if homepage else [])]
        self.targets = [_parts(u) for u in urls]

    def key(self, page: Any) -> tuple[str, ...] | None:
        """The folder whose pages share ``page``'s navigation, or None when
        the page must render its own."""
        if self.nav is None or getattr(page, "file", None) is None:
            return None  # not yet in use, or a page of the theme's own (404)
        src = page.file.src_uri
        if src not in self.generated or src in self.in_nav or page.parent is not None:
            return None
        folder = _base(page.url)
        if not folder or any(t[: len(folder)] == folder for t in self.targets):
            return None  # a link points into the page's own folder
        return ("", *folder[:-1])  # never empty, so always true in a template

    def get(self, key: tuple[str, ...]) -> Any:
        return self.rendered.get(key)

    def keep(self, key: tuple[str, ...] | None, html: Any) -> Any:
        if key:
            self.rendered[key] = html
        return html

    @staticmethod
    def search_key(language: Any, features: Any, icons: Any) -> str:
        return repr((language, list(features or ()), dict(icons or {})))

    def search_box(self, key: str) -> Any:
        return self.search.get(key)

    def keep_search_box(self, key: str, html: Any) -> Any:
        self.search[key] = html
        return html


def install(env: jinja2.Environment, cache: NavCache) -> bool:
    """Serve Material's navigation partial through ``cache``; False (and
    nothing changed) when the theme's navigation is not Material's own."""
    if env.loader is None or not all(_is_materials(env, name) for name in _PARTIALS):
        return False
    original = env.loader
    wrappers = {_NAV: _WRAPPER}
    if all(_is_materials(env, name) for name in _SEARCH_CHAIN):
        wrappers[_SEARCH] = _ONCE
    env.loader = jinja2.ChoiceLoader(
        [
            jinja2.DictLoader(wrappers),
            jinja2.PrefixLoader({_ORIGINAL: original}),
            original,
        ]
    )
    env.globals.update(
        taxops_nav_key=cache.key,
        taxops_nav_cached=cache.get,
        taxops_nav_keep=cache.keep,
        taxops_search_key=cache.search_key,
        taxops_search_cached=cache.search_box,
        taxops_search_keep=cache.keep_search_box,
    )
    return True


def _is_materials(env: jinja2.Environment, name: str) -> bool:
    import material  # type: ignore[import-untyped]

    assert env.loader is not None
    try:
        _, filename, _ = env.loader.get_source(env, name)
    except jinja2.TemplateNotFound:
        return False
    return filename is not None and Path(filename).resolve().is_relative_to(
        Path(material.__file__).resolve().parent
    )


def _urls(items: Iterable[Any]) -> Iterable[str]:
    for item in items:
        if getattr(item, "url", None) is not None:
            yield str(item.url)
        yield from _urls(getattr(item, "children", None) or [])


def _base(url: str) -> tuple[str, ...]:
    """The folder MkDocs makes links relative to (``mkdocs.utils.get_relative_url``:
    the URL, without its last part when that part has a dot)."""
    folder, _, last = url.rpartition("/")
    return _parts(folder if "." in last else url)


def _parts(url: str) -> tuple[str, ...]:
    out: list[str] = []
    for part in url.split("#")[0].split("?")[0].split("/"):
        if part == "..":
            if out:
                out.pop()
        elif part not in ("", "."):
            out.append(part)
    return tuple(out)
