"""The repository is its own first user: its governed content validates cleanly,
and the taxonomy folders keep the layout taxonomies/README.md promises."""

from __future__ import annotations

from pathlib import Path

import pytest
from taxops.cli.main import main
from taxops.loading import load_yaml
from taxops.models.common import SemVer
from taxops.models.taxonomy import Status, Taxonomy

from .conftest import REPO_ROOT

TAXONOMY_DIRS = sorted(p for p in (REPO_ROOT / "taxonomies").iterdir() if p.is_dir())


def _load(path: Path) -> Taxonomy:
    doc, problems = load_yaml(path)
    assert doc is not None, problems
    return Taxonomy.model_validate(doc.data)


def _body(path: Path) -> list[str]:
    """The file without its first line (the schema comment, whose relative path
    depends on the file's depth)."""
    return path.read_text(encoding="utf-8").splitlines()[1:]


def test_repository_validates_with_zero_findings(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["validate", "--repo", str(REPO_ROOT)])
    out, err = capsys.readouterr()
    assert (code, err) == (0, ""), out
    assert out.endswith("checked: no problems found\n"), out


def test_there_are_example_taxonomies() -> None:
    assert {p.name for p in TAXONOMY_DIRS} >= {"support-intents", "driving-objects"}


@pytest.mark.parametrize("folder", TAXONOMY_DIRS, ids=[p.name for p in TAXONOMY_DIRS])
def test_taxonomy_folder_layout(folder: Path) -> None:
    current = _load(folder / "taxonomy.yaml")
    assert current.id == folder.name, "the folder is named after the taxonomy id"
    releases = sorted((folder / "releases").glob("*.yaml"), key=lambda p: SemVer(p.stem))
    assert releases, "every taxonomy has at least one frozen release"
    for release in releases:
        frozen = _load(release)
        assert str(frozen.version) == release.stem, f"{release.name} says version {frozen.version}"
        assert frozen.id == current.id
    latest = SemVer(releases[-1].stem)
    assert current.version >= latest, "taxonomy.yaml is never behind its last release"
    if current.version == latest:
        # A released version is frozen: taxonomy.yaml may not differ from it.
        assert _body(folder / "taxonomy.yaml") == _body(releases[-1])


@pytest.mark.parametrize("folder", TAXONOMY_DIRS, ids=[p.name for p in TAXONOMY_DIRS])
def test_retired_labels_stay_as_tombstones(folder: Path) -> None:
    """An id, once released, appears in every later release (retired at worst)."""
    releases = sorted((folder / "releases").glob("*.yaml"), key=lambda p: SemVer(p.stem))
    seen: set[str] = set()
    for release in releases:
        ids = {label.id for label in _load(release).labels}
        assert seen <= ids, f"{release.name} drops {sorted(seen - ids)}"
        seen |= ids


def test_support_intents_is_a_two_level_leaf_only_taxonomy_of_40_plus_intents() -> None:
    tax = _load(REPO_ROOT / "taxonomies" / "support-intents" / "taxonomy.yaml")
    by_id = tax.by_id()
    assert tax.leaf_only
    active_leaves = [
        label for label in tax.labels if label.status is Status.ACTIVE and label.parent is not None
    ]
    assert len(active_leaves) >= 40
    assert all(by_id[label.parent].parent is None for label in active_leaves if label.parent)
    assert all(label.definition for label in tax.labels)
