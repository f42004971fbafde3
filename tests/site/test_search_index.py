"""Generated pages reach Material's search index through the taxops plugin
(:mod:`taxops.site.search_sections`), never through Material's HTML parser;
the index is the one Material would have written, whatever order the plugins
are listed in, and a page another plugin rewrote is left to Material."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import taxops.site.plugin
from conftest import build
from material.plugins.search.plugin import SearchIndex
from site_pages import ROOT

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


@pytest.mark.parametrize("plugins", ["search, taxops", "taxops, search"])
def test_material_parses_no_generated_page_and_writes_the_same_index(
    plugins: str,
    tmp_path: Path,
    parsed_by_material: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    repo = _repo(tmp_path / "ours", plugins)
    ours = _index(build(repo / "mkdocs.yml", repo / "site-build", strict=False))
    assert parsed_by_material == ["index.md"]  # the team's own page only

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
    tmp_path: Path, parsed_by_material: list[str]
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
