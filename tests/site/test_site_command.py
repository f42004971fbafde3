"""``taxops site build``: the strict build fails on a guideline finding and says
where it is; without --strict the site is built anyway."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from site_pages import ROOT
from taxops.cli.main import main

CONFIG = "site_name: t\ndocs_dir: site/docs\nsite_dir: site-build\ntheme: {name: material, font: false}\nplugins: [search, taxops]\n"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(ROOT / "tests" / "guidelines" / "base", root)
    (root / "site" / "docs").mkdir(parents=True)
    (root / "site" / "docs" / "index.md").write_text("# Home\n")
    (root / "mkdocs.yml").write_text(CONFIG)
    return root


def test_strict_build_of_a_clean_repository(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["site", "build", "--strict", "--repo", str(repo)]) == 0
    assert (
        repo / "site-build" / "shop-intents" / "labels" / "billing.refund_status" / "index.html"
    ).is_file()
    assert (repo / "site-build" / "_media" / "guidelines" / "media" / "parcel.png").is_file()
    assert "built the site" in capsys.readouterr().out


def test_strict_build_fails_at_the_guideline_line(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    guideline = repo / "guidelines" / "shop-intents.yaml"
    text = guideline.read_text().replace(
        "label: billing.charge_dispute\n", "label: billing.charge_dispte\n", 1
    )
    guideline.write_text(text)
    line = text.splitlines().index("        label: billing.charge_dispte") + 1
    assert main(["site", "build", "--strict", "--repo", str(repo)]) == 1
    err = capsys.readouterr().err
    assert f"guidelines/shop-intents.yaml:{line}:16: [unknown-label]" in err
    assert "site not built" in err
    assert main(["site", "build", "--repo", str(repo)]) == 0  # not strict: built, with warnings


def test_a_repository_without_mkdocs_yml_is_told_what_to_write(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "mkdocs.yml").unlink()
    assert main(["site", "build", "--repo", str(repo)]) == 2
    assert "plugins: [search, taxops]" in capsys.readouterr().err
