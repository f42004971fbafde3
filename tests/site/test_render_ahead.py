"""Every other label page rendered by a worker
(:func:`taxops.site.build._rendered_pages`): the pages are the ones rendered
here, whatever becomes of the worker, and a taxonomy shown by label groups
never has one (its views are let go as its pages are rendered)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from site_pages import ROOT
from taxops.site import build, context
from taxops.site.label_pages import LABEL_TEMPLATE


def _pages(root: Path) -> list[tuple[str, str, str, list[Any], bool, float]]:
    site = build.build_site(root)
    assert not site.diagnostics
    return [(p.src, p.title, p.html, list(p.toc), p.searchable, p.search_boost) for p in site.pages]


@pytest.fixture
def rendered_here(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The label pages this process renders itself."""
    parent, seen = os.getpid(), []
    real = build.render_page  # type: ignore[attr-defined]

    def render_page(page: Any) -> str:
        if os.getpid() == parent and page.template == LABEL_TEMPLATE:
            seen.append(page.src)
        return real(page)

    monkeypatch.setattr(build, "render_page", render_page)
    return seen


@pytest.fixture
def by_one_process(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, ...]]:
    with monkeypatch.context() as m:
        m.setenv("TAXOPS_JOBS", "1")
        return _pages(ROOT)


def test_the_worker_renders_every_other_label_page_as_this_process_would(
    monkeypatch: pytest.MonkeyPatch,
    workers: list[Any],
    by_one_process: list[tuple[Any, ...]],
    rendered_here: list[str],
) -> None:
    labels = [p[0] for p in by_one_process if "/labels/" in p[0]]
    rendered_here.clear()
    monkeypatch.setattr(build, "RENDER_APART_FROM", 0)
    assert _pages(ROOT) == by_one_process
    taxonomies = sorted(p.name for p in (ROOT / "taxonomies").iterdir() if p.is_dir())
    assert [w.done for w in workers] == [True] * len(taxonomies)
    # This process rendered half the label pages; the worker the other half.
    assert len(labels) > 40
    assert sorted(rendered_here) == sorted(labels[t] for t in _every_other(by_one_process))


def _every_other(pages: list[tuple[Any, ...]]) -> list[int]:
    """The label pages this process keeps: the first of each taxonomy's pair."""
    labels = [p[0] for p in pages if "/labels/" in p[0]]
    kept: list[int] = []
    seen: dict[str, int] = {}
    for k, src in enumerate(labels):
        folder = src.split("/", 1)[0]
        n = seen.get(folder, 0)
        if n % 2 == 0:
            kept.append(k)
        seen[folder] = n + 1
    return kept


@pytest.mark.parametrize("how", ["raises", "killed"])
def test_a_failing_worker_changes_nothing_but_time(
    how: str,
    monkeypatch: pytest.MonkeyPatch,
    workers: list[Any],
    by_one_process: list[tuple[Any, ...]],
    failing_in_workers: Any,
) -> None:
    render_page = failing_in_workers(build.render_page, how)  # type: ignore[attr-defined]
    monkeypatch.setattr(build, "render_page", render_page)
    monkeypatch.setattr(build, "RENDER_APART_FROM", 0)
    assert _pages(ROOT) == by_one_process
    assert workers and not any(w.done for w in workers)


def test_a_taxonomy_shown_by_label_groups_has_no_worker(
    monkeypatch: pytest.MonkeyPatch, workers: list[Any]
) -> None:
    monkeypatch.setattr(build, "RENDER_APART_FROM", 0)
    monkeypatch.setattr(context, "is_large", lambda taxonomy: True)
    templates = {p.template for p in build.build_site(ROOT).pages}
    assert "label_group.html.j2" in templates and LABEL_TEMPLATE not in templates
    assert workers == []
