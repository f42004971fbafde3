"""The repository's example content, built for real with ``mkdocs build --strict``
(the session fixture fails the session if any warning appears), then read."""

from __future__ import annotations

import html as html_text
import json
import re
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from site_pages import ROOT, main_content, scan
from taxops.history import load_taxonomy

TAXONOMIES = ("support-intents", "driving-objects")
TAXONOMY_PAGES = (
    "index.html",
    "decision-guide/index.html",
    "edge-cases/index.html",
    "changelog/index.html",
    "changes/index.html",
    "quiz/index.html",
    "flashcards/index.html",
    "cheat-sheet/index.html",
)


@pytest.mark.parametrize("taxonomy", TAXONOMIES)
def test_every_label_has_a_page_titled_with_its_name(example_site: Path, taxonomy: str) -> None:
    tax = load_taxonomy(ROOT / "taxonomies" / taxonomy / "taxonomy.yaml")
    for label in tax.labels:
        page = example_site / taxonomy / "labels" / label.id / "index.html"
        assert page.is_file(), f"no page for {label.id}"
        h1 = re.search(r"<h1>(.*?)</h1>", main_content(page))
        assert h1 and html_text.unescape(h1.group(1)) == label.name


@pytest.mark.parametrize("taxonomy", TAXONOMIES)
def test_each_taxonomy_has_home_guide_log_changelog_briefings_and_training(
    example_site: Path, taxonomy: str
) -> None:
    for name in TAXONOMY_PAGES:
        assert (example_site / taxonomy / name).is_file(), name
    briefings = sorted(
        p.parent.name for p in (example_site / taxonomy / "changes").glob("*/index.html")
    )
    # each step between releases, and from every older release to the newest
    assert briefings == ["1.0.0-to-1.1.0", "1.0.0-to-2.0.0", "1.1.0-to-2.0.0"]


def test_briefing_says_what_to_use_instead_of_each_label_that_left(example_site: Path) -> None:
    html = main_content(
        example_site / "support-intents" / "changes" / "1.1.0-to-2.0.0" / "index.html"
    )
    rows = re.findall(r"<tr>(.*?)</tr>", html, re.DOTALL)
    leaving = {re.search(r"<code>(.*?)</code>", r).group(1): r for r in rows if "<code>" in r}  # type: ignore[union-attr]
    assert set(leaving) == {
        "account.two_factor",
        "billing.refund_status",
        "returns.return_status",
        "product.general_question",
    }
    assert (
        'use <a href="../../labels/returns.refund_status/">Return or refund status</a>'
        in (leaving["billing.refund_status"])
    )
    assert "no single replacement" in leaving["product.general_question"]
    assert 'id="new-labels"' in html and "safety.product_hazard" in html


def test_a_split_asks_the_labeler_to_choose(example_site: Path) -> None:
    html = main_content(
        example_site / "driving-objects" / "changes" / "1.1.0-to-2.0.0" / "index.html"
    )
    assert (
        'choose for each item between <a href="../../labels/vehicle.truck_light/">Light truck</a>'
        ' or <a href="../../labels/vehicle.truck_heavy/">Heavy truck</a>'
    ) in html


def test_changed_definitions_are_shown_side_by_side_with_the_words_marked(
    example_site: Path,
) -> None:
    html = main_content(
        example_site / "support-intents" / "changes" / "1.0.0-to-1.1.0" / "index.html"
    )
    block = html[html.index('id="definition-orders.delivery_delay"') :]
    before, after = re.findall(r'<p class="tx-side-title">.*?</p><p>(.*?)</p>', block, re.DOTALL)[
        :2
    ]
    assert "<del>" in before and "<ins>" not in before
    assert "<ins>" in after and "promised delivery date" in re.sub(r"</?ins>", "", after)


def test_label_page_shows_examples_near_misses_rules_edge_cases_and_history(
    example_site: Path,
) -> None:
    html = main_content(
        example_site / "support-intents" / "labels" / "billing.charge_dispute" / "index.html"
    )
    assert "NORTHWIND*STORE on my card" in html  # a positive example, verbatim
    assert "You took 129 from my account twice" in html  # a near miss
    assert (
        '<strong>Correct label:</strong> <a href="../billing.double_charge/">Charged twice</a>'
        in html
    )
    assert 'href="../../decision-guide/#unknown-double-or-renewal"' in html  # its decision rule
    assert "Priya Raman (support-ops lead)" in html  # an edge case about it
    assert "<strong>1.0.0</strong>: in the first version" in html


def test_retired_label_page_is_marked_historical_and_says_what_to_use(example_site: Path) -> None:
    html = main_content(
        example_site / "driving-objects" / "labels" / "vehicle.truck" / "index.html"
    )
    assert "Historical guidance" in html
    assert 'href="../vehicle.truck_light/"' in html and 'href="../vehicle.truck_heavy/"' in html


def test_quiz_holds_every_example_and_near_miss_of_labels_in_use(example_site: Path) -> None:
    html = main_content(example_site / "support-intents" / "quiz" / "index.html")
    questions = re.findall(
        r'<section class="tx-question" id="q\d+" data-correct="([a-z_.]+)"', html
    )
    assert len(questions) > 100  # 55 labels, an example and a near miss each at least
    assert "billing.refund_status" not in questions  # retired: never an answer
    assert 'data-pass-mark="85"' in html and "set by the quality plan" in html


def test_no_page_loads_anything_from_elsewhere(example_site: Path) -> None:
    """Offline: scripts, styles, fonts, images and frames all come from the site."""
    for page in example_site.rglob("*.html"):
        for tag, attrs in scan(page).tags:
            for name in (
                ("src", "href") if tag in ("script", "img", "iframe", "source", "link") else ()
            ):
                url = attrs.get(name, "")
                if tag == "link" and attrs.get("rel") not in (
                    "stylesheet",
                    "icon",
                    "preload",
                    "modulepreload",
                ):
                    continue
                assert not urlsplit(url).scheme and not url.startswith("//"), (
                    f"{page}: <{tag} {name}={url}>"
                )
    for css in example_site.rglob("*.css"):
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", css.read_text()), css
    assert "fonts.googleapis" not in "".join(p.read_text() for p in example_site.rglob("*.html"))


def test_every_link_between_generated_pages_resolves(example_site: Path) -> None:
    for page in [
        *example_site.glob("support-intents/**/index.html"),
        *example_site.glob("driving-objects/**/index.html"),
    ]:
        for tag, attrs in scan(page).tags:
            url = attrs.get("href" if tag == "a" else "src", "") if tag in ("a", "img") else ""
            parts = urlsplit(url)
            if not url or parts.scheme or url.startswith(("#", "//")):
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            assert target.is_file(), f"{page.relative_to(example_site)}: broken link {url}"


def test_search_finds_labels_by_name_and_id(example_site: Path) -> None:
    index = json.loads((example_site / "search" / "search_index.json").read_text())
    docs = index["docs"]
    pages = {d["location"] for d in docs}
    assert "support-intents/labels/returns.refund_status/" in pages
    entry = next(
        d for d in docs if d["location"] == "support-intents/labels/returns.refund_status/"
    )
    assert entry["title"] == "Return or refund status (returns.refund_status)"
    assert not any(
        d["location"].startswith("support-intents/quiz/") for d in docs
    )  # answers stay out


def test_nothing_generated_is_committed() -> None:
    tracked = subprocess.run(
        ["git", "-C", str(ROOT), "ls-files", "site/docs"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split()
    if not tracked:
        pytest.skip("not a git checkout")
    assert not [p for p in tracked if p.startswith(tuple(f"site/docs/{t}/" for t in TAXONOMIES))]
    assert all(p.endswith((".md", ".json")) for p in tracked)
