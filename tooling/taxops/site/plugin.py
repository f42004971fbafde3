"""The MkDocs edge: ``plugins: [search, taxops]`` in ``mkdocs.yml``.

At build time it runs :func:`taxops.site.build.build_site` over the repository
and hands MkDocs the generated pages (nothing generated is committed), the media
they show and the site's own CSS and JavaScript; it adds each taxonomy to the
navigation, and under ``mkdocs serve`` it watches the governed YAML folders so a
saved guideline reloads the browser. Findings of the validation are logged as
warnings, so ``mkdocs build --strict`` fails on them.

Generated pages are MkDocs pages whose Markdown source is only front matter
(title, search settings); their body is the HTML our templates rendered, put in
place in ``on_page_content`` together with its table of contents.
"""

from __future__ import annotations

import json
import logging
import zlib
from collections.abc import Callable
from pathlib import Path
from types import MethodType
from typing import Any

import jinja2
from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page as MkPage
from mkdocs.structure.toc import get_toc

from taxops import escaping
from taxops.documents import governed_folders
from taxops.escaping import terminal
from taxops.formatting.text import summary_line
from taxops.site.build import DASHBOARD_FOLDER, SiteBuild, build_site
from taxops.site.nav_cache import NavCache, install
from taxops.site.navigation import arrange
from taxops.site.pages import COMPRESSED_FROM, Page, TocEntry
from taxops.site.search_ahead import SearchAhead
from taxops.site.search_sections import sections
from taxops.site.urls import page_url, relative_url

log = logging.getLogger("mkdocs.plugins.taxops")

ASSETS = Path(__file__).parent / "assets"
ASSET_FOLDER = "assets/taxops"


class TaxopsConfig(Config):  # type: ignore[no-untyped-call]
    repo = config_options.Type(str, default="")
    """The governance repository (holding taxonomies/), relative to mkdocs.yml.
    Default: the folder of mkdocs.yml."""
    nav = config_options.Type(bool, default=True)
    """Arrange the navigation: home, hand-written pages, a section per taxonomy."""
    guidelines_section = config_options.Type(str, default="Labeling guidelines")
    """With an explicit ``nav``: the top-level section the taxonomies' sections go
    into, when ``nav`` has one of that title (else they go at the top level)."""
    reference = config_options.Type(str, default="")
    """A docs folder of product reference pages, listed as one separate section
    (every page there, by title, with no nav entry needed). Empty: none."""
    reference_title = config_options.Type(str, default="Reference")
    """Title of that section."""
    dashboard = config_options.Type(str, default=DASHBOARD_FOLDER)
    """Folder (in the repository) of the quality and operations result files the
    dashboard section shows."""


class TaxopsPlugin(BasePlugin[TaxopsConfig]):  # type: ignore[no-untyped-call]
    def __init__(self) -> None:
        self.site: SiteBuild | None = None
        self.generated: dict[str, Page] = {}
        self.config_dir = Path(".")
        self.home_src: str | None = None
        self.scopes: dict[str, str] = {}
        #: Generated pages' bodies as handed to MkDocs, until the search index has them.
        self.bodies: dict[str, str] = {}
        #: Large generated bodies between MkDocs reading the pages and building
        #: each: compressed, and whether the body is still this plugin's own.
        self.parked: dict[str, tuple[bytes, bool]] = {}
        #: Generated pages whose body was parked: let go once each is written.
        self.unparked: set[str] = set()
        self.nav_cache: NavCache | None = None
        #: The worker reading the generated pages' search sections, if any.
        self.search_ahead: SearchAhead | None = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.config_dir = Path(config.config_file_path or ".").resolve().parent
        for name in sorted(p.name for p in ASSETS.iterdir()):
            target = f"{ASSET_FOLDER}/{name}"
            listing = config.extra_css if name.endswith(".css") else config.extra_javascript
            if name.endswith((".css", ".js")) and target not in [str(x) for x in listing]:
                listing.append(target)
        return config

    @property
    def root(self) -> Path:
        base = self.config_dir
        return (base / self.config.repo).resolve() if self.config.repo else base

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        if not (self.root / "taxonomies").is_dir():
            raise PluginError(
                f"taxops: {self.root} has no taxonomies/ folder; set 'repo:' to the repository"
            )
        self.site = build_site(
            self.root,
            directory_urls=config.use_directory_urls,
            site_name=config.site_name,
            dashboard=self.config.dashboard,
        )
        if self.site.blocking:
            # Personal data would reach a page or the search index: no build, strict or not.
            blocked = "; ".join(
                f"{d.location}: [{d.rule}] {d.message}" if d.location else d.message
                for d in sorted(self.site.blocking, key=lambda d: d.sort_key)
            )
            raise PluginError(
                f"taxops: the site is not built, it would publish personal data: {terminal(blocked)}"
            )
        # Findings inside frozen releases are history (fixed in a later version):
        # they are shown, but never fail a --strict build.
        found = sorted(self.site.diagnostics, key=lambda d: d.sort_key)
        current = [d for d in found if not d.data.get("frozen")]
        for d in found:
            # One log line per finding: a value holding a line break must not
            # start a line of its own (a CI log reads '::error::' as a command).
            text = f"{d.location}: [{d.rule}] {d.message}" if d.location else d.message
            (log.info if d.data.get("frozen") else log.warning)(escaping.terminal(text))
        if current:
            log.warning(f"taxops: {summary_line(current)}; run 'taxops validate' for hints")
        # Search keeps to the taxonomy being read: its folder and title.
        self.scopes = {s.pages[0].src.split("/", 1)[0]: s.title for s in self.site.nav if s.pages}
        # on_nav places the generated pages itself (navigation.arrange).
        self.generated = {}
        self.home_src = None
        pages = list(self.site.pages)
        if self.site.home is not None and files.get_file_from_path(self.site.home.src) is None:
            pages.append(self.site.home)  # the team wrote no home page
            self.home_src = self.site.home.src
        for page in pages:
            inclusion = (
                InclusionLevel.NOT_IN_NAV
                if self.config.nav or not page.nav
                else InclusionLevel.INCLUDED
            )
            self._add(
                files,
                File.generated(config, page.src, content=_front_matter(page), inclusion=inclusion),
            )
            self.generated[page.src] = page
        for repo_path, dest in self.site.media.items():
            self._add(files, File.generated(config, dest, abs_src_path=str(self.root / repo_path)))
        for dest, content in sorted(self.site.generated.items()):
            self._add(files, File.generated(config, dest, content=content))
        for asset in sorted(ASSETS.iterdir()):
            self._add(
                files,
                File.generated(config, f"{ASSET_FOLDER}/{asset.name}", abs_src_path=str(asset)),
            )
        return files

    @staticmethod
    def _add(files: Files, file: File) -> None:
        if files.get_file_from_path(file.src_uri) is not None:
            raise PluginError(
                f"taxops: docs/{file.src_uri} exists, but taxops generates that page; "
                "rename the hand-written file"
            )
        files.append(file)

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        if not self.config.nav or self.site is None:
            return nav
        return arrange(
            nav,
            self.site.nav,
            files,
            explicit=config.nav is not None,
            home_src=self.home_src,
            guidelines_section=self.config.guidelines_section,
            reference_folder=self.config.reference,
            reference_title=self.config.reference_title,
        )

    def on_page_markdown(
        self, markdown: str, /, *, page: MkPage, config: MkDocsConfig, files: Files
    ) -> str:
        """A generated page's Markdown is its front matter alone (read by now):
        rendering nothing needs no Markdown instance, whose set-up (the
        extensions' parsers) was about 7% of a 5,000-label build. The page gets
        what MkDocs' render gives empty Markdown; its body comes in
        ``on_page_content``. Anything another plugin added is rendered as usual."""
        if page.file.src_uri in self.generated and not markdown.strip():
            page.render = MethodType(_render_nothing, page)  # type: ignore[method-assign]
        return markdown

    def _page_content(
        self, html_: str, /, *, page: MkPage, config: MkDocsConfig, files: Files
    ) -> str:
        generated = self.generated.get(page.file.src_uri)
        if generated is None:
            return html_
        page.toc = get_toc([_toc_token(entry) for entry in generated.toc])
        html_, generated.html = generated.html, ""  # MkDocs keeps it from here: one copy
        body = _scope_marker(generated, page, self.scopes, config.use_directory_urls) + html_
        self.bodies[page.file.src_uri] = body
        return body

    @event_priority(-100)  # after every other plugin's on_page_content
    def _park(self, html_: str, /, *, page: MkPage, config: MkDocsConfig, files: Files) -> str:
        """A large generated body waits compressed until its page is built.
        MkDocs reads every page before it builds any, so it held every body at
        once: about 350 MB at 100,000 labels, at the build's peak. Every
        plugin's ``on_page_content`` has seen the body by now; it is back in
        place before any plugin's ``on_page_context``."""
        src = page.file.src_uri
        if src not in self.generated or len(html_) < COMPRESSED_FROM:
            return html_
        ours = html_ is self.bodies.get(src)
        self.bodies.pop(src, None)
        self.parked[src] = (zlib.compress(html_.encode(), 1), ours)
        return ""

    on_page_content = CombinedEvent(_page_content, _park)

    @event_priority(100)  # before every other plugin's on_page_context
    def _unpark(
        self, context: Any, /, *, page: MkPage, config: MkDocsConfig, nav: Navigation
    ) -> Any:
        src = page.file.src_uri
        parked = self.parked.pop(src, None)
        if parked is not None:
            packed, ours = parked
            page.content = zlib.decompress(packed).decode()
            if ours:
                self.bodies[src] = page.content
            self.unparked.add(src)
        return context

    @event_priority(50)  # before Material's search plugin reads the page, wherever it is listed
    def _search_entries(
        self, context: Any, /, *, page: MkPage, config: MkDocsConfig, nav: Navigation
    ) -> Any:
        """A generated page's search entries, read from its sanitised HTML by
        :mod:`taxops.site.search_sections` instead of by Material's HTML parser
        (a third of a large site's build). Only when the body is still the one
        this plugin produced (no other plugin rewrote it) and Material's search
        plugin is the one indexing; otherwise Material reads the page itself."""
        if self.nav_cache is not None:
            self.nav_cache.use(nav, config.extra.get("homepage"))
        src = page.file.src_uri
        body = self.bodies.pop(src, None)
        if body is None or page.content is not body:
            return context
        index = _material_search_index(config)
        search = page.meta.get("search") or {}
        if index is None or search.get("exclude"):
            return context
        if self.search_ahead is not None and self.search_ahead.defer(index, src, page):
            return context  # its entries are placed at the end, read by the worker
        for section in sections(body):
            if not section.excluded:
                index.create_entry_for_section(section, page.toc, page.url, page)
        page.meta["search"] = {**search, "exclude": True}  # indexed: Material skips it
        return context

    on_page_context = CombinedEvent(_unpark, _search_entries)

    @event_priority(-100)  # after every other plugin's on_post_page
    def on_post_page(self, output: str, /, *, page: MkPage, config: MkDocsConfig) -> str:
        """A parked page is written: its body is let go, as it was parked, so
        the bodies do not pile up again as the pages are built."""
        if page.file.src_uri in self.unparked:
            self.unparked.discard(page.file.src_uri)
            page.content = ""
        return output

    def on_env(
        self, env: jinja2.Environment, /, *, config: MkDocsConfig, files: Files
    ) -> jinja2.Environment:
        """Generated pages outside the navigation share its rendering, folder by
        folder (:mod:`taxops.site.nav_cache`), when the theme's is Material's.
        Every page has been read by now: a worker reads the generated pages'
        search sections while MkDocs builds them (:mod:`taxops.site.search_ahead`)."""
        cache = NavCache(set(self.generated))
        self.nav_cache = cache if install(env, cache) else None
        self._stop_search_ahead()
        if _material_search_index(config) is not None:
            self.search_ahead = SearchAhead.start(self._searchable_bodies(files))
        return env

    def _searchable_bodies(self, files: Files) -> dict[str, tuple[int, Callable[[], str]]]:
        """The generated bodies whose sections go into the search index (their
        page is not excluded from it), each with its size and what gives it."""
        out: dict[str, tuple[int, Callable[[], str]]] = {}
        for src in self.generated:
            file = files.get_file_from_path(src)
            page = file.page if file is not None else None
            if page is None or (page.meta.get("search") or {}).get("exclude"):
                continue
            if src in self.bodies:
                out[src] = (len(self.bodies[src]), _given(self.bodies[src]))
            elif self.parked.get(src, (b"", False))[1]:  # at least COMPRESSED_FROM characters
                out[src] = (COMPRESSED_FROM, _unpacked(self.parked[src][0]))
        return out

    @event_priority(100)  # before Material's search plugin writes the index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """The entries the worker read, each page's in its place."""
        ahead, self.search_ahead = self.search_ahead, None
        if ahead is None:
            return
        try:
            index = _material_search_index(config)
            if index is not None:
                ahead.place(index)
        finally:
            ahead.stop()

    def on_build_error(self, *, error: Exception) -> None:
        self._stop_search_ahead()

    def _stop_search_ahead(self) -> None:
        ahead, self.search_ahead = self.search_ahead, None
        if ahead is not None:
            ahead.stop()

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Any) -> Any:
        for folder in governed_folders():
            path = self.root / folder
            if path.is_dir():
                server.watch(str(path))
        return server


def _material_search_index(config: MkDocsConfig) -> Any:
    """The index of Material's search plugin when it is enabled, else None."""
    from material.plugins.search.plugin import SearchPlugin  # type: ignore[import-untyped]

    for plugin in config.plugins.values():
        if isinstance(plugin, SearchPlugin) and plugin.config.enabled:
            return getattr(plugin, "search_index", None)
    return None


def _given(body: str) -> Callable[[], str]:
    return lambda: body


def _unpacked(packed: bytes) -> Callable[[], str]:
    """A parked body, as it was before it was parked."""
    return lambda: zlib.decompress(packed).decode()


def _scope_marker(
    generated: Page, page: MkPage, scopes: dict[str, str], directory_urls: bool
) -> str:
    """A hidden element naming the taxonomy a page belongs to, which the site's
    search script reads to keep results within that taxonomy."""
    folder = generated.src.split("/", 1)[0]
    if "/" not in generated.src or folder not in scopes:
        return ""
    root = relative_url(page_url(f"{folder}/index.md", directory_urls), page.url)
    return (
        f'<div class="tx-scope" hidden data-root="{escaping.html_text(root)}" '
        f'data-title="{escaping.html_text(scopes[folder])}"></div>'
    )


def _render_nothing(self: MkPage, config: MkDocsConfig, files: Files) -> None:
    """What ``mkdocs.structure.pages.Page.render`` sets for blank Markdown (a
    test holds the two equal): no content, no table of contents, no title from
    the body, no anchors and no links to anchors."""
    self.content = ""
    self.toc = get_toc([])
    self._title_from_render = None
    self.present_anchor_ids = set()
    if logging.getLogger("mkdocs.structure.pages").getEffectiveLevel() > logging.DEBUG:
        self.links_to_anchors = {}


def _front_matter(page: Page) -> str:
    """The Markdown source MkDocs sees: the title and search settings (JSON is YAML).

    MkDocs and the theme treat a page title as HTML (it goes unescaped into
    ``<title>``, the header, the navigation and the search index, whose results
    the theme renders as HTML), while ours are plain text that may hold a
    label's name: so it is HTML-escaped here, once, for all of them."""
    lines = ["---", f"title: {json.dumps(escaping.html_text(page.title))}"]
    if not page.searchable:
        lines += ["search:", "  exclude: true"]
    elif page.search_boost != 1.0:
        lines += ["search:", f"  boost: {page.search_boost}"]
    return "\n".join([*lines, "---", ""])


def _toc_token(entry: TocEntry) -> Any:
    return {
        "level": entry.level,
        "id": entry.id,
        "name": escaping.html_text(entry.title),
        "children": [_toc_token(child) for child in entry.children],
    }
