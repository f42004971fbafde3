"""The dashboard section: built from the result files under reports/ (the
repository's own, committed by the README tour's commands), checked in the
built site, in a phone-sized browser, and against hostile values in results."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from taxops.site.dashboard import build_dashboard

Serve = Callable[[Path], str]
ROOT = Path(__file__).resolve().parents[2]


def test_dashboard_pages_and_charts_are_in_the_site(example_site: Path) -> None:
    board = example_site / "dashboard"
    for page in (
        "index.html",
        "agreement/index.html",
        "scorecards/index.html",
        "delivery/index.html",
    ):
        assert (board / page).is_file(), page
    scorecards = (board / "scorecards" / "index.html").read_text(encoding="utf-8")
    assert "harbor-text-labs" in scorecards and "MISSED" in scorecards
    assert 'src="../charts/scorecard-0-turnaround.svg"' in scorecards
    charts = sorted((board / "charts").glob("*.svg"))
    assert charts
    for chart in charts:
        text = chart.read_text(encoding="utf-8")
        assert text.startswith("<svg") and "<title>" in text and "<script" not in text


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()


@pytest.mark.parametrize("section", ["agreement", "scorecards", "delivery"])
def test_dashboard_reads_on_a_phone_offline(
    example_site: Path, serve: Serve, phone: Any, section: str
) -> None:
    base = serve(example_site)
    requested: list[str] = []
    phone.on("request", lambda r: requested.append(r.url))
    phone.goto(base + f"dashboard/{section}/")
    images = phone.locator(".tx-dash-chart img")
    assert images.count() >= 1
    for i in range(images.count()):
        image = images.nth(i)
        image.scroll_into_view_if_needed()
        box = image.bounding_box()
        assert box is not None and box["width"] <= 390
        assert phone.evaluate(
            "(img) => img.complete && img.naturalWidth > 0", image.element_handle()
        )
    # The page itself does not scroll sideways (wide tables scroll in their own box).
    assert phone.evaluate("document.documentElement.scrollWidth") <= 391
    assert [url for url in requested if not url.startswith(base)] == []


def test_hostile_values_in_results_are_escaped(tmp_path: Path) -> None:
    evil = '<script>alert(1)</script>\x1b]0;x\x07"'
    report = {
        "schema": "taxops/quality-agreement/1",
        "taxonomy": evil,
        "plan_metric": "krippendorff_alpha",
        "overall": {"krippendorff_alpha": {"value": 0.5, "ci_low": 0.4, "ci_high": 0.6}},
        "labels": {
            evil: {"chosen": 3, "krippendorff_alpha": {"value": 0.2, "ci_low": 0.1, "ci_high": 0.3}}
        },
        "vendors": {
            evil: {"items": 3, "krippendorff_alpha": {"value": 0.2, "ci_low": 0.1, "ci_high": 0.3}}
        },
        "weeks": {"2025-03-03": {"krippendorff_alpha": 0.5, "labels": {evil: 0.2}}},
        "targets": [{"scope": "overall", "metric": "krippendorff_alpha", "target": 0.8}],
        "findings": [],
    }
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "a.json").write_text(json.dumps(report), encoding="utf-8")
    (tmp_path / "reports" / "broken.json").write_text("{not json", encoding="utf-8")
    board = build_dashboard(tmp_path, "reports")
    assert [d.rule for d in board.diagnostics] == ["dashboard-result-unreadable"]
    for content in board.files.values():
        assert "<script>" not in content and "\x1b" not in content
        assert "&lt;script&gt;" in content
    from taxops.site.render import render_page

    for page in board.pages:
        html = render_page(page)
        assert "<script>" not in html and "\x1b" not in html
