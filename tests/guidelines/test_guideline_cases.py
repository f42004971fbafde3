"""Guideline checks as data: each folder under cases/ is a small repository (a
taxonomy and a guideline) and ``expected.txt`` is what ``taxops validate`` prints
for it, file:line:col included. Regenerate with ``TAXOPS_REGENERATE=1 pytest``,
then review the diff."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from taxops.formatting.text import format_text
from taxops.validate import check_paths, governed_files

HERE = Path(__file__).parent
CASES = sorted(p for p in (HERE / "cases").iterdir() if p.is_dir())


def validate_text(repo: Path) -> str:
    files = governed_files(repo)
    checked = check_paths(files, repo)
    # Every finding, each with its place: the cases pin where each one points.
    found = [d for c in checked for d in c.diagnostics]
    return format_text(found, files=len(checked), per_rule=None)


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_case(case: Path, tmp_path: Path) -> None:
    repo = tmp_path / case.name  # outside git: no comparison with a committed version
    shutil.copytree(case, repo, ignore=shutil.ignore_patterns("expected.txt"))
    actual = validate_text(repo)
    expected = case / "expected.txt"
    if os.environ.get("TAXOPS_REGENERATE"):
        expected.write_text(actual)
    assert actual == expected.read_text()


def test_the_sample_repository_is_clean(tmp_path: Path) -> None:
    repo = tmp_path / "base"
    shutil.copytree(HERE / "base", repo)
    assert validate_text(repo) == "4 files checked: no problems found\n"
