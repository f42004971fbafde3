"""A generated page skips MkDocs' Markdown render (its Markdown is front matter
alone): what the plugin sets instead is what MkDocs' own render sets for blank
Markdown, field by field, with the extensions a site configures."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from taxops.site.plugin import _render_nothing

FIELDS = ("content", "toc", "_title_from_render", "present_anchor_ids", "links_to_anchors")


@pytest.mark.parametrize("level", [logging.INFO, logging.DEBUG])
@pytest.mark.parametrize("markdown", ["", "\n", "  \n\n"])
def test_the_same_as_rendering_blank_markdown(tmp_path: Path, level: int, markdown: str) -> None:
    docs = tmp_path / "docs"
    (docs / "labels").mkdir(parents=True)
    (docs / "labels" / "x.md").write_text("---\ntitle: X\n---\n", encoding="utf-8")
    config = MkDocsConfig(config_file_path=str(tmp_path / "mkdocs.yml"))
    config.load_dict(
        {
            "site_name": "x",
            "docs_dir": str(tmp_path / "docs"),
            "markdown_extensions": [
                "admonition",
                "attr_list",
                "tables",
                {"toc": {"permalink": True}},
            ],
        }
    )
    assert not config.validate()[0]
    logger = logging.getLogger("mkdocs.structure.pages")
    before = logger.level
    logger.setLevel(level)
    try:
        pages = []
        for render in (Page.render, _render_nothing):
            file = File("labels/x.md", str(docs), str(tmp_path / "site"), use_directory_urls=True)
            page = Page(None, file, config)
            page.read_source(config)
            page.markdown = markdown
            render(page, config, Files([file]))
            pages.append(page)
    finally:
        logger.setLevel(before)
    rendered, skipped = pages
    for field in FIELDS:
        a, b = getattr(rendered, field), getattr(skipped, field)
        assert (list(a) if field == "toc" else a) == (list(b) if field == "toc" else b), field
