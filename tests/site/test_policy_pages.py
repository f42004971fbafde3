"""The 'Working with us' pages, from the example organisation's policy files:
each vendor's SLA and quality expectations, the workflows, each dataset spec as
a one-page document, and the privacy rules."""

from __future__ import annotations

from pathlib import Path

from site_pages import main_content


def _text(site: Path, page: str) -> str:
    import html
    import re

    body = main_content(site / page / "index.html")
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", body).split()))


def test_a_vendor_page_shows_its_sla_and_the_quality_expected(example_site: Path) -> None:
    text = _text(example_site, "working-with-us/vendors/lumen-annotation")
    assert "95 % of items delivered within 72 hours of task creation" in text
    assert "review 0.11 USD 2,500" in text
    assert "Krippendorff's alpha of at least 0.75" in text  # the SLA's floor
    assert "Krippendorff's alpha of at least 0.8" in text  # the quality plan's target
    assert "ISO 2859-1 acceptance sampling per lot: general inspection level II, AQL 2.5 %" in text
    assert "85 % on the quiz" in text
    assert "Turnaround missed 2 windows in a row: a service credit of 5 %" in text


def test_a_workflow_page_lists_stages_routes_and_who_decides(example_site: Path) -> None:
    text = _text(example_site, "working-with-us/workflows/support-ticket-labeling")
    assert "overlap label 15 % 2 Lumen Annotation Services disagreement → adjudicate" in text
    assert "Shift lead on duty (#support-intents-labeling) decides within 2 hours" in text


def test_a_dataset_spec_is_a_one_page_document(example_site: Path) -> None:
    text = _text(example_site, "working-with-us/specs/support-tickets-2025")
    for part in ("Train the ticket router", "400 items", "text text The customer's first message",
                 "product Priya Raman", "csv by 2025-05-15"):  # fmt: skip
        assert part in text, part


def test_the_privacy_page_says_what_is_masked_and_who_may_see_it(example_site: Path) -> None:
    text = _text(example_site, "working-with-us/privacy")
    assert "payment_card → [card ending …]" in text
    assert "1,095 days" in text and "lumen-annotation" in text
    assert "health" in text and "never" in text
