"""Fixtures of the comparison tests."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator

import pytest
from taxops import forked
from taxops.loading import yaml_source


@pytest.fixture(params=["small", "large"])
def located_as(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Files located as small ones are (composed) or as large ones are (from
    the line index, which a cached release keeps in bytes: its findings are
    placed from the bytes of their labels, never the decoded text)."""
    if request.param == "large":
        monkeypatch.setattr(yaml_source, "PARTIAL_LOCATE_BYTES", 1)
    return str(request.param)


@pytest.fixture
def workers(monkeypatch: pytest.MonkeyPatch) -> list[forked.Worker]:
    """Every worker forked during the test, once it was stopped. The machine
    counts as idle (the test suite itself keeps a core busy)."""
    monkeypatch.setattr(forked, "_load", lambda: 0.0)
    # Libraries other tests import at collection (pandas with pyarrow for the
    # agreement reference; polars where the benchmark extras are installed)
    # start native thread pools that the worker never uses: here only Python
    # threads keep it away (test_a_running_thread_keeps_the_worker_away and
    # friends start one of their own).
    monkeypatch.setattr(forked, "_threads", threading.active_count)
    seen: list[forked.Worker] = []
    real = forked.beside

    @contextlib.contextmanager
    def spy(work: Callable[[], object]) -> Iterator[forked.Worker | None]:
        with real(work) as worker:
            yield worker
        if worker is not None:
            seen.append(worker)

    monkeypatch.setattr(forked, "beside", spy)
    # A thread an earlier test left behind (a read-ahead finishing its file, a
    # git reader) would rightly keep the worker away: let it end first.
    deadline = time.monotonic() + 30
    for thread in threading.enumerate():
        if thread is not threading.current_thread():
            thread.join(max(0.0, deadline - time.monotonic()))
    why = forked.unavailable()
    assert why is None, f"no worker can be forked here: {why} ({threading.enumerate()})"
    return seen
