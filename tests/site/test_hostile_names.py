"""Names are data, never markup: every plain-text field holding a payload that
breaks out of an HTML context (hostile_fields.PAYLOADS x FIELDS) reaches the
built site, its navigation, page titles and search index, as text. Read
statically (every page, the search index, the sitemap) and in Chromium (the
pages a labeler opens, and the search box)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hostile_fields import FIELDS, MEDIA_NAME, PAYLOADS, hostile_id, payload, taxonomy_id
from taxops.site.urls import label_page_name

Serve = Callable[[Path], str]

#: Tags a payload would bring; the theme and our templates never use them.
INJECTED_TAGS = {"svg", "iframe", "object", "embed"}


class _Tags(HTMLParser):
    """Start tags with their attributes, and the text of inline scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)


def injected(html: str, *, theme_svg_allowed: bool = False) -> list[str]:
    """What in ``html`` could only come from a payload: event handlers,
    autofocus, tags no page uses, ``javascript:`` URLs, scripts calling alert."""
    parser = _Tags()
    parser.feed(html)
    found = []
    for tag, attrs in parser.tags:
        if tag in INJECTED_TAGS and not (
            theme_svg_allowed and tag == "svg" and not attrs.get("onload")
        ):
            found.append(f"<{tag}>")
        if tag == "img" and attrs.get("src") == "x":
            found.append("<img src=x>")
        for name, value in attrs.items():
            if name.startswith("on") or name == "autofocus":
                found.append(f"<{tag} {name}>")
            if name in ("href", "src", "action") and value.strip().lower().startswith(
                "javascript:"
            ):
                found.append(f"<{tag} {name}=javascript:>")
    found += [f"script: {s[:40]}" for s in parser.scripts if "alert(" in s]
    return found


def test_the_table_covers_every_payload_in_every_field() -> None:
    assert len(PAYLOADS) >= 7 and len(FIELDS) >= 18


def test_no_built_page_carries_injected_markup(hostile_names_site: Path) -> None:
    pages = sorted(hostile_names_site.rglob("*.html"))
    assert len(pages) > 100
    problems = {
        str(p.relative_to(hostile_names_site)): found
        for p in pages
        if (found := injected(p.read_text(encoding="utf-8"), theme_svg_allowed=True))
    }
    assert problems == {}


def test_the_search_index_holds_text_not_markup(hostile_names_site: Path) -> None:
    index = json.loads((hostile_names_site / "search" / "search_index.json").read_text())
    problems = [
        (doc["location"], field, found)
        for doc in index["docs"]
        for field in ("title", "text")
        if (found := injected(doc[field]))
    ]
    assert problems == []
    # and the names are there, escaped, to be found
    titles = [doc["title"] for doc in index["docs"]]
    assert any(
        "First Charged twice &lt;img src=x onerror=alert(&#x27;name&#x27;)&gt;" in t for t in titles
    )


def test_the_sitemap_parses_and_lists_only_pages_of_the_site(hostile_names_site: Path) -> None:
    root = ET.fromstring((hostile_names_site / "sitemap.xml").read_text(encoding="utf-8"))
    locations = [e.text or "" for e in root.iter() if e.tag.endswith("loc")]
    assert locations and not [u for u in locations if "<" in u or '"' in u or "javascript:" in u]


@pytest.mark.parametrize("kind", sorted(PAYLOADS))
def test_the_page_title_header_nav_and_heading_show_the_name_literally(
    hostile_names_site: Path, kind: str
) -> None:
    page = hostile_names_site / taxonomy_id(kind) / "labels" / "group.first" / "index.html"
    html = page.read_text(encoding="utf-8")
    name = "First " + payload(kind, "name")
    title = re.search(r"<title>(.*?)</title>", html, re.DOTALL)
    assert title is not None
    assert _text(title.group(1)) == f"{name} (group.first) - Hostile names"
    h1 = re.search(r"<h1>(.*?)</h1>", html, re.DOTALL)
    assert h1 is not None and _text(h1.group(1)) == name
    # the navigation names the taxonomy by its guideline's (hostile) title, as text
    assert _escaped(payload(kind, "guideline-title")) in html


def test_a_label_whose_id_is_hostile_gets_a_page_inside_its_folder(
    hostile_names_site: Path,
) -> None:
    for kind in PAYLOADS:
        folder = hostile_names_site / taxonomy_id(kind) / "labels"
        page = folder / label_page_name(hostile_id(kind)) / "index.html"
        assert page.is_file(), kind
    # nothing was written outside the site
    assert not list(hostile_names_site.parent.glob("*.html"))


def test_a_media_file_with_a_hostile_name_is_published_and_linked(hostile_names_site: Path) -> None:
    assert (hostile_names_site / "_media" / "guidelines" / "media" / MEDIA_NAME).is_file()
    html = (
        hostile_names_site / taxonomy_id("tag") / "labels" / "group.first" / "index.html"
    ).read_text(encoding="utf-8")
    assert (
        "../../../_media/guidelines/media/it%27s%20a%20%22pic%22%20%3Cx%3E%20%26%20100%25.png"
        in html
    )


def _text(html_fragment: str) -> str:
    """The text a browser shows for an HTML fragment without tags."""
    import html

    assert "<" not in html_fragment, html_fragment
    return html.unescape(html_fragment).strip()


def _escaped(text: str) -> str:
    import html

    return html.escape(text, quote=True)


# --- in the browser --------------------------------------------------------------

_PAGES = (
    "",
    "labels/group.first/",
    "labels/group.gone/",
    "quiz/",
    "flashcards/",
    "cheat-sheet/",
    "decision-guide/",
    "edge-cases/",
    "changelog/",
    "changes/",
    "changes/1.0.0-to-2.0.0/",
)

_FIND_INJECTED = """() => {
  const bad = [];
  for (const e of document.querySelectorAll('*')) {
    for (const a of e.attributes) {
      if (a.name.startsWith('on') || a.name === 'autofocus') bad.push(e.tagName + ' ' + a.name);
    }
    if (['IFRAME', 'OBJECT', 'EMBED'].includes(e.tagName)) bad.push(e.tagName);
    if (e.tagName === 'IMG' && e.getAttribute('src') === 'x') bad.push('img src=x');
    if (e.tagName === 'SCRIPT' && e.textContent.includes('alert(')) bad.push('script');
  }
  return bad;
}"""


@pytest.fixture
def watched(browser: Any) -> Iterator[tuple[Any, list[str]]]:
    """A tab that records every dialog (alert, confirm...) a script opens."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    dialogs: list[str] = []

    def record(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    tab.on("dialog", record)
    yield tab, dialogs
    context.close()


def _visit(tab: Any, url: str) -> list[str]:
    tab.goto(url)
    tab.wait_for_load_state("load")
    tab.mouse.move(200, 200)
    tab.locator("article").hover()
    result: list[str] = tab.evaluate(_FIND_INJECTED)
    return result


@pytest.mark.parametrize("kind", sorted(PAYLOADS))
def test_no_payload_runs_on_any_page_a_labeler_opens(
    hostile_names_site: Path, serve: Serve, watched: tuple[Any, list[str]], kind: str
) -> None:
    tab, dialogs = watched
    base = serve(hostile_names_site)
    root = base + taxonomy_id(kind) + "/"
    found = {path: bad for path in _PAGES if (bad := _visit(tab, root + path))}
    found |= {
        name: bad for name in ("", "taxonomies/", "404.html") if (bad := _visit(tab, base + name))
    }

    # the label with the hostile id, reached from the home page's tree
    tab.goto(root)
    tab.locator(".tx-tree a", has_text="Third").first.click()
    tab.wait_for_load_state("load")
    assert tab.locator("article code.tx-id").inner_text() == hostile_id(kind)
    assert tab.locator("article h1").inner_text() == "Third " + payload(kind, "name")

    # the quiz: answer every question shown; the flashcards: turn them all
    tab.goto(root + "quiz/")
    for _ in range(tab.locator(".tx-question").count()):
        question = tab.locator(".tx-question:visible")
        if question.count() == 0:
            break
        question.locator(".tx-option").first.click()
        tab.locator(".tx-quiz-next").click()
    tab.goto(root + "flashcards/")
    for card in tab.locator("details.tx-card summary").all():
        card.click()
    assert tab.locator(".tx-card-name", has_text="First").first.inner_text() == (
        "First " + payload(kind, "name")
    )
    found["quiz and cards"] = tab.evaluate(_FIND_INJECTED)

    assert {k: v for k, v in found.items() if v} == {}
    assert dialogs == []


def test_search_results_show_hostile_names_as_text(
    hostile_names_site: Path, serve: Serve, watched: tuple[Any, list[str]]
) -> None:
    tab, dialogs = watched
    tab.goto(serve(hostile_names_site))
    for words in ("First", "Charged twice", "title script", "onerror"):
        box = tab.locator("input.md-search__input")
        box.click()
        box.fill("")
        box.press_sequentially(words, delay=15)
        tab.wait_for_selector(".md-search-result__item")
        tab.locator(".md-search-result__item").first.hover()
        assert tab.evaluate(_FIND_INJECTED) == [], words
    results = tab.locator(".md-search-result__item").all_inner_texts()
    assert any("onerror=alert('name')" in r for r in results), results[:3]
    assert dialogs == []


def test_findings_logged_by_the_build_stay_one_line_each(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The plugin logs validation findings into the build log, which CI reads:
    a label id with a line break must not forge a workflow command there."""
    import logging

    from conftest import build
    from hostile_fields import write_repository

    repo = write_repository(tmp_path / "repo")
    taxonomy = repo / "taxonomies" / taxonomy_id("tag") / "taxonomy.yaml"
    text = taxonomy.read_text(encoding="utf-8")
    taxonomy.write_text(
        text.replace("- id: group.second", '- id: "group.second\\n::error::forged"'),
        encoding="utf-8",
    )
    with caplog.at_level(logging.WARNING, logger="mkdocs"):
        build(repo / "mkdocs.yml", repo / "site-build", strict=False)
    messages = [r.getMessage() for r in caplog.records]
    assert any("::error::forged" in m for m in messages)
    assert not [m for m in messages if "\n" in m or "\r" in m]
