"""Large generated bodies wait compressed between MkDocs reading every page and
building each (``TaxopsPlugin._park``): the site is the same byte for byte, the
search index included, and no body is left parked or held once written."""

from __future__ import annotations

import filecmp
import os
from pathlib import Path
from typing import Any

import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from taxops.site import plugin, search_ahead

_ON_ENV = plugin.TaxopsPlugin.on_env


def _build(
    repo: Path, site_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Path, plugin.TaxopsPlugin, list[int]]:
    """A real build; the number of parked bodies when MkDocs has read every page."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    seen: list[int] = []
    on_env = _ON_ENV

    def counting(self: plugin.TaxopsPlugin, env: Any, /, **kwargs: Any) -> Any:
        seen.append(len(self.parked))  # after every page is read, before any is built
        return on_env(self, env, **kwargs)

    monkeypatch.setattr(plugin.TaxopsPlugin, "on_env", counting)
    config = load_config(config_file=str(repo / "mkdocs.yml"), site_dir=str(site_dir))
    taxops = config.plugins["taxops"]
    assert isinstance(taxops, plugin.TaxopsPlugin)
    mkdocs_build(config)
    return site_dir, taxops, seen


def _differences(a: Path, b: Path) -> list[str]:
    out: list[str] = []
    cmp = filecmp.dircmp(a, b)
    stack = [(cmp, Path())]
    while stack:
        node, where = stack.pop()
        out += [str(where / n) for n in node.left_only + node.right_only]
        out += [str(where / n) for n in node.diff_files if n != "sitemap.xml.gz"]
        stack += [(sub, where / name) for name, sub in node.subdirs.items()]
    return out


def test_parked_bodies_give_the_same_site(
    hostile_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(plugin, "COMPRESSED_FROM", 10**12)  # nothing parked
    whole, _, none_parked = _build(hostile_repo, tmp_path / "whole", monkeypatch)
    monkeypatch.setattr(plugin, "COMPRESSED_FROM", 1)  # every generated body parked
    parked, taxops, parked_counts = _build(hostile_repo, tmp_path / "parked", monkeypatch)
    assert none_parked == [0]
    assert parked_counts == [len(taxops.generated)] and parked_counts[0] > 5
    assert _differences(whole, parked) == []
    assert (parked / "search" / "search_index.json").read_bytes() == (
        whole / "search" / "search_index.json"
    ).read_bytes()
    assert taxops.parked == {} and taxops.unparked == set()  # each restored, then let go


def test_parked_bodies_read_by_a_worker_give_the_same_site(
    hostile_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: list[Any]
) -> None:
    """The search sections a worker reads from parked bodies (unpacked in the
    worker: :mod:`taxops.site.search_ahead`) are those read page by page."""
    monkeypatch.setattr(plugin, "COMPRESSED_FROM", 1)  # every generated body parked
    monkeypatch.setenv("TAXOPS_JOBS", "1")
    by_page, _, _ = _build(hostile_repo, tmp_path / "by-page", monkeypatch)
    monkeypatch.delenv("TAXOPS_JOBS")
    monkeypatch.setattr(search_ahead, "READ_APART_FROM", 0)
    ahead, taxops, _ = _build(hostile_repo, tmp_path / "ahead", monkeypatch)
    assert [w.done for w in workers] == [True]
    assert _differences(by_page, ahead) == []
    assert (ahead / "search" / "search_index.json").read_bytes() == (
        by_page / "search" / "search_index.json"
    ).read_bytes()
    assert taxops.parked == {} and taxops.search_ahead is None
