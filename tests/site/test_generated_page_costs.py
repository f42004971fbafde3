"""How the taxops plugin spares Material work on generated pages, in real
builds: their search entries are read by :mod:`taxops.site.search_sections`,
never by Material's HTML parser (the index is the one Material would have
written, whatever order the plugins are listed in, and a page another plugin
rewrote is left to Material); pages outside the navigation share its rendering
(:mod:`taxops.site.nav_cache`) and Material's search box is rendered once per
build, and the site does not change by a byte."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path
from typing import Any

import pytest
import taxops.site.plugin
import taxops.site.search_ahead
from conftest import build
from material.plugins.search.plugin import SearchIndex
from site_pages import ROOT
from taxops.site.nav_cache import NavCache

CONFIG = """\
site_name: Support
docs_dir: site/docs
site_dir: site-build
theme: {{name: material, font: false}}
plugins: [{plugins}]
"""


# Not strict: the guideline alone, without the repository's policies, has findings.
def _repo(root: Path, plugins: str, extra: str = "") -> Path:
    (root / "taxonomies").mkdir(parents=True)
    shutil.copytree(
        ROOT / "taxonomies" / "support-intents", root / "taxonomies" / "support-intents"
    )
    (root / "guidelines").mkdir()
    shutil.copy(ROOT / "guidelines" / "support-intents.yaml", root / "guidelines")
    (root / "site" / "docs").mkdir(parents=True)
    (root / "site" / "docs" / "index.md").write_text("# Support\n\nWritten by the team.\n")
    (root / "mkdocs.yml").write_text(CONFIG.format(plugins=plugins) + extra)
    return root


def _index(site: Path) -> Any:
    return json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))


@pytest.fixture
def parsed_by_material(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The pages Material's search plugin parses itself."""
    seen: list[str] = []
    original = SearchIndex.add_entry_from_context

    def spy(self: SearchIndex, page: Any) -> None:
        if not (page.meta.get("search") or {}).get("exclude"):
            seen.append(page.file.src_uri)
        original(self, page)

    monkeypatch.setattr(SearchIndex, "add_entry_from_context", spy)
    return seen


@pytest.fixture(params=["page by page", "by a worker"])
def read(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """How the generated pages' sections are read: as each page is built, or
    all at once by a worker while the pages are built
    (:mod:`taxops.site.search_ahead`), however small the site. The workers
    forked (none page by page)."""
    if request.param == "page by page":
        monkeypatch.setenv("TAXOPS_JOBS", "1")
        return []
    monkeypatch.setattr(taxops.site.search_ahead, "READ_APART_FROM", 0)
    workers: list[Any] = request.getfixturevalue("workers")
    return workers


@pytest.mark.parametrize("plugins", ["search, taxops", "taxops, search"])
def test_material_parses_no_generated_page_and_writes_the_same_index(
    plugins: str,
    tmp_path: Path,
    parsed_by_material: list[str],
    monkeypatch: pytest.MonkeyPatch,
    read: list[Any],
) -> None:
    repo = _repo(tmp_path / "ours", plugins)
    ours = _index(build(repo / "mkdocs.yml", repo / "site-build", strict=False))
    assert parsed_by_material == ["index.md"]  # the team's own page only
    assert [w.done for w in read] == ([True] if read else [])

    # The same site with Material reading every page itself.
    parsed_by_material.clear()
    monkeypatch.setattr(taxops.site.plugin, "_material_search_index", lambda config: None)
    repo = _repo(tmp_path / "material", plugins)
    theirs = _index(build(repo / "mkdocs.yml", repo / "site-build", strict=False))
    assert "support-intents/labels/returns.refund_status.md" in parsed_by_material
    assert ours == theirs

    refund = [
        d
        for d in ours["docs"]
        if d["location"].startswith("support-intents/labels/returns.refund_status/")
    ]
    assert refund[0]["title"] == "Return or refund status (returns.refund_status)"
    assert {d["location"].split("#")[-1] for d in refund[1:]} >= {"definition", "examples"}
    assert all(d["text"] for d in refund[1:])


HOOK = """\
def on_page_content(html, page, config, files):
    return html + "<p>Reviewed by the hook of this site.</p>"
"""


def test_a_page_another_plugin_rewrote_is_read_by_material(
    tmp_path: Path, parsed_by_material: list[str], read: list[Any]
) -> None:
    repo = _repo(tmp_path, "search, taxops", extra="hooks: [hook.py]\n")
    (repo / "hook.py").write_text(HOOK)
    index = _index(build(repo / "mkdocs.yml", repo / "site-build", strict=False))
    assert "support-intents/labels/returns.refund_status.md" in parsed_by_material
    refund = [
        d["text"]
        for d in index["docs"]
        if d["location"].startswith("support-intents/labels/returns.refund_status/")
    ]
    assert any("Reviewed by the hook of this site." in text for text in refund)


ONE_PAGE_HOOK = """\
def on_page_content(html, page, config, files):
    if page.file.src_uri == "support-intents/labels/returns.exchange.md":
        return html + "<p>Reviewed by the hook of this site.</p>"
    return html
"""


def test_a_worker_places_each_page_where_it_is_built(
    tmp_path: Path,
    parsed_by_material: list[str],
    monkeypatch: pytest.MonkeyPatch,
    workers: list[Any],
) -> None:
    """One generated page among the others is left to Material, which indexes
    it in its turn: the entries the worker read go around it, each page's
    where it was built, so the index is the one made page by page."""
    monkeypatch.setattr(taxops.site.search_ahead, "READ_APART_FROM", 0)
    parent, read_here = os.getpid(), []
    real_read = taxops.site.search_ahead.read_sections

    def read_sections(body: str) -> Any:
        if os.getpid() == parent:
            read_here.append(body)
        return real_read(body)

    monkeypatch.setattr(taxops.site.search_ahead, "read_sections", read_sections)
    repo = _repo(tmp_path / "worker", "search, taxops", extra="hooks: [hook.py]\n")
    (repo / "hook.py").write_text(ONE_PAGE_HOOK)
    site = build(repo / "mkdocs.yml", repo / "site-build", strict=False)
    assert parsed_by_material == ["index.md", "support-intents/labels/returns.exchange.md"]
    assert [w.done for w in workers] == [True] and read_here == []  # all read by the worker
    locations = [d["location"] for d in _index(site)["docs"]]
    hooked = locations.index("support-intents/labels/returns.exchange/")
    # Material's entry sits among the generated pages the worker read, not after them.
    assert 0 < locations.index("support-intents/") < hooked < len(locations) - 10

    monkeypatch.setenv("TAXOPS_JOBS", "1")
    alone = _repo(tmp_path / "alone", "search, taxops", extra="hooks: [hook.py]\n")
    (alone / "hook.py").write_text(ONE_PAGE_HOOK)
    by_page = build(alone / "mkdocs.yml", alone / "site-build", strict=False)
    assert len(workers) == 1
    assert (site / "search" / "search_index.json").read_bytes() == (
        by_page / "search" / "search_index.json"
    ).read_bytes()
    assert _pages(site) == _pages(by_page)


@pytest.mark.parametrize("how", ["raises", "killed"])
def test_a_failing_worker_changes_nothing_but_time(
    how: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    workers: list[Any],
    failing_in_workers: Any,
) -> None:
    monkeypatch.setenv("TAXOPS_JOBS", "1")
    repo = _repo(tmp_path / "alone", "search, taxops")
    by_page = build(repo / "mkdocs.yml", repo / "site-build", strict=False)
    monkeypatch.delenv("TAXOPS_JOBS")
    monkeypatch.setattr(taxops.site.search_ahead, "READ_APART_FROM", 0)
    read_sections = failing_in_workers(taxops.site.search_ahead.read_sections, how)
    monkeypatch.setattr(taxops.site.search_ahead, "read_sections", read_sections)
    repo = _repo(tmp_path / "worker", "search, taxops")
    site = build(repo / "mkdocs.yml", repo / "site-build", strict=False)
    assert [w.done for w in workers] == [False] and workers[0].status != 0
    assert (site / "search" / "search_index.json").read_bytes() == (
        by_page / "search" / "search_index.json"
    ).read_bytes()


FAILING_HOOK = """\
def on_page_context(context, page, config, nav):
    if page.file.src_uri == "support-intents/labels/returns.exchange.md":
        raise RuntimeError("the hook of this site failed")
    return context
"""


def test_a_build_that_fails_stops_the_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: list[Any]
) -> None:
    monkeypatch.setattr(taxops.site.search_ahead, "READ_APART_FROM", 0)
    monkeypatch.setattr(taxops.site.search_ahead, "read_sections", lambda body: time.sleep(60))
    repo = _repo(tmp_path, "search, taxops", extra="hooks: [hook.py]\n")
    (repo / "hook.py").write_text(FAILING_HOOK)
    with pytest.raises(RuntimeError, match="the hook of this site failed"):
        build(repo / "mkdocs.yml", repo / "site-build", strict=False)
    assert len(workers) == 1 and not workers[0].done and workers[0].status is not None


def _pages(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*.html"))}


def test_pages_outside_the_nav_share_its_rendering_and_read_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rendered = _spy_on_kept(monkeypatch, "keep")
    repo = _repo(tmp_path / "shared", "search, taxops")
    shared = _pages(build(repo / "mkdocs.yml", repo / "site-build", strict=False))
    labels = [p for p in shared if p.startswith("support-intents/labels/")]
    assert len(labels) > 20
    folders = {k for k in rendered if k}
    assert ("", "support-intents", "labels") in folders
    # Each folder's navigation is rendered once; pages in the nav render their own.
    assert len([k for k in rendered if k]) == len(folders)
    assert len(rendered) < len(shared) - len(labels) + len(folders)

    # The same site with every page rendering its own navigation: not one byte differs.
    monkeypatch.setattr(taxops.site.plugin, "install", lambda env, cache: False)
    repo = _repo(tmp_path / "own", "search, taxops")
    assert _pages(build(repo / "mkdocs.yml", repo / "site-build", strict=False)) == shared


def _overriding(root: Path, partial: str, text: str) -> Path:
    """The test repository, with the site's own version of one of Material's partials."""
    repo = _repo(root, "search, taxops")
    config = (repo / "mkdocs.yml").read_text()
    (repo / "mkdocs.yml").write_text(
        config.replace(
            "{name: material, font: false}", "{name: material, font: false, custom_dir: overrides}"
        )
    )
    (repo / "overrides" / "partials").mkdir(parents=True)
    (repo / "overrides" / "partials" / partial).write_text(text)
    return repo


NAV_OVERRIDE = """\
{% include "partials/logo.html" %}<p class="tx-test-nav">{{ page.url }}</p>
"""


def test_a_site_that_overrides_the_navigation_renders_it_on_every_page(tmp_path: Path) -> None:
    repo = _overriding(tmp_path, "nav.html", NAV_OVERRIDE)
    site = build(repo / "mkdocs.yml", repo / "site-build", strict=False)
    for label in ("returns.refund_status", "returns.exchange"):
        html = (site / "support-intents" / "labels" / label / "index.html").read_text()
        assert f'<p class="tx-test-nav">support-intents/labels/{label}/</p>' in html


def _spy_on_kept(monkeypatch: pytest.MonkeyPatch, method: str) -> list[Any]:
    """The keys ``NavCache.<method>`` is given to keep (each one rendered)."""
    kept: list[Any] = []
    keep = getattr(NavCache, method)

    def count(self: NavCache, key: Any, html: Any) -> Any:
        kept.append(key)
        return keep(self, key, html)

    monkeypatch.setattr(NavCache, method, count)
    return kept


def test_the_search_box_is_rendered_once_for_every_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = _spy_on_kept(monkeypatch, "keep_search_box")
    repo = _repo(tmp_path / "once", "search, taxops")
    pages = _pages(build(repo / "mkdocs.yml", repo / "site-build", strict=False))
    assert len(kept) == 1
    box = b'<div class="md-search" data-md-component="search" role="dialog">'
    assert len(pages) > 20
    assert all(box in html for html in pages.values())
    # The same site with every page rendering its own: not one byte differs.
    monkeypatch.setattr(taxops.site.plugin, "install", lambda env, cache: False)
    repo = _repo(tmp_path / "own", "search, taxops")
    assert _pages(build(repo / "mkdocs.yml", repo / "site-build", strict=False)) == pages


HEADER_OVERRIDE = """\
<header class="tx-test-header">{{ page.title }}{% include "partials/search.html" %}</header>
"""


def test_a_site_that_overrides_the_header_renders_the_search_box_on_every_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The header decides the context the search box is rendered in: once it is
    # the site's own, nothing is assumed about it.
    kept = _spy_on_kept(monkeypatch, "keep_search_box")
    repo = _overriding(tmp_path, "header.html", HEADER_OVERRIDE)
    pages = _pages(build(repo / "mkdocs.yml", repo / "site-build", strict=False))
    assert kept == []
    assert all(b'class="md-search"' in html for html in pages.values())
