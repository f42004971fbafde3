"""A hierarchy of any depth validates, builds and renders: nothing walks the tree
with Python recursion. Past 32 levels validate warns (labelers cannot navigate
it); the tree on the home page keeps its nesting exactly."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from taxops.cli.main import main
from taxops.models.taxonomy import Taxonomy
from taxops.site.context import TaxonomySite
from taxops.site.overview_pages import home_page
from taxops.site.render import render_page
from taxops.site.timeline import Timeline

CONFIG = "site_name: t\ndocs_dir: site/docs\nsite_dir: site-build\ntheme: {name: material, font: false}\nplugins: [taxops]\n"


def _taxonomy_yaml(labels: list[tuple[str, str | None, str]]) -> str:
    lines = [
        "taxops: taxonomy/1", "id: deep", "title: Deep", "version: 1.0.0",
        "kind: hierarchical", "owners: ['@a']", "labels:",
    ]  # fmt: skip
    for label_id, parent, status in labels:
        lines += [f"- id: {label_id}", f"  name: Name {label_id}"]
        lines += [f"  parent: {parent}"] if parent else []
        lines += [f"  status: {status}", "  replacement: parent"] if status == "retired" else []
    return "\n".join(lines) + "\n"


def _chain(n: int) -> list[tuple[str, str | None, str]]:
    return [(f"l{i}", f"l{i - 1}" if i else None, "active") for i in range(n)]


class _Tree(HTMLParser):
    """The depth (nested <ul> count) of every <code>id</code> in the tree."""

    def __init__(self) -> None:
        super().__init__()
        self.depth, self.in_code, self.found = 0, False, []  # type: ignore[var-annotated]

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self.depth += tag == "ul"
        self.in_code = tag == "code"

    def handle_endtag(self, tag: str) -> None:
        self.depth -= tag == "ul"
        self.in_code = False

    def handle_data(self, data: str) -> None:
        if self.in_code:
            self.found.append((data, self.depth))


def _home_tree(labels: list[tuple[str, str | None, str]]) -> list[tuple[str, int]]:
    import yaml

    taxonomy = Taxonomy.model_validate(yaml.safe_load(_taxonomy_yaml(labels)))
    site = TaxonomySite(taxonomy=taxonomy, guideline=None, releases=[], root=None)
    html = render_page(home_page(site, Timeline.of([], taxonomy)))
    tree = html[html.index('<ul class="tx-tree">') :]
    parser = _Tree()
    parser.feed(tree)
    assert parser.depth == 0  # every list closed
    return parser.found


def test_the_tree_keeps_its_shape_with_retired_labels_last() -> None:
    labels = [
        ("a", None, "active"),
        ("a.old", "a", "retired"),
        ("a.x", "a", "active"),
        ("a.x.y", "a.x", "active"),
        ("b", None, "active"),
        ("a.z", "a", "active"),
    ]
    assert _home_tree(labels) == [
        ("a", 1), ("a.x", 2), ("a.x.y", 3), ("a.z", 2), ("a.old", 2), ("b", 1),
    ]  # fmt: skip


def test_a_chain_of_3000_parents_renders_without_recursion() -> None:
    found = _home_tree(_chain(3000))
    assert found == [(f"l{i}", i + 1) for i in range(3000)]


def _write(root: Path, labels: list[tuple[str, str | None, str]]) -> None:
    folder = root / "taxonomies" / "deep"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "taxonomy.yaml").write_text(_taxonomy_yaml(labels))


def test_validate_warns_past_32_levels_and_passes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(tmp_path, _chain(40))
    assert main(["validate", "--repo", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "warning [hierarchy-too-deep] label 'l39' is 40 levels deep" in out
    _write(tmp_path, _chain(32))
    assert main(["validate", "--repo", str(tmp_path)]) == 0
    assert "hierarchy-too-deep" not in capsys.readouterr().out


def test_site_build_of_a_600_level_chain(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The case that died with RecursionError: validate passed, the build crashed."""
    _write(tmp_path, _chain(600))
    (tmp_path / "site" / "docs").mkdir(parents=True)
    (tmp_path / "site" / "docs" / "index.md").write_text("# Home\n")
    (tmp_path / "mkdocs.yml").write_text(CONFIG)
    assert main(["site", "build", "--repo", str(tmp_path)]) == 0
    assert "internal error" not in capsys.readouterr().err
    deepest = tmp_path / "site-build" / "deep" / "labels" / "l599" / "index.html"
    assert deepest.read_text().count('href="../l') >= 599  # the whole breadcrumb trail
