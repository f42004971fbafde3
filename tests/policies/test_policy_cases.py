"""Cross-file policy checks as data. ``base/`` is a small, clean governance
repository (a taxonomy with releases, a privacy policy, vendors, SLAs, a quality
plan, a workflow, a datasets registry and a spec); each folder under ``cases/``
holds only the files that differ from it (``delete.txt`` lists files to remove)
and ``expected.txt``, exactly what ``taxops validate`` prints on the day
``TODAY``: every finding at its line, with the other file's place (``see:``)
where two files disagree. ``args.txt`` adds command-line arguments.

Regenerate with ``TAXOPS_REGENERATE=1 pytest tests/policies``, then review the
diff: every line and column must be where a person would fix the file."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from taxops.cli.main import main

HERE = Path(__file__).parent
BASE = HERE / "base"
CASES = sorted(p for p in (HERE / "cases").iterdir() if p.is_dir())
TODAY = "2026-06-01"
_CONTROL_FILES = {"expected.txt", "args.txt", "delete.txt"}
_LOCATED = re.compile(
    r"^(?:(?P<path>[^\s:]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>\w+) \[(?P<rule>[a-z0-9-]+)\]|    see: (?P<see>[^\s:]+):(?P<sline>\d+):(?P<scol>\d+))"
)


def build(case: Path, target: Path) -> Path:
    """The base repository with the case's files laid over it."""
    shutil.copytree(BASE, target)
    for src in case.rglob("*"):
        rel = src.relative_to(case)
        if src.is_file() and str(rel) not in _CONTROL_FILES:
            dest = target / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dest)
    deletions = case / "delete.txt"
    if deletions.exists():
        for line in deletions.read_text(encoding="utf-8").split():
            (target / line).unlink()
    return target


def validate(repo: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str]:
    # Every finding: the cases pin where each one points.
    code = main(["validate", "--repo", str(repo), "--today", TODAY, "--max-findings", "0", *extra])
    out, err = capsys.readouterr()
    assert "Traceback" not in err, err
    return code, out


def test_the_base_repository_is_clean(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = validate(_copy_base(tmp_path), capsys)
    assert (code, out) == (0, "13 files checked: no problems found\n")


def _copy_base(tmp_path: Path) -> Path:
    target = tmp_path / "base"
    shutil.copytree(BASE, target)
    return target


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case(case: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = build(case, tmp_path / case.name)
    args = (case / "args.txt").read_text().split() if (case / "args.txt").exists() else []
    code, out = validate(repo, capsys, *args)
    expected = case / "expected.txt"
    if os.environ.get("TAXOPS_REGENERATE") == "1":
        expected.write_text(out, encoding="utf-8")
    assert expected.exists(), "no expected.txt: run with TAXOPS_REGENERATE=1, then review it"
    assert out == expected.read_text(encoding="utf-8")
    # The case's name is the rule it is about, and that rule fires.
    rule = case.name.split("--")[0]
    assert f"[{rule}]" in out, f"rule {rule} did not fire"
    assert code == (1 if " error [" in out else 0)
    # Every place printed exists in the repository built for the case.
    for line in out.splitlines():
        m = _LOCATED.match(line)
        if not m:
            continue
        path, row, col = (
            (m["path"], m["line"], m["col"]) if m["path"] else (m["see"], m["sline"], m["scol"])
        )
        lines = (repo / path).read_text(encoding="utf-8").split("\n")
        assert 1 <= int(row) <= len(lines), line
        assert 1 <= int(col) <= len(lines[int(row) - 1]) + 1, line
