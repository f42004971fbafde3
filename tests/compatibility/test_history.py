"""Tolerant history: a publisher's mistakes inside a frozen release (a category
that is its own parent, two siblings with one name, a code listed twice) are
reported once, as warnings asking for the fix in the next version, and never
block comparing, mapping, migrating, releasing or publishing after them.
Waivers accept any validation finding, scoped to a file and a label.

The repository is ``history/``: one release with the mistakes, and the working
file that fixes them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from taxops.cli.main import main

HISTORY = Path(__file__).parent / "history"
RELEASE = "taxonomies/products/releases/2019.07.10.yaml"
WORKING = "taxonomies/products/taxonomy.yaml"
MISTAKES = ("[parent-cycle]", "[duplicate-sibling-name]", "[duplicate-label-id]")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return Path(shutil.copytree(HISTORY, tmp_path / "repo"))


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_findings_in_a_release_are_warnings_reported_once(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run(capsys, "validate", "--repo", str(repo))
    assert code == 0, out
    for rule in MISTAKES:
        [line] = [x for x in out.splitlines() if rule in x]
        assert line.startswith(f"{RELEASE}:") and ": warning [" in line
        assert line.endswith("(in a frozen release: fix it in the next version)")
    code, out = run(capsys, "check", "--repo", str(repo))
    assert code == 0, out
    assert all(out.count(rule) == 1 for rule in MISTAKES), out


def test_a_release_with_mistakes_can_be_compared_mapped_and_migrated_from(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run(capsys, "diff", "products@2019.07.10", "products", "--repo", str(repo))
    assert code == 0, out
    assert "label `3237` moved from `3237` to `1`" in out
    args = ["products", "--from", "2019.07.10", "--to", "2021.09.21", "--repo", str(repo)]
    code, out = run(capsys, "migration-map", *args, "--format", "json")
    assert code == 0, out
    entries = {e["label"]: e for e in json.loads(out)["entries"]}
    assert list(entries) == ["1", "3237", "2", "5", "6", "7"]  # '6' once: first wins
    assert (entries["7"]["mode"], entries["7"]["targets"]) == ("direct", ["8"])
    data = tmp_path / "listings.csv"
    data.write_text("sku,category\na,3237\nb,6\nc,7\nd,5\n")
    migrate = ["migrate", str(data), "--taxonomy", *args, "--label-column", "category"]
    code, out = run(capsys, *migrate, "-o", str(tmp_path / "out.csv"), "--no-progress")
    assert code == 0, out
    assert (tmp_path / "out.csv").read_text() == "sku,category\na,3237\nb,6\nc,8\nd,5\n"


def test_a_version_after_a_release_with_mistakes_can_be_released_and_published(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run(capsys, "release", "--repo", str(repo))
    assert code == 0, out
    assert (repo / "taxonomies/products/releases/2021.09.21.yaml").is_file()
    shutil.copy(HISTORY.parents[2] / "mkdocs.yml", repo / "mkdocs.yml")
    (repo / "site" / "docs").mkdir(parents=True)
    (repo / "site" / "docs" / "index.md").write_text("# Home\n")
    text = (repo / "mkdocs.yml").read_text()
    (repo / "mkdocs.yml").write_text(text[: text.index("\nnav:")] + "\n")
    code, out = run(capsys, "site", "build", "--strict", "--repo", str(repo))
    assert code == 0, out


WAIVERS = """taxops: waivers/1
waivers:
  - rule: duplicate-sibling-name
    file: {file}
    label: '5'
    reason: the publisher names both categories alike; labelers pick by code
    owner: "@catalog"
    expires: {expires}
  - rule: parent-cycle
    file: {file}
    label: '9999'
    reason: a label that is not there
    owner: "@catalog"
    expires: 2999-01-01
"""


def test_a_waiver_accepts_a_validation_finding_scoped_to_a_file_and_a_label(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (repo / WORKING).read_text().replace("name: Pet Food", "name: pet supplies")
    (repo / WORKING).write_text(text)
    code, out = run(capsys, "validate", "--repo", str(repo))
    assert code == 1 and f"{WORKING}:15:" in out and "error [duplicate-sibling-name]" in out

    (repo / "policies").mkdir()
    waivers = repo / "policies" / "waivers.yaml"
    waivers.write_text(WAIVERS.format(file=WORKING, expires="2999-01-01"))
    code, out = run(capsys, "validate", "--repo", str(repo))
    assert code == 0, out
    assert "info [duplicate-sibling-name]" in out and "[waived until 2999-01-01 by @catalog" in out
    assert (
        "warning [waiver-unused] waiver of [parent-cycle] for " + WORKING + " label `9999`" in out
    )
    code, out = run(capsys, "check", "--repo", str(repo))
    assert code == 0 and "info [duplicate-sibling-name]" in out, out

    waivers.write_text(WAIVERS.format(file=WORKING, expires="2020-01-01"))
    code, out = run(capsys, "check", "--repo", str(repo))
    assert code == 1 and "error [duplicate-sibling-name]" in out
    assert "[waiver-expired]" in out
