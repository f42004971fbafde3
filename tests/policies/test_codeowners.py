"""CODEOWNERS from the owners the governed files declare: written between
markers (hand-written lines kept), and ``taxops check`` fails when the committed
block drifts from the files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from taxops.cli.main import main

BASE = Path(__file__).parent / "base"
HAND = "# hand-written\n*  @pets/platform\n"


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(BASE, root)
    (root / ".github").mkdir()
    (root / ".github" / "CODEOWNERS").write_text(HAND)
    return root


def test_write_adds_the_block_after_the_hand_written_lines(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["codeowners", "--write", "--repo", str(repo)]) == 0
    text = (repo / ".github" / "CODEOWNERS").read_text()
    assert text.startswith(HAND)
    owners = {
        line.split()[0]: line.split()[1:] for line in text.splitlines() if line.startswith("/")
    }
    assert owners == {
        "/taxonomies/pets/": ["@pets/owners"],
        "/guidelines/pets.yaml": ["@pets/owners"],
        "/policies/privacy.yaml": ["@pets/privacy"],
        "/policies/vendors/acme.yaml": ["@pets/vendors"],
    }
    capsys.readouterr()
    assert main(["codeowners", "--write", "--repo", str(repo)]) == 0
    assert "is up to date" in capsys.readouterr().out
    assert (repo / ".github" / "CODEOWNERS").read_text() == text  # idempotent


def test_check_fails_when_the_committed_block_drifts(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["codeowners", "--write", "--repo", str(repo)])
    capsys.readouterr()
    assert main(["check", "--repo", str(repo)]) == 0, capsys.readouterr().out
    capsys.readouterr()
    privacy = repo / "policies" / "privacy.yaml"
    privacy.write_text(privacy.read_text().replace('["@pets/privacy"]', '["@pets/dpo"]'))
    assert main(["check", "--repo", str(repo)]) == 1
    out = capsys.readouterr().out
    assert (
        ".github/CODEOWNERS:4:1: error [codeowners-drift] .github/CODEOWNERS differs from " in out
    )
    assert "taxops codeowners --write" in out


def test_a_codeowners_file_without_the_block_drifts(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--repo", str(repo)]) == 1
    assert "[codeowners-drift] .github/CODEOWNERS has no taxops block" in capsys.readouterr().out
