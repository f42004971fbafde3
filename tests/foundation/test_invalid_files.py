"""Every kind of mistake a user can make in a governed file, as data.

Each folder under ``invalid/`` is a small governance repository holding one kind of
mistake, and ``expected.txt`` is exactly what ``taxops validate`` must print for
it: ``path:line:col: severity [rule-id] message``, hints, and the summary. Paths
are relative to the case folder. An optional ``args.txt`` adds command-line
arguments (e.g. ``--max-file-size``).

To add a case, create the folder and its bad file(s), then run

    TAXOPS_REGENERATE=1 pytest tests/foundation/test_invalid_files.py

and review the new ``expected.txt`` by hand: every line and column must be where
a person fixing the file would put the cursor.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from taxops.cli.main import main

CASES_DIR = Path(__file__).parent / "invalid"
CASES = sorted(p for p in CASES_DIR.iterdir() if p.is_dir())
REGENERATE = os.environ.get("TAXOPS_REGENERATE") == "1"

#: A located diagnostic line of the text format.
DIAGNOSTIC_LINE = re.compile(r"^(?P<path>\S+):(?P<line>\d+):(?P<col>\d+): error \[[a-z0-9-]+\] \S")


def _extra_args(case: Path) -> list[str]:
    args = case / "args.txt"
    return args.read_text(encoding="utf-8").split() if args.exists() else []


def _run(case: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    # Every finding: the cases pin where each one points.
    code = main(["validate", "--repo", str(case), "--max-findings", "0", *_extra_args(case)])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_invalid_case(case: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(case, capsys)

    assert "Traceback" not in err
    assert code == 1, f"expected exit 1 (findings), got {code}\n{out}{err}"

    expected_file = case / "expected.txt"
    if REGENERATE:
        expected_file.write_text(out, encoding="utf-8")
    assert expected_file.exists(), f"no expected.txt in {case.name}: run with TAXOPS_REGENERATE=1"
    assert out == expected_file.read_text(encoding="utf-8")


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_every_diagnostic_points_into_an_existing_line(case: Path) -> None:
    """The expected output itself is held to the rules: each finding names a file of
    the case, and a line and column that exist in that file."""
    findings = [
        m
        for line in (case / "expected.txt").read_text(encoding="utf-8").splitlines()
        if (m := DIAGNOSTIC_LINE.match(line))
    ]
    assert findings, "a case must produce at least one located error"
    for m in findings:
        path = case / m["path"]
        assert path.is_file(), f"{m['path']} is not a file of the case"
        lines = path.read_bytes().split(b"\n")
        line, col = int(m["line"]), int(m["col"])
        assert 1 <= line <= max(len(lines), 1)
        width = len(lines[line - 1].decode("utf-8", "replace")) if lines else 0
        assert 1 <= col <= width + 1, f"column {col} is past the end of line {line}"


def test_cases_cover_the_acceptance_list() -> None:
    """The issue's acceptance names these mistakes; none may silently disappear."""
    required = {
        "malformed-yaml", "tab-indentation", "duplicate-key", "alias-bomb", "file-too-large",
        "parent-cycle", "dangling-parent", "not-utf8", "empty-file", "wrong-kind-kubernetes",
        "wrong-kind-marker", "missing-required-field", "unknown-field", "bad-enum-value",
        "invalid-semver", "duplicate-label-ids", "bad-id-syntax", "active-under-retired",
        "unknown-replacement", "replacement-retired", "duplicate-sibling-names",
        "arbitrary-tag", "multiple-documents", "top-level-list",
    }  # fmt: skip
    assert required <= {c.name for c in CASES}


def test_real_command_never_shows_a_traceback(tmp_path: Path) -> None:
    """The real entry point, in a fresh process, on every bad file at once (copied
    out of any repository, so only their content decides): exit 1, a finding for
    each file, nothing on stderr."""
    names = []
    for case in CASES:
        if (case / "args.txt").exists():  # those need their arguments to fail
            continue
        for i, bad in enumerate(sorted((case / "taxonomies").rglob("*.yaml"))):
            name = f"{case.name}-{i}.yaml"
            (tmp_path / name).write_bytes(bad.read_bytes())
            names.append(name)
    result = subprocess.run(
        [sys.executable, "-m", "taxops.cli.main", "validate", "--max-findings", "0", *names],
        check=False,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert "Traceback" not in result.stderr
    assert result.stderr == ""
    assert result.returncode == 1, result.stdout
    reported = {
        m["path"] for line in result.stdout.splitlines() if (m := DIAGNOSTIC_LINE.match(line))
    }
    assert reported == set(names)


def test_arbitrary_tag_is_never_executed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Refusing the tag is not enough; loading must not construct the object."""
    marker = tmp_path / "pwned"
    repo = tmp_path / "repo"
    (repo / "taxonomies" / "x").mkdir(parents=True)
    (repo / "taxonomies" / "x" / "taxonomy.yaml").write_text(
        f'taxops: taxonomy/1\nid: x\nname: !!python/object/apply:os.system ["touch {marker}"]\n',
        encoding="utf-8",
    )
    assert main(["validate", "--repo", str(repo)]) == 1
    assert "[yaml-tag]" in capsys.readouterr().out
    assert not marker.exists()
