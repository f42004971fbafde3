"""``taxops check`` compares as ``diff`` does: a release read from the cache
builds only the labels the comparison reads, and the working file's labels
written exactly as the base version's (a release, or the file at a git ref)
are skipped without being compared. What it reports must be exactly what
comparing both versions read in full reports, finding for finding and place
for place, on generated changes of every kind."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from compared import plain
from taxops.compatibility import comparable as comparable_module
from taxops.compatibility.check import CheckReport, run_check
from taxops.models.lazy_labels import BuiltOnRead, MatchedLabels
from taxops.release_cache import LABELS

from compatibility.gitrepos import commit_all, git, init


def _labels(n: int) -> list[dict[str, object]]:
    groups = [{"id": f"g{k}", "name": f"Group {k}"} for k in range(8)]
    leaves = [{"id": f"x{i}", "name": f"X {i}", "parent": f"g{i % 8}"} for i in range(n)]
    return groups + leaves


def _taxonomy(version: str, labels: list[dict[str, object]]) -> str:
    return yaml.safe_dump(
        {
            "taxops": "taxonomy/1",
            "id": "t",
            "title": "T",
            "version": version,
            "kind": "hierarchical",
            "owners": ["@t"],
            LABELS: labels,
        },
        sort_keys=False,
    )


def _changed(labels: list[dict[str, object]]) -> list[dict[str, object]]:
    """A rename, a move, a removal with a tombstone, a removal without one,
    a retirement into another label, and an addition."""
    out = [dict(lb) for lb in labels]
    by_id = {lb["id"]: lb for lb in out}
    by_id["x10"]["name"] = "X ten"
    by_id["x20"]["parent"] = "g3"
    by_id["x30"].update(status="retired", replaced_by=["x31"])
    by_id["x40"].update(status="retired", replacement="parent")
    out = [lb for lb in out if lb["id"] != "x50"]
    out.append({"id": "fresh", "name": "Fresh", "parent": "g2"})
    return out


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    """Release 1.0.0 committed on main; the working file changes it (2.0.0)."""
    root = init(tmp_path / "repo")
    folder = root / "taxonomies" / "t"
    (folder / "releases").mkdir(parents=True)
    labels = _labels(300)
    (folder / "releases" / "1.0.0.yaml").write_text(_taxonomy("1.0.0", labels))
    (folder / "taxonomy.yaml").write_text(_taxonomy("1.0.0", labels))
    commit_all(root, "1.0.0")
    git(root, "checkout", "-q", "-b", "change")
    (folder / "taxonomy.yaml").write_text(_taxonomy("2.0.0", _changed(labels)))
    return root


def _outcome(report: CheckReport) -> object:
    return [
        (plain(c), [(str(d.location), str(d.previous)) for d in c.diagnostics])
        for c in report.comparisons
    ]


@pytest.mark.parametrize("against", [None, "main"])
def test_check_compares_only_what_changed_and_says_what_a_full_read_says(
    repo: Path, fresh_cache: Path, located_as: str, monkeypatch: pytest.MonkeyPatch, against: str
) -> None:
    run_check(repo, against=against)  # the release is validated once (into the cache)
    fast = run_check(repo, against=against)
    (comparison,) = fast.comparisons
    old, new = comparison.old.taxonomy.labels, comparison.new.taxonomy.labels
    if against is None:  # the last release, from the cache: built when read
        assert isinstance(old, BuiltOnRead) and old.built() <= 12
    assert isinstance(new, MatchedLabels) and len(new.unchanged) == len(new) - 5

    # The same check with every label read in full and compared field by field.
    monkeypatch.setenv("TAXOPS_NO_CACHE", "1")
    monkeypatch.setattr(comparable_module, "_matched", lambda *args: None)
    full = run_check(repo, against=against)
    assert not isinstance(full.comparisons[0].new.taxonomy.labels, MatchedLabels)
    assert _outcome(fast) == _outcome(full)
    assert fast.diagnostics == full.diagnostics
    kinds = sorted(c.kind.value for c in comparison.changes)
    assert kinds == sorted(
        [
            "label-added",
            "label-removed",
            "label-retired",
            "labels-merged",
            "name-changed",
            "parent-changed",
        ]
    )


def test_a_pass_over_a_cached_releases_labels_builds_them_a_chunk_at_a_time(
    repo: Path, fresh_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A check that reads every label of a release read lazily (a cross-file
    check, a migration map) pays about one validation of them all, not one
    validation per label: 308 labels in chunks of 100 are 4 validations."""
    from taxops.file_check import check_file
    from taxops.models import lazy_labels

    release = repo / "taxonomies" / "t" / "releases" / "1.0.0.yaml"
    full = check_file(release, repo).model  # read in full, and cached
    lazy = check_file(release, repo, lazy_release=True).model
    assert full is not None and lazy is not None
    labels = lazy.labels  # type: ignore[attr-defined]
    assert isinstance(labels, lazy_labels.LazyLabels)
    monkeypatch.setattr(lazy_labels, "_CHUNK", 100)
    calls: list[int] = []
    real = lazy_labels.LazyLabels._validated

    def spy(self: lazy_labels.LazyLabels, todo: list[int]) -> object:
        calls.append(len(todo))
        return real(self, todo)

    monkeypatch.setattr(lazy_labels.LazyLabels, "_validated", spy)
    assert list(labels) == list(full.labels)  # type: ignore[attr-defined]
    assert calls == [100, 100, 100, 8]
    assert list(labels) == list(full.labels) and len(calls) == 4  # built once
