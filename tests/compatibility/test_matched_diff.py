"""A working file compared with a release seen before: the working file's
labels written exactly as in the release are found by comparing the two
files item by item (:mod:`taxops.loading.item_source`), so the comparison
neither serialises the working file's labels to digest them nor builds the
release's labels that did not change. What is compared must be what comparing
the two files read in full gives, on every rule case, also where an item of
the list means more than its text (anchors and aliases), and also when the
files are located from their line index (large files)."""

from __future__ import annotations

from pathlib import Path

import pytest
from compared import ANCHORED, plain, releases
from taxops import check_pair, release_cache
from taxops.compatibility.compare import Version, compare
from taxops.file_check import CheckedFile, check_file
from taxops.loading.item_source import list_items
from taxops.models.lazy_labels import LazyLabels, MatchedLabels
from taxops.models.taxonomy import Taxonomy

REPO = Path(__file__).resolve().parents[2]
CASES = sorted(p.parent for p in (REPO / "tests" / "cases").rglob("old.yaml"))


def _in_repo(root: Path, old: str, new: str) -> tuple[Path, Path]:
    """``old`` as release 1.0.0 of taxonomy ``t`` (seen before: in the cache),
    ``new`` as its working file."""
    release, _ = releases(root, old, old)
    work = root / "taxonomies" / "t" / "taxonomy.yaml"
    work.write_text(new, encoding="utf-8")
    check_file(release, root)  # validated once on its own: the cache holds it
    return release, work


def _version(checked: CheckedFile) -> Version:
    assert isinstance(checked.model, Taxonomy) and checked.doc is not None
    return Version(checked.model, checked.doc, checked.display)


def _compared(root: Path, release: Path, work: Path) -> tuple[object, object, CheckedFile]:
    """The pair compared as ``diff`` does, and read in full."""
    old, new = check_pair.check_pair(release, work, root, jobs=1)
    if not isinstance(old.model, Taxonomy) or not isinstance(new.model, Taxonomy):
        pytest.skip("an invalid version is not compared")
    lazy = compare(_version(old), _version(new))
    full = compare(
        _version(check_file(release, root)), _version(check_file(work, root, lazy_release=False))
    )
    places = [(str(d.location), str(d.previous)) for d in lazy.diagnostics]
    assert places == [(str(d.location), str(d.previous)) for d in full.diagnostics]
    return plain(lazy), plain(full), new


@pytest.mark.parametrize("case", CASES, ids=lambda p: str(p.relative_to(REPO / "tests" / "cases")))
def test_every_rule_case_compares_with_a_cached_release_as_in_full(
    case: Path, tmp_path: Path, fresh_cache: Path, located_as: str
) -> None:
    old_text = (case / "old.yaml").read_text(encoding="utf-8")
    new_text = (case / "new.yaml").read_text(encoding="utf-8")
    release, work = _in_repo(tmp_path / "repo", old_text, new_text)
    lazy, full, new = _compared(tmp_path / "repo", release, work)
    assert lazy == full
    if list_items(old_text, "labels") and list_items(new_text, "labels"):
        assert isinstance(new.model, Taxonomy) and isinstance(new.model.labels, MatchedLabels)


def test_an_item_that_reads_another_is_compared_in_full(tmp_path: Path, fresh_cache: Path) -> None:
    """The item of 'auto' is written the same in both versions, but its alias
    reads the anchor on 'car', which changed: 'auto' changed too."""
    old = ANCHORED.format(version="1.0.0", name="Car")
    new = ANCHORED.format(version="1.1.0", name="Motorcar")
    release, work = _in_repo(tmp_path / "repo", old, new)
    lazy, full, checked = _compared(tmp_path / "repo", release, work)
    assert lazy == full
    assert isinstance(checked.model, Taxonomy)
    assert not isinstance(checked.model.labels, MatchedLabels)  # digested instead
    kinds = [(c[0].value, c[1]) for c in lazy[0]]  # type: ignore[index]
    assert ("alias-added", "auto") in kinds and ("alias-removed", "auto") in kinds


def test_labels_written_the_same_are_never_serialised_or_built(
    tmp_path: Path, fresh_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    labels = "".join(f"  - id: l{i}\n    name: Label {i}\n" for i in range(300))
    head = 'taxops: taxonomy/1\nid: t\ntitle: T\nversion: {}\nkind: single-label\nowners: ["@t"]\nlabels:\n'
    new_labels = labels.replace("name: Label 7\n", "name: Label seven\n")
    release, work = _in_repo(
        tmp_path / "repo", head.format("1.0.0") + labels, head.format("1.1.0") + new_labels
    )
    serialised: list[int] = []
    real = release_cache._labels_json

    def counted(labels: object) -> object:
        serialised.append(len(labels))  # type: ignore[arg-type]
        return real(labels)  # type: ignore[arg-type]

    monkeypatch.setattr(release_cache, "_labels_json", counted)
    old, new = check_pair.check_pair(release, work, tmp_path / "repo", jobs=1)
    assert isinstance(old.model, Taxonomy) and isinstance(new.model, Taxonomy)
    assert isinstance(old.model.labels, LazyLabels)
    assert isinstance(new.model.labels, MatchedLabels)
    comparison = compare(_version(old), _version(new))
    assert serialised == []
    assert old.model.labels.built() == 1  # the renamed label, nothing else
    assert [(c.kind.value, c.label) for c in comparison.changes] == [("name-changed", "l7")]
