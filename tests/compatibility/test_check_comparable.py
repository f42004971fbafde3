"""``taxops check`` compares as ``diff`` does: a release read from the cache
builds only the labels the comparison reads, and the working file's labels
written exactly as the base version's (a release, or the file at a git ref)
are skipped without being compared. What it reports must be exactly what
comparing both versions read in full reports, finding for finding and place
for place, on generated changes of every kind."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from cache_damage import damage
from compared import plain
from taxops import forked, release_cache
from taxops.compatibility import baselines
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


def _repository(root: Path, *, edited_since_release: bool) -> Path:
    """Release 1.0.0 committed on main, its working file the release (or the
    release with a comment added since); the branch 'change' changes the
    working file (2.0.0)."""
    init(root)
    folder = root / "taxonomies" / "t"
    (folder / "releases").mkdir(parents=True)
    labels = _labels(300)
    released = _taxonomy("1.0.0", labels)
    (folder / "releases" / "1.0.0.yaml").write_text(released)
    comment = "# edited since the release\n" if edited_since_release else ""
    (folder / "taxonomy.yaml").write_text(comment + released)
    commit_all(root, "1.0.0")
    git(root, "checkout", "-q", "-b", "change")
    (folder / "taxonomy.yaml").write_text(_taxonomy("2.0.0", _changed(labels)))
    return root


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    """Main's working file is not a release's bytes: it is loaded."""
    return _repository(tmp_path / "repo", edited_since_release=True)


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


needs_fork = pytest.mark.skipif(
    forked.unavailable(2) in ("no fork on this system", "one CPU"),
    reason="the worker needs fork and two CPUs",
)


@pytest.fixture()
def beside(monkeypatch: pytest.MonkeyPatch, workers: list[forked.Worker]) -> list[forked.Worker]:
    """Every ref, however small, is loaded by a worker (the workers started
    are listed once stopped)."""
    monkeypatch.setattr(baselines, "AHEAD_MIN_BYTES", 0)
    return workers


@needs_fork
@pytest.mark.parametrize("how", ["works", "raises", "no entry", "damaged entry"])
def test_the_version_at_the_ref_loaded_beside_the_check_says_the_same(
    repo: Path,
    fresh_cache: Path,
    monkeypatch: pytest.MonkeyPatch,
    beside: list[forked.Worker],
    how: str,
) -> None:
    """The taxonomy at the ref is parsed, validated and checked by a worker
    while the working files are checked, and handed over without its labels;
    the check says exactly what loading it here says, also when the worker
    fails or its hand-over is missing or damaged (then it is loaded here)."""
    with monkeypatch.context() as here:
        here.setattr(baselines, "AHEAD_MIN_BYTES", 10**12)
        expected = _outcome(run_check(repo, against="main"))
    parent = os.getpid()
    real_write = release_cache.write

    def write(key: str, *args: Any, base: Path | None = None, **kwargs: Any) -> None:
        if how == "raises" and os.getpid() != parent:
            raise RuntimeError("worker broke")
        if how != "no entry":
            real_write(key, *args, base=base, **kwargs)
        if how == "damaged entry" and base is not None:
            for entry in base.rglob("*.json"):
                damage(entry, "flipped byte")

    monkeypatch.setattr(release_cache, "write", write)
    report = run_check(repo, against="main")
    assert _outcome(report) == expected
    assert len(beside) == 1 and beside[0].done == (how != "raises")
    old = report.comparisons[0].old.taxonomy.labels
    # Handed over: its labels are built from the file's items when read.
    assert isinstance(old, BuiltOnRead) == (how == "works")


@needs_fork
def test_an_invalid_taxonomy_at_the_ref_is_reported_the_same_beside_the_check(
    repo: Path, fresh_cache: Path, beside: list[forked.Worker]
) -> None:
    """A taxonomy at the ref that does not validate leaves no hand-over: it is
    loaded here, and says why it cannot be compared, as without a worker."""
    path = repo / "taxonomies" / "t" / "taxonomy.yaml"
    git(repo, "checkout", "-q", "main")
    path.write_text(path.read_text().replace("kind: hierarchical", "kind: nonsense"))
    commit_all(repo, "broken on main")
    git(repo, "checkout", "-q", "change")
    report = run_check(repo, against="main")
    assert len(beside) == 1
    (finding,) = [d for d in report.process if d.rule == "baseline-unreadable"]
    assert "main:taxonomies/t/taxonomy.yaml" in finding.message


def test_a_file_at_the_ref_written_as_a_release_is_read_from_the_release_cache(
    repo: Path, fresh_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Right after a release, main's file is the release, byte for byte: the
    check against main reads it from the release cache (no parse, no worker)
    and says what loading it says."""
    repo = _repository(repo.parent / "released", edited_since_release=False)
    with monkeypatch.context() as off:
        off.setenv("TAXOPS_NO_CACHE", "1")
        expected = _outcome(run_check(repo, against="main"))
    run_check(repo)  # the release is read once (into the cache)
    parsed: list[str] = []
    real = baselines.parse_yaml

    def spy(raw: bytes | str, path: str) -> Any:
        parsed.append(path)
        return real(raw, path)

    monkeypatch.setattr(baselines, "parse_yaml", spy)
    monkeypatch.setattr(forked, "beside", None)  # a worker would fail the test
    report = run_check(repo, against="main")
    assert parsed == []
    assert isinstance(report.comparisons[0].old.taxonomy.labels, BuiltOnRead)
    assert _outcome(report) == expected
