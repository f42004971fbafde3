"""A comparison's findings placed in the old file by a worker
(:mod:`taxops.compatibility.placing`) are placed exactly as this process
places them, on every rule's cases; a worker that fails or hands back
something else changes nothing; ``--jobs 1`` and small comparisons never fork."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from taxops import forked
from taxops.compatibility import placing
from taxops.compatibility.compare import Comparison, Version, compare
from taxops.file_check import check_file
from taxops.loading import yaml_source
from taxops.models.taxonomy import Taxonomy

REPO = Path(__file__).resolve().parents[2]
CASES = sorted(p.parent for p in (REPO / "tests" / "cases").rglob("old.yaml"))


@pytest.fixture
def workers(monkeypatch: pytest.MonkeyPatch) -> list[forked.Worker | None]:
    """Every worker asked for (None: none could start); any number of places
    is worth one, and the machine counts as idle (see test_parallel_diff)."""
    monkeypatch.setattr(placing, "WORTH_A_WORKER", 1)
    monkeypatch.setattr(forked, "_load", lambda: 0.0)
    monkeypatch.setattr(forked, "_threads", threading.active_count)
    seen: list[forked.Worker | None] = []
    real = forked.beside

    @contextlib.contextmanager
    def spy(work: Callable[[], object]) -> Iterator[forked.Worker | None]:
        with real(work) as worker:
            seen.append(worker)
            yield worker

    monkeypatch.setattr(forked, "beside", spy)
    return seen


def _version(path: Path) -> Version:
    checked = check_file(path)
    assert isinstance(checked.model, Taxonomy) and checked.doc is not None
    return Version(checked.model, checked.doc, checked.display)


def _placed(comparison: Comparison) -> list[tuple[str, str, str, str]]:
    return [(d.rule, d.message, str(d.location), str(d.previous)) for d in comparison.findings]


@pytest.fixture(params=["small", "large"])
def located_as(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Files placed as small ones are (composed) and as large ones are (item
    by item, from the line index)."""
    if request.param == "large":
        monkeypatch.setattr(yaml_source, "PARTIAL_LOCATE_BYTES", 1)
    return str(request.param)


@pytest.mark.parametrize("case", CASES, ids=lambda p: str(p.relative_to(REPO / "tests" / "cases")))
def test_the_worker_places_as_this_process_does(
    case: Path, located_as: str, workers: list[forked.Worker | None]
) -> None:
    alone = compare(_version(case / "old.yaml"), _version(case / "new.yaml"), jobs=1)
    assert workers == []
    beside = compare(_version(case / "old.yaml"), _version(case / "new.yaml"), jobs=2)
    if not any(d.previous for d in alone.findings):
        assert workers == []  # nothing to place in the old file: no worker
        return
    assert len(workers) == 1 and workers[0] is not None and workers[0].status == 0
    assert _placed(beside) == _placed(alone)


def _pair() -> tuple[Version, Version]:
    case = REPO / "tests" / "cases" / "labels-merged" / "into-existing"
    return _version(case / "old.yaml"), _version(case / "new.yaml")


@pytest.mark.parametrize("how", ["fails", "writes nothing", "writes too few"])
def test_a_worker_that_does_not_hand_back_its_places_changes_nothing(
    how: str,
    workers: list[forked.Worker | None],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    expected = _placed(compare(*_pair(), jobs=1))
    folder = tmp_path / "work"

    def private_folder() -> Path:
        folder.mkdir()
        return folder

    monkeypatch.setattr(forked, "private_folder", private_folder)
    spy = forked.beside

    def wrong(work: Callable[[], object]) -> contextlib.AbstractContextManager[object]:
        def instead() -> None:
            if how == "fails":
                raise RuntimeError("the worker fails")
            if how == "writes too few":
                work()
                (folder / "places").write_bytes((folder / "places").read_bytes()[:-16])

        return spy(instead)

    monkeypatch.setattr(forked, "beside", wrong)
    assert _placed(compare(*_pair(), jobs=2)) == expected
    assert len(workers) == 1 and workers[0] is not None
    assert not folder.exists()  # the hand-over folder is removed


def test_one_job_or_few_places_never_fork(
    workers: list[forked.Worker | None], monkeypatch: pytest.MonkeyPatch
) -> None:
    compare(*_pair(), jobs=1)
    monkeypatch.setenv(forked.JOBS_VARIABLE, "1")
    compare(*_pair())
    monkeypatch.delenv(forked.JOBS_VARIABLE)
    monkeypatch.setattr(placing, "WORTH_A_WORKER", 10**6)
    compare(*_pair(), jobs=2)
    assert workers == []
