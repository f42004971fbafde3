"""taxops check on real git repositories made in temporary folders: a pull
request's branch against main, renamed and new taxonomy files, edited
releases, the merge base."""

from __future__ import annotations

from pathlib import Path

import pytest
from taxops.cli.main import main

from .gitrepos import LABELS, commit_all, git, init, line_of, taxonomy, write

TAX = "taxonomies/fleet/taxonomy.yaml"

RETIRED_NO_REPLACEMENT = LABELS.replace(
    "- id: vehicle.other\n  name: Other vehicle\n  parent: vehicle\n",
    "- id: vehicle.other\n  name: Other vehicle\n  parent: vehicle\n  status: retired\n",
)
RETIRED_INTO_CAR = RETIRED_NO_REPLACEMENT + "  replaced_by: [vehicle.car]\n"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = init(tmp_path / "repo")
    write(root, TAX, taxonomy("1.0.0", LABELS))
    commit_all(root, "fleet 1.0.0")
    git(root, "checkout", "-q", "-b", "change")
    return root


def check(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["check", "--repo", str(root), *args])
    return code, capsys.readouterr().out


def test_retiring_without_replacement_fails_with_the_annotation_on_its_line(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = taxonomy("1.1.0", RETIRED_NO_REPLACEMENT)
    write(repo, TAX, text)
    commit_all(repo, "retire vehicle.other")
    code, out = check(repo, capsys, "--against", "main", "--format", "github")
    assert code == 3
    status = line_of(text, "status: retired")  # the line that retires it
    annotation = next(line for line in out.splitlines() if "[label-retired]" in line)
    assert annotation.startswith(f"::error file={TAX},line={status},")
    assert "retired without a replacement" in annotation
    bump = next(line for line in out.splitlines() if "[version-bump-too-small]" in line)
    assert f"line={line_of(text, 'version:')}," in bump


def test_declared_replacement_and_major_bump_pass(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(repo, TAX, taxonomy("2.0.0", RETIRED_INTO_CAR))
    commit_all(repo, "retire vehicle.other into vehicle.car")
    code, out = check(repo, capsys, "--against", "main")
    assert code == 0, out
    assert "[labels-merged]" in out
    assert "was: main:taxonomies/fleet/taxonomy.yaml:" in out


def test_uncommitted_work_is_checked_too(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(
        repo, TAX, taxonomy("1.0.0", LABELS + "- id: vehicle.bus\n  name: Bus\n  parent: vehicle\n")
    )
    code, out = check(repo, capsys, "--against", "main")
    assert code == 1
    assert "[version-unchanged]" in out


def test_renamed_taxonomy_folder_is_matched_by_id(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    git(repo, "mv", "taxonomies/fleet", "taxonomies/road")
    write(
        repo,
        "taxonomies/road/taxonomy.yaml",
        taxonomy("1.1.0", LABELS + "- id: vehicle.bus\n  name: Bus\n  parent: vehicle\n"),
    )
    commit_all(repo, "move fleet to road/ and add a bus")
    code, out = check(repo, capsys, "--against", "main")
    assert code == 0, out
    assert "taxonomies/road/taxonomy.yaml:" in out and "[label-added]" in out
    assert "[taxonomy-removed]" not in out and "[taxonomy-added]" not in out


def test_renamed_file_with_a_new_id_is_matched_by_git_rename(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    git(repo, "mv", "taxonomies/fleet", "taxonomies/road")
    write(repo, "taxonomies/road/taxonomy.yaml", taxonomy("1.0.0", LABELS, taxonomy_id="road"))
    commit_all(repo, "rename the taxonomy")
    code, out = check(repo, capsys, "--against", "main")
    assert "[taxonomy-id-changed]" in out
    assert "[taxonomy-removed]" not in out
    assert code == 3  # the id change breaks data, which backward protects


def test_new_taxonomy_is_reported_and_passes(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(
        repo, "taxonomies/weather/taxonomy.yaml", taxonomy("0.1.0", LABELS, taxonomy_id="weather")
    )
    commit_all(repo, "add weather")
    code, out = check(repo, capsys, "--against", "main")
    assert code == 0, out
    assert "info [taxonomy-added] new taxonomy `weather` 0.1.0" in out


def test_deleted_taxonomy_blocks(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    git(repo, "rm", "-q", "-r", "taxonomies/fleet")
    write(repo, "taxonomies/.keep", "")
    commit_all(repo, "drop fleet")
    code, out = check(repo, capsys, "--against", "main")
    assert code == 3
    assert "[taxonomy-removed] taxonomy `fleet`" in out


def released_on_main_then_branched(repo: Path, branch: str) -> None:
    """Release 1.0.0 on main, commit it, and start ``branch`` from there."""
    git(repo, "checkout", "-q", "main")
    assert main(["release", "--repo", str(repo)]) == 0
    commit_all(repo, "release 1.0.0")
    git(repo, "checkout", "-q", "-b", branch)


def test_modified_release_snapshot_fails(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    released_on_main_then_branched(repo, "edit-history")
    snapshot = repo / "taxonomies/fleet/releases/1.0.0.yaml"
    snapshot.write_text(snapshot.read_text().replace("Other vehicle", "Misc vehicle"))
    commit_all(repo, "rewrite history")
    capsys.readouterr()
    code, out = check(repo, capsys, "--against", "main")
    assert code == 1
    assert (
        "error [release-modified] released snapshot taxonomies/fleet/releases/1.0.0.yaml was "
        "edited: its content no longer has the hash recorded in "
        "taxonomies/fleet/releases/SHA256SUMS" in out
    )
    assert out.count("[release-modified]") == 1  # the record and git agree: reported once
    # Without --against, the same edit is caught against HEAD while uncommitted.
    git(repo, "checkout", "-q", "main")
    snapshot.write_text(snapshot.read_text().replace("Other vehicle", "Misc vehicle"))
    code, out = check(repo, capsys)
    assert code == 1 and "[release-modified]" in out


def test_a_release_deleted_with_its_record_line_is_caught_by_git(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The record cannot see a release removed together with its line; the base
    ref can."""
    released_on_main_then_branched(repo, "erase-history")
    (repo / "taxonomies/fleet/releases/1.0.0.yaml").unlink()
    (repo / "taxonomies/fleet/releases/SHA256SUMS").write_text("")
    commit_all(repo, "erase 1.0.0")
    capsys.readouterr()
    code, out = check(repo, capsys, "--against", "main")
    assert code == 1
    assert (
        "released snapshot taxonomies/fleet/releases/1.0.0.yaml was deleted (it exists at main)"
        in out
    )
    assert "released snapshot taxonomies/fleet/releases/SHA256SUMS differs" in out


def test_merge_base_ignores_what_main_did_since_the_fork(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(
        repo, TAX, taxonomy("1.1.0", LABELS + "- id: vehicle.bus\n  name: Bus\n  parent: vehicle\n")
    )
    commit_all(repo, "branch adds a bus")
    git(repo, "checkout", "-q", "main")
    write(
        repo,
        TAX,
        taxonomy("1.1.0", LABELS + "- id: vehicle.tram\n  name: Tram\n  parent: vehicle\n"),
    )
    commit_all(repo, "main adds a tram")
    git(repo, "checkout", "-q", "change")
    code, out = check(repo, capsys, "--against", "main")
    assert code == 3 and "label `vehicle.tram` was removed" in out
    code, out = check(repo, capsys, "--against", "main", "--merge-base")
    assert code == 0, out
    assert "merge-base(main)" in out


def test_unknown_ref_is_a_usage_error(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--repo", str(repo), "--against", "origin/nope"]) == 2
    assert "unknown git ref 'origin/nope'" in capsys.readouterr().err


def test_a_taxonomy_broken_on_the_branch_is_a_validation_error_not_a_deletion(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(repo, TAX, taxonomy("1.1.0", LABELS).replace("kind: hierarchical", "kind: tree"))
    code, out = check(repo, capsys, "--against", "main")
    assert code == 1
    assert "[invalid-value]" in out and "[taxonomy-removed]" not in out
