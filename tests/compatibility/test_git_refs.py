"""Every revision syntax git knows reaches git itself; a ref git cannot resolve,
a shallow clone without the base, and a machine without git each end in one
clear message with exit 2, never a traceback (real repositories in temp dirs)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from taxops.cli.main import main

from .gitrepos import ENV, LABELS, commit_all, git, init, taxonomy, write

TAX = "taxonomies/fleet/taxonomy.yaml"
SHALLOW = "shallow clone"
UNKNOWN = "unknown git ref"

# (ref, expected exit code, a fragment of stderr). Exit 0: the ref resolved and
# nothing changed since (the history below only adds a comment).
REFS = [
    ("main", 0, ""),
    ("HEAD~1", 0, ""),
    ("HEAD^", 0, ""),
    ("@{-1}", 0, ""),  # the branch checked out before this one
    ("HEAD@{1}", 0, ""),  # the reflog
    ("HEAD@{yesterday}", 0, ""),  # git answers with the oldest entry it has
    ("HEAD@{5}", 2, UNKNOWN),  # the reflog is shorter
    ("HEAD@{-1}", 2, UNKNOWN),
    ("HEAD~99", 2, UNKNOWN),
    ("no-such-branch", 2, UNKNOWN),
    ("--output=/tmp/x", 2, UNKNOWN),  # never an option of git
    ("-h", 2, UNKNOWN),
    ("main\nHEAD", 2, UNKNOWN),
    ("", 2, UNKNOWN),
    ("main..HEAD", 2, UNKNOWN),  # a range is not one commit
    ("HEAD:taxonomies", 2, UNKNOWN),  # a tree, not a commit
]


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = init(tmp_path_factory.mktemp("refs") / "repo")
    write(root, TAX, taxonomy("1.0.0", LABELS))
    commit_all(root, "fleet 1.0.0")
    write(root, TAX, taxonomy("1.0.0", LABELS) + "# a comment\n")
    commit_all(root, "a comment")
    git(root, "checkout", "-q", "-b", "side")
    git(root, "checkout", "-q", "main")
    return root


@pytest.mark.parametrize(("ref", "code", "message"), REFS, ids=[repr(r[0]) for r in REFS])
def test_every_ref_resolves_or_is_refused_clearly(
    history: Path, ref: str, code: int, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--repo", str(history), f"--against={ref}"]) == code
    err = capsys.readouterr().err
    assert message in err
    assert "internal error" not in err and "Traceback" not in err


@pytest.mark.parametrize("merge_base", [False, True])
@pytest.mark.parametrize("ref", ["HEAD~1", "HEAD^", "main~1"])
def test_shallow_clone_says_to_fetch_the_history(
    history: Path,
    tmp_path: Path,
    ref: str,
    merge_base: bool,
    capsys: pytest.CaptureFixture[str],
) -> None:
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{history}", str(clone)],
        env=ENV,
        check=True,
    )
    args = ["check", "--repo", str(clone), "--against", ref]
    assert main([*args, "--merge-base"] if merge_base else args) == 2
    err = capsys.readouterr().err
    assert SHALLOW in err and "fetch-depth: 0" in err and "internal error" not in err
    # What the clone has still works.
    assert main(["check", "--repo", str(clone), "--against", "HEAD"]) == 0


def _without_git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """taxops in a subprocess whose PATH holds no git (the interpreter is named
    by its absolute path)."""
    env = {k: v for k, v in os.environ.items() if k != "PATH"}
    env["PATH"] = str(cwd / "empty-bin")
    (cwd / "empty-bin").mkdir(exist_ok=True)
    return subprocess.run(
        [sys.executable, "-m", "taxops.cli.main", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_without_git_only_git_features_need_it(history: Path, tmp_path: Path) -> None:
    data = tmp_path / "d.csv"
    data.write_text("id,intent\n1,billing.refund_status\n")
    root = Path(__file__).resolve().parents[2]
    validate = _without_git(["validate", "--repo", str(history)], tmp_path)
    assert validate.returncode == 0, validate.stderr
    check = _without_git(["check", "--repo", str(history)], tmp_path)
    assert check.returncode == 0, check.stderr
    migrate = _without_git(
        ["migrate", str(data), "--repo", str(root), "--taxonomy", "support-intents",
         "--from", "1.0.0", "--label-column", "intent", "-o", str(tmp_path / "o.csv")],
        tmp_path,
    )  # fmt: skip
    assert migrate.returncode == 0, migrate.stderr
    against = _without_git(["check", "--repo", str(history), "--against", "main"], tmp_path)
    assert against.returncode == 2
    assert "git is not installed" in against.stderr and "Traceback" not in against.stderr
