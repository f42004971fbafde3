"""A large taxonomy's site: labels on group pages, found with the label finder.

Bounded: a generated repository of 900 labels, built with the large-taxonomy
threshold lowered to 300 (and 60 labels a page), so the build takes the path a
100,000-label taxonomy takes. Checked: every label is a section of exactly one
group page, with its definition, examples and history; links to a label land
on its section; Material's search index leaves the group pages out; the
finder's pieces hold every label under each word of its name, id and aliases,
none over the limit; and in Chromium, typing a label's name in the finder
finds it and the link opens its section."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import build
from site_pages import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from site_build import generate, label_ids

LABELS = 900


#: The home's labels, a training deck's and a decision guide page's rules,
#: lowered as the thresholds are.
HOME_ROWS, DECK_SIZE, RULES_PER_PAGE, BRIEFING_ITEMS = 100, 50, 20, 10


def _large(m: pytest.MonkeyPatch) -> None:
    """The thresholds of a 100,000-label taxonomy, scaled down to this one's size."""
    from taxops.site import briefing, context, finder, label_groups, overview_pages, training

    m.setattr(label_groups, "LARGE_TAXONOMY", 300)
    m.setattr(label_groups, "GROUP_SIZE", 60)
    m.setattr(finder, "PIECE_LIMIT", 120)
    m.setattr(finder, "LOAD_LIMIT", 400)
    m.setattr(overview_pages, "HOME_ROWS", HOME_ROWS)
    m.setattr(training, "DECK_SIZE", DECK_SIZE)
    m.setattr(context, "RULES_PER_PAGE", RULES_PER_PAGE)
    m.setattr(briefing, "BRIEFING_ITEMS", BRIEFING_ITEMS)


@pytest.fixture(scope="module")
def large_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    repo = tmp_path_factory.mktemp("large-site") / "repo"
    repo.mkdir()
    generate(repo, LABELS)
    with pytest.MonkeyPatch.context() as m:
        _large(m)
        yield build(repo / "mkdocs.yml", repo / "site-build", strict=True)


FLAT = 400


@pytest.fixture(scope="module")
def flat_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A large taxonomy with no hierarchy at all (a flat list of codes)."""
    import site_build

    repo = tmp_path_factory.mktemp("flat-site") / "repo"
    repo.mkdir()
    with pytest.MonkeyPatch.context() as m:
        m.setattr(site_build, "FANOUT", FLAT + 1)  # every label a root
        generate(repo, FLAT)
    with pytest.MonkeyPatch.context() as m:
        _large(m)
        # Not strict: the generated guideline's decision rules group siblings,
        # and a flat list has none (an empty list, which validate reports).
        yield build(repo / "mkdocs.yml", repo / "site-build", strict=False)


def _html(site: Path) -> dict[str, str]:
    return {
        str(p.relative_to(site)): p.read_text(encoding="utf-8") for p in site.rglob("index.html")
    }


def test_labels_live_on_group_pages(large_site: Path) -> None:
    pages = _html(large_site)
    groups = {k: v for k, v in pages.items() if k.startswith("generated/labels/")}
    assert 900 / 60 <= len(groups) <= 900 / 20  # pages by group, not by label
    assert len(pages) < 100
    sections: dict[str, str] = {}
    for path, html in groups.items():
        for anchor in re.findall(r'<section class="tx-label" aria-labelledby="([^"]+)"', html):
            assert anchor not in sections, anchor
            sections[anchor] = path
    assert sorted(sections) == sorted(label for label, _ in label_ids(LABELS))
    some = next(iter(groups.values()))
    assert "Definition" in some and "Examples" in some and "History" in some


def _cards(html: str) -> list[str]:
    return re.findall(r'<details class="tx-card" id="card-([^"]+)"', html)


def test_the_home_and_the_training_decks_stay_bounded(large_site: Path) -> None:
    """The home shows the levels of the tree that fit (two levels hold 110
    labels here, over the 100 allowed: one level), and the flashcards and the
    cheat sheet a deck of the labels: an 89,000-code taxonomy's were a 47 MB
    and an 18 MB page."""
    home = (large_site / "generated" / "index.html").read_text(encoding="utf-8")
    assert home.count('class="tx-tree-node') == 10  # the ten roots
    assert "The top level of the tree" in home
    cards = (large_site / "generated" / "flashcards" / "index.html").read_text(encoding="utf-8")
    assert len(_cards(cards)) == DECK_SIZE
    assert f"{DECK_SIZE} of " in cards and "labels: those the guideline says most about" in cards
    sheet = (large_site / "generated" / "cheat-sheet" / "index.html").read_text(encoding="utf-8")
    assert sheet.count('class="tx-sheet-row"') == DECK_SIZE
    assert f"{DECK_SIZE} of " in sheet


def test_the_decision_guide_is_split_into_pages_that_links_find(large_site: Path) -> None:
    """A rule per sibling group made a 20 MB decision guide at 100,000 labels:
    a large taxonomy's guide holds at most RULES_PER_PAGE rules a page, every
    rule on exactly one page, each page listing the others, and every link to
    a rule (from a label's section, the cheat sheet) lands on its page."""
    folder = large_site / "generated" / "decision-guide"
    pages = {
        p.parent.relative_to(large_site / "generated").as_posix(): p.read_text(encoding="utf-8")
        for p in folder.rglob("index.html")
    }
    rules = {}
    for path, html in pages.items():
        found = [r for r in re.findall(r'<h2 id="([^"]+)"', html) if r != "when-unsure"]
        assert 0 < len(found) <= RULES_PER_PAGE
        for rule in found:
            assert rule not in rules, rule
            rules[rule] = path
    assert len(pages) == -(-len(rules) // RULES_PER_PAGE) > 1
    first = pages["decision-guide"]
    assert first.count('<li><a href="') + first.count("<li><strong>Rules 1 to") == len(pages)
    checked = 0
    sources = sorted((large_site / "generated" / "labels").rglob("index.html"))[:5]
    for html_path in [*sources, large_site / "generated" / "cheat-sheet" / "index.html"]:
        html = html_path.read_text(encoding="utf-8")
        for href in re.findall(r'href="([^"]*decision-guide/[^"]*#[^"]+)"', html):
            page, anchor = href.split("#")
            target = (html_path.parent / page / "index.html").resolve()
            assert f'id="{anchor}"' in target.read_text(encoding="utf-8"), href
            checked += 1
    assert checked > 0
    sheet = (large_site / "generated" / "cheat-sheet" / "index.html").read_text(encoding="utf-8")
    assert 0 < sheet.count('class="tx-sheet-rule"') < len(rules)


def test_a_briefing_lists_the_first_changes_and_counts_them_all(large_site: Path) -> None:
    """Every seventh definition changes between two releases: the briefing's
    summary counts them all, its section shows BRIEFING_ITEMS and says how
    many more there are (each label's section has its own history)."""
    seen = 0
    for page in (large_site / "generated" / "changes").glob("*/index.html"):
        html = page.read_text(encoding="utf-8")
        said = re.search(r"<li>([\d,]+) definitions changed</li>", html)
        shown = html.count('<h3 id="definition-')
        assert shown <= BRIEFING_ITEMS
        if said is None:
            continue
        total = int(said.group(1).replace(",", ""))
        if total > BRIEFING_ITEMS:
            seen += 1
            assert shown == BRIEFING_ITEMS
            assert f"And {total - BRIEFING_ITEMS:,} more changed definitions" in html
    assert seen


def test_a_flat_taxonomy_home_lists_its_pages_not_its_labels(flat_site: Path) -> None:
    """400 labels without parents: the top level alone is more than the home
    shows, so it lists the group pages, each titled with the part it holds."""
    home = (flat_site / "generated" / "index.html").read_text(encoding="utf-8")
    assert 'class="tx-tree-node' not in home
    listed = re.findall(
        r'<li><a href="(labels/[^"]+)">([^<]+)</a> <small>(\d+) labels</small>', home
    )
    assert [title for _, title, _ in listed] == [
        f"Top-level labels (labels {a + 1} to {min(a + 60, FLAT)} of {FLAT})"
        for a in range(0, FLAT, 60)
    ]
    assert sum(int(n) for _, _, n in listed) == FLAT
    for href, title, _ in listed:
        page = (flat_site / "generated" / href / "index.html").read_text(encoding="utf-8")
        assert f"<h1>{title}</h1>" in page
    cards = (flat_site / "generated" / "flashcards" / "index.html").read_text(encoding="utf-8")
    assert len(_cards(cards)) == DECK_SIZE


def test_a_link_to_a_label_lands_on_its_section(large_site: Path) -> None:
    home = (large_site / "generated" / "index.html").read_text(encoding="utf-8")
    hrefs = re.findall(r'<a href="(labels/[^"#]+#[^"]+)">', home)
    assert hrefs
    for href in hrefs[:50]:
        page, anchor = href.split("#")
        target = (large_site / "generated" / page / "index.html").read_text(encoding="utf-8")
        assert f'id="{anchor}"' in target


def test_search_index_leaves_label_scale_pages_to_the_finder(large_site: Path) -> None:
    """Material's index keeps the taxonomy's home only: group pages, the guide,
    edge cases, cards, sheet and changelog grow with the labels."""
    index = json.loads((large_site / "search" / "search_index.json").read_text())
    locations = {d["location"].split("#")[0] for d in index["docs"]}
    assert {loc for loc in locations if loc.startswith("generated/")} == {"generated/"}


def test_every_label_is_in_the_pieces_of_its_words(large_site: Path) -> None:
    from taxops.site.finder import piece_name, words

    folder = large_site / "generated" / "labels" / "_find"
    manifest = json.loads((folder / "manifest.json").read_text())
    pieces = manifest["pieces"]
    assert manifest["labels"] == LABELS
    # A word every label has ("category") has no piece: no search loads 900 labels.
    assert manifest["load_limit"] == 400
    assert max(n for k, n in pieces.items() if k.rstrip("$") == "category") == LABELS
    assert all((folder / piece_name(k)).exists() == (n <= 400) for k, n in pieces.items())
    loaded = {
        k: json.loads((folder / piece_name(k)).read_text()) for k in pieces if pieces[k] <= 400
    }
    assert all(len(v) == pieces[k] for k, v in loaded.items())
    for key, entries in loaded.items():
        if len(entries) > 120:  # only a whole word that many labels share
            word = key.rstrip("$")
            assert all(word in [w for t in (e[0], e[1], *e[4:]) for w in words(t)] for e in entries)
    for label, _ in label_ids(LABELS)[::37]:
        for word in words(label):
            best = max((k for k in pieces if not k.endswith("$") and word.startswith(k)), key=len)
            if pieces[best] <= 400:
                assert label in {entry[1] for entry in loaded[best]}, (label, word, best)


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()


def test_finder_finds_a_label_in_chromium(large_site: Path, serve: Any, page: Any) -> None:
    base = serve(large_site)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(base + "generated/")
    label, _ = label_ids(LABELS)[777]
    box = page.locator(".tx-finder-input").first
    box.click()
    box.press_sequentially(label, delay=15)
    result = page.locator(".tx-finder-results a").first
    result.wait_for()
    assert page.locator(".tx-finder-results code").first.inner_text() == label
    result.click()
    page.wait_for_url(re.compile(r"/generated/labels/.+#"))
    anchor = page.url.split("#", 1)[1]
    section = page.locator(f'[id="{anchor}"]')
    assert section.inner_text().startswith("Category 777")
    assert section.is_visible()
    # The search loaded one or two pieces of the index, never the whole of it.
    loaded = [u for u in requested if "/_find/" in u and not u.endswith("manifest.json")]
    assert 1 <= len(loaded) <= 2
    assert all(u.startswith(base) for u in requested)  # nothing from elsewhere
    # By name, a word with many labels: the rarest word decides.
    page.goto(base + "generated/")
    box = page.locator(".tx-finder-input").first
    box.press_sequentially("category 778", delay=15)
    page.locator(".tx-finder-results a", has_text="Category 778").first.wait_for()
    # A word every label has, alone: the finder asks for another word, loads nothing.
    requested.clear()
    box.fill("")
    box.press_sequentially("category", delay=15)
    page.locator(".tx-finder-status", has_text="Add another word").first.wait_for()
    assert not [u for u in requested if "/_find/" in u and not u.endswith("manifest.json")]
