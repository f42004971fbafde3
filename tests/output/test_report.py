"""The pull-request report on the example repository: three edits to a
taxonomy (a label removed, a label retired without a replacement, a definition
reworded) are three causes to fix, each once, with their guideline fallout
under them; links go to the pull request's head and to each rule's page."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from taxops.cli.main import main
from taxops.diagnostics import Diagnostic, Location, Severity
from taxops.formatting import format_markdown
from taxops.formatting.markdown import links_from
from taxops.formatting.report import MARKER, Section

REPO_ROOT = Path(__file__).resolve().parents[2]
INTENTS = "taxonomies/support-intents/taxonomy.yaml"
PROMO = """\
  - id: billing.promo_code
    name: Promo code not working
    parent: billing
    definition: >-
      A promo code, gift card or voucher was rejected at checkout or did not reduce
      the price.
    aliases: [voucher, discount code]
"""


@pytest.fixture
def three_edits(tmp_path: Path) -> Path:
    """The example content, compared with its last release, after three edits."""
    for folder in ("taxonomies", "guidelines", "policies", "examples"):
        shutil.copytree(REPO_ROOT / folder, tmp_path / folder)
    path = tmp_path / INTENTS
    text = path.read_text(encoding="utf-8")
    assert PROMO in text
    text = text.replace(PROMO, "")
    text = text.replace(
        "  - id: account.locked\n    name: Account locked or suspended\n",
        "  - id: account.locked\n    name: Account locked or suspended\n    status: retired\n",
    )
    text = text.replace(
        "The same order or payment was charged more than once.",
        "The same order was charged more than once.",
    )
    path.write_text(text, encoding="utf-8")
    return tmp_path


def report(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    main(["check", "--repo", str(root), "--format", "markdown", *args])
    return capsys.readouterr().out


def test_causes_first_with_their_fallout_and_each_line_once(
    three_edits: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = report(three_edits, capsys)
    must_fix = out.split("### Must fix", 1)[1].split("\n###", 1)[0]
    causes = [line for line in must_fix.splitlines() if line.startswith("- ")]
    assert [re.search(r"\*\*`([a-z-]+)`\*\*", c).group(1) for c in causes] == [  # type: ignore[union-attr]
        "version-unchanged",
        "label-removed",
        "label-retired",
    ]
    # missing-replacement sits on label-retired's line: named there, not listed again.
    assert "(same line: **`missing-replacement`**)" in causes[2]
    fallout = must_fix.split(causes[1], 1)[1].split(causes[2], 1)[0]
    assert "it causes 3 findings elsewhere" in fallout and fallout.count("`unknown-label`") == 3
    assert "it causes 5 findings elsewhere" in must_fix.split(causes[2], 1)[1]
    places = re.findall(r"^\s*- \S+ `([^`]+:\d+)`", out, re.M)
    assert len(places) == len(set(places)), "a line is reported twice"
    # The unchanged taxonomy is left out (a count says it was compared).
    assert "driving-objects" not in out
    assert "_1 other taxonomy compared, without changes._" in out
    assert out.count(MARKER) == 1


def test_links_to_the_pull_requests_head_and_to_rule_pages(
    three_edits: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_SERVER_URL", "https://github.com")
    monkeypatch.setenv("GITHUB_REPOSITORY", "northwind/governance")
    monkeypatch.setenv("GITHUB_HEAD_REF", "split/truck")
    monkeypatch.setenv("GITHUB_RUN_ID", "42")
    out = report(three_edits, capsys, "--docs-url", "https://docs.example.org/taxops/")
    assert (
        "[`taxonomies/support-intents/taxonomy.yaml:129`](https://github.com/northwind/"
        "governance/blob/split%2Ftruck/taxonomies/support-intents/taxonomy.yaml#L129)"
    ) in out
    assert (
        "[`label-retired`](https://docs.example.org/taxops/reference/rules/#label-retired)" in out
    )
    assert "[this run](https://github.com/northwind/governance/actions/runs/42)" in out
    # A check of the guideline is no compatibility rule: it has no page to link.
    assert "**`unknown-label`**" in out


def test_link_bases_are_checked_and_encoded() -> None:
    assert links_from({}, "javascript:alert(1)").blob is None
    given = links_from({}, "https://x.example/a b/(c)<d>").blob
    assert given == "https://x.example/a%20b/%28c%29%3Cd%3E"
    assert links_from({}).blob is None and links_from({}).docs is None


@pytest.mark.parametrize(
    ("encoding", "icon"),
    [("latin-1", b"\\u274c **blocked**"), ("utf-8", "❌ **blocked**".encode())],
)
def test_markdown_to_a_stdout_of_any_encoding(
    three_edits: Path, encoding: str, icon: bytes
) -> None:
    """A latin-1 stdout gets the icon escaped and the rest as it is, instead of
    UnicodeEncodeError; UTF-8 output is untouched."""
    done = subprocess.run(
        [sys.executable, "-m", "taxops.cli.main", "check", "--format", "markdown"],
        cwd=three_edits,
        env={**os.environ, "PYTHONIOENCODING": encoding},
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 3, done.stderr
    assert done.stderr == b""
    assert icon in done.stdout


def _many(n: int, width: int) -> list[Diagnostic]:
    return [
        Diagnostic(
            f"rule-{i % 300}",
            Severity.ERROR if i % 3 else Severity.WARNING,
            f"label `{'x' * width}{i}` " + "is wrong " * (width // 9),
            Location(f"taxonomies/t{i % 40}/taxonomy.yaml", i + 1, 5),
            "y" * width,
            data={"taxonomy": f"t{i % 40}", "label": f"l{i}", "category": "breaking"},
        )
        for i in range(n)
    ]


def test_the_report_fits_whatever_the_findings(capsys: pytest.CaptureFixture[str]) -> None:
    """Thousands of rules, places and long values: lists shrink until it fits,
    and as a last resort the report is cut at a line, with its <details> closed."""
    for found in (_many(5000, 40), _many(3000, 2000)):
        out = format_markdown(found)
        assert len(out) <= 60_000
        assert out.count("<details") == out.count("</details>")
        assert out.startswith(MARKER)


def test_an_added_section_is_capped_with_the_others() -> None:
    """Sections another part adds (registered datasets) shrink with the report."""
    rows = [f"dataset-{i}" for i in range(10_000)]
    seen: list[int] = []

    def datasets(cap: int) -> list[str]:
        seen.append(cap)
        return ["### Registered datasets", "", *[f"- `{r}`" for r in rows[:cap]], ""]

    out = format_markdown(_many(200, 40), sections=[Section("datasets", datasets)])
    assert len(out) <= 60_000 and "### Registered datasets" in out
    # Inside the relabel impact, between its markers, without a placeholder.
    start, end = out.index("<!-- taxops:impact:start -->"), out.index("<!-- taxops:impact:end -->")
    assert start < out.index("### Registered datasets") < end
    assert "Not computed" not in out
    assert seen[0] == 50


@pytest.mark.parametrize(
    ("n", "word", "said"),
    [(1, "other taxonomy", "1 other taxonomy"), (2, "other taxonomy", "2 other taxonomies"),
     (3, "finding", "3 findings"), (2, "day", "2 days"), (1_200, "change", "1,200 changes")],
)  # fmt: skip
def test_counts_are_said_in_english(n: int, word: str, said: str) -> None:
    from taxops.formatting.report import _plural

    assert _plural(n, word) == said
