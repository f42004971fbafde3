"""The search sections taxops reads from a generated page are the ones Material's
search plugin would read: on every page the example repository and the hostile
one generate, and on random HTML that went through the sanitiser."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from material.plugins.search.plugin import Parser
from site_pages import ROOT
from taxops.site.build import build_site
from taxops.site.sanitise import sanitise
from taxops.site.search_sections import sections

Read = list[tuple[str | None, str, str, bool]] | str


def material(html: str) -> Read:
    """Material's reading, or the error it fails with (it does on some HTML)."""
    parser = Parser()
    try:
        parser.feed(html)
        parser.close()
    except ValueError as e:
        return f"ValueError: {e}"
    return [(s.id, "".join(s.title), "".join(s.text), s.is_excluded()) for s in parser.data]


def ours(html: str) -> Read:
    try:
        found = sections(html)
    except ValueError as e:
        return f"ValueError: {e}"
    return [(s.id, "".join(s.title), "".join(s.text), s.excluded) for s in found]


@pytest.mark.parametrize("repo", ["example", "malicious", "hostile names"])
def test_every_generated_page_reads_as_material_reads_it(
    repo: str, hostile_repo: Path, hostile_names_site: Path
) -> None:
    root = {"example": ROOT, "malicious": hostile_repo, "hostile names": hostile_names_site.parent}
    site = build_site(root[repo])
    pages = [p for p in site.pages if p.html]
    assert len(pages) > 10
    for page in pages:
        assert ours(page.html) == material(page.html), page.src


_TEXT = st.lists(
    st.sampled_from([*"ab <>&\"'\n\t", "&amp;", "&lt;", "&#39;", "é", "\u00a0", "→"]),
    max_size=12,
).map("".join)
_ATTRIBUTES = st.sampled_from(
    [
        "",
        ' class="headerlink"',
        ' class="linenodiv"',
        " data-search-exclude",
        ' title="a > b &quot;c&quot;"',
        ' id="x"',
        ' id="s-1" class="k"',
    ]
)
_TAGS = st.sampled_from(
    ["p", "div", "span", "a", "code", "pre", "li", "ul", "ol", "sub", "sup", "h1", "h2", "h3",
     "h4", "em", "table", "td", "details", "summary"]
)  # fmt: skip


def _tree(depth: int) -> st.SearchStrategy[str]:
    leaf = st.one_of(_TEXT, st.just("<br>"), st.just('<img src="a.png" alt="x > y">'))
    if depth == 0:
        return leaf
    element = st.builds(
        lambda tag, attrs, body: f"<{tag}{attrs}>{''.join(body)}</{tag}>",
        _TAGS,
        _ATTRIBUTES,
        st.lists(_tree(depth - 1), max_size=4),
    )
    return st.one_of(leaf, element)


@settings(max_examples=400, deadline=None)
@given(st.lists(_tree(4), max_size=6))
def test_random_sanitised_html_reads_as_material_reads_it(parts: list[str]) -> None:
    html = sanitise("".join(parts))
    assert ours(html) == material(html)


def test_a_section_is_cut_at_each_heading_with_an_id() -> None:
    html = sanitise(
        '<h1 id="top">Refund <a class="headerlink" href="#top">¶</a></h1><p>What &amp; why</p>'
        '<div><h2 id="examples">Examples</h2><ul><li>One</li><li></li></ul></div><p>After</p>'
        '<h2 id="hidden" data-search-exclude>Hidden</h2><p>not indexed</p>'
    )
    # As Material reads it: the permalink is left out of the title; a heading
    # nested in an element ends its section when that element closes ("After"
    # goes back to the page's own section); an excluded heading's section is
    # marked, to be left out of the index.
    assert ours(html) == [
        (None, "Refund ", "<p>What &amp; why</p><p>After</p>", False),
        ("examples", "Examples", "<ul><li>One</li><li></li></ul>", False),
        ("hidden", "", "<p>not indexed</p>", True),
    ]
    assert ours(html) == material(html)


def test_a_long_section_of_list_items_reads_as_material_reads_it() -> None:
    # Material looks for the first opening tag of a name when one closes: an
    # empty item after thousands of others is judged from the first item on.
    items = "".join(f"<li>card {k}</li>" for k in range(3000))
    html = sanitise(f'<h2 id="cards">Cards</h2><ul>{items}<li> </li><li></li></ul><p></p>')
    assert ours(html) == material(html)
