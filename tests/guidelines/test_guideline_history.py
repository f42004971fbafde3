"""The checks against the committed version, in a real git repository: a changed
definition needs a changelog entry naming the label, and a retired label's
guidance may not be dropped."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from taxops.validate import check_paths, governed_files

HERE = Path(__file__).parent
GUIDELINE = Path("guidelines/shop-intents.yaml")


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = tmp_path / "repo"
    shutil.copytree(HERE / "base", root)
    git(root, "init", "-q")
    git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "add", ".")
    git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "base")
    return root


def findings(root: Path) -> list[tuple[str, int]]:
    checked = check_paths(governed_files(root), root)
    return [(d.rule, d.location.line) for c in checked for d in c.diagnostics if d.location]


def edit(root: Path, old: str, new: str) -> None:
    path = root / GUIDELINE
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def change_definition(root: Path) -> None:
    """The edit every history test starts from: a real change of meaning."""
    edit(
        root,
        "definition: The customer was promised a refund and asks when it arrives.",
        "definition: The customer was promised a refund (any amount) and asks when it arrives.",
    )


def line_of(root: Path, needle: str) -> int:
    lines = (root / GUIDELINE).read_text().splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def test_unchanged_guideline_has_no_history_findings(repo: Path) -> None:
    assert findings(repo) == []


def test_a_guideline_committed_with_crlf_and_unchanged_is_not_compared(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Checked out on Windows, a file's lines end in CR LF; taxops reads them
    as line feeds, and an unchanged file is still seen as unchanged (the
    committed version is not parsed and compared again)."""
    from taxops.checks import cross_file

    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = tmp_path / "repo"
    shutil.copytree(HERE / "base", root)
    path = root / GUIDELINE
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    git(root, "init", "-q")
    git(root, "config", "core.autocrlf", "false")
    git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "add", ".")
    git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "base")
    compared: list[str] = []
    original = cross_file.parse_yaml

    def spy(text: str, display: str):  # type: ignore[no-untyped-def]
        compared.append(display)
        return original(text, display)

    monkeypatch.setattr(cross_file, "parse_yaml", spy)
    assert findings(root) == []
    assert compared == []


def test_changed_definition_without_changelog_is_flagged_at_its_line(repo: Path) -> None:
    change_definition(repo)
    assert findings(repo) == [
        ("definition-changed-without-changelog", line_of(repo, "(any amount)"))
    ]


def test_rewrapping_a_definition_is_not_a_change(repo: Path) -> None:
    edit(
        repo,
        "definition: The customer was promised a refund and asks when it arrives.",
        "definition: >-\n      The customer was promised a refund\n      and asks when it arrives.",
    )
    assert findings(repo) == []


def test_a_new_changelog_entry_naming_the_label_settles_it(repo: Path) -> None:
    change_definition(repo)
    edit(repo, "version: 2.0.0\nintroduction", "version: 2.0.1\nintroduction")
    edit(
        repo,
        "changelog:\n",
        "changelog:\n  - version: 2.0.1\n    date: 2024-07-01\n    what: Any amount.\n"
        "    why: Labelers asked.\n    labels: [billing.refund_status]\n",
    )
    assert findings(repo) == []


def test_an_entry_that_names_other_labels_does_not(repo: Path) -> None:
    change_definition(repo)
    edit(repo, "version: 2.0.0\nintroduction", "version: 2.0.1\nintroduction")
    edit(
        repo,
        "changelog:\n",
        "changelog:\n  - version: 2.0.1\n    date: 2024-07-01\n    what: Typos.\n"
        "    why: Typos.\n    labels: [billing.double_charge]\n",
    )
    assert [rule for rule, _ in findings(repo)] == ["definition-changed-without-changelog"]


def test_dropping_a_retired_labels_guidance_is_flagged(repo: Path) -> None:
    edit(
        repo,
        "  - label: account.two_factor\n    historical: true\n    examples:\n"
        "      - content: My two-factor code never arrives.\n"
        "        why: Before 2.0.0, two-factor codes had their own label.\n",
        "",
    )
    assert findings(repo) == [("guidance-removed", line_of(repo, "labels:"))]


def test_in_ci_the_pull_requests_base_is_the_baseline(repo: Path) -> None:
    """In CI the change is committed (HEAD equals the work tree), so comparing
    with HEAD sees nothing; `taxops check --against BASE` compares with the base."""
    from taxops.compatibility.check import run_check

    base = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "HEAD"], check=True, capture_output=True, text=True
    ).stdout.strip()
    change_definition(repo)
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qam", "edit")
    assert findings(repo) == []  # against HEAD: already committed, nothing to say
    report = run_check(repo, against=base)
    assert [(d.rule, d.location.line) for d in report.validation if d.location] == [
        ("definition-changed-without-changelog", line_of(repo, "(any amount)"))
    ]
