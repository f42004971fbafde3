"""A labeler's search keeps to the taxonomy they are reading, in the system
Chromium: results from other taxonomies are hidden (with a line saying how
many, and a button to see them), and labels no longer used say so in the
results."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from test_browser import page  # noqa: F401  (the page fixture)

Serve = Callable[[Path], str]


def search(page: Any, words: str) -> Any:  # noqa: F811
    """Type as a labeler does; the results left visible."""
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially(words, delay=20)
    page.wait_for_selector(".md-search-result__item:not([hidden])")
    return page.locator(".md-search-result__item:not([hidden]) > a")


def visible_links(page: Any) -> list[str]:  # noqa: F811
    return page.eval_on_selector_all(
        ".md-search-result__item:not([hidden]) > a", "links => links.map(a => a.pathname)"
    )


def test_search_keeps_to_the_taxonomy_being_read(
    example_site: Path,
    serve: Serve,
    page: Any,  # noqa: F811
) -> None:
    base = serve(example_site)
    page.goto(base + "support-intents/")
    search(page, "label")
    page.wait_for_selector(".tx-search-scope:not([hidden])")
    shown = visible_links(page)
    assert shown and all("/support-intents/" in link for link in shown), shown
    note = page.locator(".tx-search-scope").inner_text()
    assert "Results in Customer support intents only" in note and "elsewhere" in note
    page.locator(".tx-search-scope-toggle").click()
    assert any("/driving-objects/" in link for link in visible_links(page))


def test_retired_labels_are_marked_in_results(
    example_site: Path,
    serve: Serve,
    page: Any,  # noqa: F811
) -> None:
    base = serve(example_site)
    page.goto(base + "support-intents/")
    results = search(page, "refund status")
    titles = [results.nth(i).inner_text() for i in range(results.count())]
    assert any("Refund status (billing.refund_status), retired" in t for t in titles), titles
    assert any(
        t.startswith("Return or refund status") and "retired" not in t.split("\n")[0]
        for t in titles
    )
