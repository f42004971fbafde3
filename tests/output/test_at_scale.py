"""A change that removes 500 labels, as a new user makes it: every output stays
readable and bounded, each finding points at a line a reviewer can act on, and
``taxops fix`` writes the 500 tombstones, keeping every comment, so that
``taxops check`` passes; a second run changes nothing."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from taxops.cli.main import main

from .fleet import HEADER, released_and_edited

REMOVED = 500
GROUPS = 20
HEAD = "# The fleet taxonomy: edit by pull request.\n" + HEADER


def taxonomy(kept: int | None = None) -> str:
    """20 groups of 30 labels (label k of group g is ``g{g}.l{k}``), with a
    comment before each group; ``kept`` keeps only the first ``kept`` children
    of each group. The last 25 groups' worth of top-level labels go too."""
    out = [HEAD]
    for g in range(GROUPS):
        out.append(f"  # --- group {g} ---\n  - id: g{g}\n    name: Group {g}\n")
        for k in range(30):
            if kept is not None and k >= kept:
                continue
            out.append(
                f"  - id: g{g}.l{k}\n    name: Label {g}.{k}  # shown to labelers\n"
                f"    parent: g{g}\n    definition: Items of kind {g}.{k}.\n"
            )
    return "".join(out)


def _old_and_new() -> tuple[str, str]:
    old = taxonomy()
    new = taxonomy(kept=5)  # 25 children removed from each of 20 groups: 500
    return old, new


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return released_and_edited(tmp_path, *_old_and_new())


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    return code, capsys.readouterr().out


def test_text_starts_with_the_summary_and_stays_short(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run(capsys, "check", "--repo", str(repo))
    lines = out.splitlines()
    assert code == 3
    assert lines[0].startswith("2 files checked: ") and "501 errors" in lines[0]
    assert "major bump required" in lines[2]
    assert len(lines) < 100
    assert f"... and {REMOVED - 5} more [label-removed] errors not shown" in out
    assert "--max-findings 0 shows all" in lines[-1]
    code, everything = run(capsys, "check", "--repo", str(repo), "--max-findings", "0")
    assert everything.count("error [label-removed]") == REMOVED


def test_the_report_fits_in_a_comment(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out = run(capsys, "check", "--repo", str(repo), "--format", "markdown")
    assert len(out) < 60_000
    assert "501 findings in all; every one is in `taxops check --format json`" in out
    # 25 removals under each of 20 parents: one item per parent line, not 500.
    items = [line for line in out.splitlines() if line.startswith("- ❌")]
    assert len(items) == GROUPS + 1  # and the version
    assert "and 24 more findings of this rule here" in out


def test_annotations_are_capped_with_a_notice(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out = run(capsys, "check", "--repo", str(repo), "--format", "github")
    lines = out.splitlines()
    assert len([line for line in lines if line.startswith("::error ")]) == 10
    assert lines[-1].startswith("::notice ") and "not annotated" in lines[-1]


def test_removed_labels_point_at_a_line_a_reviewer_can_act_on(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Never the `labels:` key: the surviving parent, else where the label stood."""
    text = (repo / "taxonomies/fleet/taxonomy.yaml").read_text()
    # Remove every label of the last group, parent included: no ancestor survives.
    last = text.index(f"  # --- group {GROUPS - 1} ---")
    (repo / "taxonomies/fleet/taxonomy.yaml").write_text(text[:last], encoding="utf-8")
    labels_line = text[: text.index("labels:")].count("\n") + 1
    _, out = run(capsys, "check", "--repo", str(repo), "--format", "json")
    removed = [d for d in json.loads(out)["diagnostics"] if d["rule"] == "label-removed"]
    assert len(removed) == REMOVED + 5 + 1  # the last group's 5 kept children and itself
    lines = {d["location"]["line"] for d in removed}
    assert labels_line not in lines
    lost_group = [d for d in removed if d["data"]["label"].startswith(f"g{GROUPS - 1}")]
    # They stood after the last surviving label, which is now the file's last label.
    assert {d["location"]["line"] for d in lost_group} == {text[:last].rstrip("\n").count("\n") - 2}


def test_fix_writes_the_tombstones_and_check_passes(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = repo / "taxonomies/fleet/taxonomy.yaml"
    before = path.read_text()
    code, out = run(capsys, "fix", "--repo", str(repo), "--diff")
    assert code == 1 and path.read_text() == before  # --diff writes nothing
    assert out.startswith("--- a/taxonomies/fleet/taxonomy.yaml\n+++ b/")

    code, out = run(capsys, "fix", "--repo", str(repo))
    assert code == 0, out
    assert "500 removed labels kept as tombstones" in out and "version 1.0.0 -> 2.0.0" in out
    after = path.read_text()
    comments = [line for line in before.splitlines() if "#" in line]
    assert [line for line in after.splitlines() if "#" in line][: len(comments)] == comments
    assert re.findall(r"^ {2}# .*$", after, re.M) == re.findall(r"^ {2}# .*$", before, re.M)
    assert after.count("replacement: review") == REMOVED
    for g in range(1, GROUPS):  # each group's comment still introduces the group
        assert f"  # --- group {g} ---\n  - id: g{g}\n" in after

    code, out = run(capsys, "check", "--repo", str(repo))
    assert code == 0, out
    assert out.startswith(f"2 files checked: {REMOVED} warnings\n"), out  # label-retired
    code, out = run(capsys, "fix", "--repo", str(repo))
    assert (code, out) == (0, "nothing to fix\n")
    assert path.read_text() == after
